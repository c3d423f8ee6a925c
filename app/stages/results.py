"""结果应用: the measures decided in a year (调减 / 取消 / 收回 / … / 报人大) on a project or department,
with their amount, 依据 and the budget year they affect; `export results --year Y --format xlsx|pdf`
writes the year's table grouped by 措施 with 小计, 合计 and the counts provincial systems collect."""

from __future__ import annotations

from app.stages.descriptor import FileKind, Stage


def _export(ws, args) -> int:
    from app.services.results import export_results

    return export_results(ws, args.year, args.format, args.out, region=getattr(args, "region", None))


STAGE = Stage(
    key="results", title="结果应用", page="ui.pages.results_page:ResultsPage",
    refresh_on=frozenset({"results", "key_eval", "self_eval", "exante", "rectification"}),
    kinds=(FileKind("results", "结果应用措施", "results：结果应用", do_export=_export, by_region=True),),
    screenshots=("ui.checks.results:screenshots",),
)
