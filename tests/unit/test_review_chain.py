"""A target climbs the default chain 单位提交 → 主管部门审核 → 财政业务科室审核 → 绩效科批复 with four
users, each able to take only their own step; each level's opinion is kept; a 退回修改 at any level
sends it back to the unit; a 只读 user and a user outside the scope are refused in sentences; the
later of two saves of one record names who changed it and when."""

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.rules.validation import RejectedError
from app.services import targets, users, workflow
from app.services.target_records import TARGETS
from db.models import PerformanceTarget, ReviewOpinion
from tests.support import GOAL, GOOD_ROWS

SCORES = {k: Decimal(90) for k in ("完整性", "相关性", "合理性", "可衡量性")}


def as_user(ws, name):
    ws.actor = users.login(ws, name, "secret-1")
    return ws.actor


def offered(ws, draft):
    with ws.session() as s:
        return workflow.offered(TARGETS, s.get(PerformanceTarget, draft.target_id), ws.actor)


def test_four_levels_each_take_only_their_own_step(bureau):
    ws = bureau
    as_user(ws, "李单位")
    draft = targets.submit(ws, replace(targets.open_target(ws, ws.project_id), annual_goal=GOAL,
                                       indicators=[replace(r, value="50" if r.level2 == "成本" else r.value)
                                                   for r in GOOD_ROWS]))
    assert draft.status == "已提交" and offered(ws, draft) == ()  # the unit waits
    as_user(ws, "王科室")
    assert offered(ws, draft) == ()  # not yet the office's level
    with pytest.raises(RejectedError, match="审核通过绩效目标需由绩效科、主管部门、乡镇财政所办理"):
        targets.review(ws, draft, SCORES, True, "同意")
    as_user(ws, "张主管")
    assert offered(ws, draft) == ("审核通过", "退回修改")
    draft = targets.review(ws, draft, SCORES, True, "主管部门同意")
    assert draft.status == "已提交"  # handed to the next level
    assert offered(ws, draft) == ()
    as_user(ws, "王科室")
    assert offered(ws, draft) == ("审核通过", "退回修改")
    draft = targets.review(ws, draft, SCORES, True, "业务科室同意")
    assert draft.status == "审核通过"
    with pytest.raises(RejectedError, match="批复绩效目标需由绩效科办理，您的角色是财政业务科室"):
        targets.approve(ws, draft)
    as_user(ws, "刘绩效")
    assert offered(ws, draft) == ("批复",)
    draft = targets.approve(ws, draft)
    assert draft.status == "已批复"
    with ws.session() as s:
        levels = [(o.level, o.action, o.opinion, o.user) for o in s.scalars(
            select(ReviewOpinion).order_by(ReviewOpinion.id))]
    assert levels == [("主管部门审核", "审核通过", "主管部门同意", "张主管"),
                      ("财政业务科室审核", "审核通过", "业务科室同意", "王科室"),
                      ("绩效科批复", "批复", None, "刘绩效")]


def test_a_return_at_any_level_goes_back_to_the_unit_and_the_chain_starts_again(bureau):
    ws = bureau
    as_user(ws, "李单位")
    draft = targets.submit(ws, replace(targets.open_target(ws, ws.project_id), annual_goal=GOAL,
                                       indicators=[replace(r, value="50" if r.level2 == "成本" else r.value)
                                                   for r in GOOD_ROWS]))
    as_user(ws, "张主管")
    draft = targets.review(ws, draft, SCORES, True, "同意")
    as_user(ws, "王科室")
    draft = targets.review(ws, draft, {}, False, "产出指标不够具体")
    assert draft.status == "退回修改"
    as_user(ws, "李单位")
    draft = targets.submit(ws, draft)
    as_user(ws, "王科室")
    assert offered(ws, draft) == ()  # the 主管部门 reviews first again
    as_user(ws, "张主管")
    assert offered(ws, draft) == ("审核通过", "退回修改")


def test_read_only_and_out_of_scope_users_change_nothing(bureau):
    ws = bureau
    as_user(ws, "李单位")
    draft = targets.submit(ws, replace(targets.open_target(ws, ws.project_id), annual_goal=GOAL,
                                       indicators=[replace(r, value="50" if r.level2 == "成本" else r.value)
                                                   for r in GOOD_ROWS]))
    as_user(ws, "领导")
    assert offered(ws, draft) == ()
    with pytest.raises(RejectedError, match="您是只读用户"):
        targets.review(ws, draft, SCORES, True, "同意")
    as_user(ws, "赵交通")  # a 主管部门, but of another department
    with pytest.raises(RejectedError, match="不在您的管理范围（钢城区城乡交通运输局）内"):
        targets.review(ws, draft, SCORES, True, "同意")
    with ws.session() as s:
        assert s.get(PerformanceTarget, draft.target_id).status == "已提交"


def test_the_later_of_two_saves_names_who_changed_the_record_and_when(bureau):
    ws = bureau
    as_user(ws, "李单位")
    first = targets.save_target(ws, replace(targets.open_target(ws, ws.project_id), annual_goal=GOAL))
    targets.save_target(ws, replace(first, annual_goal=GOAL + "（修订）"))
    with pytest.raises(RejectedError, match=r"刚被李单位于\d+月\d+日 \d\d:\d\d修改过.*您填写的内容仍在窗口中"):
        targets.save_target(ws, replace(first, annual_goal="另一人的修改"))
    assert targets.open_target(ws, ws.project_id).annual_goal == GOAL + "（修订）"
