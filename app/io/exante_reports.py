"""事前绩效评估 reports, each rendered from the view the service returns (no database here):

- the year's 汇总表 (xlsx or PDF): 项目名称, 申报金额, 评估得分, 评估等级, 评估结论, 建议安排金额, 调减金额,
  with a 合计 row (a county holding its townships' assessments: a 区划 column after 序号; a year of one
  region names it in the title);
- one assessment's 事前绩效评估报告 (PDF, A4 portrait): the header fields, 一、基本情况,
  二、评估工作开展情况, 三、评估结论 (score, grade, conclusion, the five dimensions side by side —
  部门自评估 beside 审核评估 — and the items), 四、有关建议, 五、专家意见."""

from __future__ import annotations

from typing import Optional, Sequence

from app.domain.exante import ExAnteReportView, ExAnteSummary
from app.io.columns import MONEY, SCORE, Column
from app.io.xlsx import XlsxWriter
from app.jobs import JobControl

SUMMARY_COLUMNS = [Column("序号", width=6), Column("项目编码", width=16), Column("项目名称", width=30),
                   Column("主管部门", width=24), Column("申报金额（万元）", MONEY, width=14),
                   Column("评估得分", SCORE, width=9), Column("评估等级", width=8), Column("评估结论", width=11),
                   Column("建议安排金额（万元）", MONEY, width=14), Column("调减金额（万元）", MONEY, width=14),
                   Column("状态", width=8)]
REGION_COLUMN = Column("区划", width=7)


def summary_columns(summary: ExAnteSummary) -> list[Column]:
    return [SUMMARY_COLUMNS[0], REGION_COLUMN, *SUMMARY_COLUMNS[1:]] if summary.region_column else SUMMARY_COLUMNS


def summary_rows(summary: ExAnteSummary) -> list[list]:
    shown = summary.region_column
    rows = [[str(n), *([r.region] if shown else []), r.code, r.name, r.department, r.requested_fen, r.total, r.grade,
             r.conclusion, r.recommended_fen, r.cut_fen, r.status] for n, r in enumerate(summary.rows, 1)]
    rows.append(["", *([""] if shown else []), "", "合计", "", summary.requested_fen, None, "", "",
                 summary.recommended_fen, summary.cut_fen, ""])
    return rows


def render_summary(summary: ExAnteSummary, fmt: str, path, job: Optional[JobControl] = None) -> int:
    """The year's 事前绩效评估汇总表; returns the number of assessments written."""
    title = f"{summary.year}年度事前绩效评估汇总表" + (f"（{summary.region}）" if summary.region else "")
    rows, columns = summary_rows(summary), summary_columns(summary)
    unit = f"单位：万元　共{len(summary.rows)}份评估"
    if fmt == "xlsx":
        writer = XlsxWriter()
        writer.add_table("事前评估汇总表", title=title, unit_line=unit, columns=columns, rows=rows, job=job)
        writer.save(path)
    elif fmt == "pdf":
        from app.io.pdf import write_table_pdf

        write_table_pdf(path, title=title, unit_line=unit, columns=columns, rows=rows, job=job,
                        notes=["调减金额＝申报金额－建议安排金额；往年评估按原报告所印得分、等级录入。"])
    else:
        raise ValueError(f"unknown format {fmt}")
    return len(summary.rows)


# -- one assessment's report ------------------------------------------------------------------------------
DIMENSION_WIDTHS = (0.22, 0.10, 0.18, 0.14, 0.18, 0.18)
ITEM_WIDTHS = (0.13, 0.13, 0.06, 0.30, 0.09, 0.10, 0.09, 0.10)


def render_report(view: ExAnteReportView, path, job: Optional[JobControl] = None) -> None:
    """The 事前绩效评估报告 as PDF (A4 portrait)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import KeepTogether, LongTable, SimpleDocTemplate, Spacer, TableStyle

    from app.io import pdf

    pdf.register_font()
    cell = ParagraphStyle("ea_cell", parent=pdf._CELL, fontSize=8.5, leading=11)
    number = ParagraphStyle("ea_number", parent=cell, alignment=TA_RIGHT)
    head = ParagraphStyle("ea_head", parent=cell, alignment=TA_CENTER)
    heading = ParagraphStyle("ea_heading", parent=cell, fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=3)
    body = ParagraphStyle("ea_body", parent=cell, fontSize=10, leading=15, firstLineIndent=20)
    small = ParagraphStyle("ea_small", parent=cell, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#555555"))
    p = lambda text, style=cell: pdf._para(str(text or ""), style)  # noqa: E731
    grey, shade, blue = colors.HexColor("#808080"), colors.HexColor("#F2F2F2"), colors.HexColor("#D9E1F2")
    base = [("GRID", (0, 0), (-1, -1), 0.5, grey), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    avail = A4[0] - 2 * pdf.MARGIN

    def grid(headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float], numeric: set[int],
             total_row: bool = False):
        data = [[p(h, head) for h in headers]]
        data += [[p(v, number if n in numeric else cell) for n, v in enumerate(row)] for row in rows]
        table = LongTable(data, colWidths=[avail * w for w in widths], repeatRows=1, splitInRow=3 * cell.leading)
        extra = [("BACKGROUND", (0, 0), (-1, 0), blue)]
        if total_row and rows:
            extra.append(("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), shade))
        table.setStyle(TableStyle(base + extra))
        return table

    pairs = list(view.fields) + [("", "")] * (len(view.fields) % 2)
    fields = LongTable([[p(pairs[n][0]), p(pairs[n][1]), p(pairs[n + 1][0]), p(pairs[n + 1][1])]
                        for n in range(0, len(pairs), 2)], colWidths=[avail * w for w in (0.15, 0.35, 0.15, 0.35)])
    fields.setStyle(TableStyle(base + [("BACKGROUND", (0, 0), (0, -1), shade), ("BACKGROUND", (2, 0), (2, -1), shade)]))
    story = [p(view.title, pdf._TITLE), Spacer(1, 4), fields]
    for title, text in view.sections:
        story.append(p(title, heading))
        paragraphs = [line for line in (text or "").split("\n") if line.strip()] or ["（未填写）"]
        story.extend(p(line.strip(), body) for line in paragraphs)
        if title.startswith("三") and view.dimension_rows:
            story += [Spacer(1, 4), KeepTogether([p("评估维度得分（部门自评估与审核评估对照）", cell), Spacer(1, 2),
                                                  grid(view.dimension_header, view.dimension_rows, DIMENSION_WIDTHS,
                                                       {1, 2, 4}, total_row=True)])]
            if view.item_rows:
                story += [Spacer(1, 6), p("评估指标评分明细", cell), Spacer(1, 2),
                          grid(view.item_header, view.item_rows, ITEM_WIDTHS, {2, 5, 7})]
    if view.note:
        story += [Spacer(1, 8), p(view.note, small)]

    def build(out) -> None:
        doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=pdf.MARGIN, rightMargin=pdf.MARGIN, topMargin=pdf.MARGIN,
                                bottomMargin=pdf.MARGIN + 12, title=view.title, creator="perfdesk")
        doc.build(story, canvasmaker=pdf.footer_canvas())

    pdf.write_out(path, build)
