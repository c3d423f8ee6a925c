"""The 年度预算绩效工作开展情况说明 of a work year, drafted from its figures and written as docx, PDF or
xlsx (`export summary --year Y --format docx|pdf|xlsx`, 文件 → 年度工作情况说明…).

    draft(ws, year, at=None) → (YearText, [Figure])
    export(ws, year, path, fmt, job=None) → the number of figures the text draws on

The figures are app.services.year_report.figures (the user's scope); the sentences are
app.domain.year_text's; 略高/略低于序时进度 follows the rule pack's monitoring.slight_points."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Optional

from app.domain.year_report import Figure
from app.domain.year_text import YearText, write
from app.io import year_text_io
from app.jobs import control
from app.rules.validation import RejectedError
from app.services import regions, year_report
from app.services.monitoring import settings
from app.services.workspace import Workspace

FORMATS = year_text_io.FORMATS


def count_day(year: int, at: Optional[date] = None) -> date:
    """The day 整改 is counted to: the year's end, or `at` / today when earlier (as figures does)."""
    return min(at or date(year, 12, 31), date(year, 12, 31), date.today())


def draft(ws: Workspace, year: int, at: Optional[date] = None) -> tuple[YearText, list[Figure]]:
    day = count_day(year, at)
    found = year_report.figures(ws, year, at=day)
    slight = settings(ws).slight_gap * 100
    points = Decimal(slight.numerator) / Decimal(slight.denominator)
    return write(year, regions.choices(ws).home_name or "本级", found, points, day), found


def export(ws: Workspace, year: int, path, fmt: str, job=None) -> int:
    if fmt not in FORMATS:
        raise RejectedError(f"年度工作情况说明只能导出为{'、'.join(FORMATS)}，请改用其中一种格式。")
    job = control(job)
    job.step(0, 2)
    text, found = draft(ws, year)
    job.step(1, 2)
    year_text_io.write(text, year, found, path, fmt)
    job.step(2, 2)
    return len(found)
