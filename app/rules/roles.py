"""Roles and who may take which step (pure; read from the rule pack's `roles` section).

Seven roles, each with one scope: 绩效科 (rules, library, final approval, every record),
财政业务科室 (the projects of its 归口科室), 主管部门 (its department and units), 预算单位 (its own unit),
乡镇财政所 (its township), 第三方机构 (the evaluations that name it), 只读 (sees, changes nothing).

`Rights` answers which roles may take an action on a kind of record (the workflow's noun: 绩效目标,
监控记录 …) and, for 审核通过 / 退回修改 of a submitted record, which level of the review chain is
reviewing it: 单位提交 → 主管部门审核 → 财政业务科室审核 → 绩效科批复 by default for targets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

PERFORMANCE, OFFICE, DEPARTMENT, UNIT, TOWNSHIP, AGENCY, READ_ONLY = (
    "绩效科", "财政业务科室", "主管部门", "预算单位", "乡镇财政所", "第三方机构", "只读")
ROLES = (PERFORMANCE, OFFICE, DEPARTMENT, UNIT, TOWNSHIP, AGENCY, READ_ONLY)
# what a role's scope names (None: the whole county, no scope taken)
SCOPE_OF = {PERFORMANCE: None, READ_ONLY: None, OFFICE: "归口科室名称", DEPARTMENT: "部门编码", UNIT: "单位编码",
            TOWNSHIP: "乡镇区划代码", AGENCY: "机构统一社会信用代码"}
REVIEW_STEPS = ("审核通过", "退回修改")  # the steps a chain level takes on a submitted record
CHANGE = "修改"


@dataclass(frozen=True)
class Level:
    """One level of a review chain: its name on the printed form and the roles that review there."""

    name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Rights:
    steps: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)  # noun → action → roles
    chains: Mapping[str, tuple[Level, ...]] = field(default_factory=dict)  # noun → review levels
    approve_level: Mapping[str, str] = field(default_factory=dict)  # noun → the name of the final level

    @classmethod
    def from_pack(cls, pack: Any) -> "Rights":
        section = pack.section("roles") if pack is not None else {}
        steps = {noun: {action: tuple(roles) for action, roles in actions.items()}
                 for noun, actions in section.get("steps", {}).items()}
        chains = {noun: tuple(Level(level["level"], tuple(level["roles"])) for level in levels)
                  for noun, levels in section.get("chains", {}).items()}
        return cls(steps, chains, dict(section.get("approve_level", {})))

    def chain(self, noun: str) -> tuple[Level, ...]:
        return self.chains.get(noun, ())

    def level(self, noun: str, index: int) -> Optional[Level]:
        chain = self.chain(noun)
        return chain[min(max(index, 0), len(chain) - 1)] if chain else None

    def roles_for(self, noun: str, action: str, level: Optional[int] = None) -> tuple[str, ...]:
        """The roles that may take `action` on a `noun` record (at chain `level` for a review of a
        submitted one). 绩效科 may always; an action the pack does not list is 绩效科's alone."""
        if level is not None and action in REVIEW_STEPS and self.chain(noun):
            allowed = self.level(noun, level).roles
        else:
            allowed = self.steps.get(noun, {}).get(action, ())
        return (PERFORMANCE, *(r for r in allowed if r != PERFORMANCE))

    def may(self, role: str, noun: str, action: str, level: Optional[int] = None) -> bool:
        if role == READ_ONLY:
            return False
        return role in self.roles_for(noun, action, level)

    def level_name(self, noun: str, action: str, level: int) -> str:
        """The 审核意见 row a decision goes on: the chain level's name, or the final level's."""
        if action in REVIEW_STEPS and self.chain(noun):
            return self.level(noun, level).name
        return self.approve_level.get(noun, "审核")

    def last_level(self, noun: str) -> int:
        return max(len(self.chain(noun)) - 1, 0)


def refusal(role: str, noun: str, action: str, allowed: tuple[str, ...]) -> str:
    """The sentence refusing a role a step (said in the form, the import and the command line)."""
    if role == READ_ONLY:
        return "您是只读用户，只能查看，不能修改或办理任何事项。"
    return f"{action}{noun}需由{'、'.join(allowed)}办理，您的角色是{role}，不能{action}。"
