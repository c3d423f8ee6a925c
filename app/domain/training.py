"""培训: what a session's form (and an import row) holds, the check both make, and the rows a
service returns. A session has a date in its year and a positive whole 参训人次; a row without a date
is a year's summary as a county's report gave it (和硕: 培训6次，380人次) and counts as it says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

from app.rules import fields as F
from app.rules.validation import Report


def _attendees(raw: Any) -> int:
    value = F.whole_number(raw, "应为正整数（人次），如120")
    if value is None:
        raise F.FieldInvalid("为必填项，应为正整数（人次）")
    if value <= 0:
        raise F.FieldInvalid("应为正整数（人次），如120")
    return value


def _held_on(raw: Any) -> date:
    try:
        value = F.day(raw)
    except F.FieldInvalid:
        raise F.FieldInvalid("应为日期，如2023-10-15") from None
    if value is None:
        raise F.FieldInvalid("为必填项，应为日期，如2023-10-15")
    return value


SPECS = (
    F.FieldSpec("held_on", "培训日期", _held_on, True, "如2023-10-15，须在本年度内"),
    F.FieldSpec("title", "培训主题", F.text(200), True, "如“预算绩效目标编制与审核”"),
    F.FieldSpec("organiser", "主办单位", F.text(200), True, "如“县财政局绩效科”"),
    F.FieldSpec("attendees", "参训人次", _attendees, True, "正整数"),
    F.FieldSpec("units", "参训单位", F.text(2000, required=False), False, "可填多个单位，用顿号分隔"),
    F.FieldSpec("note", "备注", F.text(2000, required=False)),
)
HEADERS = tuple(s.label for s in SPECS)
LABEL_OF = {s.key: s.label for s in SPECS}


def check(raw: dict, year: int) -> tuple[dict, Report]:
    """The form's check on every change and the service's and the import's on every row: each field
    parsed, and the date within `year`."""
    values, report = F.parse_fields(SPECS, raw)
    held = values.get("held_on")
    if held is not None and held.year != year:
        report.add("held_on", f"应在{year}年内（本页是{year}年度的培训）")
    return values, report


@dataclass(frozen=True)
class TrainingRow:
    id: int
    year: int
    held_on: Optional[date]  # none: a year's summary row
    title: str
    organiser: str
    sessions: int
    attendees: int
    units: str
    note: str
    version: int
    region_code: str = ""
    region: str = ""

    @property
    def summary(self) -> bool:
        return self.held_on is None

    @property
    def date_text(self) -> str:
        return self.held_on.isoformat() if self.held_on else "全年汇总"

    @property
    def topic(self) -> str:
        """The topic as listed: a summary row without a title says what it is."""
        return self.title or (f"全年培训{self.sessions}次（汇总数）" if self.summary else "")

    def values(self) -> dict[str, str]:
        """The form's fields as text."""
        return {"held_on": self.held_on.isoformat() if self.held_on else "", "title": self.title,
                "organiser": self.organiser, "attendees": str(self.attendees), "units": self.units, "note": self.note}


@dataclass(frozen=True)
class TrainingYear:
    """A year's sessions (of one region when asked) and what the year report counts."""

    year: int
    rows: tuple[TrainingRow, ...]
    region_label: str = ""

    @property
    def sessions(self) -> int:
        return sum(r.sessions for r in self.rows)

    @property
    def attendees(self) -> int:
        return sum(r.attendees for r in self.rows)

    @property
    def sentence(self) -> str:
        return f"{self.year}年共开展培训{self.sessions}次，参训{self.attendees}人次。"


@dataclass(frozen=True)
class ImportedSession:
    row: int  # the sheet's row number
    values: dict
