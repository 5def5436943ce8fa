"""Generate a reproducible corpus of annual reports, with the values a correct parse gives.

    python benchmarks/gen_corpus.py --reports N --seed S --out DIR [--jobs J]
        [--mix txt=40,docx=20,html=20,pdf=20]

Writes:

- ``DIR/reports/<province>/<city>/<county>/<year>/<agency><year>年政府信息公开工作年度报告.<ext>``:
  N reports of many agencies (provinces, cities, counties/districts/banners and
  townships; governments, their offices and bureaus) over 2019–2024. 2019 and 2020
  are printed in the 2019 layout, 2021+ in the 2021 layout; some agencies start late
  or miss a year; about 5% of agencies print their name differently between years.
- ``DIR/truth.jsonl``: one JSON object per file (sorted by path) with ``file`` (path
  relative to DIR), ``kind``, ``shape``, ``title`` and ``agency`` (as printed, Simplified),
  ``year``, ``format``, ``active_disclosure``, ``requests`` (all 26 rows, ``null``
  where the report prints no such row), ``review_litigation`` — keyed like
  ``src/gongkai/schema/report.schema.json`` — plus ``sections`` (the prose parts),
  ``agency_id`` (one id per agency whatever its printed name), ``noise`` (what was
  done to the file) and ``problems_copied`` (part 五 is last year's, verbatim).
- ``DIR/corpus.json``: the parameters and counts.

Every report satisfies the four arithmetic rules of ``spec/report-format.md`` and,
across years, 上年结转 = last year's 结转下年度继续办理 and 现行有效 = last year's +
制发 − 废止. A minority of files carry realistic noise: a blank cell where 0 was meant
(``null`` in the truth), a dash or 无 for 0 (``null``), thousands separators, full-width
digits, the label typo 其他法律行政止公开, the single （六）其他处理 row in a 2021-layout
report (truth: ``other`` set, ``other_*`` null), Traditional-Chinese text (txt only).

File kinds and shapes:

- txt: ``cell`` (text saved from Word: one cell per line), ``tab`` (PDF text: tab rows,
  long labels wrapped onto rows of their own), ``pipe`` (``a | b |`` rows; half of them
  Markdown ``.md`` files, some ``.txt`` files with Markdown marks), ``layout``
  (``pdftotext -layout`` columns, labels wrapped in their column, merged labels centred
  on their rows), ``glued`` (2021 layout: a web archive's extraction, as
  ``tests/fixtures/real2/h*.txt``: a metadata header, then the whole report on one line,
  each row's digits run together where exactly one split satisfies the row's own sum
  — checked by this generator's own enumerator — and spaced otherwise);
- docx: the official 2021 template (``tests/fixtures/docx/template-2021-blank.docx``)
  with its tables filled and merges kept; 2019-layout table A and the single （六）
  row are built from the template's own rows;
- html: a government page with site chrome, tables with rowspan/colspan, UTF-8 or GBK
  (declared gb2312/gbk);
- pdf: drawn with reportlab's built-in CID font STSong-Light, tables ruled like a
  Word/WPS export, page numbers, tables crossing page breaks (merged cells left open
  at the break).

Variations of real reports (spec: "Variation across real reports"), drawn from a random
generator of their own so the rest of the corpus stays as it was, each tagged in
``noise``: titles year first, ``关于…的报告``, ``政务公开工作年度报告`` or with ``（图片版）``
(``title_*``); part headings of text files as Markdown, bold, ``【】``, ``第二部分`` or
``2.`` (``headings_*``); table C as three small tables (``c_three_tables``, pipe); table
A's one-value rows as lines of text ``行政许可 97`` (``one_value_lines``, pipe and tab); HTML
pages printing no title, only ``<meta name="ArticleTitle">`` or only ``<title>``
(``title_meta_only``, ``title_title_tag_only``).

Same arguments, same bytes: every random choice comes from ``--seed``; PDFs are
written with ``invariant=1``; DOCX packages carry fixed dates.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import math
import os
import random
import re
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from multiprocessing import Pool
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from gongkai.layouts import (  # noqa: E402
    REQUEST_COLUMNS,
    REQUEST_OUTCOME_KEYS,
    REVIEW_COLUMNS,
    SPLIT_OTHER_KEYS,
    TABLE_A_2019,
    TABLE_A_2021,
    TABLE_B,
    TABLE_C,
)

TEMPLATES = HERE / "corpus_templates"
DOCX_TEMPLATE_CANDIDATES = (
    ROOT / "tests" / "fixtures" / "docx" / "template-2021-blank.docx",
    Path("/work/shared/real/template-2021-blank.docx"),
)
YEARS = tuple(range(2019, 2025))
DEFAULT_MIX = {"txt": 40, "docx": 20, "html": 20, "pdf": 20}
TXT_SHAPES = {"cell": 30, "tab": 25, "pipe": 25, "layout": 20}
GLUED_SHARE = 0.12
"""Share of 2021-layout text files written as a web archive's extraction (``glued``)."""
HEADING_FORMS = {"plain": 80, "md": 4, "bold": 4, "bracket": 4, "bufen": 4, "arabic": 4}
"""Part headings of text files: ``二、…``, ``## 二、…``, ``**二、…**``, ``【二、…】``,
``第二部分 …``, ``2.…``."""

# ---------------------------------------------------------------- layout-derived keys

B_COLS = tuple(c.key for c in REQUEST_COLUMNS)  # six applicant columns + total
SIX = B_COLS[:6]
C_GROUPS = tuple(r.key for r in TABLE_C.rows)
C_COLS = tuple(c.key for c in REVIEW_COLUMNS)  # upheld, corrected, other, pending, total
ALL_B_ROWS = tuple(r.key for r in TABLE_B.rows)  # the 26 keys of the schema
HANDLING_2021 = tuple(k for k in REQUEST_OUTCOME_KEYS if k != "other")
HANDLING_SINGLE = tuple(k for k in REQUEST_OUTCOME_KEYS if k not in SPLIT_OTHER_KEYS)


def layout_of(year: int) -> str:
    return "2019" if year <= 2020 else "2021"


def printed_b_rows(single_other: bool) -> tuple[str, ...]:
    handling = HANDLING_SINGLE if single_other else HANDLING_2021
    return ("new", "carried_over", *handling, "total", "carried_forward")


# Words printed in the tables that are not row or column labels (those come from
# gongkai.layouts): group headers of table A and the header cells of tables B and C.
A_INFO = "信息内容"
A_GROUPS = {
    "2021": (("第二十条第（一）项", ("rules", "normative_documents")),
             ("第二十条第（五）项", ("licensing",)),
             ("第二十条第（六）项", ("penalty", "enforcement")),
             ("第二十条第（八）项", ("fees",))),
    "2019": (("第二十条第（一）项", ("rules", "normative_documents")),
             ("第二十条第（五）项", ("licensing", "other_services")),
             ("第二十条第（六）项", ("penalty", "enforcement")),
             ("第二十条第（八）项", ("fees",)),
             ("第二十条第（九）项", ("procurement",))),
}
B_BALANCE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
B_APPLICANTS = "申请人情况"
B_ORGS = "法人或其他组织"
TYPO = {"denied_prohibited_by_law": "2.其他法律行政止公开"}
REVIEW_TYPO = "行政法复议"


def split_label(label: str) -> tuple[str | None, str]:
    """'（三）不予公开 1.属于国家秘密' -> ('（三）不予公开', '1.属于国家秘密')."""
    if " " in label:
        group, own = label.split(" ", 1)
        return group, own
    return None, label


B_OUTER = split_label(TABLE_B.row("granted").label)[0]  # 三、本年度办理结果
C_LITIGATION = split_label(TABLE_C.row("litigation_direct").label)[0]  # 行政诉讼


def b_structure(single_other: bool) -> list[tuple[str, str | None, str]]:
    """Printed handling rows of table B as (key, sub-group label or None, own label)."""
    out: list[tuple[str, str | None, str]] = []
    group: str | None = None
    for key in (*(HANDLING_SINGLE if single_other else HANDLING_2021), "total"):
        g, own = split_label(TABLE_B.row(key).label)
        if g == B_OUTER:
            g = None
        if key == "other":
            group, g = None, None
        elif g is not None:
            group = g
        elif own.startswith("（"):
            group = None
        out.append((key, group if not own.startswith("（") else None, own))
    return out


# ---------------------------------------------------------------- small helpers

def load_json(name: str) -> dict[str, Any]:
    return json.loads((TEMPLATES / name).read_text(encoding="utf-8"))


REGIONS = load_json("regions.json")
PROSE = load_json("prose.json")
FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def binomial(rng: random.Random, n: int, p: float) -> int:
    if n <= 0 or p <= 0:
        return 0
    if n > 200:  # normal approximation, clipped
        v = int(round(rng.gauss(n * p, math.sqrt(n * p * (1 - p)))))
        return max(0, min(n, v))
    return sum(1 for _ in range(n) if rng.random() < p)


def multinomial(rng: random.Random, n: int, keys: tuple[str, ...], weights: list[float]) -> dict[str, int]:
    out = dict.fromkeys(keys, 0)
    if n <= 0:
        return out
    if n <= 400:
        for k in rng.choices(keys, weights, k=n):
            out[k] += 1
        return out
    total_w = sum(weights)
    left = n
    for i, k in enumerate(keys):
        if i == len(keys) - 1:
            out[k] = left
            break
        rest = sum(weights[i:])
        p = weights[i] / rest if rest else 0
        v = binomial(rng, left, p)
        out[k] = v
        left -= v
    assert sum(out.values()) == n and total_w > 0
    return out


def log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def num_value(text: str) -> int | float:
    """The value a correct parse gives for a printed decimal (int when integral)."""
    d = Decimal(text)
    return int(d) if d == d.to_integral_value() else float(d)


# ---------------------------------------------------------------- agencies

@dataclass
class Agency:
    id: str
    level: str
    body: str
    kind: str
    """Body category (gov, office, police, market, ...)."""
    names: tuple[str, ...]
    """Printed forms; the first is the usual one, a second one is used in some years."""
    folder: tuple[str, ...]
    place: str
    """The place the body belongs to (for 我县/我镇 in the prose)."""
    site: str
    phone: str


def _place_names(rng: random.Random, first: str, second: str, used: set[str], n: int,
                 suffixes: list[tuple[str, int]], two_syllable: bool = True) -> list[str]:
    out = []
    tries = 0
    while len(out) < n and tries < n * 200:
        tries += 1
        stem = rng.choice(first) + rng.choice(second)
        if not two_syllable and rng.random() < 0.3:
            stem = rng.choice(first) + rng.choice(first) + rng.choice(second)
        suffix = rng.choices([s for s, _ in suffixes], [w for _, w in suffixes])[0]
        name = stem + suffix
        if name in used or stem[0] == stem[1]:
            continue
        used.add(name)
        out.append(name)
    return out


