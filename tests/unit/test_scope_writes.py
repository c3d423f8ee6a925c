"""Writes a scoped user makes stay within the scope: 生成本年度自评表 makes only the user's own tables
(and says so), a new 自评表, 事前评估 or 重点评价 is refused under another department's project, a
第三方机构's evaluation names the agency itself, and 佐证材料 are added, removed or opened only by whom
may change (or see) the record they belong to."""

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app.rules.validation import RejectedError
from app.services import agencies, exante, key_eval, rectification, self_eval, users
from db.models import Attachment, ExAnteAssessment, KeyEvaluation, Project, SelfEvaluation

RELIEF, WATER = "DH2023002", "DH2023005"  # both the 城市管理局's (213001); RELIEF's target is approved


@pytest.fixture
def people(year):
    """`year` with users: 刘绩效 绩效科, 张主管 主管部门 213001, 赵交通 主管部门 207001, 领导 只读, and two
    agencies' users 天健 and 信永 (第三方机构) — password "secret-1"; logged in as 刘绩效."""
    ws = year
    users.add_user(ws, "刘绩效", "绩效科", None, "secret-1")
    ws.actor = users.login(ws, "刘绩效", "secret-1")
    for name in ("天健会计师事务所", "信永中和会计师事务所"):
        agencies.save_agency(ws, {"name": name, "credit_code": "", "contact": "张敏", "phone": "0871-63123456",
                                  "role": "评价", "note": ""})
    for name, role, scope in (("张主管", "主管部门", "213001"), ("赵交通", "主管部门", "207001"), ("领导", "只读", None),
                              ("天健", "第三方机构", "天健会计师事务所"), ("信永", "第三方机构", "信永中和会计师事务所")):
        users.add_user(ws, name, role, scope, "secret-1")
    return ws


def as_user(ws, name):
    ws.actor = users.login(ws, name, "secret-1")
    return ws.actor


def pid(ws, code):
    with ws.session() as s:
        return s.scalar(select(Project.id).where(Project.code == code))


def count(ws, model):
    with ws.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def agency_id(ws, name):
    return next(i for i, n in exante.agencies(ws) if n == name)


# -- H1: 生成本年度自评表 ---------------------------------------------------------------------------------------
def test_generating_the_years_tables_makes_only_the_users_own_and_says_so(people):
    ws = people
    actor = as_user(ws, "赵交通")  # the transport bureau has no project this year
    made = self_eval.create_year(ws, 2023)
    assert made == 0 and count(ws, SelfEvaluation) == 0
    assert self_eval.created_sentence(2023, made, actor) == \
        "在您的管理范围（钢城区城乡交通运输局）内，2023年度需要自评的项目和部门都已有自评表，没有新生成。"
    actor = as_user(ws, "张主管")
    made = self_eval.create_year(ws, 2023)
    assert made == 2  # RELIEF's table and the 城市管理局's 部门整体 table
    assert self_eval.created_sentence(2023, made, actor).startswith(
        "已在您的管理范围（钢城区城市管理局）内生成2023年度自评表2份")


# -- M3: creating under a project outside the scope ------------------------------------------------------------
def test_a_department_user_cannot_create_records_under_another_departments_project(people):
    ws = people
    as_user(ws, "赵交通")
    with pytest.raises(RejectedError, match="不在您的管理范围（钢城区城乡交通运输局）内"):
        exante.save(ws, exante.new_for_project(ws, pid(ws, WATER)))
    with pytest.raises(RejectedError, match="不在您的管理范围"):
        self_eval.save(ws, self_eval.open_project(ws, pid(ws, RELIEF)))
    assert count(ws, ExAnteAssessment) == count(ws, SelfEvaluation) == 0
    as_user(ws, "张主管")  # the project's own department may
    assert exante.save(ws, exante.new_for_project(ws, pid(ws, WATER))).saved
    assert self_eval.save(ws, self_eval.open_project(ws, pid(ws, RELIEF))).saved


def test_an_agency_creates_and_keeps_only_evaluations_naming_itself(people):
    ws = people
    ours, theirs = agency_id(ws, "天健会计师事务所"), agency_id(ws, "信永中和会计师事务所")
    as_user(ws, "天健")
    draft = key_eval.new_evaluation(ws, 2023, project_id=pid(ws, WATER))
    assert draft.agency_id == ours and draft.editable  # a new project's evaluation: offered, naming the agency
    with pytest.raises(RejectedError, match="只能新建由本机构（天健会计师事务所）承担的重点评价"):
        key_eval.save(ws, replace(draft, agency_id=theirs))
    with pytest.raises(RejectedError, match="本机构"):
        key_eval.save(ws, replace(draft, agency_id=None))
    assert count(ws, KeyEvaluation) == 0
    saved = key_eval.save(ws, draft)
    with pytest.raises(RejectedError, match="评价机构须为本机构"):  # nor handed to another agency on edit
        key_eval.save(ws, replace(saved, agency_id=theirs))
    with ws.session() as s:
        assert s.get(KeyEvaluation, saved.eval_id).agency_id == ours
    assessment = exante.new_for_project(ws, pid(ws, WATER))
    assert assessment.agency_id == ours
    with pytest.raises(RejectedError, match="本机构"):
        exante.save(ws, replace(assessment, agency_id=theirs))
    assert exante.save(ws, assessment).saved


# -- M2: 佐证材料 --------------------------------------------------------------------------------------------------
def test_evidence_is_changed_only_by_whom_may_change_the_record(people, tmp_path):
    ws = people
    scan = tmp_path / "验收单.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    table = self_eval.save(ws, self_eval.open_project(ws, pid(ws, RELIEF)))  # by 刘绩效, a 草稿
    item = rectification.new_item(ws, 2023)
    item.description, item.responsible, item.project_id = "资金未按用途使用", "钢城区城市管理局", pid(ws, RELIEF)
    item = rectification.save(ws, item)
    kept = self_eval.add_evidence(ws, table, scan)
    kept_item = rectification.add_evidence(ws, item, scan)
    for name, said in (("领导", "只读用户"), ("赵交通", "不在您的管理范围")):
        as_user(ws, name)
        with pytest.raises(RejectedError, match=said):
            self_eval.add_evidence(ws, table, scan)
        with pytest.raises(RejectedError, match=said):
            self_eval.remove_evidence(ws, table, kept.id)
        with pytest.raises(RejectedError, match=said):
            rectification.add_evidence(ws, item, scan)
        with pytest.raises(RejectedError, match=said):
            rectification.remove_evidence(ws, item, kept_item.id)
    assert count(ws, Attachment) == 2
    with pytest.raises(RejectedError, match="不在您的管理范围内"):  # 赵交通 may not even open it
        rectification.copy_evidence(ws, kept.id, tmp_path / "out")
    as_user(ws, "张主管")  # the owning department may
    assert rectification.copy_evidence(ws, kept.id, tmp_path / "out").read_bytes() == b"%PDF-1.4 scan"
    self_eval.add_evidence(ws, table, scan)
    self_eval.remove_evidence(ws, table, kept.id)
    rectification.remove_evidence(ws, item, kept_item.id)
    assert count(ws, Attachment) == 1
