"""The arithmetic rules every honest report satisfies (spec: report-format.md).

A check never changes the data: it reports, at the checked cell, what the rule expects
and what the report prints. A rule instance with a blank operand is not evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .layouts import REQUEST_COLUMNS, REQUEST_OUTCOME_KEYS, REVIEW_COLUMNS, SPLIT_OTHER_KEYS, TABLE_B, TABLE_C
from .model import Check, Flag, Number, RequestRow
from .normalise import fold, squash

RULES = {
    "requests.row_total": "表三每一行：总计 = 六类申请人之和",
    "requests.balance": "表三每一列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
    "requests.outcome_total": "表三每一列：办理结果总计 = 各项办理结果之和",
    "review_litigation.total": "表四每一组：总计 = 维持 + 纠正 + 其他 + 尚未审结",
}
"""Rule id -> its statement in Chinese, for pages."""

_APPLICANTS = tuple(c.key for c in REQUEST_COLUMNS if c.key != "total")


def _sum(values: Iterable[Number]) -> Number:
    total: Number = 0
    for v in values:
        total += v
    return round(total, 6) if isinstance(total, float) else total


def _label(key: str) -> str:
    try:
        return TABLE_B.row(key).label
    except KeyError:
        return key


def _col_label(key: str) -> str:
    return next(c.label for c in REQUEST_COLUMNS if c.key == key)


def _add_total_check(
    checks: list[Check], rule: str, table: str, where: str, values: Mapping[str, Any],
    part_keys: Iterable[str], failed: str, passed: str,
) -> None:
    """Append the check "``total`` = sum of ``part_keys``" of one row or group, unless a
    cell it needs is blank. ``failed``/``passed`` are the details, with {found}/{expected}."""
    found = values.get("total")
    parts = [values.get(k) for k in part_keys]
    numbers = [p for p in parts if p is not None]
    if found is None or len(numbers) < len(parts):
        return
    expected = _sum(numbers)
    ok = expected == found
    checks.append(Check(rule, ok, table, where, expected, found, (where, "total"),
                        (passed if ok else failed).format(found=found, expected=expected)))


def check_requests(requests: Mapping[str, Mapping[str, Any] | None]) -> list[Check]:
    checks: list[Check] = []
    # requests.row_total: per printed row
    for row in TABLE_B.rows:
        values = requests.get(row.key)
        if values:
            label = _label(row.key)
            _add_total_check(checks, "requests.row_total", "requests", row.key, values, _APPLICANTS,
                             f"{label}：总计 印为 {{found}}，六类申请人之和为 {{expected}}",
                             f"{label}：总计 {{found}} = 六类申请人之和")
    # Column rules
    outcome_keys = _printed_outcome_keys(requests)
    def cell(key: str, column: str) -> Number | None:
        r = requests.get(key)
        return None if not r else r.get(column)

    for col in REQUEST_COLUMNS:
        c = col.key
        new, over, total, fwd = (cell(k, c) for k in ("new", "carried_over", "total", "carried_forward"))
        if None not in (new, over, total, fwd):
            expected = _sum([new, over, -fwd])  # type: ignore[list-item,operator]
            ok = new + over == total + fwd  # type: ignore[operator]
            checks.append(Check(
                "requests.balance", ok, "requests", c, expected, total, ("total", c),  # type: ignore[arg-type]
                f"{_col_label(c)}列：新收 {new} + 结转 {over} = {new + over}，"  # type: ignore[operator]
                f"但总计 {total} + 结转下年度 {fwd} = {total + fwd}" if not ok  # type: ignore[operator]
                else f"{_col_label(c)}列：新收 + 上年结转 = 总计 + 结转下年度 = {new + over}",  # type: ignore[operator]
            ))
        if total is not None and outcome_keys:
            parts = [cell(k, c) for k in outcome_keys]
            if all(p is not None for p in parts):
                expected = _sum(parts)  # type: ignore[arg-type]
                ok = expected == total
                checks.append(Check(
                    "requests.outcome_total", ok, "requests", c, expected, total, ("total", c),
                    f"{_col_label(c)}列：（七）总计 印为 {total}，各项办理结果之和为 {expected}" if not ok
                    else f"{_col_label(c)}列：（七）总计 {total} = 各项办理结果之和",
                ))
    return checks


def _printed_outcome_keys(requests: Mapping[str, Any]) -> list[str]:
    """Handling rows to add up: every one but the （六） rows the report did not print."""
    keys = []
    for k in REQUEST_OUTCOME_KEYS:
        if requests.get(k) is None and (k == "other" or k in SPLIT_OTHER_KEYS):
            continue
        if requests.get(k) is None:
            return []  # a required row is missing: the rule cannot be evaluated
        keys.append(k)
    return keys


def column_sum_rules(printed_rows: Iterable[str]) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """Table B's column rules as data, for splitting digits run together (recognise/glued.py):
    (rule id, rows whose sum is on the left, rows whose sum is on the right), per column,
    for a table printing ``printed_rows``; the same rows :func:`check_requests` adds up."""
    printed: dict[str, RequestRow | None] = {k: {} for k in printed_rows}
    return [
        ("requests.balance", ("new", "carried_over"), ("total", "carried_forward")),
        ("requests.outcome_total", ("total",), tuple(_printed_outcome_keys(printed))),
    ]


def check_review(review: Mapping[str, Mapping[str, Any]]) -> list[Check]:
    checks: list[Check] = []
    parts_keys = [c.key for c in REVIEW_COLUMNS if c.key != "total"]
    for group in TABLE_C.rows:
        _add_total_check(checks, "review_litigation.total", "review_litigation", group.key,
                         review.get(group.key) or {}, parts_keys,
                         f"{group.label}：总计 印为 {{found}}，维持+纠正+其他+尚未审结 = {{expected}}",
                         f"{group.label}：总计 {{found}} = 各项之和")
    return checks


def run_checks(requests: Mapping[str, Any], review: Mapping[str, Any]) -> list[Check]:
    """Every rule instance that can be evaluated, in a fixed order."""
    return check_requests(requests) + check_review(review)


# ---------------------------------------------------------------- prose against table

# Phrasings of part 一 that state how many requests were received this year. Each must
# name the requests (政府信息公开申请 / 依申请公开) right next to the verb and the count,
# so a number belonging to another quantity (办结, 答复, 结转, 主动公开 …) is never taken.
_RECEIVED = re.compile(
    r"(?:共|全年|累计|本年度?|年内)?(?:受理|收到|接收|新收)(?:了|到)?"
    r"(?:各类|群众|公民、?法人(?:和|或)其他组织(?:提出的)?)?"
    r"(?:政府信息公开申请|依申请公开(?:政府信息)?申请|政府信息依申请公开(?:申请|事项)?|依申请公开事项|信息公开申请)"
    r"(?:共|总计|合计)?(?P<n>\d+)件"
)
_NONE_RECEIVED = re.compile(
    r"未(?:收到|受理|接到)(?:任何)?(?:政府信息公开申请|依申请公开(?:政府信息)?申请|政府信息依申请公开(?:申请|办件|事项)?|信息公开申请)"
)

PROSE_PHRASINGS = (
    "（共/全年/本年）受理|收到|接收|新收 + 政府信息公开申请|依申请公开申请|政府信息依申请公开 + N件",
    "未收到|未受理 + 政府信息公开申请|依申请公开申请|政府信息依申请公开办件 (= 0)",
)
"""The phrasings :func:`check_prose` recognises, for the methodology page."""


def check_prose(general: str, requests: Mapping[str, Any]) -> list[Flag]:
    """Flag part 一 stating a count of requests received that table B does not print.

    Only explicit phrasings count; when part 一 states several counts and one of them
    matches table B's 本年新收 总计, nothing is flagged.
    """
    new = (requests.get("new") or {}).get("total")
    if new is None:
        return []
    text = squash(fold(general))
    stated: list[tuple[int, str]] = []
    for m in _RECEIVED.finditer(text):
        stated.append((int(m.group("n")), m.group(0)))
    for m in _NONE_RECEIVED.finditer(text):
        stated.append((0, m.group(0)))
    if not stated or any(n == new for n, _ in stated):
        return []
    n, quote = stated[0]
    return [Flag(
        "prose.requests_received",
        f"正文称收到申请 {n} 件（“{quote}”），表三“本年新收”总计为 {new}",
        n, new, quote,
    )]
