"""A stored score keeps its 规则方案 version on screen after the pack changes (issue 16): a finalized
重点评价 opened from its page keeps its 优 and says 第1版 (reopened, it is graded by 第2版); a 事前评估
handed in keeps its score and says 第1版; the targets list says which version each target's scores
were computed with."""

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from app.services import exante as ex, key_eval as ke, rule_packs, targets
from app.services.projects import list_projects
from ui import messages


@pytest.fixture(autouse=True)
def yes(monkeypatch):
    monkeypatch.setattr(messages, "confirm_step", lambda parent, title, sentence: True)


def _project(ws, code="DH2023005"):
    return next(p.id for p in list_projects(ws, 2023) if p.code == code)


def test_a_finalized_evaluation_keeps_its_grade_and_version_in_its_form(qtbot, year, stage_page, settle):
    draft = ke.with_preset(year, ke.new_evaluation(year, 2023, project_id=_project(year)), "德惠 15/15/50/20")
    leaves = [replace(line, score=line.points) for line in draft.leaves]
    leaves[0] = replace(leaves[0], score=f"{float(leaves[0].points) - 2.5:g}", deduction="立项依据不充分")
    ke.finalize(year, ke.review(year, ke.submit(year, replace(draft, leaves=leaves)), True, "同意"))  # 97.5 优 by 第1版
    rule_packs.save(year, {"grades/0/min": "98"}, "提高“优”的分数线")
    page = stage_page("key_eval", year, 2023)
    assert page.model.rows()[0].grade == "优"
    page.open_evaluation(0)
    settle()
    form = page.form
    qtbot.addWidget(form)
    assert form.dims.value("综合绩效", "grade") == "优"
    assert "等级 优" in form.totals.text() and "按规则方案第1版计分" in form.totals.text()
    assert form.reopen("补充佐证材料") and form.draft.status == "退回修改"  # being edited again: graded by 第2版
    assert form.dims.value("综合绩效", "grade") == "良" and "按规则方案第2版计分" in form.totals.text()
    form.done(0)


def test_an_assessment_handed_in_keeps_its_score_and_version_in_its_form(qtbot, year, stage_page, settle):
    draft = ex.new_for_project(year, _project(year))
    draft = replace(draft, lines=[replace(line, grade="良", self_grade="良") for line in draft.lines],
                    recommended="500", conclusion="予以支持")
    ex.submit(year, draft)  # 80分 良 by 第1版
    rule_packs.save(year, {"exante/ratings/良": "0.70"}, "“良”按七成计分")
    page = stage_page("exante", year, 2023)
    page.open_assessment(0)
    settle()
    form = page.form
    qtbot.addWidget(form)
    assert "审核评估：80分 等级：良" in form.totals.text() and "按规则方案第1版计分" in form.totals.text()
    form.done(0)
    fresh = ex.new_for_project(year, _project(year, "DH2023002"))
    page.new_assessment(project_id=fresh.project_id)
    settle()
    form = page.form
    qtbot.addWidget(form)
    assert "按规则方案第2版计分" in form.totals.text()
    form.done(0)


def test_the_targets_list_says_the_version_of_each_score(qtbot, year, stage_page, settle):
    rule_packs.save(year, {"target_check/min_annual_goal_chars": "300"}, "提高年度目标字数要求")
    page = stage_page("targets", year, 2023)
    headers = [page.model.headerData(n, Qt.Horizontal) for n in range(page.model.columnCount())]
    column = headers.index("计分规则方案")
    assert column == headers.index("审核得分") + 1
    row = [r.code for r in page.model.rows()].index("DH2023002")  # approved under 第1版
    assert page.model.index(row, column).data() == "第1版"
    assert targets.list_targets(year, 2023)[row].review_score is not None
