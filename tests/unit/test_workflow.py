"""The workflow kernel on its own: one vocabulary, steps from declared states only, a reason where
a step needs one, the version a form read, the permission hook, and the audit entry with the actor.
Refusals write nothing. Driven on a real target row (any stage's record works the same way)."""

import pytest
from sqlalchemy import select

from app.rules.validation import RejectedError
from app.services import projects, workflow
from app.services.actor import Actor
from app.services.workflow import APPROVE, PASS, REOPEN_APPROVED, RETURN, SUBMIT, Workflow
from db.models import AuditLog, PerformanceTarget
from tests.support import project_raw

WF = Workflow(PerformanceTarget, "绩效目标", "这个绩效目标", (SUBMIT, PASS, RETURN, APPROVE, REOPEN_APPROVED))
CLERK = Actor("张会计")


@pytest.fixture
def target(county):
    pid = projects.save_project(county, project_raw())
    with county.session() as s:
        row = PerformanceTarget(year=2023, kind="项目支出", project_id=pid, status=workflow.DRAFT, region_code="370117")
        s.add(row)
        s.flush()
        return row.id


def state(ws, target_id):
    with ws.session() as s:
        row = s.get(PerformanceTarget, target_id)
        return row.status, row.version


def step(ws, target_id, action, actor=CLERK, reason="", version=None):
    with ws.session() as s:
        held = s.get(PerformanceTarget, target_id).version if version is None else version
        return workflow.move(s, WF, target_id, held, action, actor, reason=reason).status


def audit_of(ws):
    with ws.session() as s:
        return [(a.user, a.action, a.summary) for a in s.scalars(select(AuditLog).where(AuditLog.entity == "绩效目标"))]


def test_the_one_vocabulary_and_what_each_state_allows():
    assert workflow.STATES == ("草稿", "已提交", "审核通过", "退回修改", "已批复", "已定稿")
    assert WF.actions_from("草稿") == ["提交"] and WF.actions_from("退回修改") == ["提交"]
    assert WF.actions_from("已提交") == ["审核通过", "退回修改"]
    assert WF.actions_from("审核通过") == ["批复"] and WF.actions_from("已批复") == ["退回"]
    assert WF.can_edit("草稿") and WF.can_edit("退回修改") and not WF.can_edit("已提交")


def test_steps_move_the_state_and_the_audit_names_the_actor(county, target):
    assert step(county, target, "提交") == "已提交"
    assert step(county, target, "退回修改", reason="成本指标请细化") == "退回修改"
    assert step(county, target, "提交") == "已提交"
    assert step(county, target, "审核通过", actor=Actor("李科长")) == "审核通过"
    assert step(county, target, "批复", actor=Actor("李科长")) == "已批复"
    log = audit_of(county)
    assert [a for _, a, _ in log] == ["提交", "退回修改", "提交", "审核通过", "批复"]
    assert [u for u, _, _ in log] == ["张会计"] * 3 + ["李科长"] * 2
    assert "成本指标请细化" in log[1][2]


def test_refusals_are_sentences_and_write_nothing(county, target):
    before = state(county, target)
    with pytest.raises(RejectedError, match="不能审核通过"):
        step(county, target, "审核通过")  # a 草稿 is not reviewed
    with pytest.raises(RejectedError, match="刚被.*修改过"):
        step(county, target, "提交", version=before[1] + 1)  # the form read an older version
    step(county, target, "提交")
    step(county, target, "审核通过")
    step(county, target, "批复")
    approved = state(county, target)
    with pytest.raises(RejectedError, match="必须填写原因"):
        step(county, target, "退回", reason="  ")
    assert state(county, target) == approved and len(audit_of(county)) == 3
    assert step(county, target, "退回", reason="年中追加预算") == "退回修改"


def test_a_permission_check_plugs_in_and_refuses_with_its_sentence(county, target, monkeypatch):
    def only_the_bureau_approves(actor, wf, action, record):
        if action in ("审核通过", "批复") and actor.role != "绩效科":
            return f"{actor.name}没有{action}{wf.noun}的权限，请由绩效科办理。"
        return None

    monkeypatch.setattr(workflow, "PERMISSION_CHECKS", [only_the_bureau_approves])
    step(county, target, "提交")
    before = state(county, target)
    with pytest.raises(RejectedError, match="张会计没有审核通过绩效目标的权限"):
        step(county, target, "审核通过")
    assert state(county, target) == before
    assert step(county, target, "审核通过", actor=Actor("李科长", "绩效科")) == "审核通过"


def test_a_deleted_record_is_a_sentence(county, target):
    with county.session() as s:
        version = s.get(PerformanceTarget, target).version
        s.delete(s.get(PerformanceTarget, target))
    with pytest.raises(RejectedError, match="已被删除"):
        step(county, target, "提交", version=version)


def test_two_steps_may_share_a_word_and_differ_in_where_they_start(county, target):
    from app.services.workflow import REOPEN_PASSED

    both = Workflow(PerformanceTarget, "绩效目标", "这个绩效目标", (SUBMIT, PASS, RETURN, REOPEN_PASSED, APPROVE, REOPEN_APPROVED))
    assert both.actions_from("审核通过") == ["退回", "批复"] and both.actions_from("已批复") == ["退回"]

    def go(action, reason=""):
        with county.session() as s:
            held = s.get(PerformanceTarget, target).version
            return workflow.move(s, both, target, held, action, CLERK, reason=reason).status

    go("提交")
    go("审核通过")
    assert go("退回", reason="资料不全") == "退回修改"  # from 审核通过
    go("提交")
    go("审核通过")
    go("批复")
    with pytest.raises(RejectedError, match="必须填写原因"):
        go("退回")
    assert go("退回", reason="年中追加预算") == "退回修改"  # from 已批复


def test_an_import_asks_the_kernel_what_may_change(county, target, monkeypatch):
    assert workflow.change_refusal(WF, "草稿", CLERK) is None
    assert workflow.change_refusal(WF, "已提交", CLERK) == "对应的绩效目标状态为“已提交”，不能用导入修改"
    monkeypatch.setattr(workflow, "PERMISSION_CHECKS", [lambda actor, wf, action, record: f"{actor.name}不能{action}"])
    assert workflow.change_refusal(WF, "草稿", CLERK) == "张会计不能修改"
    with pytest.raises(RejectedError, match="张会计不能新增"):
        workflow.permit(CLERK, WF, "新增")
