"""Who may see and do what: a user's scope as SQL conditions on any stage's records, and the one
permission check the workflow kernel asks before every step, edit, creation and import row.

    rows = select(Project).where(*access.where(actor, Project))   # a 主管部门 sees its own
    access.permission(actor, wf, "审核通过", record)              # None, or the sentence refusing

Records are in scope through their project (主管部门: its department; 预算单位: its unit; 财政业务科室:
its 归口科室; 乡镇财政所: its township's region code), a department-level record through its
department, and for a 第三方机构 through the evaluations and assessments that name it. 绩效科 and
只读 see the whole county; on a database without users the local user sees and may do everything."""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import object_session

from app.rules import roles as R
from app.rules.validation import RejectedError
from app.services.actor import Actor, Scope
from db.models import Agency, Department, ExAnteAssessment, FinanceOffice, KeyEvaluation, Project, Region

OUT_OF_SCOPE = "名下无此项目"


# -- resolving a scope ---------------------------------------------------------------------------------------
def resolve(s, role: str, code: Optional[str]) -> Optional[Scope]:
    """The scope a role's code names, or RejectedError saying what the code should be."""
    if role not in R.ROLES:
        raise RejectedError(f"角色应为{'、'.join(R.ROLES)}之一。")
    what = R.SCOPE_OF[role]
    code = (code or "").strip()
    if what is None:
        if code:
            raise RejectedError(f"{role}用户可查看全县数据，不需要指定范围，请去掉范围。")
        return None
    if not code:
        raise RejectedError(f"{role}用户须指定范围：{what}。")
    if role in (R.DEPARTMENT, R.UNIT):
        dept = s.scalars(select(Department).where(Department.code == code)).first()
        if dept is None:
            raise RejectedError(f"没有编码为“{code}”的部门或单位，请先在基础数据中建立，或检查{what}。")
        ids = {"department_id": dept.id} if role == R.DEPARTMENT else {"unit_id": dept.id}
        return Scope(role, code, dept.name, **ids)
    if role == R.OFFICE:
        office = s.scalars(select(FinanceOffice).where(FinanceOffice.name == code)).first()
        if office is None:
            raise RejectedError(f"没有名为“{code}”的归口科室，请先在基础数据中建立。")
        return Scope(role, code, office.name, office_id=office.id)
    if role == R.TOWNSHIP:
        region = s.scalars(select(Region).where(Region.code == code)).first()
        if region is None:
            raise RejectedError(f"没有区划代码为“{code}”的乡镇，请先在基础数据中建立。")
        return Scope(role, code, region.name, region_code=code)
    agency = s.scalars(select(Agency).where(or_(Agency.credit_code == code, Agency.name == code))).first()
    if agency is None:
        raise RejectedError(f"没有统一社会信用代码（或名称）为“{code}”的第三方机构，请先在第三方机构中登记。")
    return Scope(role, code, agency.name, agency_id=agency.id)


# -- scope as SQL ----------------------------------------------------------------------------------------------
def project_clause(scope: Scope) -> ColumnElement:
    """Which projects a scope holds."""
    if scope.department_id is not None:
        return Project.department_id == scope.department_id
    if scope.unit_id is not None:
        return Project.unit_id == scope.unit_id
    if scope.office_id is not None:
        return Project.office_id == scope.office_id
    if scope.region_code is not None:
        return Project.region_code == scope.region_code
    if scope.agency_id is not None:
        return or_(Project.id.in_(select(KeyEvaluation.project_id).where(KeyEvaluation.agency_id == scope.agency_id)),
                   Project.id.in_(select(ExAnteAssessment.project_id)
                                  .where(ExAnteAssessment.agency_id == scope.agency_id)))
    return false()


def _department_clause(scope: Scope, column) -> ColumnElement:
    """Which department-level records (部门整体) a scope holds, by their department column."""
    if scope.department_id is not None:
        return or_(column == scope.department_id,
                   column.in_(select(Department.id).where(Department.parent_id == scope.department_id)))
    if scope.unit_id is not None:
        return column == scope.unit_id
    if scope.office_id is not None:
        return column.in_(select(Project.department_id).where(Project.office_id == scope.office_id))
    if scope.region_code is not None:
        return column.in_(select(Department.id).where(Department.region_code == scope.region_code))
    return false()


def where(actor: Actor, model: Any) -> tuple[ColumnElement, ...]:
    """The conditions that keep a query of `model` to the actor's scope (none for a whole-county user)."""
    scope = actor.scope
    if scope is None:
        return ()
    if model is Project:
        return (project_clause(scope),)
    if model is Department:
        return (_department_clause(scope, Department.id),)
    if model is Agency:  # the register: a 第三方机构 sees its own, the others the whole register
        return (Agency.id == scope.agency_id,) if scope.agency_id is not None else ()
    if scope.agency_id is not None and hasattr(model, "agency_id"):
        return (model.agency_id == scope.agency_id,)
    parts = []
    of_project = hasattr(model, "project_id")
    if of_project:
        parts.append(model.project_id.in_(select(Project.id).where(project_clause(scope))))
    if hasattr(model, "department_id"):  # a department-level record (部门整体): no project — else the project decides
        held = _department_clause(scope, model.department_id)
        parts.append(and_(model.project_id.is_(None), held) if of_project else held)
    if not parts and scope.region_code is not None and hasattr(model, "region_code"):
        parts.append(model.region_code == scope.region_code)
    return (or_(*parts),) if parts else (false(),)


def holds(s, actor: Actor, record: Any) -> bool:
    """Whether a stored record lies within the actor's scope."""
    if actor.scope is None or record is None or getattr(record, "id", None) is None:
        return True
    model = type(record)
    return bool(s.scalar(select(func.count()).select_from(model).where(model.id == record.id, *where(actor, model))))


# -- the kernel's check ---------------------------------------------------------------------------------------
def permission(actor: Actor, wf: Any, action: str, record: Any = None) -> Optional[str]:
    """None when the actor may take `action` on a record of the workflow `wf` (its noun names the
    kind); otherwise the sentence refusing it. No role: a database without users, all allowed."""
    if not actor.role:
        return None
    rights = actor.rights or R.Rights()
    level = getattr(record, "review_level", None) if getattr(record, "status", None) == "已提交" else None
    allowed = rights.roles_for(wf.noun, action, level)
    if actor.read_only or actor.role not in allowed:
        return R.refusal(actor.role, wf.noun, action, allowed)
    session = object_session(record) if record is not None else None
    if session is not None and not holds(session, actor, record):
        return f"{wf.this}不在您的管理范围（{actor.scope.label or actor.scope.code}）内，不能{action}。"
    return None
