"""Write a report as text (tab rows, the shape of seed 004) from table values, for tests
that need several years of one agency. Labels come from gongkai.layouts."""

from __future__ import annotations

from typing import Any

from gongkai.layouts import PARTS, TABLE_A, TABLE_B, TABLE_C


def _cells(values: list[Any]) -> str:
    return "\t".join("" if v is None else str(v) for v in values)


def report_text(agency: str, year: int, fmt: str, a: dict[str, Any], b: dict[str, list[int] | None],
                c: dict[str, list[int]], general: str = "", problems: str = "", other: str = "") -> str:
    parts = {key: f"{num}、{words}" for key, num, words in PARTS}
    lines = [f"{agency}{year}年政府信息公开工作年度报告",
             f"本报告所列数据统计期限为{year}年1月1日至{year}年12月31日。",
             parts["general"], general or f"{year}年，本机关持续推进政务公开。",
             parts["active_disclosure"]]
    layout = TABLE_A[fmt]
    for row in layout.rows:
        cols = layout.columns_of(row)
        lines.append("信息内容\t" + "\t".join(col.label for col in cols))
        value = a[row.key]
        lines.append(f"{row.label}\t" + _cells([value] if row.single else [value[col.key] for col in cols]))
    lines += [parts["requests"], "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况"]
    for row in TABLE_B.rows:
        if b.get(row.key) is not None:
            lines.append(f"{row.label}\t" + _cells(b[row.key]))
    lines += [parts["review_litigation"], "行政复议\t行政诉讼",
              _cells([v for g in TABLE_C.rows for v in c[g.key]]),
              parts["problems"], problems or "公开工作还有不足。", parts["other"], other or "本年度未收取信息处理费。"]
    return "\n".join(lines) + "\n"
