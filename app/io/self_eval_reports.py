"""绩效自评 reports, each rendered from the view the service returns (no database here):

- the 自评表 of one project or department (PDF in the official layout, or xlsx): app.io.self_eval_form;
- the 自评汇总表 of a year: xlsx sheets 自评汇总表, 等级分布 (with the sentence offices write below it),
  部门汇总 and — a county holding townships' tables — 按区划汇总 (and a 区划 column); PDF the table,
  then the distribution and the sentence, then the 按区划汇总; one region's summary names it in the titles;
- the consistency check's findings, one row each (未发现问题 when there are none);
- a 真实性核查 draw: its seed, population and the drawn tables."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional, Sequence

from app.domain.self_eval import GRADES, DrawView, Finding, SelfEvalFormView, SelfEvalRow, SelfEvalSummary
from app.io.columns import INT, MONEY, RATE, SCORE, Column
from app.io.region_tables import add_region_sheet, region_figures
from app.io.xlsx import NotesWriter, XlsxWriter
from app.jobs import JobControl

SUMMARY_COLUMNS = [Column("类别"), Column("项目编码"), Column("项目名称"), Column("主管部门"),
                   Column("全年预算数（万元）", MONEY), Column("全年执行数（万元）", MONEY), Column("执行率", RATE),
                   Column("参考总分", SCORE), Column("总分", SCORE), Column("评价等级"), Column("问题数", INT),
                   Column("填报状态")]
DISTRIBUTION_COLUMNS = [Column("等级", width=14), Column("份数", INT, width=14), Column("占比", RATE, width=14)]
FINDING_COLUMNS = [Column("项目编码"), Column("项目名称"), Column("指标", width=24), Column("类别", width=14),
                   Column("问题", width=60), Column("填报值", width=14), Column("参考值", width=14)]
DRAW_COLUMNS = [Column("项目编码", width=18), Column("项目名称"), Column("主管部门", width=28), Column("总分", SCORE, width=8),
                Column("评价等级", width=10)]
NO_FINDINGS = "未发现问题"
HUNDRED = Decimal(100)


def render_form(view: SelfEvalFormView, fmt: str, path) -> None:
    """The 项目支出绩效自评表 (部门整体支出绩效自评表 for a department): fmt "pdf" or "xlsx"."""
    from app.io import self_eval_form

    if fmt == "pdf":
        self_eval_form.write_pdf(view, path)
    elif fmt == "xlsx":
        self_eval_form.write_xlsx(view, path)
    else:
        raise ValueError(f"unknown format {fmt}")


# -- 自评汇总表 ------------------------------------------------------------------------------------------
def summary_row(r: SelfEvalRow, with_region: bool = False) -> list:
    return [*([r.region] if with_region else []), r.kind, r.code, r.name, r.department, r.annual_fen, r.executed_fen,
            r.rate, r.reference_total, r.total, r.grade, r.problems, r.status]


def region_table(summary: SelfEvalSummary, grades: list[str]) -> tuple[list[Column], list[list]]:
    """The 按区划汇总: a line per region (本级, each township), then 合计."""
    columns = [Column("区划"), Column("自评表份数", INT), Column("已评定等级份数", INT), Column("平均分", SCORE),
               *[Column(g or "未定等级", INT) for g in grades]]
    rows = [[name, tables, graded, average, *[counts.get(g, 0) for g in grades]]
            for name, tables, graded, average, counts in summary.regions]
    return columns, rows


def distribution_rows(summary: SelfEvalSummary) -> list[list]:
    return [[g.grade, g.count, g.share / HUNDRED] for g in summary.distribution]


def department_grades(summary: SelfEvalSummary) -> list[str]:
    """The grade columns of the 部门汇总: 优 良 中 差, then any other word the rows carry."""
    extra = {g for _, _, _, counts in summary.departments for g in counts if g not in GRADES}
    return [*GRADES, *sorted(extra)]


def render_summary(summary: SelfEvalSummary, fmt: str, path, job: Optional[JobControl] = None) -> int:
    """The 自评汇总表 of a year; returns the number of rows written."""
    place = f"（{summary.region}）" if summary.region else ""
    title = f"{summary.year}年度绩效自评汇总表{place}"
    by_region = bool(summary.regions)
    rows = [summary_row(r, by_region) for r in summary.rows]
    columns = [Column("区划"), *SUMMARY_COLUMNS] if by_region else SUMMARY_COLUMNS
    grades = department_grades(summary)
    if fmt == "xlsx":
        writer = NotesWriter()
        writer.add_table("自评汇总表", title=title, columns=columns, rows=rows, job=job)
        writer.add_table("等级分布", title=f"{summary.year}年度绩效自评等级分布{place}", unit_line=f"共{sum(g.count for g in summary.distribution)}份",
                         columns=DISTRIBUTION_COLUMNS, rows=distribution_rows(summary))
        writer.add_lines_below([summary.sentence], len(DISTRIBUTION_COLUMNS),
                               sum(c.width or 0 for c in DISTRIBUTION_COLUMNS))
        writer.add_table("部门汇总", title=f"{summary.year}年度绩效自评部门汇总{place}", unit_line="",
                         columns=[Column("部门"), Column("份数", INT), Column("平均分", SCORE),
                                  *[Column(g or "未定等级", INT) for g in grades]],
                         rows=[[name, count, average, *[counts.get(g, 0) for g in grades]]
                               for name, count, average, counts in summary.departments])
        if by_region:
            add_region_sheet(writer, f"{summary.year}年度绩效自评按区划汇总", *region_table(summary, grades))
        writer.save(path)
    elif fmt == "pdf":
        from app.io.pdf import write_table_pdf

        figures = _distribution_figures(summary)
        if by_region:
            figures += region_figures("按区划汇总", *region_table(summary, grades))
        write_table_pdf(path, title=title, unit_line="单位：万元", columns=columns, rows=rows, job=job,
                        figures=figures)
    else:
        raise ValueError(f"unknown format {fmt}")
    return len(rows)


def _distribution_figures(summary: SelfEvalSummary) -> list:
    """The 等级分布 table and the sentence under it, for the PDF."""
    from reportlab.platypus import KeepTogether, Spacer

    from app.io import pdf

    table = pdf.small_table(DISTRIBUTION_COLUMNS, distribution_rows(summary), [80, 80, 80], align="LEFT")
    return [Spacer(1, 10), KeepTogether([pdf.note("等级分布"), Spacer(1, 3), table, Spacer(1, 6),
                                         pdf.note(summary.sentence)])]


# -- 一致性检查 ------------------------------------------------------------------------------------------
def render_findings(findings: Sequence[Finding], path) -> int:
    """One row per finding (xlsx); a year without findings gives the headers and 未发现问题."""
    rows = [[f.code, f.name, f.where, f.category, f.problem, f.filed, f.reference] for f in findings]
    writer = XlsxWriter()
    writer.add_table("一致性检查", title="绩效自评表一致性检查结果",
                     unit_line=f"共{len(rows)}条问题" if rows else NO_FINDINGS, columns=FINDING_COLUMNS,
                     rows=rows or [[NO_FINDINGS]])
    writer.save(path)
    return len(rows)


# -- 真实性核查 ------------------------------------------------------------------------------------------
def draw_line(view: DrawView) -> str:
    line = (f"年度：{view.year}　随机种子：{view.seed}　抽样范围：{view.population}份自评表　抽取数量：{len(view.rows)}份　"
            f"是否按部门分布：{'是' if view.by_department else '否'}")
    return line + (f"　抽样日期：{view.drawn_on.isoformat()}" if view.drawn_on else "")


def render_draw(view: DrawView, path) -> int:
    """The drawn tables of a 真实性核查 (xlsx) under a line saying how they were drawn."""
    from app.io.columns import display_width

    rows = [[r.code, r.name, r.department, r.total, r.grade] for r in view.rows]
    line = draw_line(view)
    name_width = max(30, display_width(line) + 4 - sum(c.width or 0 for c in DRAW_COLUMNS))  # the line fits above
    columns = [c if c.header != "项目名称" else Column("项目名称", width=min(name_width, 60)) for c in DRAW_COLUMNS]
    writer = XlsxWriter()
    writer.add_table("真实性核查抽样", title=f"{view.year}年度绩效自评真实性核查抽样名单", unit_line=line,
                     columns=columns, rows=rows)
    writer.save(path)
    return len(rows)


# -- a streaming workbook that can write a sentence under a table -------------------------------------
