"""Pieces of the 自评表 form: the list of what the table still needs (必须处理 / 提醒; clicking one
goes to its cell; a table imported as printed only gets 提醒: the consistency check's findings),
the 佐证材料 box, the text fields, the sentences each workflow step confirms, asking the reason of a
退回 (tests patch `ask_reason`) and the optional 审核意见 of 审核通过 (`ask_opinion`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPlainTextEdit, QVBoxLayout, QWidget,
)

from app.domain.attachments import AttachmentRow
from app.domain.self_eval import SelfEvalDraft
from app.rules.self_eval import Need, SelfEvalRules, TableScore
from app.rules.self_eval_check import check_table
from app.rules.self_eval_draft import checked_table
from ui.models.self_eval_grid import BUDGET_COLUMNS, BUDGET_WIDTHS, number
from ui.widgets import button

CONFIRM = {
    "submit": ("提交", "提交后自评表不能再修改，交绩效科审核；退回修改后才能再改。确定提交吗？"),
    "submit_new": ("提交", "这份自评表将保存并提交，提交后不能再修改，交绩效科审核；退回修改后才能再改。确定提交吗？"),
    "pass": ("审核通过", "审核通过后自评表定稿，填报单位不能再修改（确需修改时可再退回）。{reason}确定审核通过吗？"),
    "return": ("退回修改", "自评表将回到“退回修改”，填报单位按审核意见（{reason}）修改后重新提交。确定退回吗？"),
    "reopen": ("退回", "这份自评表已审核通过。退回后回到“退回修改”（原因：{reason}），填报单位修改后须重新提交审核。确定退回吗？"),
}
# where a need of each field points in the indicator grid
NEED_COLUMN = {"actual": "actual", "score": "score", "score_note": "score_note", "deviation": "deviation",
               "points": "points"}
BUDGET_NEED = {"budget_cause": "cause", "budget_score": "score", "budget": "annual"}


def totals_line(score: TableScore, rules: SelfEvalRules, department: bool) -> str:
    """参考总分, 总分 and 评价等级 as derived, with the pack's conventions they follow."""
    ref = number(score.reference_total) or "—"
    note = f"按规则方案第{score.pack_version}版计分"
    points = ""
    if department:
        points = f"　　分值合计 {number(score.indicator_points) or '0'}"
    else:
        counts = "计入" if rules.counts_budget else "不计入"
        note += f"：预算执行{number(score.budget_points)}分，指标{number(score.indicator_points)}分，总分{counts}预算执行得分"
    return (f"参考总分 {ref}　　总分 {number(score.total)}　　评价等级 {score.grade}{points}　　"
            f"（{note}；总分与等级由得分算出，不能直接填写）")


def printed_needs(draft: SelfEvalDraft, rules: SelfEvalRules, score: TableScore) -> list[Need]:
    """What a table imported as printed shows beside its grid: the consistency check's findings (and
    whatever the rules note), each a 提醒 — a printed table is submitted as it was printed."""
    rows = {f"指标“{line.level3}”": n for n, line in enumerate(draft.indicators)}
    budget = {"预算执行": "budget_cause"}
    found = [Need(rows.get(f.where), "score" if f.where in rows else budget.get(f.where, "table"),
                  f"{f.category}：{f.problem}", blocking=False)
             for f in check_table(checked_table(draft, rules, score), rules)]
    return found + [replace(n, blocking=False) for n in score.needs]


def mark(ind: dict, bud: dict, row: Optional[int], field: str, blocking: bool, sentence: str) -> None:
    """Shade the cell a need or a problem points at (the first one said for a cell stays)."""
    if field.startswith("budget") and ":" in field:
        n, column = field[len("budget"):].split(":")
        bud.setdefault((int(n), column), (blocking, sentence))
    elif field in BUDGET_NEED:
        bud.setdefault((0, BUDGET_NEED[field]), (blocking, sentence))
    elif row is not None and field in NEED_COLUMN:
        ind.setdefault((row, NEED_COLUMN[field]), (blocking, sentence))


