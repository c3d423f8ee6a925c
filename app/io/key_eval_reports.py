"""重点评价 reports, each rendered from the view the service returns (no database here):

- one evaluation's 报告摘要 (PDF, 德惠's four sections and 潜江's dimension table):
  app.io.key_eval_summary_pdf;
- a year's 附件 (钢城's layout): xlsx sheets 附件1 明细表 (序号, 归口科室, 实施单位, 项目名称,
  预算批复金额 with a 合计 row) and 附件2 综合评分统计表 (序号, 实施单位, 项目名称, 财政综合评分,
  财政综合评价等级) with the grade count under it; PDF both tables in sequence, each from a new page;
- the check's findings, one row each (未发现问题 when there are none).

序号 follows the rows' order (the service sorts them by 评价编号). A county holding its townships'
evaluations gets a 区划 column after 序号 in both tables; a year of one region names it in the titles."""

from __future__ import annotations

from typing import Sequence

from app.domain.key_eval import KeyEvalReport, KeyEvalYear
from app.domain.self_eval import Finding
from app.io.columns import INT, MONEY, SCORE, Column
from app.io.xlsx import XlsxWriter

DETAIL_SHEET, SCORE_SHEET = "附件1 明细表", "附件2 综合评分统计表"
DETAIL_COLUMNS = [Column("序号", INT, width=6), Column("归口科室", width=12), Column("实施单位", width=26),
                  Column("项目名称", width=40), Column("预算批复金额（万元）", MONEY, width=14)]
SCORE_COLUMNS = [Column("序号", INT, width=6), Column("实施单位", width=26), Column("项目名称", width=40),
                 Column("财政综合评分", SCORE, width=12), Column("财政综合评价等级", width=14)]
FINDING_COLUMNS = [Column("评价编号", width=12), Column("项目名称", width=30), Column("指标", width=24),
                   Column("类别", width=12), Column("问题", width=60), Column("填报值", width=12),
                   Column("参考值", width=12)]
REGION_COLUMN = Column("区划", width=12)
TOTAL = "合计"
NO_FINDINGS = "未发现问题"


def render_report(report: KeyEvalReport, path) -> None:
    """The 报告摘要 of one evaluation as PDF (A4 portrait)."""
    from app.io.key_eval_summary_pdf import write_pdf

    write_pdf(report, path)


# -- the year's 附件 -----------------------------------------------------------------------------------------
def _where(view: KeyEvalYear) -> str:
    return f"（{view.region}）" if view.region else ""


def detail_title(view: KeyEvalYear) -> str:
    return f"附件1 {view.year}年度重点绩效评价项目明细表{_where(view)}"


def score_title(view: KeyEvalYear) -> str:
    return f"附件2 {view.year}年度重点绩效评价项目综合评分统计表{_where(view)}"


def _columns(view: KeyEvalYear, columns: list[Column]) -> list[Column]:
    return [columns[0], REGION_COLUMN, *columns[1:]] if view.region_column else columns


def detail_columns(view: KeyEvalYear) -> list[Column]:
    return _columns(view, DETAIL_COLUMNS)


def score_columns(view: KeyEvalYear) -> list[Column]:
    return _columns(view, SCORE_COLUMNS)


def _region(view: KeyEvalYear, region: str) -> list:
    return [region] if view.region_column else []


def detail_rows(view: KeyEvalYear) -> list[list]:
    """附件1: one row per evaluation and the 合计 of 预算批复金额 (a blank amount counts as none)."""
    rows = [[n, *_region(view, r.region), r.office, r.unit_name, r.object_name, r.budget_fen]
            for n, r in enumerate(view.rows, 1)]
    return rows + [[TOTAL, *_region(view, None), None, None, None, sum(r.budget_fen or 0 for r in view.rows)]]


def score_rows(view: KeyEvalYear) -> list[list]:
    return [[n, *_region(view, r.region), r.unit_name, r.object_name, r.total, r.grade]
            for n, r in enumerate(view.rows, 1)]


def render_year(view: KeyEvalYear, fmt: str, path) -> int:
    """附件1 and 附件2 of a year, fmt "xlsx" or "pdf"; returns the number of evaluations."""
    if fmt == "xlsx":
        from app.io.xlsx import NotesWriter

        writer = NotesWriter()
        scores = score_columns(view)
        writer.add_table(DETAIL_SHEET, title=detail_title(view), columns=detail_columns(view), rows=detail_rows(view))
        writer.add_table(SCORE_SHEET, title=score_title(view), unit_line="", columns=scores, rows=score_rows(view))
        below = [f"{view.grade_sentence}。"] if view.grade_sentence else []
        if below or view.versions:
            writer.add_lines_below(below + ([view.versions] if view.versions else []), len(scores),
                                   sum(c.width or 0 for c in scores))
        writer.save(path)
    elif fmt == "pdf":
        _year_pdf(view, path)
    else:
        raise ValueError(f"unknown format {fmt}")
    return len(view.rows)


def _year_pdf(view: KeyEvalYear, path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, Spacer

    from app.io import pdf
    from app.io.key_eval_summary_pdf import grid

    pdf.register_font()
    avail = A4[0] - 2 * pdf.MARGIN
    figures = [PageBreak(), pdf._para(score_title(view), pdf._TITLE), Spacer(1, 4),
               grid(score_columns(view), score_rows(view), avail)]
    if view.grade_sentence:
        figures += [Spacer(1, 6), pdf._para(f"{view.grade_sentence}。", pdf._NOTE)]
    if view.versions:
        figures += [Spacer(1, 4), pdf._para(view.versions, pdf._NOTE)]
    pdf.write_table_pdf(path, title=detail_title(view), unit_line="单位：万元", columns=detail_columns(view),
                        rows=detail_rows(view), landscape=False, figures=figures)


# -- the check ---------------------------------------------------------------------------------------------
def render_findings(findings: Sequence[Finding], path) -> int:
    """One row per finding (xlsx); a year without findings gives the headers and 未发现问题."""
    rows = [[f.code, f.name, f.where, f.category, f.problem, f.filed, f.reference] for f in findings]
    writer = XlsxWriter()
    writer.add_table("检查结果", title="重点评价检查结果", unit_line=f"共{len(rows)}条问题" if rows else NO_FINDINGS,
                     columns=FINDING_COLUMNS, rows=rows or [[NO_FINDINGS]])
    writer.save(path)
    return len(rows)
