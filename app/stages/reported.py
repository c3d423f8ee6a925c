"""上报数: figures the county holds outside the program (a provincial system's counts, its own year's
report), each with its 来源 and 原文, entered on the page or imported from Excel (`import reported
FILE --year Y`); `export reported --year Y --format xlsx|pdf` writes the year's 上报数一览表. The
year's report uses them, marked “上报数” with the source, where a section has no records
(app.services.year_report)."""

from __future__ import annotations

from app.rules.validation import RejectedError
from app.stages.descriptor import FileKind, Stage


def _template(path: str) -> None:
    from app.io.reported_io import write_template

    write_template(path)


def _import(ws, args) -> str:
    from app.services.reported import import_file

    year = getattr(args, "year", None)
    if not year:
        raise RejectedError("导入上报数需要 --year 年度（数字所属的年度），如 --year 2023。")
    return import_file(ws, args.file, year)


def _export(ws, args) -> int:
    from app.services.reported import export

    out = str(args.out).lower()  # by the file name, as the page does; else --format
    fmt = "pdf" if out.endswith(".pdf") else "xlsx" if out.endswith(".xlsx") else args.format
    return export(ws, args.year, args.out, fmt, region=getattr(args, "region", None))


STAGE = Stage(
    key="reported", title="上报数", page="ui.pages.reported_page:ReportedPage", refresh_on=frozenset({"reported"}),
    kinds=(FileKind("reported", "上报数", "reported：上报数", _template, _import, _export, by_region=True),),
    screenshots=("ui.checks.reported:screenshots",),
)
