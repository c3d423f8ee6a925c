"""真实性核查: the seeded draw of submitted / passed 自评表 and the check of their core indicators."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from app.rules.validation import RejectedError
from app.services import verification as ver


def _tables(ws, statuses: dict[str, int], year: int = 2023) -> None:
    """Projects with a 自评表 each (three indicator rows: two quantitative, one 定性), spread over the
    county's two departments, in the given states — inserted directly, like a big county's year."""
    from sqlalchemy import select

    from db.models import Department, Project, SelfEvalIndicator, SelfEvaluation

    with ws.session() as s:
        depts = list(s.scalars(select(Department).order_by(Department.code)))
        n = 0
        for status, how_many in statuses.items():
            for _ in range(how_many):
                n += 1
                dept = depts[n % 3 == 0]  # a third in the second department
                project = Project(year=year, code=f"P{year}{n:03d}", name=f"项目{n}", department=dept, unit=dept,
                                  fund_type="一般公共预算", category="延续", initial_budget_fen=100_000_00,
                                  annual_budget_fen=100_000_00, fiscal_fen=100_000_00, other_fen=0, region_code="370117")
                s.add(project)
                s.flush()
                ev = SelfEvaluation(year=year, object_type="项目", project_id=project.id, status=status,
                                    total_score=Decimal("91.5"), grade="优", region_code="370117")
                ev.indicators = [
                    SelfEvalIndicator(seq=1, level1="效益", level2="社会效益", level3="群众知晓情况", direction="定性",
                                      target_value="明显提升", actual_value="达成", applicable=True, region_code="370117"),
                    SelfEvalIndicator(seq=2, level1="产出", level2="数量", level3="保洁面积", direction="≥",
                                      target_value="320", unit="万平方米", actual_value="326", applicable=True,
                                      region_code="370117"),
                    SelfEvalIndicator(seq=3, level1="产出", level2="时效", level3="日产日清率", direction="=",
                                      target_value="100", unit="%", actual_value="100", applicable=True,
                                      region_code="370117"),
                    SelfEvalIndicator(seq=4, level1="产出", level2="质量", level3="不适用的指标", direction="≥",
                                      target_value="1", unit="个", applicable=False, region_code="370117"),
                ]
                s.add(ev)


@pytest.fixture
def thirty(county):
    _tables(county, {"已提交": 12, "审核通过": 18, "草稿": 5, "退回修改": 2})
    return county


def _codes(view) -> list[str]:
    return [r.code for r in view.rows]


def test_same_seed_same_sample_and_a_different_seed_another(thirty):
    first = ver.draw(thirty, 2023, count=6, seed="20231115")
    again = ver.draw(thirty, 2023, count=6, seed="20231115")
    other = ver.draw(thirty, 2023, count=6, seed="20231116")
    assert _codes(first) == _codes(again) and len(first.rows) == 6
    assert _codes(other) != _codes(first)
    assert first.seed == "20231115" and first.population == 30
    assert [d.sample_id for d in ver.draws(thirty, 2023)] == [other.sample_id, again.sample_id, first.sample_id]


def test_drafts_and_returned_tables_are_never_drawn(thirty):
    view = ver.draw(thirty, 2023, count=30, seed="x")
    assert view.population == 30
    drafts = {f"P2023{n:03d}" for n in range(31, 38)}  # the 草稿 and 退回修改 tables come last
    assert not drafts & set(_codes(view))
    with pytest.raises(RejectedError, match="不能超过30"):
        ver.draw(thirty, 2023, count=31, seed="x")


def test_blank_seed_gets_a_new_one_that_is_shown_and_reproduces(thirty):
    view = ver.draw(thirty, 2023, count=5, seed="")
    assert len(view.seed) == 8 and view.seed.isdigit()
    assert _codes(ver.draw(thirty, 2023, count=5, seed=view.seed)) == _codes(view)
    assert ver.draw_view(thirty, view.sample_id).seed == view.seed


def test_percent_rounds_half_up_with_at_least_one(thirty):
    assert len(ver.draw(thirty, 2023, percent=Decimal("5"), seed="a").rows) == 2  # 1.5 → 2
    assert len(ver.draw(thirty, 2023, percent=Decimal("15"), seed="a").rows) == 5  # 4.5 → 5
    assert len(ver.draw(thirty, 2023, percent=Decimal("1"), seed="a").rows) == 1  # 0.3 → at least 1
    with pytest.raises(RejectedError, match="二者选一"):
        ver.draw(thirty, 2023, count=3, percent=Decimal("10"), seed="a")
    with pytest.raises(RejectedError, match="二者选一"):
        ver.draw(thirty, 2023, seed="a")


def test_by_department_spreads_the_draw_in_proportion(thirty):
    view = ver.draw(thirty, 2023, count=9, seed="s", by_department=True)
    by_dept = {}
    for r in view.rows:
        by_dept[r.department] = by_dept.get(r.department, 0) + 1
    # 30 tables: 20 in 207001, 10 in 213001 → 6 and 3
    assert sorted(by_dept.values()) == [3, 6] and view.by_department
    assert ver.allocate({"a": 7, "b": 2, "c": 1}, 5) == {"a": 4, "b": 1, "c": 0}  # 3.5, 1.0, 0.5 → the .5s by key
    assert _codes(ver.draw(thirty, 2023, count=9, seed="s", by_department=True)) == _codes(view)


def test_an_empty_year_is_refused_with_a_sentence(thirty):
    with pytest.raises(RejectedError, match="2022年度还没有已提交或审核通过"):
        ver.draw(thirty, 2022, count=3)


def test_check_lines_put_quantitative_first_and_skip_rows_not_applicable(thirty):
    view = ver.draw(thirty, 2023, count=2, seed="lines")
    lines = ver.check_lines(thirty, view.sample_id)
    assert len(lines) == 6
    assert [line.level3 for line in lines[:3]] == ["保洁面积", "日产日清率", "群众知晓情况"]
    assert lines[0].target_value == "≥320万平方米" and lines[0].actual == "326" and lines[0].result == ""


def test_inconsistent_needs_a_note_and_becomes_a_finding(thirty):
    view = ver.draw(thirty, 2023, count=3, seed="f")
    line = ver.check_lines(thirty, view.sample_id)[0]
    with pytest.raises(RejectedError, match="写明哪里不一致"):
        ver.record_check(thirty, view.sample_id, line.indicator_id, ver.INCONSISTENT, "  ")
    with pytest.raises(RejectedError, match="请选择"):
        ver.record_check(thirty, view.sample_id, line.indicator_id, "一致")
    done = ver.record_check(thirty, view.sample_id, line.indicator_id, ver.INCONSISTENT, "验收单只有300万平方米")
    assert done.result == ver.INCONSISTENT and done.status == "待整改" and done.note == "验收单只有300万平方米"
    other = ver.check_lines(thirty, view.sample_id)[1]
    ver.record_check(thirty, view.sample_id, other.indicator_id, ver.CONSISTENT)
    found = ver.findings(thirty, 2023)
    assert [(f.code, f.level3, f.note) for f in found] == [(line.code, "保洁面积", "验收单只有300万平方米")]
    # corrected on a second look: the same item changes, no finding is left
    fixed = ver.record_check(thirty, view.sample_id, line.indicator_id, ver.CONSISTENT)
    assert fixed.item_id == done.item_id and fixed.status == ""
    assert ver.findings(thirty, 2023) == []


def test_an_indicator_of_a_table_not_drawn_is_refused(thirty):
    view = ver.draw(thirty, 2023, count=1, seed="one")
    everything = ver.draw(thirty, 2023, count=30, seed="all")
    outside = next(line for line in ver.check_lines(thirty, everything.sample_id) if line.code != view.rows[0].code)
    with pytest.raises(RejectedError, match="不属于本次抽中"):
        ver.record_check(thirty, view.sample_id, outside.indicator_id, ver.CONSISTENT)


def test_a_table_submitted_through_the_service_is_drawn_and_audited(year):
    from sqlalchemy import select

    from app.services import self_eval
    from db.models import AuditLog, Project

    with year.session() as s:
        pid = s.scalar(select(Project.id).where(Project.code == "DH2023002"))
    draft = self_eval.open_project(year, pid)
    draft = replace(draft, budget=[replace(draft.budget[0], executed="60"), *draft.budget[1:]],
                    indicators=[replace(i, actual=i.target_value or "达成") for i in draft.indicators])
    saved = self_eval.save(year, draft)
    with pytest.raises(RejectedError):  # a 草稿 is not drawn
        ver.draw(year, 2023, count=1, seed="1")
    self_eval.submit(year, saved)
    view = ver.draw(year, 2023, count=1, seed="1")
    assert _codes(view) == ["DH2023002"] and view.rows[0].grade == "优"
    with year.session() as s:
        entry = s.scalars(select(AuditLog).where(AuditLog.entity == "真实性核查")).one()
    assert "随机种子1" in entry.summary
