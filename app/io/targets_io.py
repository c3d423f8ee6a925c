"""绩效目标 in Excel and PDF: the review workbook (one row per finding), the 审核汇总表, and the
flat template/import the 一体化 systems use (one row per indicator)."""

from __future__ import annotations

from typing import Optional

from app.io.columns import Column
from app.jobs import JobControl, control
from app.rules.target_check import ERROR, HINT, WARNING
from app.services import targets as svc
from app.services.workspace import Workspace

REVIEW_COLUMNS = [Column("项目编码"), Column("项目名称"), Column("质量得分", "score"), Column("严重程度"),
                  Column("指标"), Column("问题"), Column("建议")]
SUMMARY_COLUMNS = [Column("项目编码"), Column("项目名称"), Column("主管部门"), Column("全年预算数（万元）", "money"),
                   Column("状态"), Column("质量得分", "score"), Column("审核得分", "score"), Column("错误", "int"),
                   Column("警告", "int"), Column("提示", "int")]


def review_rows(ws: Workspace, year: int, job: Optional[JobControl] = None) -> list[list]:
    """The check over every target of the year: one row per finding, and one for a target with none."""
    job = control(job)
    pairs = svc.year_drafts(ws, year)
    out = []
    for n, (row, draft) in enumerate(pairs):
        result, name = svc.check(ws, draft), _name(row, draft)
        if not result.findings:
            out.append([row.code, name, result.quality_score, "无", "", "未发现问题", ""])
        for f in result.findings:
            out.append([row.code, name, result.quality_score, f.severity, f.where(draft), f.problem, f.advice])
        if n % 200 == 0:
            job.step(n, len(pairs))
    return out


def _name(row: svc.TargetRow, draft: svc.TargetDraft) -> str:
    """A department's overall target is named as such: its money is the sum of its projects'."""
    return f"{row.name}（部门整体支出）" if draft.kind == svc.DEPARTMENT else row.name


def write_review(ws: Workspace, year: int, path, job: Optional[JobControl] = None) -> int:
    from app.io.xlsx import XlsxWriter

    rows = review_rows(ws, year, job)
    writer = XlsxWriter()
    writer.add_table("检查结果", title=f"{year}年度绩效目标自动检查结果", unit_line=f"共{len(rows)}行", columns=REVIEW_COLUMNS,
                     rows=rows, job=job, total=len(rows))
    writer.save(path)
    return len(rows)


def summary_rows(ws: Workspace, year: int) -> list[list]:
    out = []
    for row, draft in svc.year_drafts(ws, year):
        result = svc.check(ws, draft)
        out.append([row.code, _name(row, draft), row.department, row.annual_fen, row.status, result.quality_score,
                    row.review_score, result.count(ERROR), result.count(WARNING), result.count(HINT)])
    return out


def export_summary(ws: Workspace, year: int, fmt: str, path, job: Optional[JobControl] = None) -> int:
    rows = summary_rows(ws, year)
    title, unit = f"{year}年度绩效目标审核汇总表", "单位：万元"
    if fmt == "xlsx":
        from app.io.xlsx import XlsxWriter

        writer = XlsxWriter()
        writer.add_table("审核汇总", title=title, unit_line=unit, columns=SUMMARY_COLUMNS, rows=rows, job=job, total=len(rows))
        writer.save(path)
    elif fmt == "pdf":
        from app.io.pdf import write_table_pdf

        write_table_pdf(path, title=title, unit_line=unit, columns=SUMMARY_COLUMNS, rows=rows, landscape=True,
                        job=job, total=len(rows))
    else:
        raise ValueError(f"unknown format {fmt}")
    return len(rows)