def agency_pool(rng: random.Random, needed: int) -> list[Agency]:
    """Agencies of every level, enough for ``needed``; deterministic for a given rng state."""
    used: set[str] = set()
    pool: list[Agency] = []
    bodies = REGIONS["bodies"]
    serial = 0

    def add(level: str, place: str, prefix: str, body: str, kind: str, folder: tuple[str, ...],
            alt_prefix: str | None) -> None:
        nonlocal serial
        name = prefix + body
        if name in used:
            return
        used.add(name)
        serial += 1
        names = (name,)
        if alt_prefix is not None and rng.random() < 0.05:
            # ~5% print their name differently between years (with/without the higher place).
            alt = alt_prefix + name if not name.startswith(alt_prefix) else name[len(alt_prefix):]
            if body.startswith("人民政府办公") and rng.random() < 0.5:
                alt = name.replace("人民政府办公", "政府办公")
            names = (name, alt)
        digits = "".join(str(rng.randrange(10)) for _ in range(7))
        area = rng.choice(["0471", "0477", "0517", "0311", "0351", "025", "0571", "0551", "0591",
                           "0791", "0531", "0371", "027", "0731", "020", "0771", "028", "0851",
                           "0871", "029", "0931"])
        pool.append(Agency(
            id=f"a{serial:05d}", level=level, body=body, kind=kind, names=names, folder=folder,
            place=place, site=f"http://www.{rng.choice('abcdefghjklmnpqrstwxyz')}{serial:05d}.gov.cn",
            phone=f"{area}-{digits}",
        ))

    provinces = REGIONS["provinces"]
    county_rounds = 0
    while True:
        county_rounds += 1
        for prov, cities in provinces.items():
            mongol = prov.startswith("内蒙古")
            if county_rounds == 1:
                for body, kind in _pick_bodies(rng, bodies["province"], 6, 10):
                    add("province", prov, prov, body, kind, (prov, "省级"), None)
            for city in cities:
                if county_rounds == 1:
                    for body, kind in _pick_bodies(rng, bodies["city"], 8, 14):
                        if city.endswith("盟") and body.startswith("人民政府"):
                            body = body.replace("人民政府", "行政公署")
                        add("city", city, city, body, kind, (prov, city, "市级"), prov)
                suffixes = [("旗", 6), ("区", 2), ("县", 2)] if mongol else [("县", 6), ("区", 3), ("市", 1)]
                for county in _place_names(rng, REGIONS["county_first"], REGIONS["county_second"],
                                           used, rng.randint(1, 3), suffixes):
                    for body, kind in _pick_bodies(rng, bodies["county"], 5, 10):
                        add("county", county, county, body, kind, (prov, city, county), city)
                    if rng.random() < 0.3:
                        add("county", county, city, f"生态环境局{county}分局", "environment",
                            (prov, city, county), None)
                    n_towns = rng.randint(3, 8)
                    if mongol:
                        towns = []
                        for stem in rng.sample(REGIONS["mongol_towns"], n_towns):
                            name = stem + rng.choice(["苏木", "镇", "苏木"])
                            if name not in used:
                                used.add(name)
                                towns.append(name)
                    else:
                        towns = _place_names(rng, REGIONS["town_first"], REGIONS["town_second"], used,
                                             n_towns, [("镇", 6), ("乡", 3), ("街道", 2)], two_syllable=False)
                    for town in towns:
                        body = "街道办事处" if town.endswith("街道") else "人民政府"
                        add("town", town, town, body, "town", (prov, city, county, "乡镇街道"), county)
        # Every province and city is in the pool; further rounds add counties until
        # there are enough agencies.
        if len(pool) >= needed:
            return pool


def _pick_bodies(rng: random.Random, bodies: list[list[str]], lo: int, hi: int) -> list[tuple[str, str]]:
    core = [tuple(b) for b in bodies[:2]]
    rest = [tuple(b) for b in bodies[2:]]
    chosen = rng.sample(rest, min(len(rest), rng.randint(lo, hi)))
    seen = set()
    out = []
    for body, kind in core + chosen:
        if kind == "education" and "education" in seen:
            continue
        seen.add(kind)
        out.append((body, kind))
    return out


# ---------------------------------------------------------------- simulated statistics

HANDLING_WEIGHTS = {
    "granted": 0.42, "partially_granted": 0.10, "denied_state_secret": 0.003,
    "denied_prohibited_by_law": 0.01, "denied_security_stability": 0.003,
    "denied_third_party_rights": 0.02, "denied_internal_affairs": 0.01,
    "denied_process_information": 0.02, "denied_enforcement_files": 0.01,
    "denied_administrative_query": 0.02, "unable_not_held": 0.18, "unable_needs_creation": 0.03,
    "unable_still_unclear": 0.02, "rejected_complaint": 0.03, "rejected_duplicate": 0.02,
    "rejected_publication": 0.005, "rejected_excessive": 0.005, "rejected_reconfirmation": 0.01,
    "other_no_correction": 0.03, "other_unpaid_fee": 0.003, "other_other": 0.04,
}
# (licensing, penalty, enforcement) ranges at city level, by body kind
A_RANGES = {
    "gov": ((200, 20000), (100, 15000), (10, 1500)),
    "police": ((500, 40000), (1000, 60000), (100, 5000)),
    "market": ((500, 20000), (100, 5000), (10, 500)),
    "approval": ((1000, 30000), (0, 0), (0, 0)),
    "land": ((50, 2000), (5, 300), (1, 50)),
    "housing": ((50, 2000), (5, 300), (1, 40)),
    "transport": ((100, 5000), (100, 8000), (10, 400)),
    "health": ((50, 3000), (20, 800), (1, 50)),
    "environment": ((20, 500), (20, 800), (5, 200)),
    "urban": ((10, 500), (100, 5000), (10, 500)),
    "education": ((5, 300), (0, 20), (0, 5)),
    "agri": ((10, 500), (5, 300), (1, 30)),
    "water": ((5, 200), (1, 50), (0, 10)),
    "culture": ((10, 300), (5, 200), (0, 10)),
    "emergency": ((5, 300), (10, 300), (1, 30)),
    "town": ((1, 60), (1, 40), (0, 5)),
}
LEVEL_FACTOR = {"province": 0.5, "city": 1.0, "county": 0.35, "town": 1.0}


def _count(rng: random.Random, rng_range: tuple[int, int], factor: float, p_zero: float = 0.0) -> int:
    lo, hi = rng_range
    if hi <= 0 or rng.random() < p_zero:
        return 0
    return max(0, int(log_uniform(rng, max(lo, 1), hi) * factor))


@dataclass
class AgencyYear:
    requests: dict[str, list[int]]
    """Row key -> six applicant counts (handling rows of both layouts, new, carried_over,
    total, carried_forward)."""
    review: dict[str, list[int]]
    """Group -> upheld, corrected, other, pending."""
    a2021: dict[str, Any]
    a2019: dict[str, Any]
    fee_cells: dict[str, str]
    """Printed decimals: 'fees' (2021, 万元) and 'procurement' (2019, 万元 or 元)."""


