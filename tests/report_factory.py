"""Build small Reports in tests without parsing a file (for registry, compare and render)."""

from __future__ import annotations

from typing import Any

from gongkai.layouts import REQUEST_COLUMNS, REVIEW_COLUMNS, SPLIT_OTHER_KEYS, TABLE_A_2021, TABLE_B, TABLE_C
from gongkai.model import Report, Sections, Source
from gongkai.check import run_checks


def zero_report(agency: str, year: int, file: str | None = None, problems: str = "",
                requests: dict[str, dict[str, Any]] | None = None,
                review: dict[str, dict[str, Any]] | None = None, **fields: Any) -> Report:
    """A 2021-format report with every printed number 0, then the given cells."""
    req: dict[str, Any] = {r.key: {c.key: 0 for c in REQUEST_COLUMNS} for r in TABLE_B.rows}
    req["other"] = None
    for row, cells in (requests or {}).items():
        req[row] = {**(req[row] or {}), **cells}
    rl = {r.key: {c.key: 0 for c in REVIEW_COLUMNS} for r in TABLE_C.rows}
    for row, cells in (review or {}).items():
        rl[row] = {**rl[row], **cells}
    ad: dict[str, Any] = {r.key: (0 if r.single else {c.key: 0 for c in r.columns or ()})
                          for r in TABLE_A_2021.rows}
    assert all(k in req for k in SPLIT_OTHER_KEYS)
    return Report(
        agency=agency, year=year, format="2021",
        source=Source(file=file or f"reports/{year}/{agency}.txt", sha256=f"{year:064d}", kind="txt"),
        sections=Sections(general="总体情况。", problems=problems, other="无。"),
        active_disclosure=ad, requests=req, review_litigation=rl,
        title=f"{agency}{year}年政府信息公开工作年度报告",
        checks=tuple(run_checks(req, rl)), **fields,
    )
