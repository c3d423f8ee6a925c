"""新建年度…: choose the year to start (the newest year + 1 by default), see what will be carried
over from the year before (its 延续 projects, which bring last year's approved target as a 草稿,
which are already there and skipped), then start it. The plan is read in the background; starting
runs as a CollectionOp. `started` carries the year and the sentence of what was done."""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QSpinBox, QTableView, QVBoxLayout, QWidget,
)

from app.rules.validation import RejectedError
from app.services import new_year
from app.services.workspace import Workspace
from ui.messages import show_error
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import CollectionOp, Loader

COLUMNS = (
    ModelColumn("上年项目编码", "old_code", width=120),
    ModelColumn("本年项目编码", "code", width=120),
    ModelColumn("项目名称", "name", width=220),
    ModelColumn("主管部门", "department", width=180),
    ModelColumn("实施单位", "unit", width=180),
    ModelColumn("绩效目标", "target_text", width=150),
    ModelColumn("处理", "state_text", width=80),
)


class NewYearDialog(QDialog):
    started = Signal(int, str)  # the year, the sentence of what was carried

    def __init__(self, ws: Workspace, parent: Optional[QWidget] = None, year: Optional[int] = None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("新建年度")
        self.resize(900, 520)
        self.plan: Optional[new_year.NewYearPlan] = None
        self.year = QSpinBox()
        self.year.setObjectName("new_year_year")
        self.year.setRange(2000, 2100)
        self.year.setSuffix(" 年度")
        self.year.setValue(year or new_year.next_year(ws))
        self.summary = QLabel("正在读取上年的延续项目…")
        self.summary.setObjectName("new_year_summary")
        self.summary.setWordWrap(True)
        self.model = RowTableModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        for n, column in enumerate(COLUMNS):
            self.table.setColumnWidth(n, column.width)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.start_button = self.buttons.button(QDialogButtonBox.Ok)
        self.start_button.setText("建立年度")
        self.start_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)

        head = QHBoxLayout()
        head.addWidget(QLabel("要建立的年度："))
        head.addWidget(self.year)
        head.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(QLabel("上年的延续项目结转到新年度：主管部门、实施单位不变，项目编码中的年份换成新年度，"
                                "预算金额为0（结转后填写），上年已批复的绩效目标作为草稿带入。"))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.loader = Loader(self, self._show_plan, self._plan_failed)
        self.year.valueChanged.connect(self._read_plan)
        self._read_plan()

    def _read_plan(self) -> None:
        ws, year = self.ws, self.year.value()
        self.start_button.setEnabled(False)
        self.loader.load(lambda job: new_year.plan(ws, year))

    def _show_plan(self, plan: new_year.NewYearPlan) -> None:
        self.plan = plan
        self.model.set_rows(list(plan.rows))
        self.summary.setText(plan.sentence())
        self.start_button.setEnabled(plan.refusal() is None and not self.ws.read_only)

    def _plan_failed(self, error: BaseException) -> None:
        self.summary.setText("")
        show_error(self, error)

    def start(self) -> None:
        if self.plan is None or self.plan.refusal() is not None:
            return
        ws, year = self.ws, self.year.value()
        self.start_button.setEnabled(False)
        CollectionOp(self, lambda job: new_year.start_year(ws, year), self._done, label="正在建立新年度…",
                     failure=self._failed).run()

    def _done(self, result: new_year.NewYearResult) -> None:
        self.started.emit(result.year, result.sentence())
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, RejectedError):
            self.summary.setText(error.summary)
        else:
            show_error(self, error)
        self._read_plan()
