"""事前绩效评估 service: ratings become points, totals and grades derived, 调减 derived, the conclusion
suggested, the workflow to 已定稿 and back, the list of projects that need an assessment, and the
demo's two 澄江 assessments shown as printed."""

from dataclasses import replace
from decimal import Decimal

import pytest

from app.rules.validation import RejectedError
from tests.support import project_raw


@pytest.fixture
def ex_year(county):
    """2023 projects: a 新增 150万 (needs one), a 新增 60万 (does not), a 延续 rising 50% over its
    2022 namesake (needs one), a 延续 rising 10% (does not)."""
    from app.services import projects

    ids = {}
    for code, name, year, category, budget in (
            ("A2022001", "城区道路改造", 2022, "延续", "200"), ("A2022002", "环卫保洁", 2022, "延续", "100"),
            ("A2023001", "城区道路改造", 2023, "延续", "300"), ("A2023002", "环卫保洁", 2023, "延续", "110"),
            ("A2023003", "智慧城管平台", 2023, "新增", "150"), ("A2023004", "小型设备购置", 2023, "新增", "60")):
        ids[code] = projects.save_project(county, project_raw(code=code, name=name, year=str(year), category=category,
                                                              annual_budget=budget, initial_budget=budget))
    county.ids = ids
    return county


def _rated(draft, grade="良", self_grade="优"):
    for line in draft.lines:
        line.grade, line.self_grade = grade, self_grade
    return draft


def test_ratings_become_points_and_totals_grades_are_derived(ex_year):
    from app.services import exante as svc

    draft = svc.new_for_project(ex_year, ex_year.ids["A2023003"])
    assert draft.requested == "150.00" and len(draft.lines) == 20
    assert {line.dimension for line in draft.lines} == {"立项必要性", "投入经济性", "绩效目标合理性", "实施方案可行性", "筹资合规性"}
    scored = svc.score(ex_year, _rated(draft))
    assert scored.points[0] == Decimal("4.00")  # 良 = 0.80 × 5
    assert scored.total == Decimal("80.00") and scored.grade == "良"
    assert scored.self_total == Decimal("100.00") and scored.self_grade == "优"
    assert [d.score for d in scored.review.dimensions] == [Decimal("16.00")] * 5
    assert scored.suggestion == "调整后支持"
    draft.lines[0].score = "4.5"  # typed within 0..分值 overrides the rating's share
    assert svc.score(ex_year, draft).total == Decimal("80.50")
    draft.lines[0].score = "6"
    with pytest.raises(RejectedError) as refused:
        svc.save(ex_year, draft)
    assert any("超出了0到5分" in p.message for p in refused.value.report.problems)


def test_cut_is_derived_and_the_conclusion_is_the_evaluators(ex_year):
    from app.services import exante as svc
    from app.services import exante_year as year_svc

    draft = replace(_rated(svc.new_for_project(ex_year, ex_year.ids["A2023003"]), "优"), recommended="120",
                    conclusion="调整后支持")
    scored = svc.score(ex_year, draft)
    assert scored.suggestion == "予以支持" and scored.cut_fen == 30 * 1_000_000
    assert any(not n.blocking and "与按得分建议" in n.sentence for n in scored.needs)
    saved = svc.save(ex_year, draft)
    row = year_svc.list_year(ex_year, 2023)[0]
    assert (row.total, row.grade, row.conclusion, row.cut_fen) == (Decimal("100.00"), "优", "调整后支持", 30_000_000)
    with pytest.raises(RejectedError):
        svc.save(ex_year, replace(saved, recommended="200"))  # above the 申报金额
    assert year_svc.summary(ex_year, 2023).cut_fen == 30_000_000


def test_workflow_to_finalized_and_back(ex_year):
    from app.services import exante as svc

    draft = svc.new_for_project(ex_year, ex_year.ids["A2023003"])
    with pytest.raises(RejectedError) as refused:
        svc.submit(ex_year, draft)  # nothing rated, no conclusion
    assert any("还没有得分" in p.message for p in refused.value.report.problems)
    draft = svc.submit(ex_year, replace(_rated(draft), recommended="150", conclusion="予以支持"))
    assert draft.status == "已提交"
    with pytest.raises(RejectedError):
        svc.save(ex_year, draft)  # submitted: no longer editable
    with pytest.raises(RejectedError):
        svc.review(ex_year, draft, False, "")  # 退回修改 needs the opinion
    draft = svc.finalize(ex_year, svc.review(ex_year, draft, True, "同意"))
    assert draft.status == "已定稿"
    draft = svc.reopen(ex_year, draft, "申报金额有误")
    assert draft.status == "退回修改" and draft.review_opinion == "申报金额有误"
    with pytest.raises(RejectedError):
        svc.save(ex_year, svc.new_for_project(ex_year, ex_year.ids["A2023003"]))  # one per project and year


def test_projects_needing_an_assessment_by_both_triggers(ex_year):
    from app.services import exante as svc
    from app.services import exante_year as year_svc

    needing = {r.code: r for r in year_svc.needing(ex_year, 2023)}
    assert set(needing) == {"A2023001", "A2023003"}
    assert "新增项目" in needing["A2023003"].reason and "100万元" in needing["A2023003"].reason
    assert "增长50.00%" in needing["A2023001"].reason and needing["A2023001"].previous_fen == 200_000_000
    assert year_svc.exante_marks(ex_year, 2023) == {ex_year.ids["A2023001"]: "需事前评估",
                                                    ex_year.ids["A2023003"]: "需事前评估"}
    svc.save(ex_year, svc.new_for_project(ex_year, ex_year.ids["A2023003"]))
    assert [r.code for r in year_svc.needing(ex_year, 2023)] == ["A2023001"]


def test_a_named_new_policy_and_the_report(ex_year, tmp_path):
    from app.io.exante_reports import render_report
    from app.services import exante as svc
    from app.services import exante_year as year_svc

    draft = replace(_rated(svc.new_named(ex_year, 2023, "农村供水保障政策"), "中", "良"), requested="500",
                    recommended="0", conclusion="不予支持", report_basic="政策拟覆盖全区12个村 <试点> & 推广")
    saved = svc.save(ex_year, draft)
    assert saved.project_id is None and saved.object_name == "农村供水保障政策"
    view = year_svc.report_view(ex_year, saved)
    assert view.dimension_rows[-1][0] == "合计" and view.dimension_rows[-1][4] == "60.00"
    assert "调减500.00万元" in view.conclusion_line
    render_report(view, tmp_path / "r.pdf")
    assert (tmp_path / "r.pdf").stat().st_size > 10_000


def test_demo_assessments_show_as_printed(demo_copy, tmp_path):
    from app.io.exante_reports import render_summary
    from app.services import exante as svc
    from app.services import exante_year as year_svc

    rows = {r.name: r for r in year_svc.list_year(demo_copy, 2024)}
    education, ecology = rows["教育综合改革专项资金"], rows["生态保护项目资金"]
    assert (education.total, education.grade, education.cut_fen) == (Decimal("80.00"), "良", 8_825_340_000)
    assert (ecology.total, ecology.grade) == (Decimal("77.50"), "中")
    draft = svc.open_assessment(demo_copy, education.assessment_id)
    assert draft.printed and draft.printed_total == Decimal("80.00")
    assert render_summary(year_svc.summary(demo_copy, 2024), "xlsx", tmp_path / "s.xlsx") == 2
