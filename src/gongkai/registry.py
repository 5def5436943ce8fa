"""Group reports into agencies across years, and give each agency a stable, readable id.

An office's printed name changes between years (阿拉善盟高新技术产业开发区社会事务办公室 in
2023, 阿拉善高新区社会事务办公室 in 2022): names are compared after normalising, and
``content/agencies.yml`` lists the aliases that normalising cannot know.

``agencies.yml`` is a list of entries::

    - name: 阿拉善高新区社会事务办公室          # display name (also an alias)
      aliases: [阿拉善盟高新技术产业开发区社会事务办公室]
      region: [内蒙古自治区, 阿拉善盟]           # or "内蒙古自治区/阿拉善盟"
      id: alashan-shehui-shiwu                # optional: pins the URL
      kind: 市级政府部门                       # optional: a bodies.BODY_KINDS label
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError
from .bodies import BY_LABEL
from .kinds import KINDS, preference
from .model import Report
from .normalise import fold, squash
from .provenance import Provenance, parse_fields
from .regions import Region, configured, infer

MAX_ID_LENGTH = 80
"""Long enough that distinct names rarely share a truncated id, short enough for a URL."""

_ID_OK = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NOT_ID = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class AgencyEntry:
    """One entry of agencies.yml."""

    name: str
    aliases: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    id: str | None = None
    kind: str = ""
    """A label of bodies.BODY_KINDS (市级政府部门), overriding the kind read from the name."""
    sources: dict[int, Provenance] = field(default_factory=dict, hash=False, compare=False)
    """Year -> where that year's report was published (``sources:`` in agencies.yml)."""


@dataclass(frozen=True, slots=True)
class Agency:
    id: str
    name: str
    """Display name: from agencies.yml, else the most recent printed name."""
    aliases: tuple[str, ...]
    """Every other name: configured aliases and names printed in the reports (sorted)."""
    region: tuple[str, ...]
    """Region path, outermost first (province, city, county); empty when neither
    agencies.yml nor the agency's name says."""
    reports: tuple[Report, ...]
    """One report per year, oldest first."""
    place: Region = Region()
    """The region with its division codes and how it was found (regions.py)."""
    sources: dict[int, Provenance] = field(default_factory=dict, hash=False, compare=False)
    """Year -> provenance from agencies.yml."""
    kind: str = ""
    """agencies.yml's ``kind:`` (a bodies.BODY_KINDS label), empty when not given."""
    listed: bool = False
    """True when agencies.yml lists the agency: a year with no report from it is then
    shown as not (yet) published."""

    @property
    def years(self) -> list[int]:
        return [r.year for r in self.reports]

    @property
    def latest(self) -> Report:
        return self.reports[-1]


@dataclass(frozen=True, slots=True)
class Registry:
    agencies: tuple[Agency, ...]
    """Sorted by id."""
    duplicates: tuple[tuple[Report, Report], ...]
    """(left out, kept): two inputs giving the same agency and year."""
    by_file: dict[str, Agency] = field(default_factory=dict, repr=False, compare=False)
    """Source file of each published report -> its agency."""

    def agency_of(self, report: Report) -> Agency:
        return self.by_file[report.source.file]


def normalise_name(name: str) -> str:
    """The key agency names are compared by: width folded, all white space removed."""
    return squash(fold(name))


def display_name(name: str) -> str:
    """A printed name for showing: white space runs collapsed (seed 002 prints two names)."""
    return " ".join(name.split())


def pinyin_id(name: str, max_length: int = MAX_ID_LENGTH) -> str:
    """A readable ASCII id: the name's pinyin syllables joined with '-'.

    >>> pinyin_id("乌拉特中旗教育局")
    'wu-la-te-zhong-qi-jiao-yu-ju'

    Remembered (:data:`PINYIN_IDS`, kept between builds by the parse cache): pypinyin's
    dictionaries take ~0.3 s to load, and a rebuild seldom meets a new name.
    """
    if max_length == MAX_ID_LENGTH and (known := PINYIN_IDS.get(name)) is not None:
        return known
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(fold(name))
    text = _NOT_ID.sub("-", "-".join(syllables).lower()).strip("-") or "agency"
    if len(text) > max_length:
        # Cut at a syllable boundary so the id never ends in half a syllable.
        text = text[: max_length + 1].rsplit("-", 1)[0]
    if max_length == MAX_ID_LENGTH:
        PINYIN_IDS[name] = text
    return text


PINYIN_IDS: dict[str, str] = {}
"""Name -> :func:`pinyin_id`, for this process (a pure function of the name and
pypinyin's version; :func:`pinyin_ids_key` names the cache entry that keeps it)."""


def pinyin_ids_key() -> str:
    """The parse cache's name for the remembered ids: pypinyin's version is part of it."""
    from importlib.metadata import version

    return f"pinyin-ids-{version('pypinyin')}"


