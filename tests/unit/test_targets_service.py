"""绩效目标 workflow through the services: save with the check, submit, review, approve, reopen."""

import re
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.targets import IndicatorDraft
from app.rules.validation import RejectedError
from app.services import projects, targets
from app.services.actor import Actor
from db.models import AuditLog, TargetReview
from tests.support import GOAL, GOOD_ROWS, project_raw

SCORES = {"完整性": Decimal(90), "相关性": Decimal(85), "合理性": Decimal(80), "可衡量性": Decimal(88)}


@pytest.fixture
def draft(county):
    pid = projects.save_project(county, project_raw())
    return targets.open_target(county, pid)


def filled(d):
    return replace(d, annual_goal=GOAL, indicators=[replace(r) for r in GOOD_ROWS])


def test_a_new_target_takes_the_projects_funds_and_starts_as_draft(draft):
    assert (draft.status, draft.year, draft.funds_fen, draft.indicators) == ("草稿", 2023, 3_201_180_000, [])


def test_opening_creates_nothing_the_first_save_creates_the_target(county, draft):
    told = []
    county.subscribe(told.append)
    assert not draft.saved and targets.open_target(county, draft.project_id) == draft  # opened twice: still nothing
    assert [r.status for r in targets.list_targets(county, 2023)] == ["未填报"] and told == []
    assert "绩效目标" not in [e for e, _ in entities(county)]
    saved = targets.save_target(county, filled(draft), actor=Actor("李填报"))
    assert saved.saved and saved.status == "草稿" and [r.status for r in targets.list_targets(county, 2023)] == ["草稿"]
    assert [a for e, a in entities(county) if e == "绩效目标"] == ["新增", "修改"]
    assert audit_rows(county) == [("李填报", "新增"), ("李填报", "修改")]
    assert [c.ids("targets") for c in told] == [{saved.target_id}]


def test_the_first_save_asks_the_workflows_permission_to_create(county, draft, monkeypatch):
    from app.services import workflow

    monkeypatch.setattr(workflow, "PERMISSION_CHECKS",
                        [lambda actor, wf, action, record: "您没有新增绩效目标的权限。" if action == "新增" else None])
    with pytest.raises(RejectedError, match="您没有新增绩效目标的权限"):
        targets.save_target(county, filled(draft))
    assert [r.status for r in targets.list_targets(county, 2023)] == ["未填报"]


def test_submitting_a_never_saved_target_creates_then_submits_it(county, draft):
    submitted = targets.submit(county, filled(draft))
    assert submitted.saved and submitted.status == "已提交"
    assert [a for e, a in entities(county) if e == "绩效目标"] == ["新增", "修改", "提交"]


def test_a_refused_first_submit_creates_nothing(county, draft):
    with pytest.raises(RejectedError):
        targets.submit(county, replace(draft, annual_goal="完成全年既定目标"))
    assert [r.status for r in targets.list_targets(county, 2023)] == ["未填报"]


def test_a_second_unsaved_form_of_the_same_target_is_refused(county, draft):
    targets.save_target(county, filled(draft))
    with pytest.raises(RejectedError) as exc:
        targets.save_target(county, replace(draft, annual_goal="另一个窗口里的表单"))
    assert "刚由其他人建立" in exc.value.summary


def test_directions_as_users_write_them_are_saved_as_the_canonical_sign(county, draft):
    spelled = [replace(r, direction=d) for r, d in zip(GOOD_ROWS, (">=", "大于等于", "等于", "<=", "正向指标", "＞＝"))]
    saved = targets.save_target(county, replace(filled(draft), indicators=spelled))
    assert [i.direction for i in saved.indicators] == ["≥", "≥", "=", "≤", "≥", "≥"]


def entities(ws):
    with ws.session() as s:
        return [(a.entity, a.action) for a in s.scalars(select(AuditLog).order_by(AuditLog.id))]


def test_saving_stores_the_grid_and_the_quality_score(county, draft):
    saved = targets.save_target(county, filled(draft))
    assert [i.level3 for i in saved.indicators] == [r.level3 for r in GOOD_ROWS]
    assert saved.indicators[0].points == "20" and saved.status == "草稿"
    again = targets.open_target(county, draft.project_id)
    assert again.indicators == saved.indicators and targets.check(county, again).quality_score == 100


def test_bad_cells_are_named_by_row_and_column(county, draft):
    rows = [replace(GOOD_ROWS[0], direction="大于"), replace(GOOD_ROWS[1], points="十分")]
    with pytest.raises(RejectedError) as exc:
        targets.save_target(county, replace(draft, indicators=rows))
    assert {p.field: p.message for p in exc.value.report.problems} == {
        "0:direction": "应为≥、≤、=或定性", "1:points": "应为不小于0的数字"}


def test_a_target_with_errors_cannot_be_submitted(county, draft):
    vague = replace(draft, annual_goal="完成全年既定目标", indicators=[IndicatorDraft("产出", "数量", "数量指标", "定性", "明显提高")])
    with pytest.raises(RejectedError) as exc:
        targets.submit(county, vague)
    assert exc.value.summary.startswith("还有") and "不能提交" in exc.value.summary
    assert targets.open_target(county, draft.project_id).status == "草稿"