def place(row: Optional[int], field: str) -> str:
    if row is not None:
        return f"第{row + 1}行："
    if field.startswith("budget"):
        return "预算执行："
    return {"staff_quota": "编制人数：", "staff_actual": "实有人数："}.get(field, "")


def budget_widths(attrs: list[str]) -> list[int]:
    """The 预算执行 columns' widths (a department's table has no 分值 / 得分 columns)."""
    return [BUDGET_WIDTHS[n] for n, (_, attr) in enumerate(BUDGET_COLUMNS) if attr in attrs]


def where(key: str) -> tuple[Optional[int], str]:
    """A report key as (row, field): "3:score" → (3, "score"); "budget1:annual", "budget_cause" → (None, key)."""
    head, _, tail = key.partition(":")
    if tail and head.isdigit():
        return int(head), tail
    return None, key


def text_box(height: int, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setFixedHeight(height)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    return box


def ask_reason(parent: QWidget, title: str, label: str) -> Optional[str]:
    """The 审核意见 of a 退回修改, or the reason of a 退回 (None: cancelled). Tests patch this."""
    text, ok = QInputDialog.getMultiLineText(parent, title, label)
    return text if ok else None


class OpinionDialog(QDialog):
    """审核通过's 审核意见: may be left empty; 审核通过 goes on, 取消 stops the step."""

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWindowTitle("审核通过")
        self.text = text_box(90, "可以不填")
        self.text.setObjectName("pass_opinion")
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("审核通过", QDialogButtonBox.AcceptRole)
        self.cancel = buttons.addButton("取消", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("审核意见（可不填，填写后记录在自评表上）："))
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(420, 200)


def ask_opinion(parent: QWidget) -> Optional[str]:
    """The optional 审核意见 of 审核通过 ("" allowed; None: 取消)."""
    dialog = OpinionDialog(parent)
    return dialog.text.toPlainText() if dialog.exec() == QDialog.Accepted else None


class NeedsPanel(QListWidget):
    """What the table still needs: 必须处理 (blocks 提交) first, then 提醒 (e.g. 自评虚高). Each item
    carries (row, field): clicking it calls `go(row, field)`."""

    def __init__(self, go: Callable[[Optional[int], str], None], parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("self_eval_needs")
        self._shown: list[str] = []
        self.itemClicked.connect(lambda item: go(*item.data(Qt.UserRole)))

    def show_needs(self, needs: list[Need], problems: list[tuple[Optional[int], str, str]]) -> None:
        """`problems`: cells whose text is malformed (row, field, sentence) — always 必须处理."""
        entries = ([(p[0], p[1], f"必须处理：{p[2]}") for p in problems]
                   + [(n.row, n.field, f"必须处理：{n.sentence}") for n in needs if n.blocking]
                   + [(n.row, n.field, f"提醒：{n.sentence}") for n in needs if not n.blocking])
        texts = [e[2] for e in entries]
        if texts == self._shown:
            return  # typing that changes nothing here keeps the list (and its scroll) still
        self._shown = texts
        self.clear()
        if not entries:
            self.addItem("没有需要处理的地方。")
            self.item(0).setData(Qt.UserRole, (None, ""))
            return
        for row, field, text in entries:
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, (row, field))
            if text.startswith("提醒"):
                item.setForeground(Qt.darkYellow)
            else:
                item.setForeground(Qt.darkRed)
            self.addItem(item)

    def texts(self) -> list[str]:
        return list(self._shown)


class EvidenceBox(QGroupBox):
    """佐证材料: the files attached (name, size), with 添加… / 打开 / 删除 wired to the form."""

    def __init__(self, add: Callable, open_: Callable, remove: Callable, parent: Optional[QWidget] = None):
        super().__init__("佐证材料", parent)
        self.list = QListWidget()
        self.list.setObjectName("evidence")
        self.list.itemDoubleClicked.connect(lambda *_: open_())
        self.rows: list[AttachmentRow] = []
        self.buttons = {name: button(text, slot, name) for text, slot, name in
                        (("添加…", add, "add_evidence"), ("打开", open_, "open_evidence"), ("删除", remove, "remove_evidence"))}
        bar = QHBoxLayout()
        for b in self.buttons.values():
            bar.addWidget(b)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(bar)

    def show_rows(self, rows: list[AttachmentRow], editable: bool) -> None:
        self.rows = rows
        self.list.clear()
        for r in rows:
            self.list.addItem(f"{r.file_name}（{r.size_text}，{r.added_at:%Y-%m-%d}）")
        self.buttons["add_evidence"].setEnabled(editable)
        self.buttons["remove_evidence"].setEnabled(editable and bool(rows))
        self.buttons["open_evidence"].setEnabled(bool(rows))

    def chosen(self) -> Optional[AttachmentRow]:
        n = self.list.currentRow()
        if 0 <= n < len(self.rows):
            return self.rows[n]
        return self.rows[0] if len(self.rows) == 1 else None


class TextsPanel(QWidget):
    """The table's sentences: 年度目标与实际完成情况 (部门整体: 部门职能, 年度主要工作完成情况), 实施过程概述,
    评价结论, 存在问题, 改进措施, the signatures, and the 审核意见 (read-only) when there is one."""

    KEYS = ("functions", "goal_actual", "process_summary", "conclusion", "problems", "improvements")

    def __init__(self, department: bool, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.boxes = {
            "functions": text_box(52, "按三定方案概括本部门的主要职责"),
            "goal_actual": text_box(78, "年度主要工作完成情况：逐项写明完成了什么、完成多少" if department
                                    else "年度目标与实际完成情况：对照年度目标逐项写明实际完成了多少"),
            "process_summary": text_box(60, "项目立项、资金到位、组织实施、管理制度执行情况"),
            "conclusion": text_box(52, "评价结论：总体完成情况与自评等级"),
            "problems": text_box(52, "存在问题"),
            "improvements": text_box(52, "改进措施"),
        }
        self.project_leader, self.finance_leader = QLineEdit(), QLineEdit()
        self.opinion = text_box(44)
        self.opinion.setReadOnly(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        labels = {"functions": "部门职能", "goal_actual": "年度主要工作完成情况" if department else "年度目标与实际完成情况",
                  "process_summary": "实施过程概述", "conclusion": "评价结论", "problems": "存在问题",
                  "improvements": "改进措施"}
        for key in self.KEYS:
            if department and key == "process_summary" or not department and key == "functions":
                continue
            self.boxes[key].setObjectName(f"text_{key}")
            form.addRow(f"{labels[key]}：", self.boxes[key])
        if not department:
            form.addRow("项目负责人：", self.project_leader)
        form.addRow("财务负责人：", self.finance_leader)
        self.opinion_row = form.rowCount()
        form.addRow("审核意见：", self.opinion)
        self.form = form

    def show_draft(self, draft: SelfEvalDraft, editable: bool) -> None:
        for key, box in self.boxes.items():
            box.setPlainText(getattr(draft, key))
            box.setReadOnly(not editable)
        for edit, text in ((self.project_leader, draft.project_leader), (self.finance_leader, draft.finance_leader)):
            edit.setText(text)
            edit.setReadOnly(not editable)
        self.opinion.setPlainText(draft.review_opinion)
        self.form.setRowVisible(self.opinion_row, bool(draft.review_opinion))

    def values(self) -> dict[str, str]:
        found = {key: box.toPlainText() for key, box in self.boxes.items()}
        found.update(project_leader=self.project_leader.text(), finance_leader=self.finance_leader.text())
        return found

    def on_change(self, slot: Callable[[], None]) -> None:
        for box in self.boxes.values():
            box.textChanged.connect(slot)
        for edit in (self.project_leader, self.finance_leader):
            edit.textChanged.connect(slot)
