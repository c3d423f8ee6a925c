"""乡镇考核: the county's 乡镇预算绩效管理工作考核 of its townships — each item of the pack counted from
the township's exchanged records or scored by 绩效科's hand, 总分, 等级 and 名次 (ties share a place);
`export township --year Y [--at D] --out F.xlsx|F.pdf` writes the table and its 计分依据."""

from __future__ import annotations

from app.stages.descriptor import FileKind, Stage


def _export(ws, args) -> int:
    from app.io.township_assessment_io import render_pdf, render_xlsx
    from app.services.township_assessment import assessment

    out = str(args.out).lower()
    fmt = "pdf" if out.endswith(".pdf") else "xlsx" if out.endswith(".xlsx") else args.format
    table = assessment(ws, args.year, getattr(args, "at", None))
    return (render_pdf if fmt == "pdf" else render_xlsx)(table, args.out)


STAGE = Stage(
    key="township", title="乡镇考核", page="ui.pages.township_page:TownshipPage",
    refresh_on=frozenset({"township", "projects", "targets", "monitoring", "self_eval", "rectification", "key_eval",
                          "base_data"}),
    kinds=(FileKind("township", "考核乡镇", "township：乡镇预算绩效管理工作考核表", do_export=_export),),
    screenshots=("ui.checks.township:screenshots",),
)
