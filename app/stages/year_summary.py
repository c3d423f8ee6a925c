"""The export kind `summary`: the 年度预算绩效工作开展情况说明 (`export summary --year Y --format
docx|pdf|xlsx --out F`), drafted by app.services.year_text from the year's figures. It belongs to no
one stage, so it has no page or import; app.stages.file_kinds lists it after the stages' kinds."""

from __future__ import annotations

from app.stages.descriptor import FileKind


def _export(ws, args) -> int:
    from app.services.year_text import WHOLE, export

    return export(ws, args.year, args.out, args.format, region=WHOLE if getattr(args, "whole", False) else args.region)


KIND = FileKind("summary", "预算绩效工作开展情况说明，数据项", "summary：年度预算绩效工作开展情况说明（docx/pdf/xlsx）",
                do_export=_export, formats=("docx", "pdf", "xlsx"), by_region=True)
