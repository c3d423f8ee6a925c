"""Who may write outside a stage's own workflow, and the scope checks the imports share.

The areas only 绩效科 keeps — 基础数据, 指标库, 规则包, 第三方机构, 培训与报送数, 新建年度, 演示数据, 真实性核查,
乡镇考核 (the hand scores of 乡镇预算绩效管理工作考核) —
and the projects (by the pack's `项目` rights) are declared as workflows without steps, so a refusal
is the pack's sentence (app.rules.roles.refusal), the same as for a workflow step:

    guard.permit(actor, guard.BASE_DATA)                   # 修改基础数据需由绩效科办理 …
    guard.permit(actor, guard.PROJECTS, "删除", project)   # the pack's 项目 rights, and in scope
    guard.may(actor, guard.LIBRARY, "导入")                 # the same, as a yes or no (a button's enabling)

An import row whose project lies outside the actor's scope is a bad cell with the words
access.OUT_OF_SCOPE (名下无此项目): `projects_outside` answers which ids those are, `fits` whether a
project a file would create (its 主管部门, 实施单位, 归口科室) lies within the scope.

A form's first save creates its record under a project or department: `permit_new` refuses one
outside the scope (a 第三方机构's must name the agency itself), `keep_within` an edit that moves a
record out of it."""

from __future__ import annotations

from typing import Any, Iterable, Optional

from sqlalchemy import select

from app.rules.validation import RejectedError
from app.services import access
from app.services.actor import Actor
from app.services.workflow import DRAFT, Workflow, may_edit, offered, permission_refusal, permit as _permit
from db.models import (Agency, Department, LibraryIndicator, Project, RulePack, TownshipScore, Training,
                       VerificationSample)

OUT_OF_SCOPE = access.OUT_OF_SCOPE

PROJECTS = Workflow(Project, "项目", "这个项目", ())
BASE_DATA = Workflow(Department, "基础数据", "基础数据", ())
LIBRARY = Workflow(LibraryIndicator, "指标库", "指标库", ())
RULE_PACK = Workflow(RulePack, "规则包", "规则包", ())
AGENCIES = Workflow(Agency, "第三方机构", "第三方机构", ())
STATS = Workflow(Training, "培训与报送数", "培训与报送数", ())
NEW_YEAR = Workflow(Project, "年度", "新年度", ())
DEMO = Workflow(Project, "演示数据", "演示数据", ())
VERIFICATION = Workflow(VerificationSample, "真实性核查", "这次抽样", ())
BACKUP = Workflow(Project, "数据库", "数据库", ())  # 备份 / 恢复: a backup holds every record and the password hashes
EXCHANGE = Workflow(Project, "数据交换", "数据包", ())  # 导出 / 导入数据包: the pack lists no role, so 绩效科
TOWNSHIPS = Workflow(TownshipScore, "乡镇考核", "这项乡镇考核得分", ())  # 评分: the county's hand scores, 绩效科


def permit(actor: Actor, area: Workflow, action: str = "修改", record: Any = None) -> None:
    """RejectedError with the pack's sentence when the actor may not `action` in the area (a
    只读 user never may; an action the pack does not list is 绩效科's alone)."""
    _permit(actor, area, action, record)


def may(actor: Actor, area: Workflow, action: str = "修改") -> bool:
    """Whether the actor may `action` in the area (or a stage's workflow) at all — what a page's
    write button is enabled by; taken, the service still checks the record and its scope. A
    database without users: always."""
    return permission_refusal(actor, area, action) is None


def projects_outside(s, actor: Actor, ids: Iterable[Optional[int]]) -> set[int]:
    """Which of these stored projects lie outside the actor's scope (none for a whole-county user)."""
    wanted = {i for i in ids if i is not None}
    if actor.scope is None or not wanted:
        return set()
    inside = set(s.scalars(select(Project.id).where(Project.id.in_(wanted), *access.where(actor, Project))))
    return wanted - inside


def fits(actor: Actor, dept: Optional[Department], unit: Optional[Department], office: Optional[str]) -> bool:
    """Whether a project run by `dept` through `unit` (归口科室 `office`) lies within the scope."""
    scope = actor.scope
    if scope is None:
        return True
    if scope.department_id is not None:
        return dept is not None and dept.id == scope.department_id
    if scope.unit_id is not None:
        return unit is not None and unit.id == scope.unit_id
    if scope.office_id is not None:
        return bool(office) and office == scope.label
    if scope.region_code is not None:
        return dept is not None and dept.region_code == scope.region_code
    return False  # a 第三方机构 holds only the projects its evaluations name


def permit_new(s, actor: Actor, area: Workflow, owner: Any = None, agency_id: Optional[int] = None) -> None:
    """Refuse creating a record of `area`: by the pack's 新增 rights; for a scoped user, under an `owner`
    (the stored project or department it belongs to, in session `s`) outside the scope; for a
    第三方机构, one that does not name the agency itself (`agency_id`) — its scope is what names it."""
    _permit(actor, area, "新增")
    scope = actor.scope
    if scope is None:
        return
    label = scope.label or scope.code
    if scope.agency_id is not None:
        if agency_id != scope.agency_id:
            raise RejectedError(f"您只能新建由本机构（{label}）承担的{area.noun}，请把评价机构选为“{label}”后再保存。")
        return
    if owner is None:
        raise RejectedError(f"新建的{area.noun}须属于您管理范围（{label}）内的项目或部门，请先选择项目后再新建。")
    if not access.holds(s, actor, owner):
        what = "项目" if isinstance(owner, Project) else "部门"
        raise RejectedError(f"{what}“{owner.name}”不在您的管理范围（{label}）内，不能为它新建{area.noun}。")


def keep_within(s, actor: Actor, area: Workflow, record: Any) -> None:
    """After a save changed the record's project, department or 评价机构: refuse (the caller's
    transaction writes nothing) when it would leave the actor's scope."""
    if actor.scope is None:
        return
    s.flush()
    if not access.holds(s, actor, record):
        label = actor.scope.label or actor.scope.code
        said = ("评价机构须为本机构" if actor.scope.agency_id is not None else "所属项目或部门须在您的管理范围内")
        raise RejectedError(f"{area.this}{said}（{label}），改到范围以外不能保存，请改回后再保存。")


def offer(wf: Workflow, record: Any, actor: Actor, owner: Any = None) -> dict[str, Any]:
    """The draft fields a form enables by: `actions` (the steps offered) and `editable`. For a
    stored record, workflow.offered / may_edit; for an unsaved draft (its first save creates it),
    the steps from 草稿 the actor may take on a new record of `owner` (its project or department)."""
    if record is not None:
        return {"actions": offered(wf, record, actor), "editable": may_edit(wf, record, actor)}
    if actor.scope is not None and actor.scope.agency_id is not None:
        owner = None  # a 第三方机构's new record is theirs by naming the agency (permit_new)
    if permission_refusal(actor, wf, "新增", owner) is not None:
        return {"actions": (), "editable": False}
    return {"actions": tuple(a for a in wf.actions_from(DRAFT) if permission_refusal(actor, wf, a, owner) is None),
            "editable": True}
