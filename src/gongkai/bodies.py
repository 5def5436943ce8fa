"""Kinds of body: which agencies may be compared with which (county governments with
county governments, never one league table across levels).

The kind is read from the agency's name and the depth of its region, by the table
``BODY_KINDS`` below (first match wins). Decisions the issue left open:

- a government's 办公厅 / 办公室 (XX省人民政府办公厅) is a 政府部门 of its level: it reports
  on its own requests, not on the whole government's, so its figures sit with the
  departments', not with the government's;
- 街道办事处 go with 乡镇人民政府 (the same level of the administration);
- a body whose region is unknown, or whose name says neither government nor department
  (开发区管委会, 事业单位), is 其他 and is compared only with other 其他 bodies of its region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from .normalise import fold, squash
from .regions import Region


class Agency(Protocol):
    """What the kind is read from (registry.Agency; not imported: registry reads BY_LABEL
    to check agencies.yml's ``kind:``)."""

    @property
    def name(self) -> str: ...
    @property
    def region(self) -> tuple[str, ...]: ...
    @property
    def place(self) -> Region: ...
    @property
    def kind(self) -> str: ...


@dataclass(frozen=True, slots=True)
class BodyKind:
    key: str
    label: str
    pattern: re.Pattern[str]
    """Matched at the end of the normalised name."""
    levels: frozenset[int]
    """Region depths (1 province, 2 city, 3 county) the kind is found at; empty: any."""


_GOV = r"人民政府$"
_TOWN = r"(?:镇|乡|苏木)人民政府$|街道办事处$|街道$"
_DEPT = r"(?:局|厅|委员会|委|办公室|办公厅|办|署|中心)$"

BODY_KINDS: tuple[BodyKind, ...] = (
    BodyKind("township", "乡镇人民政府·街道办事处", re.compile(_TOWN), frozenset()),
    BodyKind("province_gov", "省级人民政府", re.compile(_GOV), frozenset({1})),
    BodyKind("city_gov", "市级人民政府", re.compile(_GOV), frozenset({2})),
    BodyKind("county_gov", "县级人民政府", re.compile(_GOV), frozenset({3})),
    BodyKind("province_dept", "省级政府部门", re.compile(_DEPT), frozenset({1})),
    BodyKind("city_dept", "市级政府部门", re.compile(_DEPT), frozenset({2})),
    BodyKind("county_dept", "县级政府部门", re.compile(_DEPT), frozenset({3})),
    BodyKind("other", "其他", re.compile(""), frozenset()),
)
"""In the order pages list them."""

BY_KEY = {k.key: k for k in BODY_KINDS}
BY_LABEL = {k.label: k for k in BODY_KINDS}
OTHER = BY_KEY["other"]


def classify(name: str, level: int) -> BodyKind:
    """The kind of a body called ``name`` whose region has ``level`` parts (0: unknown)."""
    key = squash(fold(name))
    for kind in BODY_KINDS:
        if kind.levels and level not in kind.levels:
            continue
        if kind.pattern.search(key):
            return kind
    return OTHER


def level(agency: Agency) -> int:
    """1 province, 2 city, 3 county; 0 unknown. From the division code where there is one:
    a 直辖市's district (北京市东城区, 110101) is county level at depth 2 of its path."""
    code = agency.place.code
    if len(code) == 6 and code.isdigit():
        return 1 if code[2:] == "0000" else 2 if code[4:] == "00" else 3
    return min(len(agency.region), 3)


def kind_of(agency: Agency) -> BodyKind:
    """agencies.yml's ``kind:`` when given, else :func:`classify` of the display name."""
    if agency.kind:
        return BY_LABEL.get(agency.kind) or OTHER
    return classify(agency.name, level(agency))