def simulate(agency: Agency, rng: random.Random) -> dict[int, AgencyYear]:
    level, kind = agency.level, agency.kind
    # Requests per year
    if level == "town":
        def new_total() -> int:
            return rng.choices([0, 1, 2, 3, 4, 5], [50, 20, 12, 8, 6, 4])[0]
    else:
        mu, sigma, lo, hi = {
            ("province", True): (6.2, 0.5, 100, 3000), ("province", False): (4.0, 0.8, 5, 800),
            ("city", True): (5.4, 0.6, 60, 1500), ("city", False): (2.6, 1.0, 0, 400),
            ("county", True): (3.6, 0.7, 5, 400), ("county", False): (1.2, 1.1, 0, 120),
        }[(level, kind == "gov")]
        mu += {"land": 1.0, "housing": 0.7, "police": 0.4, "office": -1.0}.get(kind, 0.0)
        base = math.exp(rng.gauss(mu, sigma))

        def new_total() -> int:
            return int(max(lo, min(hi, base * rng.uniform(0.7, 1.3))))
    alphas = [8, 1.5, 0.2, 0.3, 0.6, 0.6]
    col_w = [rng.gammavariate(a, 1) + 1e-3 for a in alphas]
    p_cf = 0.0 if level == "town" or rng.random() < 0.3 else rng.uniform(0.005, 0.08)
    hw = {k: w * rng.uniform(0.5, 1.5) for k, w in HANDLING_WEIGHTS.items()}
    # Review and litigation
    rev_mu = {"province": 2.5, "city": 2.0, "county": 0.5, "town": -3.0}[level] + (0.8 if kind == "gov" else -0.7)
    # Table A stocks
    makes_rules = kind == "gov" and level in ("province", "city")
    rules_stock = rng.randint(10, 80) if makes_rules else 0
    nd_scale = {"gov": 1.0, "office": 0.2, "town": 0.05}.get(kind, 0.25) * (0.4 if level == "county" else 1.0)
    nd_stock = int(rng.uniform(30, 300) * nd_scale)
    ranges = A_RANGES.get(kind, ((0, 20), (0, 10), (0, 5)))
    fac = LEVEL_FACTOR[level]
    base_lic = _count(rng, ranges[0], fac, 0.15 if ranges[0][0] == 0 else 0.0)
    base_pen = _count(rng, ranges[1], fac, 0.2 if ranges[1][0] == 0 else 0.0)
    base_enf = _count(rng, ranges[2], fac, 0.3 if ranges[2][0] == 0 else 0.0)
    has_fees = rng.random() < (0.5 if kind in ("gov", "market", "land", "police", "transport", "housing") else 0.15)
    fee_base = log_uniform(rng, 0.05, 8000 if level in ("province", "city") else 500)
    items = {k: rng.randint(lo, hi) for k, (lo, hi) in {
        "licensing": (5, 300), "other_services": (0, 120), "penalty": (50, 3000),
        "enforcement": (2, 100), "fees": (0, 30)}.items()}
    if kind in ("office", "town"):
        items = {k: v // 10 for k, v in items.items()}
    total_public = {"rules": rules_stock + rng.randint(0, 30) if makes_rules else 0,
                    "normative_documents": nd_stock + rng.randint(0, 50)}

    out: dict[int, AgencyYear] = {}
    carried = None
    for year in YEARS:
        n = new_total()
        new = list(multinomial(rng, n, SIX, col_w).values())
        if carried is None:
            carried = [binomial(rng, v, p_cf) for v in new]
        co = carried
        cf = [binomial(rng, new[i] + co[i], p_cf) for i in range(6)]
        handled = [new[i] + co[i] - cf[i] for i in range(6)]
        req: dict[str, list[int]] = {"new": new, "carried_over": co, "carried_forward": cf, "total": handled}
        keys = HANDLING_2021
        per_col = [multinomial(rng, handled[i], keys, [hw[k] for k in keys]) for i in range(6)]
        for k in keys:
            req[k] = [per_col[i][k] for i in range(6)]
        req["other"] = [sum(req[k][i] for k in SPLIT_OTHER_KEYS) for i in range(6)]
        carried = cf
        # table C
        review: dict[str, list[int]] = {}
        for g, f in zip(C_GROUPS, (1.0, 0.6, 0.3)):
            t = int(math.exp(rng.gauss(rev_mu, 0.8)) * f) if rng.random() < 0.8 else 0
            review[g] = list(multinomial(rng, t, ("u", "c", "o", "p"), [0.6, 0.1, 0.15, 0.15]).values())
        # table A, 2021 layout
        r_issued = rng.randint(0, 4) if makes_rules else 0
        r_repealed = min(rules_stock, rng.randint(0, 2)) if makes_rules else 0
        nd_issued = int(rng.uniform(0, 40) * nd_scale) if rng.random() < 0.8 else 0
        nd_repealed = min(nd_stock, int(rng.uniform(0, 12) * nd_scale)) if rng.random() < 0.5 else 0
        rules_stock += r_issued - r_repealed
        nd_stock += nd_issued - nd_repealed
        lic = int(base_lic * rng.uniform(0.7, 1.3))
        pen = int(base_pen * rng.uniform(0.7, 1.3))
        enf = int(base_enf * rng.uniform(0.6, 1.4))
        fee_text = rng.choice(["0", "0", "0", "0.00", "0.0"])
        if has_fees and rng.random() < 0.9:
            fee_text = f"{fee_base * rng.uniform(0.6, 1.4):.{rng.choice([0, 1, 2, 2, 2, 4, 5])}f}"
        a2021 = {
            "rules": {"issued": r_issued, "repealed": r_repealed, "in_force": rules_stock},
            "normative_documents": {"issued": nd_issued, "repealed": nd_repealed, "in_force": nd_stock},
            "licensing": lic, "penalty": pen, "enforcement": enf, "fees": num_value(fee_text),
        }
        # table A, 2019 layout
        a2019: dict[str, Any] = {}
        for key, created in (("rules", r_issued), ("normative_documents", nd_issued)):
            published = created if rng.random() < 0.85 else max(0, created - rng.randint(0, 2))
            total_public[key] += published
            a2019[key] = {"created": created, "published": published, "total_public": total_public[key]}
        for key, decisions in (("licensing", lic), ("other_services", int(lic * rng.uniform(0, 0.3))),
                               ("penalty", pen), ("enforcement", enf)):
            change = rng.choice([0, 0, 0, 1, -1, 2, -2, 3, -5, 4]) if items[key] else rng.choice([0, 0, 1])
            a2019[key] = {"previous_items": items[key], "change": change, "decisions": decisions}
            items[key] = max(0, items[key] + change)
        change = rng.choice([0, 0, 0, -1, 1]) if items["fees"] else 0
        a2019["fees"] = {"previous_items": items["fees"], "change": change}
        items["fees"] = max(0, items["fees"] + change)
        p_items = rng.randint(0, 200) if kind not in ("town", "office") else rng.randint(0, 10)
        if p_items == 0:
            proc_text = "0"
        elif rng.random() < 0.3:  # printed in 元, converted to 万元 by a correct parse
            proc_text = f"{p_items * rng.uniform(0.5, 80) * 10000:.2f}元"
        else:
            proc_text = f"{p_items * rng.uniform(0.5, 80):.{rng.choice([2, 2, 4])}f}"
        amount = proc_text[:-1] if proc_text.endswith("元") else proc_text
        amount_value = Decimal(amount) / (10000 if proc_text.endswith("元") else 1)
        a2019["procurement"] = {"items": p_items, "amount": num_value(str(amount_value))}
        out[year] = AgencyYear(req, review, a2021, a2019, {"fees": fee_text, "procurement": proc_text})
    return out


# ---------------------------------------------------------------- report plans

@dataclass
class Plan:
    index: int
    file: str
    kind: str
    shape: str
    agency: str
    agency_id: str
    year: int
    fmt: str
    truth_a: dict[str, Any]
    truth_b: dict[str, Any]
    truth_c: dict[str, Any]
    printed: dict[tuple[str, str, str], str]
    """(table, row, column) -> cell text as printed ('' blank)."""
    single_other: bool
    typo: bool
    traditional: bool
    noise: list[str]
    title_lines: list[str]
    intro: list[str]
    general: list[str]
    problems: list[str]
    other: list[str]
    signature: list[str]
    problems_copied: bool
    opts: dict[str, Any] = field(default_factory=dict)


def fmt_int(v: int, thousands: bool, sep: str = ",") -> str:
    if thousands and v >= 1000:
        return f"{v:,}".replace(",", sep)
    return str(v)


def fmt_amount(text: str, thousands: bool) -> str:
    if not thousands:
        return text
    unit = "元" if text.endswith("元") else ""
    body = text[:-1] if unit else text
    whole, _, frac = body.partition(".")
    if int(whole) < 1000:
        return text
    return f"{int(whole):,}" + (f".{frac}" if frac else "") + unit


def make_plan(index: int, agency: Agency, name: str, year: int, ay: AgencyYear, prev_problems: list[str] | None,
              rng: random.Random, mix: dict[str, int]) -> Plan:
    fmt = layout_of(year)
    kinds = list(mix)
    kind = rng.choices(kinds, [mix[k] for k in kinds])[0]
    shape = kind
    ext = kind
    if kind == "txt":
        shape = rng.choices(list(TXT_SHAPES), list(TXT_SHAPES.values()))[0]
        if shape == "pipe" and rng.random() < 0.5:
            ext = "md"
    # Variations of real reports (spec: "Variation across real reports") come from a
    # generator of their own, so every other choice of the corpus stays as it was.
    vr = random.Random(f"variation:{index}:{name}:{year}")
    if kind == "txt" and fmt == "2021" and vr.random() < GLUED_SHARE:
        shape, ext = "glued", "txt"
    noise: list[str] = []
    single_other = fmt == "2019" or rng.random() < 0.12
    if fmt == "2021" and single_other:
        noise.append("single_other")
    typo = rng.random() < 0.05
    if typo:
        noise.append("typo")
    typo_review = rng.random() < 0.02
    if typo_review:
        noise.append("typo_review")
    traditional = kind == "txt" and rng.random() < 0.06 and shape != "glued"
    # a glued run has no room for separators, blanks, dashes or full-width digits: the
    # archive extractions print plain digits
    thousands = rng.random() < 0.3 and shape != "glued"
    sep = " " if kind == "txt" and shape in ("cell", "pipe", "tab") and rng.random() < 0.3 else ","

    # ---- truth and printed cells
    printed: dict[tuple[str, str, str], str] = {}
    truth_b: dict[str, Any] = dict.fromkeys(ALL_B_ROWS)
    for key in printed_b_rows(single_other):
        six = ay.requests[key]
        row = dict(zip(SIX, six))
        row["total"] = sum(six)
        truth_b[key] = row
        for col, v in row.items():
            printed[("B", key, col)] = fmt_int(v, thousands, sep)
    truth_c: dict[str, Any] = {}
    for g in C_GROUPS:
        vals = ay.review[g]
        truth_c[g] = dict(zip(C_COLS, [*vals, sum(vals)]))
        for col, v in truth_c[g].items():
            printed[("C", g, col)] = str(v)
    layout_a = TABLE_A_2019 if fmt == "2019" else TABLE_A_2021
    src = ay.a2019 if fmt == "2019" else ay.a2021
    truth_a = copy.deepcopy(src)
    for rd in layout_a.rows:
        for col in layout_a.columns_of(rd):
            v = src[rd.key] if rd.single else src[rd.key][col.key]
            if col.type == "amount":
                text = ay.fee_cells["fees" if fmt == "2021" else "procurement"]
                printed[("A", rd.key, col.key)] = fmt_amount(text, thousands)
            else:
                printed[("A", rd.key, col.key)] = fmt_int(v, thousands, sep)
            if fmt == "2019" and col.key == "change" and v > 0 and rng.random() < 0.3:
                printed[("A", rd.key, col.key)] = f"+{v}"
    if thousands and any(v.replace(",", "").replace(" ", "") != v for v in printed.values()):
        noise.append("thousands_" + ("space" if sep == " " else "comma"))

    def set_null(table: str, row: str, col: str, text: str) -> None:
        printed[(table, row, col)] = text
        if table == "A":
            rd = layout_a.row(row)
            if rd.single:
                truth_a[row] = None
            else:
                truth_a[row][col] = None
        elif table == "B":
            truth_b[row][col] = None
        else:
            truth_c[row][col] = None

    zeros = [k for k, v in printed.items() if v == "0"]
    zeros.sort()
    # A blank cell where a zero was meant (not in layout text: a blank vanishes there).
    if zeros and rng.random() < 0.08 and shape not in ("layout", "glued"):
        for k in rng.sample(zeros, min(len(zeros), rng.randint(1, 3))):
            set_null(*k, "")
        noise.append("blank_cell")
        zeros = [k for k in zeros if printed[k] == "0"]
    if zeros and rng.random() < 0.04 and shape != "glued":
        for k in rng.sample(zeros, min(len(zeros), rng.randint(1, 2))):
            set_null(*k, rng.choice(["—", "/", "无", "-"]))
        noise.append("dash_cell")
    if rng.random() < 0.04 and shape != "glued":
        filled = sorted(k for k, v in printed.items() if v and v[0].isdigit())
        for k in rng.sample(filled, min(len(filled), rng.randint(1, 3))):
            printed[k] = printed[k].translate(FULLWIDTH)
        noise.append("fullwidth_digits")
    if traditional:
        noise.append("traditional")

    # ---- prose
    p = prose(agency, name, year, ay, rng, fmt)
    title_before = p["title"]
    p["title"] = title_variant(p["title"], name, year, vr)
    problems_copied = False
    if prev_problems is not None and rng.random() < 0.10:
        p["problems"] = list(prev_problems)
        problems_copied = True
    region = "/".join(agency.folder)
    fname = f"{name}{year}年政府信息公开工作年度报告.{ext}"
    file = f"reports/{region}/{year}/{fname}"
    opts = {
        "thousands": thousands,
        "encoding": rng.choices(["utf-8", "gbk"], [6, 4])[0],
        "bold_headings": rng.random() < 0.3,
        "body_size": rng.choice([12, 12, 14, 15, 16]),
        "table_size": rng.choice([9, 10, 10.5]),
        "page_numbers": rng.choice(["dash", "dash", "di", "none"]),
        "word_html": rng.random() < 0.6,
        "heading_tag": rng.choice(["p", "p", "h3", "h2"]),
        "wrap": rng.randint(12, 17),
        "values_middle": rng.random() < 0.5,
        "pad_merged": rng.random() < 0.6,
        "markdown": ext == "md",
        "blank_between_paras": rng.random() < 0.5,
        "heading_sep": rng.choices(["、", "、 ", "．", "."], [85, 7, 4, 4])[0],
        "white_rects": rng.random() < 0.3,
        "split_value": rng.random() < 0.15,
        "typo_review": typo_review,
        "text_page_break": rng.random() < 0.6,
        "repeat_header": rng.random() < 0.2,
        "split_runs": rng.random() < 0.3,
        "split_rows": rng.random() < 0.7,
        "split_closed": rng.random() < 0.3,
        "seed": rng.randrange(1 << 30),
    }
    text_shape = kind == "txt" and shape in ("cell", "tab", "pipe")
    opts["heading_form"] = vr.choices(list(HEADING_FORMS), list(HEADING_FORMS.values()))[0] if text_shape else "plain"
    if shape == "pipe" and ext == "txt" and vr.random() < 0.3:
        opts["markdown"] = True  # Markdown marks in a .txt file (conversion and OCR tools)
    opts["c_three_tables"] = shape == "pipe" and vr.random() < 0.2
    # a page printing no title of its own: only <meta name="ArticleTitle"> or only <title>
    opts["html_title"] = vr.choices(["h1", "meta_only", "title_tag_only"], [85, 8, 7])[0] if kind == "html" else "h1"
    if opts["html_title"] != "h1":
        noise.append("title_" + opts["html_title"])
    singles = ("licensing", "penalty", "enforcement", "fees")
    opts["one_value_lines"] = (shape in ("pipe", "tab") and fmt == "2021" and vr.random() < 0.2
                               and all(re.fullmatch(r"\d+(?:\.\d+)?", printed[("A", k, "value")]) for k in singles))
    for variation in ("c_three_tables", "one_value_lines"):
        if opts[variation]:
            noise.append(variation)
    if opts["heading_form"] != "plain":
        noise.append(f"headings_{opts['heading_form']}")
    if p["title"] != title_before:
        noise.append("title_" + title_kind(p["title"], name, year))
    return Plan(
        index=index, file=file, kind=ext, shape=shape, agency=name, agency_id=agency.id, year=year, fmt=fmt,
        truth_a=truth_a, truth_b=truth_b, truth_c=truth_c, printed=printed, single_other=single_other,
        typo=typo, traditional=traditional, noise=noise, title_lines=p["title"], intro=p["intro"],
        general=p["general"], problems=p["problems"], other=p["other"], signature=p["signature"],
        problems_copied=problems_copied, opts=opts,
    )


def prose(agency: Agency, name: str, year: int, ay: AgencyYear, rng: random.Random, fmt: str) -> dict[str, list[str]]:
    P = PROSE
    if agency.kind in ("gov", "town"):
        place = agency.place
        short = "我" + ({"省": "省", "市": "市", "县": "县", "区": "区", "旗": "旗", "镇": "镇", "乡": "乡",
                         "盟": "盟", "州": "州"}.get(place[-1], "单位"))
        if place.endswith("街道"):
            short = "我街道"
        elif place.endswith("苏木"):
            short = "我苏木"
    else:
        short = rng.choice(P["short_by_body"].get(agency.kind, P["short_by_body"]["default"]))
    new = sum(ay.requests["new"])
    co = sum(ay.requests["carried_over"])
    cf = sum(ay.requests["carried_forward"])
    vals = {
        "year": year, "next_year": year + 1, "agency": name, "short": short, "site": agency.site,
        "site_name": name if agency.kind == "gov" else agency.place + "人民政府",
        "phone": agency.phone, "notice": "国办公开办函〔2021〕30号" if fmt == "2021" else "国办公开办函〔2019〕60号",
        "n_info": rng.randint(20, 3000), "n_pol": rng.randint(0, 80), "n_interp": rng.randint(0, 40),
        "n_wechat": rng.randint(10, 900), "focus": "、".join(rng.sample(P["focus"], 2)),
        "new": new, "co": co, "cf": cf, "n_clean": rng.randint(5, 400), "n_col": rng.randint(2, 30),
        "n_train": rng.randint(1, 6), "n_sugg": rng.randint(0, 60), "n_prop": rng.randint(0, 60),
        "fee_yuan": f"{rng.randint(1, 40) * 10}",
    }

    def pick(pool: str) -> str:
        return rng.choice(P[pool]).format(**vals)

    words = rng.choices(["年政府信息公开工作年度报告", "年度政府信息公开工作年度报告", "年政府信息公开工作报告",
                         "年度政府信息公开年度报告"], [85, 7, 5, 3])[0]
    if rng.random() < 0.7:
        title = [f"{name}{year}{words}"]
    else:
        title = [name, f"{year}{words}"]
    intro = pick("intro")
    # at most one sentence of each kind: scope, statistics period (always), site, contact
    tail = P["intro_tail"]
    tails = [tail[0]] if rng.random() < 0.4 else []
    tails.append(rng.choice(tail[1:3]))
    if rng.random() < 0.6:
        tails.append(tail[3])
    if rng.random() < 0.7:
        tails.append(rng.choice(tail[4:6]))
    intro_text = intro + "".join(t.format(**vals) for t in tails)
    general = [pick("general_lead")]
    active = pick("active")
    if rng.random() < 0.5:
        active += pick("active_extra")
    general.append(active)
    general.append(pick("requests_some") if new else pick("requests_none"))
    general += [pick("management"), pick("platform"), pick("supervision")]
    problems = [pick("problems"), pick("improvements")]
    if rng.random() < 0.3:
        problems = [problems[0] + problems[1]]
    other = [pick("fees_none") if rng.random() < 0.9 else pick("fees_some")]
    if rng.random() < 0.5:
        other.append(pick("other_extra"))
    signature = []
    if rng.random() < 0.4:
        signature = [name, f"{year + 1}年1月{rng.randint(10, 31)}日"]
    return {"title": title, "intro": [intro_text], "general": general, "problems": problems,
            "other": other, "signature": signature}


def title_variant(lines: list[str], name: str, year: int, vr: random.Random) -> list[str]:
    """Titles as agencies print them: year first, 关于…的, 政务公开, a suffix."""
    r = vr.random()
    if r < 0.08:
        return [f"{year}年{name}政府信息公开工作年度报告"]
    if r < 0.12:
        return [f"{name}关于{year}年度政府信息公开工作的报告"]
    if r < 0.16:
        return [f"{name}{year}年政务公开工作年度报告"]
    if r < 0.20:
        return [*lines[:-1], lines[-1] + "（图片版）"]
    return lines


def title_kind(lines: list[str], name: str, year: int) -> str:
    t = "".join(lines)
    return ("year_first" if t.startswith(str(year)) else "guanyu" if "关于" in t else
            "zhengwu" if "政务公开" in t else "suffix")


def plan_corpus(n_reports: int, seed: int, mix: dict[str, int]) -> list[Plan]:
    rng = random.Random(seed)
    pool = agency_pool(rng, needed=int(n_reports / 4.0) + 20)
    rng.shuffle(pool)
    plans: list[Plan] = []
    for agency in pool:
        if len(plans) >= n_reports:
            break
        arng = random.Random(f"{seed}/{agency.id}")
        years = list(YEARS)
        if arng.random() < 0.15:
            years = years[arng.randint(1, 3):]
        if len(years) > 2 and arng.random() < 0.12:
            years.remove(arng.choice(years[1:-1]))
        sim = simulate(agency, arng)
        alt_years = set()
        if len(agency.names) > 1:
            alt_years = {y for y in years if arng.random() < 0.5}
            if not alt_years and len(years) > 1:
                alt_years = {years[-1]}
        prev_problems: list[str] | None = None
        prev_year = None
        for year in years:
            if len(plans) >= n_reports:
                break
            name = agency.names[1] if year in alt_years else agency.names[0]
            prev = prev_problems if prev_year == year - 1 else None
            plan = make_plan(len(plans), agency, name, year, sim[year], prev, arng, mix)
            plans.append(plan)
            prev_problems, prev_year = plan.problems, year
    return plans


# ---------------------------------------------------------------- table grids

@dataclass
class Cell:
    text: str
    rs: int = 1
    cs: int = 1
    value: bool = False


Grid = list[list[tuple[int, Cell]]]
"""Rows of (column, cell) for the cells starting in that row."""


def _row(*cells: Cell) -> list[tuple[int, Cell]]:
    out, col = [], 0
    for c in cells:
        out.append((col, c))
        col += c.cs
    return out


def grid_a(plan: Plan) -> Grid:
    layout = TABLE_A_2019 if plan.fmt == "2019" else TABLE_A_2021
    g: Grid = []
    for group, keys in A_GROUPS[plan.fmt]:
        g.append(_row(Cell(group, cs=4)))
        cols = layout.columns_of(layout.row(keys[0]))
        heads = [c.label for c in cols]
        if layout.row(keys[0]).key == "procurement" and plan.printed[("A", "procurement", "amount")].endswith("元"):
            heads[-1] = heads[-1].split("（")[0]
        spans = {1: [3], 2: [1, 2], 3: [1, 1, 1]}[len(cols)]
        g.append(_row(Cell(A_INFO), *(Cell(h, cs=s) for h, s in zip(heads, spans))))
        for key in keys:
            rd = layout.row(key)
            cols = layout.columns_of(rd)
            g.append(_row(Cell(rd.label), *(Cell(plan.printed[("A", key, c.key)], cs=s, value=True)
                                            for c, s in zip(cols, spans))))
    return g


def grid_b(plan: Plan) -> Grid:
    g: Grid = []
    heads = [c.label for c in REQUEST_COLUMNS]
    g.append(_row(Cell(B_BALANCE, rs=3, cs=3), Cell(B_APPLICANTS, cs=7)))
    g.append([(3, Cell(heads[0], rs=2)), (4, Cell(B_ORGS, cs=5)), (9, Cell(heads[6], rs=2))])
    g.append([(4 + i, Cell(h)) for i, h in enumerate(heads[1:6])])

    def values(key: str) -> list[tuple[int, Cell]]:
        return [(3 + i, Cell(plan.printed[("B", key, c)], value=True)) for i, c in enumerate(B_COLS)]

    for key in ("new", "carried_over"):
        g.append([(0, Cell(TABLE_B.row(key).label, cs=3))] + values(key))
    struct = b_structure(plan.single_other)
    spans: dict[str | None, int] = Counter(grp for _, grp, _ in struct if grp)
    seen: set[str] = set()
    for i, (key, grp, own) in enumerate(struct):
        row: list[tuple[int, Cell]] = []
        if i == 0:
            row.append((0, Cell(B_OUTER, rs=len(struct))))
        if plan.typo and key in TYPO:
            own = TYPO[key]
        if grp is None:
            row.append((1, Cell(own, cs=2)))
        else:
            if grp not in seen:
                seen.add(grp)
                row.append((1, Cell(grp, rs=spans[grp])))
            row.append((2, Cell(own)))
        g.append(row + values(key))
    g.append([(0, Cell(TABLE_B.row("carried_forward").label, cs=3))] + values("carried_forward"))
    return g


def grid_c(plan: Plan) -> Grid:
    heads = [c.label for c in REVIEW_COLUMNS]
    direct = split_label(TABLE_C.row("litigation_direct").label)[1]
    after = split_label(TABLE_C.row("litigation_after_review").label)[1]
    review = REVIEW_TYPO if plan.opts.get("typo_review") else TABLE_C.row("review").label
    g: Grid = [
        _row(Cell(review, cs=5), Cell(C_LITIGATION, cs=10)),
        [(i, Cell(h, rs=2)) for i, h in enumerate(heads)] + [(5, Cell(direct, cs=5)), (10, Cell(after, cs=5))],
        [(5 + i, Cell(h)) for i, h in enumerate(heads * 2)],
        [(i, Cell(plan.printed[("C", grp, c)], value=True)) for i, (grp, c) in
         enumerate((grp, c) for grp in C_GROUPS for c in C_COLS)],
    ]
    return g


NCOLS = {"A": 4, "B": 10, "C": 15}


def occupancy(grid: Grid, ncols: int) -> list[list[tuple[str, Cell | None]]]:
    """Per row and column: ('start', cell); ('vcover', cell) at the first column of a
    cell in a row below its start; ('hcover', cell) anywhere else the cell covers."""
    occ: list[list[tuple[str, Cell | None]]] = [[("empty", None)] * ncols for _ in grid]
    for r, row in enumerate(grid):
        for c, cell in row:
            for dr in range(cell.rs):
                for dc in range(cell.cs):
                    if r + dr >= len(grid):
                        continue
                    state = "start" if dr == 0 and dc == 0 else ("vcover" if dc == 0 else "hcover")
                    occ[r + dr][c + dc] = (state, cell)
    return occ


# Labels broken into lines as a narrow cell shows them (Word wraps; text exports keep it).
def header_lines(text: str) -> list[str]:
    if len(text) == 4 and text in {c.label for c in REVIEW_COLUMNS} | {"商业企业", "科研机构"}:
        return [text[:2], text[2:]]
    return [text]


# ---------------------------------------------------------------- text shapes

def _heading(num: str, words: str, sep: str = "、") -> str:
    return f"{num}{sep}{words}"


HEADINGS = {
    "general": ("一", "总体情况"),
    "A": ("二", "主动公开政府信息情况"),
    "B": ("三", "收到和处理政府信息公开申请情况"),
    "C": ("四", "政府信息公开行政复议、行政诉讼情况"),
    "problems": ("五", "存在的主要问题及改进情况"),
    "other": ("六", "其他需要报告的事项"),
}


def text_cell_per_line(grid: Grid, ncols: int, rng: random.Random, split_value: bool = False,
                       noise: list[str] | None = None) -> list[str]:
    """Word 'save as text': each cell a line starting with a tab, further paragraphs of the
    cell on lines of their own, a blank line between rows, vertically merged cells as
    empty cells, two blank lines after the table."""
    occ = occupancy(grid, ncols)
    out: list[str] = []
    for r, row in enumerate(grid):
        if r:
            out.append("")
        for c in range(ncols):
            state, cell = occ[r][c]
            if state == "start":
                assert cell is not None
                lines = header_lines(cell.text) if not cell.value else [cell.text]
                if not cell.value and len(cell.text) <= 4 and cell.rs > 1 and rng.random() < 0.5:
                    lines = list(cell.text)  # a vertical label, one character a line
                    out.append("\t" + lines[0])
                    for ch in lines[1:]:
                        out += ["", ch]
                    continue
                if cell.value and cell.text and split_value and rng.random() < 0.05:
                    out += ["\t", cell.text]  # the value typed in a second paragraph of the cell
                    if noise is not None and "value_in_second_paragraph" not in noise:
                        noise.append("value_in_second_paragraph")
                    continue
                if not cell.value and cell.rs > 1 and cell.text[1:2] == "、" and rng.random() < 0.5:
                    out += ["\t" + cell.text[:2], "", cell.text[2:]]  # "三、" / "本年度办理结果"
                    continue
                out.append("\t" + lines[0])
                out.extend(lines[1:])
            elif state == "vcover":
                out.append("\t")  # Word writes a vertically merged cell again, empty
    out += ["", ""]
    return out


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def text_tab_rows(grid: Grid, ncols: int, rng: random.Random, plan: Plan) -> list[str]:
    """PDF text: one line per row, cells separated by tabs, merged positions empty; long
    labels wrapped onto a line of their own (only label fragments, value cells empty)."""
    occ = occupancy(grid, ncols)
    width = plan.opts["wrap"] + 6
    out: list[str] = []
    for r, row in enumerate(grid):
        first: list[str] = []
        rest: list[str] = []
        for c in range(ncols):
            state, cell = occ[r][c]
            if state == "start":
                assert cell is not None
                parts = _wrap(cell.text, width) if not cell.value else [cell.text]
                first.append(parts[0])
                rest.append("".join(parts[1:]))
            elif state == "hcover" and not plan.opts["pad_merged"]:
                continue
            else:
                first.append("")
                rest.append("")
        out.append("\t".join(first))
        if any(rest):
            out.append("\t".join(rest))
    out.append("")
    return out


def text_pipe_rows(grid: Grid, ncols: int, rng: random.Random, plan: Plan) -> list[str]:
    occ = occupancy(grid, ncols)
    md = plan.opts["markdown"]
    out: list[str] = []
    for r, row in enumerate(grid):
        cells = []
        for c in range(ncols):
            state, cell = occ[r][c]
            if state == "start":
                assert cell is not None
                cells.append(cell.text.replace("|", "｜"))
            elif state == "hcover" and not plan.opts["pad_merged"]:
                continue
            else:
                cells.append("")
        if md:
            out.append("| " + " | ".join(cells) + " |")
            if r == 0:
                out.append("|" + "---|" * len(cells))
        else:
            out.append(" | ".join(cells) + " |")
    out.append("")
    return out


def _dw(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def text_layout(grid: Grid, ncols: int, rng: random.Random, plan: Plan, table: str) -> list[str]:
    """``pdftotext -layout``: each cell's text wrapped in its column, a row as tall as its
    tallest cell, values on the row's middle line (or first), merged labels centred over
    the rows they span; cells on a line separated by runs of spaces, blank cells vanish."""
    # column widths in characters (display width / 2)
    wrap = plan.opts["wrap"]
    if table == "A":
        widths = [10, 9, 9, 9]
    elif table == "B":
        widths = [4, 5, wrap, 4, 4, 4, 5, 5, 4, 4]
    else:
        widths = [3] * 15
    occ = occupancy(grid, ncols)
    # lines of every starting cell
    cell_lines: dict[tuple[int, int], list[str]] = {}
    for r, row in enumerate(grid):
        for c, cell in row:
            w = sum(widths[c:c + cell.cs])
            if cell.value or not cell.text:
                cell_lines[(r, c)] = [cell.text]
            elif table == "B" and r < 3:
                cell_lines[(r, c)] = [cell.text] if len(cell.text) <= 8 else _wrap(cell.text, 8)
            else:
                cell_lines[(r, c)] = _wrap(cell.text, max(2, w))
    heights = []
    for r, row in enumerate(grid):
        h = 1
        for c, cell in row:
            if cell.rs == 1:
                h = max(h, len(cell_lines[(r, c)]))
        heights.append(h)
    for r, row in enumerate(grid):
        for c, cell in row:
            have = sum(heights[r:r + cell.rs])
            if cell.rs > 1 and len(cell_lines[(r, c)]) > have:
                heights[min(len(grid), r + cell.rs) - 1] += len(cell_lines[(r, c)]) - have
    out: list[str] = []
    starts = [sum(heights[:r]) for r in range(len(grid))]
    total = sum(heights)
    lines: list[list[str]] = [[""] * ncols for _ in range(total)]
    for r, row in enumerate(grid):
        for c, cell in row:
            txt = cell_lines[(r, c)]
            span_top = starts[r]
            span_h = sum(heights[r:r + cell.rs])
            if cell.value:
                pos = span_top + ((span_h - 1) // 2 if plan.opts["values_middle"] else 0)
                lines[pos][c] = txt[0]
                continue
            first = span_top + max(0, (span_h - len(txt)) // 2) if (cell.rs > 1 or plan.opts["values_middle"]) \
                else span_top
            for i, t in enumerate(txt):
                if first + i < total:
                    lines[first + i][c] = t
    indent = "    "
    for cells in lines:
        s = ""
        col_x = 0
        for c in range(ncols):
            t = cells[c]
            target = col_x
            if t:
                if _dw(s) + 2 > target and s:
                    s += "  "
                else:
                    s += " " * (target - _dw(s))
                s += t
            col_x += widths[c] * 2 + 2
        if s.strip():
            out.append(indent + s.rstrip())
    out += ["", ""]
    return out


def styled_heading(num: str, words: str, sep: str, form: str) -> str:
    """A part heading in one of the forms of :data:`HEADING_FORMS`."""
    h = _heading(num, words, sep)
    if form == "md":
        return "## " + h
    if form == "bold":
        return f"**{h}**"
    if form == "bracket":
        return f"【{h}】"
    if form == "bufen":
        return f"第{num}部分 {words}"
    if form == "arabic":
        return f"{'一二三四五六'.index(num) + 1}.{words}"
    return h


A_SINGLE_ROWS = ("licensing", "penalty", "enforcement", "fees")


def split_single_rows(grid: Grid, plan: Plan) -> tuple[Grid, list[str]]:
    """Table A without its one-value rows, and those rows as lines of text (``行政许可 97``)."""
    labels = {TABLE_A_2021.row(k).label: k for k in A_SINGLE_ROWS}
    kept: Grid = []
    singles: list[str] = []
    for row in grid:
        first = row[0][1].text if row else ""
        if first in labels:
            singles.append(f"{first} {plan.printed[('A', labels[first], 'value')]}")
        else:
            kept.append(row)
    return kept, singles


def c_as_three_pipe_tables(plan: Plan, md: bool) -> list[str]:
    """Table C printed as three small tables, each under a header naming its group."""
    heads = [c.label for c in REVIEW_COLUMNS]
    out: list[str] = []
    for group in TABLE_C.rows:
        title = "行政复议" if group.key == "review" else group.label.replace(" ", "")
        if group.key != "review":
            title = "行政诉讼（" + split_label(group.label)[1] + "）"
        rows = [[title] + [""] * 4, heads, [plan.printed[("C", group.key, c)] for c in C_COLS]]
        for r, cells in enumerate(rows):
            out.append("| " + " | ".join(cells) + " |")
            if md and r == 0:
                out.append("|" + "---|" * 5)
        out.append("")
    return out


def render_text(plan: Plan) -> bytes:
    if plan.shape == "glued":
        return render_glued(plan)
    rng = random.Random(plan.opts["seed"])
    blank = plan.opts["blank_between_paras"]
    shape = plan.shape
    md = plan.opts["markdown"]
    layout = shape == "layout"
    lines: list[str] = []

    def para(t: str) -> None:
        if layout:
            # hard-wrapped like pdftotext, first line indented
            width = 36
            chunks = _wrap(t, width)
            lines.append("    " + chunks[0])
            lines.extend(chunks[1:])
        else:
            lines.append(t)
        if blank:
            lines.append("")

    def heading(key: str) -> None:
        num, words = HEADINGS[key]
        h = styled_heading(num, words, plan.opts["heading_sep"], plan.opts.get("heading_form", "plain"))
        if md:
            lines.append(f"## {h}")
            lines.append("")
        else:
            lines.append(h)
            if blank:
                lines.append("")

    for i, t in enumerate(plan.title_lines):
        if md and i == 0:
            lines.append("# " + "".join(plan.title_lines))
            break
        lines.append(("            " + t.replace("年政府", " 年政府", 1)) if layout else t)
    lines.append("")
    for t in plan.intro:
        para(t)
    heading("general")
    for t in plan.general:
        para(t)
    for table, grid_fn in (("A", grid_a), ("B", grid_b), ("C", grid_c)):
        heading(table)
        grid = grid_fn(plan)
        n = NCOLS[table]
        single_lines: list[str] = []
        if table == "A" and plan.opts.get("one_value_lines"):
            grid, single_lines = split_single_rows(grid, plan)
        if table == "C" and plan.opts.get("c_three_tables"):
            lines.extend(c_as_three_pipe_tables(plan, md))
            continue
        if shape == "cell":
            lines.extend(text_cell_per_line(grid, n, rng, plan.opts["split_value"], plan.noise))
        elif shape == "tab":
            lines.extend(text_tab_rows(grid, n, rng, plan))
        elif shape == "pipe":
            lines.extend(text_pipe_rows(grid, n, rng, plan))
        else:
            lines.extend(text_layout(grid, n, rng, plan, table))
        if shape in ("tab", "pipe"):
            lines.append("")
        for line in single_lines:
            lines += [line, ""]
        if table == "B" and shape in ("tab", "layout") and plan.opts["text_page_break"]:
            # the page break of the PDF the text was pulled from: page number, form feed
            body = [i for i in range(len(lines) - len(grid) + 4, len(lines) - 3) if lines[i].strip()]
            if body:
                at = rng.choice(body) + 1
                number = f"- {rng.randint(2, 3)} -" if rng.random() < 0.7 else str(rng.randint(2, 3))
                pad = " " * 36 if shape == "layout" else ""
                lines[at:at] = ["", pad + number, ""]
                lines[at + 3] = "\f" + lines[at + 3]
                plan.noise.append("page_number_in_table_b")
    heading("problems")
    for t in plan.problems:
        para(t)
    heading("other")
    for t in plan.other:
        para(t)
    if plan.signature:
        lines.append("")
        lines.extend(plan.signature)
    text = "\n".join(lines) + "\n"
    if plan.traditional:
        text = s2t(text)
    return text.encode("utf-8")


# ---------------------------------------------------------------- glued (web archive text)

def count_splits(chunks: list[str], sizes: list[int], summed: bool, limit: int = 2) -> int:
    """How many ways (up to ``limit``) ``chunks`` split into groups of ``sizes`` numbers
    (each cell one or more digits of one chunk, no leading zero), each group's last number
    the sum of the others when ``summed``. The generator's own oracle, written apart from
    the parser's: a row is glued only when it has exactly one split."""
    n = sum(sizes)
    ends = {sum(sizes[: i + 1]): sizes[i] for i in range(len(sizes))}
    found = 0
    cells: list[int] = []

    def walk(ci: int, off: int) -> None:
        nonlocal found
        if found >= limit:
            return
        if ci == len(chunks):
            found += len(cells) == n
            return
        chunk = chunks[ci]
        for length in range(1, len(chunk) - off + 1):
            text = chunk[off: off + length]
            if length > 1 and text[0] == "0":
                break
            if len(cells) == n:
                return
            cells.append(int(text))
            size = ends.get(len(cells))
            if not (summed and size and sum(cells[-size:-1]) != cells[-1]):
                walk(ci + 1, 0) if off + length == len(chunk) else walk(ci, off + length)
            cells.pop()

    walk(0, 0)
    return found


def glued_run(cells: list[str], sizes: list[int], summed: bool) -> str:
    """The row's cells run together when only one split gives them back, else spaced."""
    run = "".join(cells)
    if all(c.isdigit() for c in cells) and count_splits([run], sizes, summed) == 1:
        return run
    return " ".join(cells) + " "


def render_glued(plan: Plan) -> bytes:
    """A web archive's text extraction: a metadata header, then the whole report on one
    line, each table row's digits run together where that can be undone by arithmetic
    (real2/h*.txt)."""
    title = "".join(plan.title_lines)
    head = [f"标题: {title}", f"发布时间: {plan.year + 1}-01-20 10:00", "文号: ", f"发布机构: {plan.agency}",
            "栏目: 政府信息公开年报", "==================== 正文 ===================="]
    parts: list[str] = list(plan.intro)
    parts.append("一、总体情况" + "".join(plan.general))
    a = ["二、主动公开政府信息情况"]
    for group, keys in A_GROUPS["2021"]:
        cols = TABLE_A_2021.columns_of(TABLE_A_2021.row(keys[0]))
        a.append(group + A_INFO + "".join(c.label for c in cols))
        for key in keys:
            rd = TABLE_A_2021.row(key)
            a.append(rd.label + glued_run([plan.printed[("A", key, c.key)] for c in cols], [len(cols)], False))
    parts.append("".join(a))
    b = ["三、收到和处理政府信息公开申请情况", B_BALANCE, B_APPLICANTS, REQUEST_COLUMNS[0].label, B_ORGS,
         REQUEST_COLUMNS[6].label, *(c.label for c in REQUEST_COLUMNS[1:6])]

    def b_row(label: str, key: str) -> str:
        return label + glued_run([plan.printed[("B", key, c)] for c in B_COLS], [7], True)

    b += [b_row(TABLE_B.row(k).label, k) for k in ("new", "carried_over")]
    seen: set[str] = set()
    for i, (key, grp, own) in enumerate(b_structure(plan.single_other)):
        if plan.typo and key in TYPO:
            own = TYPO[key]
        label = (B_OUTER if i == 0 else "") + (grp if grp and grp not in seen else "") + own
        if grp:
            seen.add(grp)
        b.append(b_row(label, key))
    b.append(b_row(TABLE_B.row("carried_forward").label, "carried_forward"))
    parts.append("".join(b))
    heads = "".join(c.label for c in REVIEW_COLUMNS)
    review = REVIEW_TYPO if plan.opts.get("typo_review") else TABLE_C.row("review").label
    c = ("四、政府信息公开行政复议、行政诉讼情况" + review + C_LITIGATION + heads
         + split_label(TABLE_C.row("litigation_direct").label)[1] + split_label(TABLE_C.row("litigation_after_review").label)[1]
         + heads + heads
         + glued_run([plan.printed[("C", g, col)] for g in C_GROUPS for col in C_COLS], [5, 5, 5], True))
    parts.append(c)
    parts.append("五、存在的主要问题及改进情况" + "".join(plan.problems))
    parts.append("六、其他需要报告的事项" + "".join(plan.other) + (" " + " ".join(plan.signature) if plan.signature else ""))
    return ("\n".join(head) + "\n" + "".join(parts) + "\n").encode("utf-8")


@lru_cache(maxsize=None)
def _opencc(config: str) -> Any:
    import opencc
    return opencc.OpenCC(config)


def s2t(text: str) -> str:
    return _opencc("s2t").convert(text)


def t2s(text: str) -> str:
    return _opencc("t2s").convert(text)


# ---------------------------------------------------------------- HTML

def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_html(plan: Plan) -> bytes:
    rng = random.Random(plan.opts["seed"])
    word = plan.opts["word_html"]
    htag = plan.opts["heading_tag"]

    def p(text: str) -> str:
        if word:
            return f'<p style="text-indent:2em;line-height:1.75"><span style="font-family:仿宋_GB2312;font-size:16px">{_esc(text)}</span></p>'
        return f"<p>{_esc(text)}</p>"

    def h(key: str) -> str:
        num, words = HEADINGS[key]
        t = _esc(_heading(num, words, plan.opts["heading_sep"]))
        if htag == "p":
            return f"<p><strong>{t}</strong></p>"
        return f"<{htag}>{t}</{htag}>"

    def cell_html(cell: Cell) -> str:
        attrs = ""
        if cell.rs > 1:
            attrs += f' rowspan="{cell.rs}"'
        if cell.cs > 1:
            attrs += f' colspan="{cell.cs}"'
        if cell.value:
            text = _esc(cell.text) if cell.text else "&nbsp;"
            if word:
                return (f'<td{attrs} width="56" valign="center"><p align="center">'
                        f'<span style="font-size:12px">{text}</span></p></td>')
            return f'<td{attrs} align="center">{text}</td>'
        text = "<br/>".join(_esc(t) for t in header_lines(cell.text))
        if word:
            return f'<td{attrs} valign="center"><p><span style="font-size:12px">{text}</span></p></td>'
        return f"<td{attrs}>{text}</td>"

    def table(grid: Grid) -> str:
        rows = ["<tr>" + "".join(cell_html(c) for _, c in row) + "</tr>" for row in grid]
        style = ' border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse"' if word \
            else ' border="1"'
        return f'<div align="center"><table{style}>\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table></div>"

    title = "".join(plan.title_lines)
    shown = plan.opts.get("html_title", "h1")
    body: list[str] = [f'<h1 class="article-title">{_esc(title)}</h1>' if len(plan.title_lines) == 1 else
                       f'<h1 class="article-title">{_esc(plan.title_lines[0])}<br/>{_esc(plan.title_lines[1])}</h1>']
    if shown != "h1":
        body = []
    body.append(f'<div class="article-info">发布时间：{plan.year + 1}-01-{rng.randint(10, 31):02d}&nbsp;&nbsp;'
                f'来源：{_esc(plan.agency)}&nbsp;&nbsp;浏览次数：<script>document.write(hits)</script></div>')
    body.append('<div class="article-content TRS_Editor" id="zoom">')
    body += [p(t) for t in plan.intro]
    body.append(h("general"))
    body += [p(t) for t in plan.general]
    for key, fn in (("A", grid_a), ("B", grid_b), ("C", grid_c)):
        body.append(h(key))
        body.append(table(fn(plan)))
    body.append(h("problems"))
    body += [p(t) for t in plan.problems]
    body.append(h("other"))
    body += [p(t) for t in plan.other]
    if plan.signature:
        body.append('<p style="text-align:right">' + "<br/>".join(_esc(s) for s in plan.signature) + "</p>")
    body.append("</div>")
    enc = plan.opts["encoding"]
    if enc == "gbk":
        try:
            "".join(body).encode("gbk")
        except UnicodeEncodeError:
            enc = "utf-8"  # a character GBK lacks: the site serves UTF-8
    charset = "utf-8" if enc == "utf-8" else rng.choice(["gb2312", "gbk", "GBK"])
    meta = (f'<meta charset="{charset}">' if rng.random() < 0.5
            else f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />')
    site = plan.agency if len(plan.agency) < 12 else plan.agency[:6]
    page = f"""<!DOCTYPE html>
<html>
<head>
{meta}
{"" if shown == "title_tag_only" else f'<meta name="ArticleTitle" content="{_esc(title)}" />'}
<title>{_esc(site) if shown == "meta_only" else _esc(title) + "_" + _esc(site)}</title>
<link rel="stylesheet" href="/css/style.css" />
<script src="/js/jquery.min.js"></script>
<style>.nav li {{ float: left; }}</style>
</head>
<body>
<div class="top-bar"><span>欢迎访问{_esc(site)}网站</span> <a href="javascript:;">无障碍浏览</a> | <a href="javascript:;">长者模式</a></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="{_esc(site)}" /></div>
<div class="search"><form action="/search"><input type="text" name="q" value="请输入关键字" /><input type="submit" value="搜索" /></form></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="main">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年度报告</a></div>
<div class="article">
{chr(10).join(body)}
<div class="bdsharebuttonbox share">分享到：<a href="#">微信</a><a href="#">微博</a></div>
<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
</div>
<div class="footer"><p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p><p>主办：{_esc(site)}&nbsp;&nbsp;网站标识码：{rng.randint(1000000000, 9999999999)}</p></div>
</body>
</html>
"""
    if enc == "gbk":
        return page.replace("\n", "\r\n").encode("gbk")
    return page.encode("utf-8")


# ---------------------------------------------------------------- DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
ZIP_TIME = (2024, 1, 15, 9, 0, 0)
FIXED_DATE = datetime(2024, 1, 15, 9, 0, 0)


@lru_cache(maxsize=1)
def docx_template() -> bytes:
    for p in DOCX_TEMPLATE_CANDIDATES:
        if p.exists():
            return p.read_bytes()
    raise SystemExit("the official DOCX template is missing (tests/fixtures/docx/template-2021-blank.docx)")


def _text_of(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(W + "t"))


def _w(tag: str, **attrs: str) -> Any:
    from lxml import etree
    el = etree.Element(W + tag)
    for k, v in attrs.items():
        el.set(W + k, v)
    return el


def _run(text: str, rpr: Any) -> Any:
    from lxml import etree
    r = _w("r")
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    parts = text.split("\n")
    for i, part in enumerate(parts):
        if i:
            etree.SubElement(r, W + "br")
        t = etree.SubElement(r, W + "t")
        t.text = part
        if part != part.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def _set_cell(tc: Any, text: str, split: bool = False) -> None:
    """Replace a cell's text, keeping its paragraph and run formatting; ``split`` types
    a number as two runs (Word splits runs at every edit)."""
    p = tc.find(W + "p")
    old = p.find(W + "r")
    rpr = old.find(W + "rPr") if old is not None else p.find(f"{W}pPr/{W}rPr")
    rpr = copy.deepcopy(rpr) if rpr is not None else None
    for extra in tc.findall(W + "p")[1:]:
        tc.remove(extra)
    for child in list(p):
        if child.tag != W + "pPr":
            p.remove(child)
    if text and split and len(text) > 1:
        p.append(_run(text[:1], rpr))
        p.append(_run(text[1:], rpr))
    elif text:
        p.append(_run(text, rpr))


def _para_like(proto: Any, text: str, align: str | None = None) -> Any:
    p = copy.deepcopy(proto)
    rpr = p.find(f"{W}r/{W}rPr")
    rpr = copy.deepcopy(rpr) if rpr is not None else None
    for child in list(p):
        if child.tag != W + "pPr":
            p.remove(child)
    if align:
        ppr = p.find(W + "pPr")
        if ppr is None:
            ppr = _w("pPr")
            p.insert(0, ppr)
        jc = ppr.find(W + "jc")
        if jc is None:
            jc = _w("jc")
            ppr.append(jc)
        jc.set(W + "val", align)
    p.append(_run(text, rpr))
    return p


def _tcs(tr: Any) -> list[Any]:
    return tr.findall(W + "tc")


def _span(tc: Any, n: int, width: int) -> None:
    tcpr = tc.find(W + "tcPr")
    gs = tcpr.find(W + "gridSpan")
    if n == 1:
        if gs is not None:
            tcpr.remove(gs)
    else:
        if gs is None:
            gs = _w("gridSpan")
            tcw = tcpr.find(W + "tcW")
            (tcw.addnext(gs) if tcw is not None else tcpr.insert(0, gs))
        gs.set(W + "val", str(n))
    tcw = tcpr.find(W + "tcW")
    if tcw is not None:
        tcw.set(W + "w", str(width))


def _docx_table_a_2019(tbl: Any, plan: Plan) -> None:
    """Rebuild table A in the 2019 layout from the template's own rows (merges kept)."""
    trs = tbl.findall(W + "tr")
    header_proto, four_proto, two_proto = trs[0], trs[2], trs[6]
    for tr in trs:
        tbl.remove(tr)
    grid = grid_a(plan)
    col_w = 2435
    for row in grid:
        spans = [c.cs for _, c in row]
        if spans == [4]:
            tr = copy.deepcopy(header_proto)
        elif spans == [1, 3]:
            tr = copy.deepcopy(two_proto)
        else:
            tr = copy.deepcopy(four_proto)
            if spans == [1, 1, 2]:
                tcs = _tcs(tr)
                tr.remove(tcs[3])
                _span(tcs[2], 2, 2 * col_w)
        for tc, (_, cell) in zip(_tcs(tr), row):
            _set_cell(tc, cell.text)
        tbl.append(tr)


def render_docx(plan: Plan) -> bytes:
    import docx
    rng = random.Random(plan.opts["seed"])
    doc = docx.Document(io.BytesIO(docx_template()))
    body = doc.element.body
    paras = {}
    for p in body.findall(W + "p"):
        paras.setdefault(_text_of(p), p)
    title = paras["政府信息公开工作年度报告格式模板"]
    title_rpr = title.find(f"{W}r/{W}rPr")
    for child in list(title):
        if child.tag != W + "pPr":
            title.remove(child)
    title.append(_run(plan.title_lines[0], title_rpr))
    last = title
    for extra in plan.title_lines[1:]:
        p2 = copy.deepcopy(title)
        for child in list(p2):
            if child.tag != W + "pPr":
                p2.remove(child)
        p2.append(_run(extra, title_rpr))
        last.addnext(p2)
        last = p2
    proto = paras["（文字描述）"]
    for t in plan.intro:
        p = _para_like(proto, t)
        last.addnext(p)
        last = p

    def replace(old: Any, texts: list[str]) -> None:
        new = [_para_like(proto, t) for t in texts]
        for el in reversed(new):
            old.addnext(el)
        old.getparent().remove(old)

    problems_old = paras["五、存在的主要问题及改进情况"].getnext()
    other_old = paras["六、其他需要报告的事项"].getnext()
    replace(proto, plan.general)
    replace(problems_old, plan.problems)
    replace(other_old, plan.other)
    if plan.signature:
        anchor = body.findall(W + "p")[-1]
        for s in plan.signature:
            p = _para_like(proto, s, align="right")
            anchor.addprevious(p)

    tables = body.findall(W + "tbl")
    # table A
    if plan.fmt == "2019":
        _docx_table_a_2019(tables[0], plan)
    else:
        trs = tables[0].findall(W + "tr")
        for i, key in ((2, "rules"), (3, "normative_documents")):
            for tc, col in zip(_tcs(trs[i])[1:], ("issued", "repealed", "in_force")):
                text = plan.printed[("A", key, col)]
                if text:
                    _set_cell(tc, text)
        for i, key in ((6, "licensing"), (9, "penalty"), (10, "enforcement"), (13, "fees")):
            text = plan.printed[("A", key, "value")]
            if text:
                _set_cell(_tcs(trs[i])[1], text)
    # table B
    tbl = tables[1]
    trs = tbl.findall(W + "tr")
    keys_2021 = ("new", "carried_over", *HANDLING_2021, "total", "carried_forward")
    by_key = dict(zip(keys_2021, trs[3:]))
    if plan.single_other:
        single = copy.deepcopy(by_key["total"])
        _set_cell(_tcs(single)[1], TABLE_B.row("other").label)
        by_key["other_no_correction"].addprevious(single)
        for k in SPLIT_OTHER_KEYS:
            tbl.remove(by_key.pop(k))
        by_key["other"] = single
    if plan.typo:
        for key, text in TYPO.items():
            _set_cell(_tcs(by_key[key])[2], text)
    for key, tr in by_key.items():
        for tc, col in zip(_tcs(tr)[-7:], B_COLS):
            text = plan.printed[("B", key, col)]
            if text:
                _set_cell(tc, text, split=plan.opts["split_runs"] and rng.random() < 0.2)
    # table C
    if plan.opts.get("typo_review"):
        _set_cell(_tcs(tables[2].findall(W + "tr")[0])[0], REVIEW_TYPO)
    cells = _tcs(tables[2].findall(W + "tr")[3])
    for tc, (g, col) in zip(cells, ((g, c) for g in C_GROUPS for c in C_COLS)):
        text = plan.printed[("C", g, col)]
        if text:
            _set_cell(tc, text)

    cp = doc.core_properties
    cp.author = plan.agency[:20]
    cp.last_modified_by = rng.choice(["Administrator", "user", "政务公开", "lenovo"])
    cp.title = "".join(plan.title_lines)
    cp.created = FIXED_DATE
    cp.modified = FIXED_DATE
    cp.last_printed = FIXED_DATE
    cp.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same package with fixed member timestamps (byte-identical output)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------- PDF

FONT = "STSong-Light"
A4 = (595.28, 841.89)


@lru_cache(maxsize=1)
def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@lru_cache(maxsize=8192)
def _char_w(ch: str, size: float) -> float:
    from reportlab.pdfbase import pdfmetrics
    return pdfmetrics.stringWidth(ch, FONT, size)


def _str_w(s: str, size: float) -> float:
    return sum(_char_w(ch, size) for ch in s)


def _wrap_w(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    cur, w = "", 0.0
    for ch in text:
        cw = _char_w(ch, size)
        if cur and w + cw > width + 0.01:
            # keep closing punctuation off the start of a line (kinsoku)
            if ch in "，。、；：）》”’！？" and len(cur) > 1:
                lines.append(cur[:-1])
                cur, w = cur[-1] + ch, _char_w(cur[-1], size) + cw
                continue
            lines.append(cur)
            cur, w = ch, cw
        else:
            cur += ch
            w += cw
    if cur:
        lines.append(cur)
    return lines or [""]


class PdfWriter:
    def __init__(self, plan: Plan) -> None:
        from reportlab.pdfgen import canvas
        _register_font()
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1, pageCompression=1)
        self.c.setTitle("".join(plan.title_lines))
        self.c.setAuthor("")
        self.c.setCreator("WPS 文字")
        self.c.setProducer("")
        self.left, self.right = 79.0, A4[0] - 79.0
        self.top, self.bottom = A4[1] - 72.0, 72.0
        self.y = self.top
        self.page = 1
        self.numbers = plan.opts["page_numbers"]
        self.bold = plan.opts["bold_headings"]
        self.white_rects = plan.opts["white_rects"]
        self.split_rows = plan.opts["split_rows"]
        self.split_closed = plan.opts["split_closed"]
        self.page_used = False

    def _footer(self) -> None:
        if self.numbers == "none":
            return
        text = f"- {self.page} -" if self.numbers == "dash" else f"第 {self.page} 页"
        self.c.setFont(FONT, 10.5)
        self.c.drawCentredString(A4[0] / 2, 40, text)

    def new_page(self) -> None:
        self._footer()
        self.c.showPage()
        self.page += 1
        self.y = self.top
        self.page_used = False

    def _line(self, x: float, y: float, text: str, size: float, char_space: float = 0.0, bold: bool = False) -> None:
        for dx in ((0.0, 0.35) if bold else (0.0,)):
            t = self.c.beginText(x + dx, y)
            t.setFont(FONT, size)
            t.setCharSpace(char_space)  # Tc persists in the graphics state: always set it
            t.textOut(text)
            self.c.drawText(t)

    def paragraph(self, text: str, size: float, indent: int = 2, align: str = "justify",
                  space_after: float = 0.0, bold: bool = False) -> None:
        leading = size * 1.6
        width = self.right - self.left
        first_indent = indent * size
        lines: list[str] = []
        rest = text
        # first line narrower by the indent
        first = _wrap_w(rest, width - first_indent, size)[0]
        lines.append(first)
        rest = rest[len(first):]
        if rest:
            lines += _wrap_w(rest, width, size)
        for i, ln in enumerate(lines):
            if self.y - leading < self.bottom:
                self.new_page()
            self.y -= leading
            x = self.left + (first_indent if i == 0 else 0.0)
            avail = width - (first_indent if i == 0 else 0.0)
            lw = _str_w(ln, size)
            cs = 0.0
            if align == "center":
                x = self.left + (width - lw) / 2
            elif align == "right":
                x = self.right - lw
            elif i < len(lines) - 1 and len(ln) > 1:
                cs = (avail - lw) / (len(ln) - 1)
            if self.white_rects:
                # WPS paints a white box behind every prose line
                self.c.setFillColorRGB(1, 1, 1)
                self.c.rect(self.left - 2, self.y - size * 0.1, width + 4, leading * 0.95, stroke=0, fill=1)
                self.c.setFillColorRGB(0, 0, 0)
            self._line(x, self.y + size * 0.25, ln, size, cs, bold)
            self.page_used = True
        self.y -= space_after

    def skip(self, h: float) -> None:
        self.y -= h

    def table(self, grid: Grid, ncols: int, rel_widths: list[float], size: float,
              header_rows: int = 0) -> tuple[int, bool]:
        """Draw a ruled table; return the number of pages it is spread over and whether a
        row was split by a page break.

        Rows may break across pages (Word's default): a row of several text lines that
        does not fit is cut between two lines, the rest continues on the next page. The
        cells of a split row are left open at the break, or closed when ``split_closed``;
        merged cells crossing a break are always open there. ``header_rows`` rows are
        repeated at the top of every further page (Word's 重复标题行).
        """
        width = self.right - self.left + 20  # tables reach a little into the margins
        x0 = self.left - 10
        tot = sum(rel_widths)
        colw = [width * w / tot for w in rel_widths]
        colx = [x0 + sum(colw[:i]) for i in range(ncols + 1)]
        pad = 2.0
        extra = 2 * pad + 4
        leading = size * 1.25
        # wrapped text per cell
        texts: dict[tuple[int, int], list[str]] = {}
        for r, row in enumerate(grid):
            for c, cell in row:
                w = colx[c + cell.cs] - colx[c] - 2 * pad
                lines: list[str] = []
                for part in header_lines(cell.text) if not cell.value else [cell.text]:
                    lines += _wrap_w(part, w, size)
                texts[(r, c)] = lines
        nlines = [1] * len(grid)
        for r, row in enumerate(grid):
            for c, cell in row:
                if cell.rs == 1:
                    nlines[r] = max(nlines[r], len(texts[(r, c)]))
        heights = [n * leading + extra for n in nlines]
        for r, row in enumerate(grid):
            for c, cell in row:
                if cell.rs > 1:
                    need = len(texts[(r, c)]) * leading + extra
                    have = sum(heights[r:r + cell.rs])
                    if need > have:
                        heights[r + cell.rs - 1] += need - have
        # place rows on pages: pieces (page, top, height, first line, end line) per row
        pieces: list[list[tuple[int, float, float, int, int]]] = []
        page, y = self.page, self.y - 4
        first_page = self.page
        split_any = False

        def next_page(r: int) -> float:
            """Start a page for row ``r``; repeat the header rows (once they have been
            placed); return the y below them."""
            nonlocal page
            page += 1
            y = self.top
            for q in range(header_rows if r >= header_rows else 0):
                pieces[q].append((page, y, heights[q], 0, nlines[q]))
                y -= heights[q]
            return y

        for r in range(len(grid)):
            h = heights[r]
            if y - h >= self.bottom:
                pieces.append([(page, y, h, 0, nlines[r])])
                y -= h
                continue
            k = int((y - self.bottom - extra) // leading)
            if self.split_rows and nlines[r] >= 2 and 1 <= k < nlines[r]:
                h1 = k * leading + extra
                h2 = h - h1 + extra
                first = (page, y, h1, 0, k)
                pieces.append([first])
                y = next_page(r)
                pieces[r].append((page, y, h2, k, nlines[r]))
                y -= h2
                split_any = True
                continue
            pieces.append([])
            y = next_page(r)
            pieces[r].append((page, y, h, 0, nlines[r]))
            y -= h
        # draw page by page
        for pg in range(first_page, page + 1):
            if pg != self.page:
                self.new_page()
            self.c.setLineWidth(0.5)
            for r, row in enumerate(grid):
                for c, cell in row:
                    rows = range(r, min(len(grid), r + cell.rs))
                    mine = [(q, i, pc) for q in rows for i, pc in enumerate(pieces[q]) if pc[0] == pg]
                    if not mine:
                        continue
                    q0, i0, first = mine[0]
                    q1, i1, last = mine[-1]
                    top = first[1]
                    bottom = last[1] - last[2]
                    xa, xb = colx[c], colx[c + cell.cs]
                    self.c.line(xa, top, xa, bottom)
                    self.c.line(xb, top, xb, bottom)
                    header = r + cell.rs <= header_rows
                    closed = (self.split_closed and cell.rs == 1) or header
                    if (q0 == r and i0 == 0) or closed:
                        self.c.line(xa, top, xb, top)
                    if (q1 == rows[-1] and i1 == len(pieces[q1]) - 1) or closed:
                        self.c.line(xa, bottom, xb, bottom)
                    lines = texts[(r, c)]
                    if cell.rs == 1 and len(pieces[r]) > 1 and not header:
                        # a split row: each line in the piece that holds it (centred in line units)
                        off = (nlines[r] - len(lines)) // 2
                        _, ptop, _, lo, hi = mine[0][2]
                        for j, ln in enumerate(lines):
                            at = off + j
                            if not lo <= at < hi:
                                continue
                            ty = ptop - pad - 2 - (at - lo + 1) * leading + (leading - size) / 2 + 1
                            self._cell_line(cell, c, xa, xb, pad, ln, size, ty, len(lines))
                        continue
                    # text: in the piece holding the cell's middle row
                    mid = rows[len(rows) // 2]
                    if pieces[mid][0][0] != pg and not header:
                        continue
                    block = len(lines) * leading
                    ymid = (top + bottom) / 2
                    ty = ymid + block / 2 - leading + (leading - size) / 2 + 1
                    for ln in lines:
                        self._cell_line(cell, c, xa, xb, pad, ln, size, ty, len(lines))
                        ty -= leading
            self.page_used = True
        last_piece = pieces[-1][-1] if grid else None
        self.y = last_piece[1] - last_piece[2] - 6 if last_piece else self.y
        return page - first_page + 1, split_any

    def _cell_line(self, cell: Cell, c: int, xa: float, xb: float, pad: float, ln: str, size: float,
                   ty: float, n: int) -> None:
        lw = _str_w(ln, size)
        tx = (xa + xb - lw) / 2 if cell.value or n == 1 or c > 0 else xa + pad
        self._line(tx, ty, ln, size)

    def finish(self) -> bytes:
        self._footer()
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


PDF_WIDTHS = {
    "A": [2435, 2435, 2435, 2435],
    "B": [754, 921, 3271, 685, 685, 685, 685, 685, 685, 685],
    "C": [649] * 15,
}


def render_pdf(plan: Plan) -> bytes:
    w = PdfWriter(plan)
    if w.white_rects:
        plan.noise.append("wps_white_boxes")
    if w.bold:
        plan.noise.append("fake_bold_headings")
    size = plan.opts["body_size"]
    tsize = plan.opts["table_size"]
    w.skip(size)
    for t in plan.title_lines:
        w.paragraph(t, size + 6, indent=0, align="center", space_after=4)
    w.skip(size)
    for t in plan.intro:
        w.paragraph(t, size)

    def heading(key: str) -> None:
        num, words = HEADINGS[key]
        w.paragraph(_heading(num, words, plan.opts["heading_sep"]), size, indent=2, align="left", bold=w.bold)

    heading("general")
    for t in plan.general:
        w.paragraph(t, size)
    for key, fn in (("A", grid_a), ("B", grid_b), ("C", grid_c)):
        heading(key)
        repeat = 3 if key == "B" and plan.opts["repeat_header"] else 0
        pages, split = w.table(fn(plan), NCOLS[key], PDF_WIDTHS[key], tsize, repeat)
        if pages > 1 and repeat:
            plan.noise.append("table_b_header_repeated")
        if pages > 1:
            plan.noise.append(f"table_{key.lower()}_page_break")
        if split:
            plan.noise.append(f"table_{key.lower()}_row_split" + ("_closed" if w.split_closed else ""))
    heading("problems")
    for t in plan.problems:
        w.paragraph(t, size)
    heading("other")
    for t in plan.other:
        w.paragraph(t, size)
    if plan.signature:
        w.skip(size)
        for s in plan.signature:
            w.paragraph(s, size, indent=0, align="right")
    return w.finish()


# ---------------------------------------------------------------- self-check

def verify(records: list[dict[str, Any]]) -> list[str]:
    """The truth satisfies the spec's four rules (a blank read as 0) and the two
    cross-year rules; returns what does not hold (nothing, unless the generator is broken)."""
    problems: list[str] = []

    def n(v: Any) -> int:
        return v or 0

    for rec in records:
        b, where = rec["requests"], rec["file"]
        printed = [k for k, v in b.items() if v is not None]
        for k in printed:
            if n(b[k]["total"]) != sum(n(b[k][c]) for c in SIX):
                problems.append(f"{where}: requests.row_total {k}")
        for c in B_COLS:
            if n(b["new"][c]) + n(b["carried_over"][c]) != n(b["total"][c]) + n(b["carried_forward"][c]):
                problems.append(f"{where}: requests.balance {c}")
            outcome = sum(n(b[k][c]) for k in printed if k in REQUEST_OUTCOME_KEYS)
            if outcome != n(b["total"][c]):
                problems.append(f"{where}: requests.outcome_total {c}")
        for g, vals in rec["review_litigation"].items():
            if n(vals["total"]) != sum(n(vals[c]) for c in C_COLS[:4]):
                problems.append(f"{where}: review_litigation.total {g}")
    by_agency: dict[str, dict[int, dict[str, Any]]] = {}
    for rec in records:
        by_agency.setdefault(rec["agency_id"], {})[rec["year"]] = rec
    for years in by_agency.values():
        for y, rec in years.items():
            prev = years.get(y - 1)
            if prev is None:
                continue
            for c in B_COLS:
                a, b2 = prev["requests"]["carried_forward"][c], rec["requests"]["carried_over"][c]
                if a is not None and b2 is not None and a != b2:
                    problems.append(f"{rec['file']}: years.carried_over {c}")
            if prev["format"] == rec["format"] == "2021":
                for k in ("rules", "normative_documents"):
                    p, cur = prev["active_disclosure"][k], rec["active_disclosure"][k]
                    vals = (p["in_force"], cur["issued"], cur["repealed"], cur["in_force"])
                    if None not in vals and vals[0] + vals[1] - vals[2] != vals[3]:
                        problems.append(f"{rec['file']}: years.in_force {k}")
    return problems


# ---------------------------------------------------------------- writing

RENDER = {"txt": render_text, "md": render_text, "html": render_html, "docx": render_docx, "pdf": render_pdf}


def truth_record(plan: Plan) -> dict[str, Any]:
    agency = plan.agency
    title = "".join(plan.title_lines)
    sections = {"general": "\n\n".join(plan.general), "problems": "\n\n".join(plan.problems),
                "other": "\n\n".join(plan.other)}
    if plan.traditional:
        agency = t2s(s2t(agency))
        title = t2s(s2t(title))
        sections = {k: t2s(s2t(v)) for k, v in sections.items()}
    return {
        "file": plan.file,
        "kind": plan.kind,
        "shape": plan.shape,
        "title": title,
        "agency": agency,
        "agency_id": plan.agency_id,
        "year": plan.year,
        "format": plan.fmt,
        "active_disclosure": plan.truth_a,
        "requests": plan.truth_b,
        "review_litigation": plan.truth_c,
        "sections": sections,
        "noise": plan.noise,
        "problems_copied": plan.problems_copied,
    }


_OUT: Path | None = None


def _init(out: str) -> None:
    global _OUT
    _OUT = Path(out)


def _render_one(plan: Plan) -> tuple[str, dict[str, Any], float]:
    assert _OUT is not None
    t0 = time.perf_counter()
    data = RENDER[plan.kind](plan)
    dt = time.perf_counter() - t0
    path = _OUT / plan.file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return plan.file, truth_record(plan), dt


def parse_mix(text: str) -> dict[str, int]:
    mix = {}
    for part in text.split(","):
        k, _, v = part.partition("=")
        k = k.strip()
        if k not in DEFAULT_MIX:
            raise SystemExit(f"--mix: unknown kind {k!r} (txt, docx, html, pdf)")
        mix[k] = int(v)
    return mix


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, required=True, help="number of report files")
    ap.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    ap.add_argument("--out", type=Path, required=True, help="output folder (reports/ and truth.jsonl)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    ap.add_argument("--mix", default=",".join(f"{k}={v}" for k, v in DEFAULT_MIX.items()),
                    help="share of file kinds, e.g. txt=40,docx=20,html=20,pdf=20")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    mix = parse_mix(args.mix)
    plans = plan_corpus(args.reports, args.seed, mix)
    t_plan = time.perf_counter() - t0
    out = args.out
    (out / "reports").mkdir(parents=True, exist_ok=True)
    records: dict[str, dict[str, Any]] = {}
    cost: Counter[str] = Counter()
    count: Counter[str] = Counter()
    if args.jobs > 1:
        with Pool(args.jobs, initializer=_init, initargs=(str(out),)) as pool:
            results = pool.imap_unordered(_render_one, plans, chunksize=8)
            for file, rec, dt in results:
                records[file] = rec
                cost[rec["kind"]] += dt
                count[rec["kind"]] += 1
    else:
        _init(str(out))
        for plan in plans:
            file, rec, dt = _render_one(plan)
            records[file] = rec
            cost[rec["kind"]] += dt
            count[rec["kind"]] += 1
    broken = verify(list(records.values()))
    if broken:
        raise SystemExit("generated truth breaks the rules:\n  " + "\n  ".join(broken[:20]))
    with open(out / "truth.jsonl", "w", encoding="utf-8") as f:
        for file in sorted(records):
            f.write(json.dumps(records[file], ensure_ascii=False, sort_keys=False) + "\n")
    agencies = {r["agency_id"] for r in records.values()}
    summary = {
        "reports": len(records), "seed": args.seed, "mix": mix, "agencies": len(agencies),
        "kinds": dict(sorted(count.items())),
        "shapes": dict(sorted(Counter(r["shape"] for r in records.values()).items())),
        "formats": dict(sorted(Counter(r["format"] for r in records.values()).items())),
        "years": dict(sorted(Counter(str(r["year"]) for r in records.values()).items())),
        "noise": dict(sorted(Counter(n for r in records.values() for n in r["noise"]).items())),
        "problems_copied": sum(r["problems_copied"] for r in records.values()),
    }
    (out / "corpus.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    elapsed = time.perf_counter() - t0
    print(f"wrote {len(records)} reports of {len(agencies)} agencies to {out} in {elapsed:.1f} s "
          f"(planning {t_plan:.1f} s, {args.jobs} jobs)")
    for k in sorted(count):
        print(f"  {k:5} {count[k]:6}  {1000 * cost[k] / count[k]:7.1f} ms/file (render, one core)")
    print("  shapes:", ", ".join(f"{k} {v}" for k, v in summary["shapes"].items()))
    print("  noise: ", ", ".join(f"{k} {v}" for k, v in summary["noise"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
