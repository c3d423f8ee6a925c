"""The 工作台's lines: what waits on the user today (app.services.todo builds them; the `todo`
command prints them, the start page will show them and open what each names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional


@dataclass(frozen=True)
class TodoTarget:
    """What a line opens: a stage's page (its change key: targets, monitoring, …) at a year, on one
    record when `record_id` is set, else its list narrowed by `filter` (a state such as 草稿 or
    已提交, 逾期 for overdue 整改 items, 未报送 / 红灯未说明原因 for a round's records, a township's
    code for a late package). `round_id` names the monitoring round."""

    stage: str
    year: Optional[int] = None
    record_id: Optional[int] = None
    filter: str = ""
    round_id: Optional[int] = None


@dataclass(frozen=True)
class TodoLine:
    """One thing waiting: 事项 (kind), 数量 or 对象 (what), 期限 (due) and, past it, 逾期N天."""

    kind: str  # 事项: 待审核的绩效目标, 整改事项逾期, 监控批次报送 …
    what: str  # 数量 (3个) or 对象 (2023年1-8月监控批次：未报送21条)
    due: Optional[date]
    overdue_days: Optional[int]  # None: not overdue (or no due date)
    target: TodoTarget
    count: int = 1  # how many records the line stands for (the navigation entries' counts add these)

    @property
    def due_text(self) -> str:
        return self.due.isoformat() if self.due else ""

    @property
    def overdue_text(self) -> str:
        return f"逾期{self.overdue_days}天" if self.overdue_days else ""

    def cells(self) -> tuple[str, str, str, str]:
        """事项, 数量或对象, 期限, 逾期 — as the command prints and the page shows them."""
        return self.kind, self.what, self.due_text, self.overdue_text
