"""整改台账 (xlsx / pdf, with the 汇总 by 责任单位 and, in a county holding its townships' items, a
区划 column and the 按区划汇总) and the 整改通知书 (PDF, one per 责任单位)."""

from __future__ import annotations

import re
from typing import Sequence

from app.domain.rectification import LedgerView, NoticeView, UnitSummary
from app.io.columns import DATE, INT, Column
from app.io.region_tables import REGION_SHEET, add_region_sheet

LEDGER_SHEET, SUMMARY_SHEET = "整改台账", "汇总"
OVERDUE_FILL = (("逾期", "F8CBAD"),)
LEDGER_COLUMNS = [Column("序号", INT), Column("来源"), Column("项目编码"), Column("项目名称", width=24),
                  Column("问题类别"), Column("问题描述", width=40), Column("整改要求", width=30), Column("责任单位", width=18),
                  Column("反馈日期", DATE), Column("整改期限", DATE), Column("整改措施", width=30), Column("完成日期", DATE),
                  Column("财政核验"), Column("状态"), Column("逾期", fills=OVERDUE_FILL), Column("逾期天数", INT)]
SUMMARY_COLUMNS = [Column("责任单位", width=30), Column("问题数", INT), Column("已销号", INT), Column("逾期", INT)]
REGION_COLUMN = Column("区划", width=14)
REGION_COLUMNS = [REGION_COLUMN, *SUMMARY_COLUMNS[1:]]
NOTICE_COLUMNS = [Column(header) for header in ("序号", "问题类别", "问题描述", "整改要求", "整改期限")]


def _title(view: LedgerView) -> str:
    return f"{view.year}年度整改台账" + (f"（{view.region}）" if view.region else "")


def ledger_columns(view: LedgerView) -> list[Column]:
    """The ledger's columns: 区划 after 序号 when the county holds townships' items."""
    return [LEDGER_COLUMNS[0], REGION_COLUMN, *LEDGER_COLUMNS[1:]] if view.region_column else LEDGER_COLUMNS


def _unit_line(view: LedgerView) -> str:
    return f"统计日期：{view.at.isoformat()}　逾期天数计至统计日期，未逾期为0"


def ledger_rows(view: LedgerView) -> list[tuple]:
    return [(n, *((r.region,) if view.region_column else ()), r.source, r.project_code, r.project_name, r.category,
             r.description, r.requirement, r.responsible, r.feedback_date, r.deadline, r.measures, r.completed_on,
             r.verify_result, r.status, "逾期" if r.overdue else "", r.overdue_days) for n, r in enumerate(view.rows, 1)]


def summary_rows(view: LedgerView, lines: Sequence[UnitSummary] = ()) -> list[tuple]:
    """The 汇总 by 责任单位 (or the lines given: the 按区划汇总), closed by the 合计."""
    units: Sequence[UnitSummary] = (*(lines or view.units), view.total)
    return [(u.responsible or "（未填责任单位）", u.count, u.closed, u.overdue) for u in units]


def render_ledger_xlsx(view: LedgerView, path, job=None) -> None:
    from app.io.xlsx import XlsxWriter

    writer = XlsxWriter()
    writer.add_table(LEDGER_SHEET, title=_title(view), unit_line=_unit_line(view), columns=ledger_columns(view),
                     rows=ledger_rows(view), job=job)
    writer.add_table(SUMMARY_SHEET, title=f"{_title(view)}——按责任单位汇总", unit_line=_unit_line(view),
                     columns=SUMMARY_COLUMNS, rows=summary_rows(view))
    if view.regions:
        add_region_sheet(writer, f"{_title(view)}——{REGION_SHEET}", REGION_COLUMNS, summary_rows(view, view.regions),
                         unit_line=_unit_line(view))
    writer.save(path)


