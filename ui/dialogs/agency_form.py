"""新增/编辑第三方机构: tabs 基本信息 (validated inline as the user types; 保存 below saves them and
closes), 合同 (新增/编辑/删除, each written at once), 评价项目 (the 重点评价 and 事前绩效评估 it carried
out, read-only) and 执业质量考核 (a year, the pack's six aspects with their points, the total and the
result shown as the scores are typed, 保存考核结果 writes that year's). A new institution gets its
contracts and assessments once its 基本信息 are saved (编辑… it from the list)."""

from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QTabWidget, QVBoxLayout,
    QWidget,
)

from app.domain.agencies import (
    AGENCY_FIELDS, CONTRACT_FIELDS, ROLES, AgencyView, ContractRow, fmt_score, score_assessment, validate_agency,
    validate_contract,
)
from app.money import wan_text
from app.rules.validation import RejectedError
from app.services import agencies as svc
from app.services.workspace import Workspace
from ui import messages
from ui.dialogs.form_dialog import ERROR_STYLE, FormDialog
from ui.models.row_table import ModelColumn, RowTableModel
from ui.widgets import button, table_view

TABS = ("基本信息", "合同", "评价项目", "执业质量考核")
CONTRACT_COLUMNS = [ModelColumn("合同名称", "name", width=260), ModelColumn("合同金额（万元）", "amount_fen", "money", width=110),
                    ModelColumn("起止日期", "period", width=190), ModelColumn("委托范围", "scope", width=330)]
WORK_COLUMNS = [ModelColumn("类别", "kind", width=100), ModelColumn("年度", "year", "int", width=60),
                ModelColumn("评价对象", "object_name", width=430), ModelColumn("得分", "score", "score", width=70),
                ModelColumn("等级", "grade", width=60)]
RESULT_STYLE = {"优秀": "color:#1e7e34;", "良好": "color:#1f5fa8;", "合格": "color:#8a6d00;", "不合格": "color:#c0392b;"}


