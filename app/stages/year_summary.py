"""The export kind `summary`: the 年度预算绩效工作开展情况说明 (`export summary --year Y --format
docx|pdf|xlsx --out F`), drafted by app.services.year_text from the year's figures. It belongs to no
one stage, so it has no page or import; app.stages.file_kinds lists it after the stages' kinds.

The 工作台's four charts go into it as pictures when the command line was handed a chart painter
(`args.chart_painter(ws, year, region) → [ChartImage]`: app/__main__.py lends the ui's drawing; app/ never
imports Qt) and `--no-charts` is not given."""

from __future__ import annotations

from app.stages.descriptor import FileKind


def _export(ws, args) -> int:
    from app.services.year_text import WHOLE, export

    painter = getattr(args, "chart_painter", None)
    region = WHOLE if getattr(args, "whole", False) else args.region
    charts = painter(ws, args.year, region) if painter is not None and not getattr(args, "no_charts", False) else ()
    return export(ws, args.year, args.out, args.format, charts=charts, region=region)


KIND = FileKind("summary", "预算绩效工作开展情况说明，数据项", "summary：年度预算绩效工作开展情况说明（docx/pdf/xlsx）",
                do_export=_export, formats=("docx", "pdf", "xlsx"), by_region=True)