def render_ledger_pdf(view: LedgerView, path, job=None) -> None:
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak

    from app.io.pdf import _TITLE, _UNIT, _para, register_font, small_table, write_table_pdf

    register_font()
    figures = []
    summaries = [("按责任单位汇总", SUMMARY_COLUMNS, view.units)] + ([(REGION_SHEET, REGION_COLUMNS, view.regions)]
                                                               if view.regions else [])
    for heading, headers, lines in summaries:
        figures += [PageBreak(), _para(f"{_title(view)}——{heading}", _TITLE), _para(_unit_line(view), _UNIT),
                    small_table(headers, summary_rows(view, lines), [w * mm for w in (60, 25, 25, 25)], valign="TOP")]
    every = ledger_columns(view)
    columns = [c for c in every if c.header not in ("项目编码", "整改措施", "逾期")]
    keep = [i for i, c in enumerate(every) if c in columns]
    rows = [tuple(row[i] for i in keep) for row in ledger_rows(view)]
    write_table_pdf(path, title=_title(view), unit_line=_unit_line(view), columns=columns, rows=rows, job=job,
                    figures=figures)


# -- 整改通知书 --------------------------------------------------------------------------------------------
def notice_file_name(responsible: str, n: int = 1) -> str:
    """整改通知书-<单位>.pdf (characters a file name cannot hold as _); the n-th of a clash gets -n."""
    return ("整改通知书-" + (re.sub(r'[\\/:*?"<>|\s]', "_", responsible) or "未填责任单位")
            + (f"-{n}" if n > 1 else "") + ".pdf")


def _cn_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def render_notice(view: NoticeView, path) -> None:
    """A4 portrait: the bureau's heading, 文号, the unit as addressee, its items with requirements and
    deadlines, what to report back by when, and the signature / seal block."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from app.io.pdf import _CELL, FONT, MARGIN, _para, footer_canvas, register_font, small_table, write_out

    register_font()
    body = ParagraphStyle("body", parent=_CELL, fontSize=11, leading=18, firstLineIndent=22)
    head = ParagraphStyle("head", parent=_CELL, fontSize=20, leading=28, alignment=TA_CENTER, textColor=colors.HexColor("#C00000"))
    title = ParagraphStyle("ntitle", parent=_CELL, fontSize=16, leading=24, alignment=TA_CENTER)
    right = ParagraphStyle("right", parent=_CELL, fontSize=11, leading=18, alignment=TA_RIGHT)
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
    feedback = min((r.feedback_date for r in view.rows if r.feedback_date), default=None)
    rows = [(str(n), r.category or "", r.description + (f"（项目：{r.project_name}）" if r.project_name else ""),
             r.requirement or "", r.deadline.isoformat() if r.deadline else "")
            for n, r in enumerate(view.rows, 1)]
    story = [_para(view.bureau, head), Spacer(1, 4), _para(view.doc_no, ParagraphStyle("no", parent=_CELL, fontSize=11,
                                                                                          alignment=TA_CENTER)),
             Spacer(1, 10), _para("整改通知书", title), Spacer(1, 8), _para(f"{view.responsible or '有关单位'}：", plain),
             _para(f"经绩效管理工作发现，你单位存在以下{len(view.rows)}个问题，请按整改要求认真整改，"
                   "在整改期限前完成，并将整改措施、完成情况及佐证材料报送我局核验。", body)]
    if feedback is not None:
        story.append(_para(f"请于{_cn_date(feedback)}前反馈整改措施。", body))
    story += [Spacer(1, 6), small_table(NOTICE_COLUMNS, rows, [w * mm for w in (12, 22, 62, 56, 26)], valign="TOP"),
              Spacer(1, 10), _para("特此通知。", body), Spacer(1, 36), _para(view.bureau + "（盖章）", right),
              _para(_cn_date(view.issued_on), right), Spacer(1, 18),
              _para("签收人：________________　　签收日期：________________", plain)]

    def build(out) -> None:
        doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                bottomMargin=MARGIN, title=f"整改通知书 {view.responsible}", creator="perfdesk",
                                initialFontName=FONT)
        doc.build(story, canvasmaker=footer_canvas())

    write_out(path, build)
