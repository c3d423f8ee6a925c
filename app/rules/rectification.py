"""整改 rules (pure): deadlines from the pack in calendar days, 逾期 derived from a given date (never
stored), and what an item must hold before it is saved or 报送核验. Used by the form's save, the
workflow steps and the import alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Optional

from app.domain.rectification import CATEGORIES, OPEN_STATES, SOURCES, STATES
from app.rules.validation import Report

DEFAULT_FEEDBACK_DAYS, DEFAULT_MEASURES_DAYS = 20, 30


@dataclass(frozen=True)
class RectificationRules:
    """The pack's 'rectification' section: 反馈日期 = notice + feedback_days, 整改期限 = 反馈日期 +
    measures_days (calendar days)."""

    feedback_days: int = DEFAULT_FEEDBACK_DAYS
    measures_days: int = DEFAULT_MEASURES_DAYS

    @classmethod
    def from_pack(cls, pack: Any) -> "RectificationRules":
        section = pack.section("rectification") if pack is not None else {}
        return cls(int(section.get("feedback_days", DEFAULT_FEEDBACK_DAYS)),
                   int(section.get("measures_days", DEFAULT_MEASURES_DAYS)))


def feedback_date(notice: date, rules: RectificationRules) -> date:
    return notice + timedelta(days=rules.feedback_days)


def deadline_after(feedback: date, rules: RectificationRules) -> date:
    return feedback + timedelta(days=rules.measures_days)


def default_dates(rules: RectificationRules, *, notice: Optional[date] = None, feedback: Optional[date] = None,
                  deadline: Optional[date] = None) -> tuple[Optional[date], Optional[date]]:
    """(反馈日期, 整改期限): what is given is kept; a missing 反馈日期 is the notice date + 20 days
    (when there is a notice date), a missing 整改期限 the 反馈日期 + 30 days."""
    if feedback is None and notice is not None:
        feedback = feedback_date(notice, rules)
    if deadline is None and feedback is not None:
        deadline = deadline_after(feedback, rules)
    return feedback, deadline


def is_overdue(status: str, deadline: Optional[date], at: date) -> bool:
    """逾期: the 整改期限 has passed (at is after the deadline day) and the item is still 待整改 or
    整改中. An item awaiting verification or closed is never overdue."""
    return deadline is not None and status in OPEN_STATES and at > deadline


def overdue_days(status: str, deadline: Optional[date], at: date) -> int:
    """Calendar days from the 整改期限 to `at` for an overdue item (the day after the deadline is 1);
    0 for every other item."""
    return (at - deadline).days if is_overdue(status, deadline, at) else 0


def finished_late(deadline: Optional[date], completed_on: Optional[date]) -> bool:
    """A closed item's lateness: its 完成日期 after its 整改期限."""
    return deadline is not None and completed_on is not None and completed_on > deadline


# -- what an item must hold -----------------------------------------------------------------------------
def validate(draft: Any) -> Report:
    """What the form's save (and the import, by cell) refuses: the fields keyed as the form names them."""
    report = Report()
    if not (draft.description or "").strip():
        report.add("description", "请填写问题描述。")
    if draft.source not in SOURCES:
        report.add("source", f"来源应为{'、'.join(SOURCES)}之一。")
    if draft.category and draft.category not in CATEGORIES:
        report.add("category", f"问题类别应为{'、'.join(CATEGORIES)}之一。")
    if draft.status not in STATES:
        report.add("status", f"状态应为{'、'.join(STATES)}之一。")
    if draft.feedback_date and draft.deadline and draft.deadline < draft.feedback_date:
        report.add("deadline", "整改期限不能早于反馈日期。")
    return report


def report_needs(measures: str, completed_on: Optional[date]) -> Report:
    """报送核验 needs the 整改措施 and the 完成日期."""
    report = Report()
    if not (measures or "").strip():
        report.add("measures", "报送核验前请填写整改措施。")
    if completed_on is None:
        report.add("completed_on", "报送核验前请填写完成日期。")
    return report
