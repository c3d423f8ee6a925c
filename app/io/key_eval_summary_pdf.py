"""The 报告摘要 of one 重点评价 as PDF, A4 portrait: the title, who evaluated, 德惠's four sections
(一、项目资金投入及支出情况; 二、评价结论 with the score, the grade and the dimension sentence;
三、存在问题及原因; 四、有关建议), then 潜江's dimension table (评价指标, 权重, 指标分值, 评价得分,
评价等级) closed by the 综合绩效 row, and under it the 规则方案 version the grades come from. The bundled font is embedded; user text prints literally
(< and & included). Also the plain grid the year's 附件 PDF uses for its second table."""

from __future__ import annotations

from typing import Sequence

from app.domain.key_eval import KeyEvalReport
from app.io.columns import SCORE, Column
from app.rules.scoring_tree import fmt

SECTIONS = ("一、项目资金投入及支出情况", "二、评价结论", "三、存在问题及原因", "四、有关建议")
TABLE_HEADING = "附表：评价指标得分情况"
DIMENSION_COLUMNS = [Column("评价指标", width=20), Column("权重", SCORE, width=10), Column("指标分值", SCORE, width=10),
                     Column("评价得分", SCORE, width=10), Column("评价等级", width=10)]
OVERALL = "综合绩效"
BLANK = "（未填写）"


def dimension_rows(report: KeyEvalReport) -> list[list[str]]:
    """潜江's table: a row per dimension, then 综合绩效 (100分, the total and its grade)."""
    rows = [[d.name, d.weight, fmt(d.points), fmt(d.score), d.grade] for d in report.dimensions]
    return rows + [[OVERALL, "100%", "100", fmt(report.total), report.grade]]


def sections(report: KeyEvalReport) -> list[tuple[str, str]]:
    return list(zip(SECTIONS, (report.funds, report.conclusion, report.problems, report.suggestions)))


def grid(columns: Sequence[Column], rows: Sequence[Sequence], avail: float):
    """A bordered table filling `avail` points, widths in proportion to the columns' widths,
    header shaded, numbers right-aligned; every cell printed literally (app.io.pdf.small_table)."""
    from app.io import pdf

    weights = [c.width or 10 for c in columns]
    return pdf.small_table(columns, rows, [avail * w / sum(weights) for w in weights])


def write_pdf(report: KeyEvalReport, path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, TableStyle

    from app.io import pdf

    pdf.register_font()
    body = ParagraphStyle("ke_body", parent=pdf._CELL, fontSize=10.5, leading=18, firstLineIndent=21)
    heading = ParagraphStyle("ke_heading", parent=pdf._CELL, fontSize=12, leading=20, spaceBefore=8, spaceAfter=2)
    who = ParagraphStyle("ke_who", parent=pdf._CELL, alignment=TA_RIGHT, textColor=colors.HexColor("#555555"))
    avail = A4[0] - 2 * pdf.MARGIN
    story = [pdf._para(report.title, pdf._TITLE)]
    if report.evaluator:
        story.append(pdf._para(f"评价机构：{report.evaluator}", who))
    for title, text in sections(report):
        story.append(pdf._para(title, heading))
        paragraphs = [part.strip() for part in (text or "").split("\n") if part.strip()] or [BLANK]
        story.extend(pdf._para(part, body) for part in paragraphs)
    table = grid(DIMENSION_COLUMNS, dimension_rows(report), avail)
    table.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F2F2F2"))]))
    closing = [pdf._para(TABLE_HEADING, heading), table]
    if report.pack_note:
        closing += [Spacer(1, 4), pdf._para(report.pack_note, pdf._NOTE)]
    story += [Spacer(1, 10), KeepTogether(closing)]

    def build(out) -> None:
        doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=pdf.MARGIN, rightMargin=pdf.MARGIN,
                                topMargin=pdf.MARGIN, bottomMargin=pdf.MARGIN + 12, title=report.title,
                                creator="perfdesk", initialFontName=pdf.FONT, initialFontSize=pdf.FONT_SIZE)
        doc.build(story, canvasmaker=pdf.footer_canvas())

    pdf.write_out(path, build)
