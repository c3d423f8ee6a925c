"""新增/编辑结果应用措施: 措施 (the pack's list), 对象 (a project of the year, a department, or a name
typed in), 金额（万元）, 影响年度 (blank: the next year), 依据 (a 重点评价, 自评表 or 事前评估 near the year,
shown with its grade, or 其他) with the measure the pack suggests for that grade on a line below —
the officer decides, nothing is filled in by itself — 说明 and 执行情况. Checked as the user types
(app.rules.results.check_draft); 保存 goes through app.services.results.save.

依据 offered: each word alone (a report that names no record: 潜江's 12 published reports), 重点评价 of
the year and the year before (钢城 evaluated 2022's budgets in 2023), 自评表 of
the same two years, 事前评估 of the year and the next (assessed for next year's budget)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.domain.results import (
    BASIS_EXANTE, BASIS_KEY_EVAL, BASIS_MONITORING, BASIS_OTHER, BASIS_SELF_EVAL, ResultDraft,
)
from app.rules.results import check_draft
from app.services import results as svc
from app.services.workspace import Workspace
from ui.dialogs.form_dialog import FormDialog

NO_BASIS = "（其他，不关联评价）"


@dataclass(frozen=True)
class Basis:
    word: str  # 重点评价 / 自评 / 监控 / 事前评估
    record_id: Optional[int]  # None: the word alone (a report that names no record)
    name: str = ""
    grade: str = ""

    @property
    def text(self) -> str:
        if self.record_id is None:
            return f"{self.word}（未关联具体记录）"
        return f"{self.word}：{self.name}" + (f"（{self.grade}）" if self.grade else "")


def bases(ws: Workspace, year: int) -> list[Basis]:
    from app.services import exante_year, key_eval_year, self_eval_year

    found = [Basis(word, None) for word in (BASIS_KEY_EVAL, BASIS_SELF_EVAL, BASIS_MONITORING, BASIS_EXANTE)]
    for y in (year, year - 1):
        found += [Basis(BASIS_KEY_EVAL, r.eval_id, f"{r.year}年 {r.object_name}", r.grade)
                  for r in key_eval_year.list_year(ws, y)]
    for y in (year, year - 1):
        found += [Basis(BASIS_SELF_EVAL, r.eval_id, f"{y}年 {r.name}", r.grade)
                  for r in self_eval_year.list_year(ws, y) if r.eval_id is not None]
    for y in (year, year + 1):
        found += [Basis(BASIS_EXANTE, r.assessment_id, f"{y}年 {r.name}", r.grade) for r in exante_year.list_year(ws, y)]
    return found


def objects(ws: Workspace, year: int) -> dict[str, tuple[Optional[int], Optional[int]]]:
    """Chooser text → (project_id, department_id): the year's projects, the next year's (a measure
    decided now on next year's budget, as 澄江's cut after its 事前评估), then the departments."""
    from app.services.base_data import list_departments
    from app.services.exante import projects_of_year

    chosen = {f"项目：{code} {name}": (pid, None) for pid, code, name in projects_of_year(ws, year)}
    chosen.update({f"项目：{code} {name}（{year + 1}年）": (pid, None)
                   for pid, code, name in projects_of_year(ws, year + 1)})
    chosen.update({f"部门：{d.name}": (None, d.id) for d in list_departments(ws)})
    return chosen


class ResultForm(FormDialog):
    def __init__(self, ws: Workspace, year: int, measure_id: Optional[int] = None, parent: Optional[QWidget] = None):
        self.ws, self.year = ws, year
        self.rules = svc.rules(ws)
        self.draft = svc.open_measure(ws, measure_id) if measure_id else ResultDraft(year=year)
        self.year = self.draft.year
        super().__init__("编辑结果应用措施" if measure_id else "新增结果应用措施", self._check, self._save, parent,
                         what="这条措施")
        self.resize(760, 560)
        self.objects = objects(ws, self.year)
        self.bases = bases(ws, self.year)
        measure = QComboBox()
        measure.addItems(["", *self.rules.measures])
        self.add_field("measure", "措施", measure, True)
        obj = QComboBox()
        obj.setEditable(True)
        obj.addItems(["", *self.objects])
        obj.lineEdit().setPlaceholderText("选择项目或部门，或直接填写对象名称")
        self.add_field("object", "对象", obj, True)
        amount = QLineEdit()
        amount.setPlaceholderText("调减、取消、收回、压缩须填写；通报、公开、报人大不填")
        self.add_field("amount", "金额（万元）", amount)
        count = QLineEdit()
        count.setPlaceholderText("公开、报人大、通报涉及的报告份数，如12；不填按1计")
        self.add_field("count", "数量（份）", count)
        affect = QLineEdit()
        affect.setPlaceholderText(f"不填即{self.year + 1}年")
        self.add_field("affect_year", "影响年度", affect)
        basis = QComboBox()
        basis.addItems([NO_BASIS, *(b.text for b in self.bases)])
        self.add_field("basis", "依据", basis)
        self.suggestion = QLabel()
        self.suggestion.setObjectName("suggestion")
        self.suggestion.setWordWrap(True)
        self.form.addRow("建议措施：", self.suggestion)
        for key, label in (("explanation", "说明"), ("execution", "执行情况")):
            edit = QPlainTextEdit()
            edit.setMaximumHeight(80)
            self.add_field(key, label, edit)
        basis.currentIndexChanged.connect(self._basis_chosen)
        self.set_values(self._values(self.draft))
        self._basis_chosen()

    # -- draft ⇄ fields --------------------------------------------------------------------------------
    def _values(self, d: ResultDraft) -> dict[str, str]:
        obj = next((text for text, ids in self.objects.items()
                    if ids == (d.project_id, d.department_id if d.project_id is None else None)
                    and (d.project_id or d.department_id)), d.object_name)
        if (d.project_id or d.department_id) and obj == d.object_name:  # a project of another year: kept
            obj = f"{'项目' if d.project_id else '部门'}：{d.object_name}（已选）"
            self.objects[obj] = (d.project_id, None if d.project_id else d.department_id)
            self.widgets["object"].addItem(obj)
        basis = next((b.text for b in self.bases if b.word == d.basis and b.record_id == d.basis_id), NO_BASIS)
        if basis == NO_BASIS and d.basis_id is not None:  # outside the offered years: keep it offered
            extra = Basis(d.basis, d.basis_id, f"已选记录（{d.basis}）", "")
            self.bases.append(extra)
            self.widgets["basis"].addItem(extra.text)
            basis = extra.text
        return dict(measure=d.measure, object=obj, amount=d.amount, count=d.count, affect_year=d.affect_year, basis=basis,
                    explanation=d.explanation, execution=d.execution)

    def chosen_basis(self) -> Optional[Basis]:
        n = self.widgets["basis"].currentIndex() - 1
        return self.bases[n] if 0 <= n < len(self.bases) else None

    def draft_of(self, raw: dict) -> ResultDraft:
        text = (raw.get("object") or "").strip()
        project_id, department_id = self.objects.get(text, (None, None))
        basis = self.chosen_basis()
        return replace(self.draft, measure=raw.get("measure") or "", project_id=project_id,
                       department_id=department_id, object_name="" if (project_id or department_id) else text,
                       amount=raw.get("amount") or "", count=raw.get("count") or "", affect_year=raw.get("affect_year") or "",
                       basis=basis.word if basis else BASIS_OTHER, basis_id=basis.record_id if basis else None,
                       explanation=raw.get("explanation") or "", execution=raw.get("execution") or "")

    def _check(self, raw: dict):
        draft = self.draft_of(raw)
        chosen = (raw.get("object") or "").strip() if (draft.project_id or draft.department_id) else ""
        return check_draft(draft, self.rules, chosen)[1]  # a chosen project or department is the object

    def _save(self, raw: dict) -> ResultDraft:
        self.draft = svc.save(self.ws, self.draft_of(raw))
        return self.draft

    def _basis_chosen(self, *_args) -> None:
        basis = self.chosen_basis()
        suggested = self.rules.suggest(basis.grade) if basis else None
        if basis is None:
            self.suggestion.setText("选择有等级的评价作为依据后，这里显示方案建议的措施。")
        elif suggested:
            self.suggestion.setText(f"{suggested}（依据等级“{basis.grade}”，按规则方案建议；采用何种措施由您决定）")
        else:
            self.suggestion.setText("所选依据没有评价等级，规则方案没有建议的措施。")
        obj = self.widgets["object"]
        if basis is not None and basis.record_id is not None and not obj.currentText().strip():
            obj.setEditText(basis.name.split(" ", 1)[-1])
