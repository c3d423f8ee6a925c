"""Who acts: every write and workflow step names its actor. On a database with no users the actor
is the computer's own user with no role (everything allowed, as on a single PC); once users exist,
the login makes the actor: its name, role, scope and the pack's rights (app.rules.roles)."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Optional

from app.rules.roles import READ_ONLY, Rights


@dataclass(frozen=True)
class Scope:
    """What a role's scope names, resolved once at login: the ids a list is filtered by."""

    kind: str  # the role
    code: str = ""  # as given (部门编码, 单位编码, 归口科室名称, 区划代码, 统一社会信用代码)
    label: str = ""  # its name, for sentences (钢城区城市管理局)
    department_id: Optional[int] = None  # 主管部门
    unit_id: Optional[int] = None  # 预算单位
    office_id: Optional[int] = None  # 财政业务科室
    region_code: Optional[str] = None  # 乡镇财政所
    agency_id: Optional[int] = None  # 第三方机构


@dataclass(frozen=True)
class Actor:
    """Who takes a step: the login name and, once users exist, the role, its scope and rights."""

    name: str
    role: str = ""  # "" — no users on this database: the local user may do everything
    scope: Optional[Scope] = None  # None: the whole county (绩效科, 只读, or no users)
    rights: Optional[Rights] = None

    @property
    def logged_in(self) -> bool:
        return bool(self.role)

    @property
    def read_only(self) -> bool:
        return self.role == READ_ONLY

    @property
    def title(self) -> str:
        """How the window names the user: 张三（主管部门：钢城区城市管理局）."""
        if not self.role:
            return self.name
        where = f"：{self.scope.label or self.scope.code}" if self.scope and (self.scope.label or self.scope.code) else ""
        return f"{self.name}（{self.role}{where}）"


def local_actor() -> Actor:
    try:
        return Actor(getpass.getuser())
    except Exception:  # no login name on some locked-down PCs
        return Actor("未知用户")
