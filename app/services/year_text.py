"""The 年度预算绩效工作开展情况说明 of a work year, drafted from its figures and written as docx, PDF or
xlsx (`export summary --year Y --format docx|pdf|xlsx`, 文件 → 年度工作情况说明…).

    draft(ws, year, at=None, region=None) → (YearText, [Figure])
    export(ws, year, path, fmt, job=None, charts=(), region=None) → the number of figures the text draws on

`charts`: the 工作台's charts as pictures (app.domain.year_report.ChartImage, drawn by the ui:
ui.chart_images), each placed after the part it illustrates; none, the text alone.

The figures are app.services.year_report.figures (the user's scope); the sentences are
app.domain.year_text's; 略高/略低于序时进度 follows the rule pack's monitoring.slight_points.

Which 区划 it tells of: a county's report is of its own (本级) records, as the seeds' are — its
townships report to it (乡镇考核) rather than in it. `region`: None for that default, WHOLE (全县) for
the county with its townships, or one township's code. A county without townships has one region."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Optional, Sequence

from app.domain.year_report import ChartImage, Figure
from app.domain.year_text import YearText, write
from app.io import year_text_io
from app.jobs import control
from app.rules.validation import RejectedError
from app.services import regions, year_report
from app.services.monitoring import settings
from app.services.workspace import Workspace

FORMATS = year_text_io.FORMATS
WHOLE = regions.WHOLE  # the county with its townships


def scope(ws: Workspace, region: Optional[str] = None) -> tuple[Optional[str], str]:
    """(the region code the figures are read for — None for all —, the place the title names)."""
    return place_of(regions.choices(ws), region)


def place_of(known: regions.RegionChoices, region: Optional[str] = None) -> tuple[Optional[str], str]:
    """`scope` for the regions already read (a dialog holding them names its file without a read)."""
    home = known.home_name or "本级"
    if not known.shown:
        return None, home
    if region == WHOLE:
        return None, f"{home}（含乡镇）"
    if region is None or region == known.home_code:
        return known.home_code, f"{home}本级"
    return region, known.name_of(region)


def count_day(year: int, at: Optional[date] = None) -> date:
    """The day 整改 is counted to: the year's end, or `at` / today when earlier (as figures does)."""
    return min(at or date(year, 12, 31), date(year, 12, 31), date.today())


def draft(ws: Workspace, year: int, at: Optional[date] = None, region: Optional[str] = None
          ) -> tuple[YearText, list[Figure]]:
    day = count_day(year, at)
    code, place = scope(ws, region)
    found = year_report.figures(ws, year, at=day, region=code)
    slight = settings(ws).slight_gap * 100
    points = Decimal(slight.numerator) / Decimal(slight.denominator)
    return write(year, place, found, points, day), found


def export(ws: Workspace, year: int, path, fmt: str, job=None, charts: Sequence[ChartImage] = (),
           region: Optional[str] = None) -> int:
    if fmt not in FORMATS:
        raise RejectedError(f"年度工作情况说明只能导出为{'、'.join(FORMATS)}，请改用其中一种格式。")
    job = control(job)
    job.step(0, 2)
    text, found = draft(ws, year, region=region)
    job.step(1, 2)
    year_text_io.write(text, year, found, path, fmt, charts)
    job.step(2, 2)
    return len(found)