class AgencyForm(FormDialog):
    def __init__(self, ws: Workspace, agency_id: Optional[int] = None, year: int = 0, parent: Optional[QWidget] = None):
        self.ws, self.agency_id, self._version = ws, agency_id, None
        super().__init__("编辑第三方机构" if agency_id else "新增第三方机构", validate_agency, self._save_basic, parent,
                         what="这家机构" if agency_id else "新机构")
        self.resize(1000, 640)
        for spec in AGENCY_FIELDS:
            self.add_field(spec.key, spec.label, self._widget(spec.key), spec.required, spec.hint)
        self.rules = svc.rules(ws)
        self.view: Optional[AgencyView] = None
        self.tabs = QTabWidget()
        basic = QWidget()
        self.layout().removeItem(self.form)  # the fields go on the first tab; 保存/取消 stay below the tabs
        column = QVBoxLayout(basic)
        column.addLayout(self.form)
        column.addStretch(1)
        self.tabs.addTab(basic, TABS[0])
        self.tabs.addTab(self._contracts_tab(), TABS[1])
        self.tabs.addTab(self._works_tab(), TABS[2])
        self.tabs.addTab(self._assessment_tab(year), TABS[3])
        self.layout().insertWidget(0, self.tabs, 1)
        if agency_id:
            self.refresh()
        else:
            self.set_values({"role": "评价"})
            for n in range(1, len(TABS)):
                self.tabs.setTabEnabled(n, False)
                self.tabs.setTabToolTip(n, "请先保存机构的基本信息，再从列表中“编辑…”它")

    @staticmethod
    def _widget(key: str) -> QWidget:
        if key == "role":
            box = QComboBox()
            box.addItems(["", *ROLES])
            return box
        if key == "note":
            edit = QPlainTextEdit()
            edit.setMaximumHeight(90)
            return edit
        edit = QLineEdit()
        if key == "credit_code":
            edit.setPlaceholderText("18位，如 913300005793421213")
            edit.setMaxLength(24)
        return edit

    def _save_basic(self, raw: dict) -> int:
        return svc.save_agency(self.ws, raw, self.agency_id, version=self._version)

    # -- reading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the institution again (after a contract or an assessment was written here)."""
        view = svc.agency_view(self.ws, self.agency_id)
        first = self.view is None
        self.view, self._version = view, view.version  # an assessment here moves the record's version
        if first:
            self.set_values(view.values)
        self.contracts.set_rows(list(view.contracts))
        self.works.set_rows(list(view.works))
        self.works_note.setText(f"共{len(view.works)}项（在重点评价、事前绩效评估中选定本机构为评价机构的项目）")
        self._year_chosen()
        said = [f"{a.year}年 " + (f"{fmt_score(a.total)}分 " if a.total is not None else "") + (a.result or "")
                for a in view.assessments]
        self.history.setText("历年考核：" + ("；".join(said) or "还没有考核结果"))

    # -- 合同 ------------------------------------------------------------------------------------------
    def _contracts_tab(self) -> QWidget:
        tab = QWidget()
        self.contracts = RowTableModel(CONTRACT_COLUMNS, self)
        self.contract_view = table_view(self.contracts, sort_column=None)
        self.contract_view.doubleClicked.connect(lambda index: self.edit_contract(index.row()))
        bar = QHBoxLayout()
        for text, slot, name in (("新增合同…", self.add_contract, "add_contract"),
                                 ("编辑合同…", lambda: self.edit_contract(self._contract_row()), "edit_contract"),
                                 ("删除合同", self.delete_contract, "delete_contract")):
            bar.addWidget(button(text, slot, name))
        bar.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addLayout(bar)
        layout.addWidget(self.contract_view, 1)
        return tab

    def _contract_row(self) -> int:
        rows = self.contract_view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _contract_form(self, title: str, contract: Optional[ContractRow]) -> FormDialog:
        agency_id = self.agency_id

        def save(raw: dict) -> int:
            ident = svc.save_contract(self.ws, agency_id, raw, contract.id if contract else None,
                                      version=contract.version if contract else None)
            self.refresh()
            return ident

        form = FormDialog(title, validate_contract, save, self, what="这份合同")
        for spec in CONTRACT_FIELDS:
            edit = QPlainTextEdit() if spec.key == "scope" else QLineEdit()
            if spec.key in ("start", "finish"):
                edit.setPlaceholderText("如 2023-04-01")
            if spec.key == "amount":
                edit.setPlaceholderText("万元，如 12.5")
            form.add_field(spec.key, spec.label, edit, spec.required)
        if contract:
            form.set_values({"name": contract.name, "amount": wan_text(contract.amount_fen) if contract.amount_fen is not None else "",
                             "start": str(contract.start or ""), "finish": str(contract.finish or ""), "scope": contract.scope})
        form.resize(520, 360)
        self.contract_form = form
        form.open()
        return form

    def add_contract(self) -> FormDialog:
        return self._contract_form("新增合同", None)

    def edit_contract(self, row: int) -> Optional[FormDialog]:
        if not 0 <= row < self.contracts.rowCount():
            return None
        return self._contract_form("编辑合同", self.contracts.row_at(row))

    def delete_contract(self) -> None:
        row = self._contract_row()
        if row < 0:
            return
        contract = self.contracts.row_at(row)
        if not messages.confirm(self, "删除合同", f"确定删除合同“{contract.name}”吗？"):
            return
        svc.delete_contract(self.ws, contract.id)
        self.refresh()

    # -- 评价项目 --------------------------------------------------------------------------------------
    def _works_tab(self) -> QWidget:
        tab = QWidget()
        self.works = RowTableModel(WORK_COLUMNS, self)
        self.works_view = table_view(self.works, sort_column=None)
        self.works_note = QLabel()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.works_note)
        layout.addWidget(self.works_view, 1)
        return tab

    # -- 执业质量考核 ----------------------------------------------------------------------------------
    def _assessment_tab(self, year: int) -> QWidget:
        tab = QWidget()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year or 2023)
        self.year.setSuffix(" 年度")
        self.year.setMaximumWidth(120)
        self.year.setObjectName("assessment_year")
        self.year.valueChanged.connect(lambda _v: self._year_chosen())
        grid = QFormLayout()
        grid.addRow("考核年度：", self.year)
        self.scores: dict[str, QLineEdit] = {}
        self.score_errors: dict[str, QLabel] = {}
        for name, points in self.rules.aspects:
            edit = QLineEdit()
            edit.setObjectName(f"score_{name}")
            edit.setPlaceholderText(f"0～{points}")
            edit.setMaximumWidth(120)
            edit.textChanged.connect(lambda _t: self.rescore())
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            row = QHBoxLayout()
            row.addWidget(edit)
            row.addWidget(error, 1)
            self.scores[name], self.score_errors[name] = edit, error
            grid.addRow(f"{name}（{points}分）：", row)
        self.total = QLabel()
        self.total.setObjectName("assessment_total")
        self.result = QLabel()
        self.result.setObjectName("assessment_result")
        summary = QHBoxLayout()
        summary.addWidget(self.total)
        summary.addWidget(self.result)
        summary.addStretch(1)
        grid.addRow(f"合计（满分{fmt_score(self.rules.full)}分）：", summary)
        self.opinion = QPlainTextEdit()
        self.opinion.setMaximumHeight(70)
        self.opinion.setPlaceholderText("考核意见，如：从六个方面综合评价，评价结果为“优秀”")
        grid.addRow("考核意见：", self.opinion)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.assessment_note = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(button("保存考核结果", self.save_assessment, "save_assessment"))
        bar.addWidget(self.assessment_note, 1)
        layout = QVBoxLayout(tab)
        layout.addLayout(grid)
        layout.addLayout(bar)
        layout.addWidget(self.history)
        layout.addStretch(1)
        self.rescore()
        return tab

    def _year_chosen(self) -> None:
        """The chosen year's assessment (blank when there is none yet: a save creates it)."""
        found = self.view.assessment(self.year.value()) if self.view else None
        for name, edit in self.scores.items():
            edit.setText(fmt_score(found.scores.get(name)) if found else "")
        self.opinion.setPlainText(found.opinion if found else "")
        self.assessment_note.setText("" if found else "本年度还没有考核结果。")
        self.rescore()

    def score_raw(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.scores.items()}

    def rescore(self) -> None:
        scored = score_assessment(self.rules, self.score_raw())
        for name, error in self.score_errors.items():
            typed = self.scores[name].text().strip()
            error.setText("；".join(scored.report.for_field(name)) if typed else "")
        self.total.setText(f"{fmt_score(scored.total)}分")
        self.result.setText(f"考核结果：{scored.result}" if scored.result else "考核结果：六项得分填齐后得出")
        self.result.setStyleSheet(RESULT_STYLE.get(scored.result or "", "color:#666;") + "font-weight:bold;")

    def save_assessment(self) -> bool:
        found = self.view.assessment(self.year.value()) if self.view else None
        try:
            svc.save_assessment(self.ws, self.agency_id, self.year.value(), self.score_raw(), self.opinion.toPlainText(),
                                version=found.version if found else None)
        except RejectedError as exc:
            self.assessment_note.setText(exc.summary)
            self.assessment_note.setStyleSheet(ERROR_STYLE)
            for name, error in self.score_errors.items():
                error.setText("；".join(exc.report.for_field(name)))
            return False
        year = self.year.value()
        self.refresh()
        self.assessment_note.setStyleSheet("")
        self.assessment_note.setText(f"已保存{year}年度执业质量考核结果。")
        return True