def load_agencies_file(path: Path) -> list[AgencyEntry]:
    """Read agencies.yml; a missing file means no entries."""
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as e:  # ValueError: a date 2024-02-30
        raise ConfigError(path, f"cannot read: {str(e).splitlines()[0]}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError(path, "must be a list of entries, each with a 'name' (see gongkai docs)")
    return [_entry(path, i, item) for i, item in enumerate(data, 1)]


def _entry(path: Path, n: int, item: Any) -> AgencyEntry:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
        raise ConfigError(path, f"entry {n}: needs a 'name' (the agency's display name)")
    unknown = set(item) - {"name", "aliases", "region", "id", "sources", "kind"}
    if unknown:
        raise ConfigError(path, f"entry {n}: unknown keys {', '.join(sorted(map(str, unknown)))}; "
                          "use name, aliases, region, id, sources, kind")
    raw_sources = item.get("sources") or {}
    if not isinstance(raw_sources, dict) or not all(isinstance(y, int) for y in raw_sources):
        raise ConfigError(path, f"entry {n}: 'sources' must map years to {{url, published}}, e.g. 2024: {{url: ...}}")
    sources = {y: parse_fields(path, v, "agencies.yml", f"entry {n}, sources {y}") for y, v in raw_sources.items()}
    aliases = item.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    region = item.get("region") or []
    if isinstance(region, str):
        region = [p for p in re.split(r"\s*/\s*", region) if p]
    if not all(isinstance(a, str) for a in aliases) or not all(isinstance(r, str) for r in region):
        raise ConfigError(path, f"entry {n}: 'aliases' and 'region' must be text or lists of text")
    ident = item.get("id")
    if ident is not None and (not isinstance(ident, str) or not _ID_OK.match(ident)):
        raise ConfigError(path, f"entry {n}: id {ident!r} must be lowercase a-z, 0-9 and '-'")
    kind = item.get("kind") or ""
    if kind and kind not in BY_LABEL:
        raise ConfigError(path, f"entry {n}: kind {kind!r} must be one of {', '.join(BY_LABEL)}")
    return AgencyEntry(
        kind=kind,
        name=display_name(item["name"]),
        aliases=tuple(display_name(a) for a in aliases),
        region=tuple(r.strip() for r in region),
        id=ident, sources=sources,
    )


def _alias_index(entries: list[AgencyEntry], path: Path) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, e in enumerate(entries):
        for name in (e.name, *e.aliases):
            key = normalise_name(name)
            if index.get(key, i) != i:
                other = entries[index[key]].name
                raise ConfigError(path, f"{name!r} is listed under both {other!r} and {e.name!r}")
            index[key] = i
    return index


DUPLICATE_RULE = ("同一机关同一年度有多份文件时，发布算术核对未通过最少的一份；"
                  f"相同时取读取提示最少的；再相同时依次优先 {'、'.join(k.name for k in KINDS)}；"
                  "最后按文件路径排序。其余文件列为重复。")


def _preference(report: Report) -> tuple[int, int, int, str]:
    """Which of two reports of one agency and year to publish (see DUPLICATE_RULE)."""
    return (len(report.failed_checks), len(report.warnings), preference(report.source.kind), report.source.file)


def group_reports(
    reports: Iterable[Report], entries: list[AgencyEntry] | None = None,
    agencies_file: Path = Path("agencies.yml"),
) -> Registry:
    """Group reports into agencies (aliases first, then normalised names) and assign ids.

    Example::

        registry = group_reports(reports, load_agencies_file(Path("content/agencies.yml")))
    """
    entries = entries or []
    alias_of = _alias_index(entries, agencies_file)
    groups: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        key = normalise_name(r.agency)
        groups[f"entry:{alias_of[key]}" if key in alias_of else f"name:{key}"].append(r)

    built: list[tuple[AgencyEntry | None, str, list[Report], list[str]]] = []
    duplicates: list[tuple[Report, Report]] = []
    for group_key in sorted(groups):
        by_year: dict[int, list[Report]] = defaultdict(list)
        for r in groups[group_key]:
            by_year[r.year].append(r)
        kept = []
        for year in sorted(by_year):
            ranked = sorted(by_year[year], key=_preference)
            kept.append(ranked[0])
            duplicates += [(r, ranked[0]) for r in ranked[1:]]
        entry = entries[int(group_key[6:])] if group_key.startswith("entry:") else None
        name = entry.name if entry else display_name(kept[-1].agency)
        printed = sorted({display_name(r.agency) for r in groups[group_key]})
        built.append((entry, name, kept, printed))

    ids = _assign_ids([(e.id if e else None, normalise_name(name), name) for e, name, _, _ in built],
                      agencies_file)
    agencies = []
    for ident, (entry, name, kept, printed) in zip(ids, built):
        place = region_of(entry, name, printed)
        agencies.append(Agency(
            id=ident, name=name,
            aliases=tuple(sorted({*(entry.aliases if entry else ()), *printed} - {name})),
            region=place.path, reports=tuple(kept), place=place,
            sources=dict(entry.sources) if entry else {},
            kind=entry.kind if entry else "", listed=entry is not None,
        ))
    agencies.sort(key=lambda a: a.id)
    duplicates.sort(key=lambda d: d[0].source.file)
    by_file = {r.source.file: a for a in agencies for r in a.reports}
    return Registry(tuple(agencies), tuple(duplicates), by_file)


def region_of(entry: AgencyEntry | None, name: str, printed: list[str]) -> Region:
    """agencies.yml's region, else the one the display name names, else the first a
    printed name names (a note kept from the display name when none resolves)."""
    if entry is not None and entry.region:
        return configured(entry.region)
    first = infer(name)
    if first.path:
        return first
    for other in printed:
        found = infer(other)
        if found.path:
            return found
    return first


def _assign_ids(wanted: list[tuple[str | None, str, str]], path: Path) -> list[str]:
    """Pinned ids first, then pinyin ids; a collision gets -2, -3 in order of normalised name."""
    ids: list[str | None] = [pinned for pinned, _, _ in wanted]
    taken: set[str] = set()
    for pinned in ids:
        if pinned is not None:
            if pinned in taken:
                raise ConfigError(path, f"id {pinned!r} is given to two agencies")
            taken.add(pinned)
    order = sorted((i for i, w in enumerate(wanted) if w[0] is None), key=lambda i: wanted[i][1])
    for i in order:
        base = pinyin_id(wanted[i][2])
        ident, n = base, 1
        while ident in taken:
            n += 1
            ident = f"{base}-{n}"
        taken.add(ident)
        ids[i] = ident
    return [i for i in ids if i is not None]
