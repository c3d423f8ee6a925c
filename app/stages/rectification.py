"""整改台账: every problem found — from monitoring, self-evaluation, 真实性核查, key evaluation, ex-ante
assessment or typed by hand from an audit — with its deadline, measures, 财政核验 and 销号; 逾期 and
逾期天数 counted to the date asked about (`export rectification --at`), and the 整改通知书."""

from __future__ import annotations

from app.stages.descriptor import FileKind, Stage


def _template(path: str) -> None:
    from app.io.rectification_io import write_template

    write_template(path)


def _import(ws, args) -> str:
    from app.services.rectification_import import import_file

    return import_file(ws, args.file)


def _export(ws, args) -> int:
    from datetime import date

    from app.services.rectification import export_ledger

    at = getattr(args, "at", None) or date.today()
    return len(export_ledger(ws, args.year, at, args.out, args.format, region=getattr(args, "region", None)).rows)


STAGE = Stage(
    key="rectification", title="整改台账", page="ui.pages.rectification_page:RectificationPage",
    refresh_on=frozenset({"rectification", "key_eval", "self_eval", "monitoring", "exante"}),
    kinds=(FileKind("rectification", "整改事项", "rectification：整改台账", _template, _import, _export,
                    by_region=True),),
    screenshots=("ui.checks.rectification:screenshots",),
)
