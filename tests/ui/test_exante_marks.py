"""The project and target pages mark a project the pack's trigger names (新增 ≥ 100万元) while it
has no 事前绩效评估; the mark goes once an assessment is saved."""

from __future__ import annotations

from app.services import exante, projects
from tests.support import project_raw


def marks_of(page, model) -> dict[str, str]:
    return {r.code: r.mark for r in model.rows()}


def test_a_new_project_of_a_million_is_marked_until_assessed(year, stage_page, settle):
    new_id = projects.save_project(year, project_raw(code="DH2023009", name="新建城市书房", category="新增",
                                                     annual_budget="150", initial_budget="150"))
    page = stage_page("projects", year)
    assert marks_of(page, page.model)["DH2023009"] == "需事前评估"
    assert marks_of(page, page.model)["DH2023005"] == ""  # 延续, no rise: nothing to assess
    targets_page = stage_page("targets", year)
    assert marks_of(targets_page, targets_page.model)["DH2023009"] == "需事前评估"
    exante.save(year, exante.new_for_project(year, new_id))
    settle()
    assert marks_of(page, page.model)["DH2023009"] == ""
    assert marks_of(targets_page, targets_page.model)["DH2023009"] == ""
