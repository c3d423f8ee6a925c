"""整改 rules: deadlines from the pack in calendar days, 逾期 derived from the date asked about."""

from __future__ import annotations

from datetime import date

from app.domain.rectification import CATEGORIES, CLOSED, DOING, TO_DO, TO_VERIFY, RectificationDraft
from app.rules import rectification as R
from app.rules.pack import default_pack

RULES = R.RectificationRules.from_pack(default_pack())
DUE = date(2023, 10, 15)


def test_the_pack_gives_20_days_to_feed_back_and_30_more_to_rectify():
    assert (RULES.feedback_days, RULES.measures_days) == (20, 30)
    assert R.default_dates(RULES, notice=date(2023, 9, 1)) == (date(2023, 9, 21), date(2023, 10, 21))


def test_a_feedback_date_without_a_deadline_gets_30_days_and_an_explicit_deadline_is_kept():
    assert R.default_dates(RULES, feedback=date(2023, 9, 15)) == (date(2023, 9, 15), date(2023, 10, 15))
    assert R.default_dates(RULES, notice=date(2023, 9, 1), deadline=DUE) == (date(2023, 9, 21), DUE)
    assert R.default_dates(RULES) == (None, None)


def test_the_deadline_day_itself_is_not_overdue_and_the_day_after_is_one_day():
    assert not R.is_overdue(TO_DO, DUE, DUE) and R.overdue_days(TO_DO, DUE, DUE) == 0
    assert R.is_overdue(TO_DO, DUE, date(2023, 10, 16)) and R.overdue_days(TO_DO, DUE, date(2023, 10, 16)) == 1
    assert R.overdue_days(DOING, DUE, date(2023, 11, 1)) == 17
    assert R.overdue_days(TO_DO, DUE, date(2023, 10, 1)) == 0


def test_an_item_awaiting_verification_or_closed_is_never_overdue():
    late = date(2024, 3, 1)
    for status in (TO_VERIFY, CLOSED):
        assert not R.is_overdue(status, DUE, late) and R.overdue_days(status, DUE, late) == 0
    assert R.finished_late(DUE, date(2023, 10, 20)) and not R.finished_late(DUE, DUE)


def test_an_item_without_a_deadline_is_never_overdue():
    assert R.overdue_days(TO_DO, None, date(2030, 1, 1)) == 0


def test_gangcheng_seven_categories_and_what_a_save_and_a_report_need():
    assert CATEGORIES == ("立项", "绩效目标", "资金投入", "资金管理", "组织管理", "产出效果", "满意度调查")
    bad = RectificationDraft(None, 2023, category="其他", description=" ", feedback_date=DUE, deadline=date(2023, 10, 1))
    assert R.validate(bad).fields() == {"category", "description", "deadline"}
    assert R.validate(RectificationDraft(None, 2023, description="未按期报送")).ok
    assert R.report_needs("", None).fields() == {"measures", "completed_on"}
    assert R.report_needs("已建立制度", DUE).ok
