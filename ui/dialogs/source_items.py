"""整改事项 of one source, shown on the source's own form (监控表, 自评表, 真实性核查, 重点评价, 事前评估):
the items it turned into with their 状态, 整改期限 and 逾期天数, the button that turns the chosen
problem into a new item (待整改, pre-filled and linked back), and a double-click that opens an item's
form. The forms pass what the button does; this box only lists and opens."""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Iterable, Optional

from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.rules.validation import RejectedError
from app.services import rectification as ledger
from ui import messages
from ui.messages import show_error
from ui.widgets import button

NONE_YET = "还没有转为整改事项的问题。"


def item_line(row: Any) -> str:
    """【状态】问题描述（整改期限 …，逾期N天） — as the ledger shows the item today."""
    deadline: Optional[date] = getattr(row, "deadline", None)
    tail = []
    if deadline is not None:
        tail.append(f"整改期限{deadline.isoformat()}")
    if getattr(row, "overdue_days", 0):
        tail.append(f"逾期{row.overdue_days}天")
    return f"【{row.status}】{row.description}" + (f"（{'，'.join(tail)}）" if tail else "")


class SourceItems(QGroupBox):
    """The source's 整改事项 and 转为整改事项 (`convert` is the form's action, called with no argument)."""

    def __init__(self, ws, kind: str, convert: Callable[[], Any], hint: str, parent: Optional[QWidget] = None,
                 title: str = "整改事项"):
        super().__init__(title, parent)
        self.ws, self.kind = ws, kind
        self.ids: list[int] = []
        self.form = None  # the item form opened last
        self.list = QListWidget()
        self.list.setObjectName("rectifications")
        self.list.setWordWrap(True)
        self.list.itemDoubleClicked.connect(lambda item: self.open_item(self.list.row(item)))
        self.convert = button("转为整改事项", convert, "to_rectification")
        note = QLabel(hint + "双击一条整改事项可打开查看。")
        note.setWordWrap(True)
        note.setStyleSheet("color:#555")
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(note)
        layout.addWidget(self.convert)

    def show_rows(self, rows: Iterable[Any], can_convert: bool = True) -> None:
        self.list.clear()
        self.ids = []
        for row in rows:
            self.ids.append(getattr(row, "item_id", None) or row.id)
            self.list.addItem(QListWidgetItem(item_line(row)))
        if not self.ids:
            self.list.addItem(NONE_YET)
        self.convert.setEnabled(can_convert)

    def refresh(self, source_id: Optional[int], can_convert: bool = True) -> None:
        """The items the source with this id turned into, as they stand today (none for an unsaved
        source, whose form saves it first when 转为整改事项 is clicked)."""
        rows = ledger.items_of_source(self.ws, self.kind, source_id) if source_id else []
        self.show_rows(rows, can_convert)

    def make(self, create: Callable[[], Any], source_id: int, what: str) -> bool:
        """Confirm, then `create` the item (a call of app.services.rectification_sources) and list it;
        a refusal (already turned into an item, nothing to rectify) is said in a sentence."""
        sentence = (f"把{what}转为整改事项（状态“待整改”），由整改台账跟踪；反馈日期和整改期限按规则自今天起算，"
                    "可在整改台账中修改。确定吗？")
        if not messages.confirm_step(self, "转为整改事项", sentence):
            return False
        try:
            create()
        except RejectedError as exc:
            show_error(self, exc, "未能转为整改事项")
            return False
        self.refresh(source_id)
        return True

    def texts(self) -> list[str]:
        return [self.list.item(n).text() for n in range(self.list.count())]

    def open_item(self, row: int):
        """The item's own form (its measures, evidence and 核验 are kept on the 整改台账)."""
        if not 0 <= row < len(self.ids):
            return None
        from ui.dialogs.rectification_form import RectificationForm

        try:
            draft = ledger.open_item(self.ws, self.ids[row])
        except Exception as exc:  # noqa: BLE001 — said in a sentence; the item may have been deleted
            show_error(self, exc, "未能打开整改事项")
            return None
        self.form = RectificationForm(self.ws, draft, self)
        self.form.open()
        return self.form
