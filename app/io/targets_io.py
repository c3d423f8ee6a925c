"""绩效目标 in Excel and PDF, rendered from the service's views: the review workbook (one line per
finding) and the 审核汇总表. Nothing here reads the database (app.services.target_reports builds
the lines)."""

from __future__ import annotations

from typing import Optional, Sequence

from app.domain.targets import ReviewLine, SummaryLine
from app.io.columns import Column
from app.jobs import JobControl

REVIEW_COLUMNS = [Column("项目编码"), Column("项目名称"), Column("质量得分", "score"), Column("严重程度"),
                  Column("指标"), Column("问题"), Column("建议")]
SUMMARY_COLUMNS = [Column("项目编码"), Column("项目名称"), Column("主管部门"), Column("全年预算数（万元）", "money"),
                   Column("状态"), Column("质量得分", "score"), Column("审核得分", "score"), Column("计分规则方案"),
                   Column("错误", "int"), Column("警告", "int"), Column("提示", "int")]


def review_cells(lines: Sequence[ReviewLine]) -> list[list]:
    return [[x.code, x.name, x.quality_score, x.severity, x.where, x.problem, x.advice] for x in lines]


def summary_cells(lines: Sequence[SummaryLine], with_regions: bool = False) -> list[list]:
    return [[*([x.region] if with_regions else []), x.code, x.name, x.department, x.annual_fen, x.status,
             x.quality_score, x.review_score, x.versions, x.errors, x.warnings, x.hints] for x in lines]


def _named(title: str, region: str) -> str:
    """A title naming the one region a report is of: 2023年度绩效目标审核汇总表（青石镇）."""
    return f"{title}（{region}）" if region else title


def render_review(lines: Sequence[ReviewLine], year: int, path, job: Optional[JobControl] = None,
                  region: str = "") -> int:
    """The 自动检查结果 workbook (`region`: the one region it is of, named in the title); the number
    of lines written."""
    from app.io.xlsx import XlsxWriter

    rows = review_cells(lines)
    writer = XlsxWriter()
    writer.add_table("检查结果", title=_named(f"{year}年度绩效目标自动检查结果", region), unit_line=f"共{len(rows)}行",
                     columns=REVIEW_COLUMNS, rows=rows, job=job, total=len(rows))
    writer.save(path)
    return len(rows)


def render_summary(lines: Sequence[SummaryLine], year: int, fmt: str, path, job: Optional[JobControl] = None,
                   region: str = "", with_regions: bool = False) -> int:
    """The 审核汇总表 as xlsx or pdf (`region`: the one region it is of, named in the title;
    `with_regions`: a 区划 column first); the number of lines written."""
    rows = summary_cells(lines, with_regions)
    columns = [Column("区划"), *SUMMARY_COLUMNS] if with_regions else SUMMARY_COLUMNS
    title, unit = _named(f"{year}年度绩效目标审核汇总表", region), "单位：万元"
    if fmt == "xlsx":
        from app.io.xlsx import XlsxWriter

        writer = XlsxWriter()
        writer.add_table("审核汇总", title=title, unit_line=unit, columns=columns, rows=rows, job=job, total=len(rows))
        writer.save(path)
    elif fmt == "pdf":
        from app.io.pdf import write_table_pdf

        write_table_pdf(path, title=title, unit_line=unit, columns=columns, rows=rows, landscape=True,
                        job=job, total=len(rows))
    else:
        raise ValueError(f"unknown format {fmt}")
    return len(rows)
