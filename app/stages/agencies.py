"""第三方机构: institutions, their contracts, the evaluations they carried out and the yearly
执业质量考核; `export agencies --year Y --format xlsx` writes the year's 考核结果表."""

from __future__ import annotations

from app.rules.validation import RejectedError
from app.stages.descriptor import FileKind, Stage


def _export(ws, args) -> int:
    from app.io.agency_reports import render_assessments
    from app.services.agencies import assessment_table, rules

    if args.format != "xlsx":
        raise RejectedError("执业质量考核结果表只导出为Excel（xlsx），请用 --format xlsx。")
    return render_assessments(rules(ws), args.year, assessment_table(ws, args.year), args.out)


STAGE = Stage(
    key="agencies", title="第三方机构", page="ui.pages.agencies_page:AgenciesPage",
    refresh_on=frozenset({"agencies", "key_eval", "exante"}),
    kinds=(FileKind("agencies", "第三方机构执业质量考核结果", "agencies：第三方机构执业质量考核结果表", do_export=_export,
                    formats=("xlsx",)),),
    screenshots=("ui.checks.agencies:screenshots",),
)