def test_the_whole_workflow_with_a_return_and_an_approval(county, draft):
    submitted = targets.submit(county, filled(draft))
    assert submitted.status == "已提交" and not targets.TARGETS.can_edit(submitted.status)
    with pytest.raises(RejectedError):
        targets.save_target(county, submitted)  # submitted targets are read-only
    with pytest.raises(RejectedError) as exc:
        targets.review(county, submitted, SCORES, passed=False, opinion="")
    assert exc.value.summary == "退回修改时请填写审核意见，说明要改什么。"
    returned = targets.review(county, submitted, SCORES, passed=False, opinion="成本指标请按合同细化到公厕运行费。")
    assert returned.status == "退回修改" and targets.TARGETS.can_edit(returned.status)
    resubmitted = targets.submit(county, returned)
    low = {k: Decimal(60) for k in SCORES}
    with pytest.raises(RejectedError) as exc:
        targets.review(county, resubmitted, low, passed=True, opinion="")
    assert exc.value.summary == "审核得分60.00分，低于75分的通过线，不能审核通过，请退回修改。"
    passed = targets.review(county, resubmitted, SCORES, passed=True, opinion="同意")
    approved = targets.approve(county, passed)
    assert approved.status == "已批复"
    with county.session() as s:
        actions = s.scalars(select(AuditLog.action).where(AuditLog.entity == "绩效目标").order_by(AuditLog.id)).all()
    assert actions == ["新增", "修改", "提交", "退回修改", "修改", "提交", "审核通过", "批复"]


def test_reopening_an_approved_target_needs_a_reason_and_keeps_the_old_version(county, draft):
    approved = targets.approve(county, targets.review(county, targets.submit(county, filled(draft)), SCORES, True, "同意"))
    with pytest.raises(RejectedError):
        targets.reopen(county, approved, "  ")
    reopened = targets.reopen(county, approved, "年中追加预算，数量指标调整")
    assert reopened.status == "退回修改" and targets.TARGETS.can_edit(reopened.status)
    changed = targets.save_target(county, replace(reopened, indicators=[replace(GOOD_ROWS[0], value="400")] + GOOD_ROWS[1:]))
    kept = targets.snapshots(county, approved.target_id)
    assert [(k["revision"], k["reason"], k["indicators"][0]["value"]) for k in kept] == [(1, "年中追加预算，数量指标调整", "320")]
    assert changed.indicators[0].value == "400"


def test_a_stale_draft_is_refused(county, draft):
    draft = targets.save_target(county, filled(draft))
    first = targets.save_target(county, replace(draft, overall_goal="第一次修改"))
    with pytest.raises(RejectedError) as exc:
        targets.save_target(county, replace(draft, annual_goal="别人的旧表单"))  # opened before the first save
    assert re.search("刚被.*修改过", exc.value.summary)
    assert targets.open_target(county, draft.project_id).annual_goal == first.annual_goal


def audit_rows(ws):
    with ws.session() as s:
        return [(a.user, a.action) for a in s.scalars(select(AuditLog).where(AuditLog.entity == "绩效目标")
                                                      .order_by(AuditLog.id))]


def test_a_step_without_its_reason_is_refused_with_nothing_written(county, draft):
    submitted = targets.submit(county, filled(draft))
    approved = targets.approve(county, targets.review(county, submitted, SCORES, True, "同意"))
    logged = audit_rows(county)
    with pytest.raises(RejectedError) as exc:
        targets.review(county, submitted, SCORES, passed=False, opinion="  ")
    assert exc.value.summary == "退回修改时请填写审核意见，说明要改什么。"
    with pytest.raises(RejectedError) as exc:
        targets.reopen(county, approved, "")
    assert exc.value.summary == "退回已批复的绩效目标必须填写原因。"
    assert audit_rows(county) == logged and targets.snapshots(county, approved.target_id) == []
    assert targets.open_target(county, draft.project_id).status == "已批复"


def test_review_and_approval_record_the_actor(county, draft):
    clerk, reviewer = Actor("李填报"), Actor("王科长")
    submitted = targets.submit(county, filled(draft), actor=clerk)
    passed = targets.review(county, submitted, SCORES, True, "同意", actor=reviewer)
    targets.approve(county, passed, actor=reviewer)
    assert audit_rows(county)[-4:] == [("李填报", "修改"), ("李填报", "提交"), ("王科长", "审核通过"), ("王科长", "批复")]
    with county.session() as s:
        assert s.scalars(select(TargetReview.reviewer)).all() == ["王科长"]


def test_every_write_tells_the_pages_which_target_changed(county, draft):
    told = []
    county.subscribe(told.append)
    saved = targets.save_target(county, filled(draft))
    with pytest.raises(RejectedError):
        targets.save_target(county, filled(draft))  # created meanwhile: refused, nobody told
    targets.submit(county, saved)
    assert [(c.stage, c.year, c.ids) for changes in told for c in changes.items][:1] == [
        ("targets", 2023, frozenset({saved.target_id}))]
    assert len(told) == 2 and all(changes.touches({"targets"}, 2023) for changes in told)


def test_passing_needs_every_score_returning_may_leave_them_all_out(county, draft):
    submitted = targets.submit(county, filled(draft))
    with pytest.raises(RejectedError) as exc:
        targets.review(county, submitted, {}, passed=True, opinion="同意")
    assert exc.value.summary == "请为完整性、相关性、合理性、可衡量性各打0到100分后再审核通过。"
    with pytest.raises(RejectedError, match="退回修改时也可都不打分"):
        targets.review(county, submitted, {"完整性": Decimal(80)}, passed=False, opinion="请细化")
    returned = targets.review(county, submitted, {}, passed=False, opinion="成本指标请细化到合同。")
    assert returned.status == "退回修改"
    with county.session() as s:
        review = s.scalars(select(TargetReview)).one()
    assert (review.score, review.scores, review.decision) == (None, None, "退回修改")
    assert [r.review_score for r in targets.list_targets(county, 2023)] == [None]
