"""真实性核查 of a year: draw a seeded sample of the submitted / passed 自评表 (数量 or 比例, 随机种子 —
blank for a new one —, 按部门分布), see the year's draws and the tables drawn with 总分 / 等级, and for
the selected table record per core indicator 佐证与填报一致 / 不一致 with a note. 导出抽样清单… writes
the drawn list to Excel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPushButton, QRadioButton, QSpinBox, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from app.domain.rectification import VERIFICATION
from app.domain.self_eval import CheckLine, DrawView
from app.rules.validation import RejectedError
from app.services import rectification_sources as sources
from app.services import verification as ver
from ui.context import PageContext
from ui.dialogs.source_items import SourceItems
from ui.messages import show_error
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import CollectionOp, QueryOp

TABLE_COLUMNS = (ModelColumn("项目编码", "code"), ModelColumn("项目名称", "name"), ModelColumn("主管部门", "department"),
                 ModelColumn("总分", "total", "score"), ModelColumn("等级", "grade"))
CHECK_COLUMNS = (ModelColumn("三级指标", "line.level3"), ModelColumn("年度指标值", "line.target_value"),
                 ModelColumn("实际完成值", "line.actual"), ModelColumn("核查结果", "shown"), ModelColumn("说明", "line.note"))


@dataclass(frozen=True)
class _CheckRow:
    """A core indicator as the grid shows it (未核查 until a result is recorded)."""

    line: CheckLine

    @property
    def shown(self) -> str:
        return self.line.result or "未核查"


def _grid(columns: tuple[ModelColumn, ...], stretch: int) -> tuple[QTableView, RowTableModel]:
    view, model = QTableView(), RowTableModel(columns)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.Stretch)
    return view, model


class VerificationDialog(QDialog):
    def __init__(self, ctx: PageContext, year: int, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws, self.year = ctx.ws, year
        self.setWindowTitle(f"{year}年度绩效自评真实性核查")
        self.views: list[DrawView] = []
        self.lines: list[CheckLine] = []
        self.shown: list[CheckLine] = []  # the indicator rows now in the grid
        self._build()
        self.resize(1240, 700)  # fits 1366x768 with the taskbar
        self.reload()

    # -- layout --------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.by_count = QRadioButton("抽取数量")
        self.by_count.setChecked(True)
        self.count = QSpinBox()
        self.count.setRange(1, 100000)
        self.count.setValue(20)
        self.by_percent = QRadioButton("比例%")
        self.percent = QDoubleSpinBox()
        self.percent.setRange(0.1, 100)
        self.percent.setDecimals(1)
        self.percent.setValue(10)
        self.seed = QLineEdit()
        self.seed.setPlaceholderText("留空则自动生成新种子")
        self.seed.setMaxLength(64)
        self.by_department = QCheckBox("按部门分布")
        self.draw_button = QPushButton("抽取")
        self.draw_button.clicked.connect(self.draw)
        self.export_button = QPushButton("导出抽样清单…")
        self.export_button.clicked.connect(lambda: self.export())
        top = QHBoxLayout()
        for w in (self.by_count, self.count, self.by_percent, self.percent, QLabel("随机种子："), self.seed,
                  self.by_department, self.draw_button):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.export_button)

        self.draws = QListWidget()
        self.draws.currentRowChanged.connect(self._draw_chosen)
        self.tables, self.table_model = _grid(TABLE_COLUMNS, 1)
        self.tables.selectionModel().selectionChanged.connect(lambda *_: self._table_chosen())
        self.checks, self.check_model = _grid(CHECK_COLUMNS, 0)
        self.checks.selectionModel().selectionChanged.connect(lambda *_: self._line_chosen())
        self.result = QComboBox()
        self.result.addItems(ver.RESULTS)
        self.note = QLineEdit()
        self.note.setPlaceholderText("不一致时写明哪里不一致，如：验收单载明完成300万平方米")
        self.save_button = QPushButton("保存核查结果")
        self.save_button.clicked.connect(self.save_check)
        editor = QHBoxLayout()
        editor.addWidget(QLabel("核查结果："))
        editor.addWidget(self.result)
        editor.addWidget(QLabel("说明："))
        editor.addWidget(self.note, 1)
        editor.addWidget(self.save_button)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel("本年度的抽样"))
        lv.addWidget(self.draws)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.drawn_label = QLabel("抽中的自评表")
        rv.addWidget(self.drawn_label)
        rv.addWidget(self.tables, 2)
        rv.addWidget(QLabel("所选自评表的核心指标"))
        rv.addWidget(self.checks, 3)
        rv.addLayout(editor)
        self.items = SourceItems(self.ws, VERIFICATION, self.to_rectification,
                                 hint="核查结果为“佐证与填报不一致”的指标保存后，点“转为整改事项”由整改台账跟踪。")
        self.items.setMaximumHeight(130)
        rv.addWidget(self.items)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([260, 980])
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self._enable()

    def _enable(self) -> None:
        line = self.current_line()
        self.save_button.setEnabled(line is not None)
        self.items.refresh(line.item_id if line is not None else None, bool(line and line.status))
        self.export_button.setEnabled(self.current_view() is not None)

    # -- reading -------------------------------------------------------------------------------------
    def reload(self, keep: Optional[int] = None) -> None:
        ws, year = self.ws, self.year
        QueryOp(self, lambda job: ver.draws(ws, year), lambda views: self.show_draws(views, keep)).run()

    def show_draws(self, views: list[DrawView], keep: Optional[int] = None) -> None:
        self.views = views
        self.draws.blockSignals(True)
        self.draws.clear()
        for v in views:
            how = "，按部门分布" if v.by_department else ""
            item = QListWidgetItem(f"{v.drawn_on or ''}  抽取{len(v.rows)}份/共{v.population}份{how}\n随机种子 {v.seed}")
            item.setData(Qt.UserRole, v.sample_id)
            self.draws.addItem(item)
        self.draws.blockSignals(False)
        ids = [v.sample_id for v in views]
        self.draws.setCurrentRow(ids.index(keep) if keep in ids else (0 if views else -1))
        if not views:
            self._draw_chosen(-1)

    def current_view(self) -> Optional[DrawView]:
        row = self.draws.currentRow()
        return self.views[row] if 0 <= row < len(self.views) else None

    def _draw_chosen(self, _row: int) -> None:
        view = self.current_view()
        self.lines, self.shown = [], []
        self.check_model.set_rows([])
        if view is None:
            self.drawn_label.setText("抽中的自评表（还没有抽样，请设置数量或比例后点“抽取”）")
            self.table_model.set_rows([])
            self._enable()
            return
        self.drawn_label.setText(f"抽中的自评表：{len(view.rows)}份（从{view.population}份中抽取，随机种子 {view.seed}）")
        self.table_model.set_rows(list(view.rows))
        ws, sample_id = self.ws, view.sample_id
        QueryOp(self, lambda job: ver.check_lines(ws, sample_id), lambda lines: self._show_lines(sample_id, lines)).run()
        self._enable()

    def _show_lines(self, sample_id: int, lines: list[CheckLine]) -> None:
        view = self.current_view()
        if view is None or view.sample_id != sample_id:
            return  # another draw was chosen meanwhile
        self.lines = lines
        if self.table_model.rowCount() and not self.tables.selectionModel().hasSelection():
            self.tables.selectRow(0)
        else:
            self._table_chosen()

    def current_table(self) -> Optional[int]:
        view, rows = self.current_view(), self.tables.selectionModel().selectedRows()
        if view is None or not rows:
            return None
        return view.rows[rows[0].row()].eval_id

    def _table_chosen(self) -> None:
        eval_id = self.current_table()
        self.shown = [line for line in self.lines if line.eval_id == eval_id]
        self.check_model.set_rows([_CheckRow(x) for x in self.shown])
        if self.shown:
            self.checks.selectRow(0)
        self._enable()

    def current_line(self) -> Optional[CheckLine]:
        rows = self.checks.selectionModel().selectedRows()
        return self.shown[rows[0].row()] if rows and rows[0].row() < len(self.shown) else None

    def _line_chosen(self) -> None:
        line = self.current_line()
        if line is not None:
            self.result.setCurrentText(line.result or ver.CONSISTENT)
            self.note.setText(line.note)
        self._enable()

    # -- writing -------------------------------------------------------------------------------------
    def draw(self) -> None:
        ws, year = self.ws, self.year
        count = self.count.value() if self.by_count.isChecked() else None
        percent = None if count is not None else Decimal(f"{self.percent.value():.1f}")
        seed, spread = self.seed.text().strip(), self.by_department.isChecked()
        self.message.clear()
        CollectionOp(self, lambda job: ver.draw(ws, year, count=count, percent=percent, seed=seed or None,
                                                by_department=spread),
                     self._drawn, label="正在抽取…", failure=self._failed).run()

    def _drawn(self, view: DrawView) -> None:
        self.seed.setText(view.seed)  # shown, so the draw can be repeated
        self.message.setText(f"已抽取{len(view.rows)}份自评表，随机种子 {view.seed}（用同一种子对同一范围再抽，结果相同）。")
        self.message.setStyleSheet("")
        self.reload(keep=view.sample_id)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, RejectedError):
            self.message.setStyleSheet("color: #a40000")
            self.message.setText(error.summary)
        else:
            show_error(self, error, "未能抽取")

    def save_check(self) -> bool:
        view, line = self.current_view(), self.current_line()
        if view is None or line is None:
            return False
        try:
            saved = ver.record_check(self.ws, view.sample_id, line.indicator_id, self.result.currentText(),
                                     self.note.text())
        except RejectedError as exc:
            self._failed(exc)
            return False
        row = self.shown.index(line)
        self.lines = [saved if (x.eval_id, x.indicator_id) == (line.eval_id, line.indicator_id) else x for x in self.lines]
        self.shown[row] = saved
        self.check_model.set_rows([_CheckRow(x) for x in self.shown])
        self.checks.selectRow(row)
        self.message.setStyleSheet("")
        self.message.setText(f"已保存：指标“{saved.level3}”{saved.result}" + ("，记为待整改。" if saved.status else "。"))
        return True

    def to_rectification(self) -> bool:
        """转为整改事项: the chosen 不一致 finding (typing not yet saved is saved first) becomes a 整改 item."""
        line = self.current_line()
        if line is not None and (self.result.currentText(), self.note.text()) != (line.result, line.note):
            if not self.save_check():
                return False
            line = self.current_line()
        if line is None or not line.item_id:
            self.message.setText("请先选中一条核查结果为“佐证与填报不一致”并已保存的指标。")
            return False
        return self.items.make(lambda: sources.from_verification(self.ws, line.item_id, notice=date.today()),
                               line.item_id, f"指标“{line.level3}”的核查问题")

    def export(self, path: Optional[str] = None):
        """导出抽样清单…: the drawn tables of the selected draw to Excel (the op; None when no file)."""
        from ui.workers import export_to

        view = self.current_view()
        if view is None:
            return None
        ws, sample_id = self.ws, view.sample_id

        def write(target: str, job) -> int:
            from app.io.self_eval_reports import render_draw

            return render_draw(ver.draw_view(ws, sample_id), target)

        return export_to(self, path, f"{self.year}年度真实性核查抽样清单-{view.seed}.xlsx", "Excel 工作簿 (*.xlsx)", write,
                         "导出抽样清单")
