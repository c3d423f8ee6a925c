"""培训: the year's training sessions (培训日期, 培训主题, 主办单位, 参训人次, 参训单位), entered on the
page or imported from Excel (`import training FILE --year Y`); `export training --year Y --format
xlsx|pdf` writes the year's 培训情况表. The year report counts them through
app.services.training.year_counts."""

from __future__ import annotations

from app.rules.validation import RejectedError
from app.stages.descriptor import FileKind, Stage


def _template(path: str) -> None:
    from app.io.training_io import write_template

    write_template(path)


def _import(ws, args) -> str:
    from app.services.training import import_file

    year = getattr(args, "year", None)
    if not year:
        raise RejectedError("导入培训需要 --year 年度（培训所在的年度），如 --year 2023。")
    return import_file(ws, args.file, year)


def _export(ws, args) -> int:
    from app.services.training import export

    return export(ws, args.year, args.out, args.format, region=getattr(args, "region", None))


STAGE = Stage(
    key="training", title="培训", page="ui.pages.training_page:TrainingPage", refresh_on=frozenset({"training"}),
    kinds=(FileKind("training", "培训记录", "training：培训情况", _template, _import, _export, by_region=True),),
    screenshots=("ui.checks.training:screenshots",),
)
