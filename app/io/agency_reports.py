"""The year's 执业质量考核 table (第三方机构执业质量考核结果表) as a print-ready xlsx: one row per
institution assessed, the pack's six aspects with their points in the headers, 总分 and 考核结果."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional, Sequence

from app.domain.agencies import AssessmentRules
from app.io.columns import INT, SCORE, TEXT, Column

SHEET = "执业质量考核"

Row = tuple[str, dict, Optional[Decimal], str, str]  # 机构名称, aspect → score, 总分, 结果, 意见


def render_assessments(rules: AssessmentRules, year: int, rows: Sequence[Row], path) -> int:
    """Writes the table; returns how many institutions it holds."""
    from app.io.xlsx import XlsxWriter

    columns = ([Column("序号", INT, 6), Column("机构名称", TEXT, 34)]
               + [Column(f"{name}（{points}分）", SCORE, 11) for name, points in rules.aspects]
               + [Column("总分", SCORE, 9), Column("考核结果", TEXT, 9), Column("考核意见", TEXT, 30)])
    body = [[n, name] + [scores.get(aspect) for aspect, _ in rules.aspects] + [total, result, opinion or None]
            for n, (name, scores, total, result, opinion) in enumerate(rows, 1)]
    writer = XlsxWriter()
    writer.add_table(SHEET, title=f"{year}年度第三方机构执业质量考核结果表",
                     unit_line=f"共{len(body)}家机构；满分{rules.full}分", columns=columns, rows=body)
    writer.save(path)
    return len(body)
