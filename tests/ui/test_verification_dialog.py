"""The 真实性核查 dialog as a user drives it: draw with a seed, see the drawn tables and their core
indicators, record a 不一致 with a note, export the list."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.services import verification as ver


def _cell(view, row: int, column: int) -> str:
    return view.model().index(row, column).data()


@pytest.fixture
def submitted(county):
    """Eight submitted 自评表 of 2023 with two indicators each (inserted directly)."""
    from sqlalchemy import select

    from db.models import Department, Project, SelfEvalIndicator, SelfEvaluation

    with county.session() as s:
        dept = s.scalars(select(Department).order_by(Department.code)).first()
        for n in range(1, 9):
            project = Project(year=2023, code=f"P2023{n:03d}", name=f"项目{n}", department=dept, unit=dept,
                              fund_type="一般公共预算", category="延续", initial_budget_fen=1_000_000,
                              annual_budget_fen=1_000_000, fiscal_fen=1_000_000, other_fen=0, region_code="370117")
            s.add(project)
            s.flush()
            s.add(SelfEvaluation(year=2023, object_type="项目", project_id=project.id, status="已提交",
                                 total_score=Decimal("86.40"), grade="良", region_code="370117", indicators=[
                                     SelfEvalIndicator(seq=1, level1="满意度", level2="服务对象满意度", level3="群众满意度",
                                                       direction="≥", target_value="90", unit="%", actual_value="92",
                                                       applicable=True, region_code="370117"),
                                     SelfEvalIndicator(seq=2, level1="产出", level2="数量", level3="修缮公厕数量",
                                                       direction="≥", target_value="12", unit="座", actual_value="12",
                                                       applicable=True, region_code="370117")]))
    return county


def test_draw_with_a_seed_then_record_a_mismatch(qtbot, settle, page_ctx, submitted, tmp_path):
    from ui.dialogs.verification import VerificationDialog

    dialog = VerificationDialog(page_ctx(submitted), 2023)
    qtbot.addWidget(dialog)
    settle()
    assert dialog.draws.count() == 0 and "还没有抽样" in dialog.drawn_label.text()
    assert dialog.width() <= 1366 and dialog.height() <= 768

    dialog.count.setValue(3)
    dialog.seed.setText("20231201")
    dialog.draw_button.click()
    settle()
    (stored,) = ver.draws(submitted, 2023)
    expected = [r.code for r in stored.rows]
    assert stored.seed == "20231201" and len(expected) == 3
    assert dialog.draws.count() == 1 and "20231201" in dialog.draws.item(0).text()
    assert [_cell(dialog.tables, r, 0) for r in range(dialog.table_model.rowCount())] == expected
    assert _cell(dialog.tables, 0, 3) == "86.40" and _cell(dialog.tables, 0, 4) == "良"
    # the first table's core indicators, quantitative ones in their order
    assert [_cell(dialog.checks, r, 0) for r in range(dialog.check_model.rowCount())] == ["群众满意度", "修缮公厕数量"]
    assert _cell(dialog.checks, 0, 1) == "≥90%" and _cell(dialog.checks, 0, 3) == "未核查"

    dialog.checks.selectRow(1)
    dialog.result.setCurrentText(ver.INCONSISTENT)
    dialog.note.setText("")
    assert not dialog.save_check()
    assert "写明哪里不一致" in dialog.message.text()
    dialog.note.setText("现场只有10座完成验收")
    assert dialog.save_check()
    assert _cell(dialog.checks, 1, 3) == ver.INCONSISTENT and _cell(dialog.checks, 1, 4) == "现场只有10座完成验收"
    found = ver.findings(submitted, 2023)
    assert [(f.code, f.level3, f.status) for f in found] == [(expected[0], "修缮公厕数量", "待整改")]

    # a blank seed draws with a new one, shown in the field; the new draw comes first in the list
    dialog.seed.clear()
    dialog.by_percent.setChecked(True)
    dialog.percent.setValue(50)
    dialog.draw_button.click()
    settle()
    assert dialog.draws.count() == 2 and dialog.draws.currentRow() == 0
    assert len(dialog.seed.text()) == 8 and dialog.table_model.rowCount() == 4

    # a finding recorded earlier is shown when that draw is chosen again
    dialog.draws.setCurrentRow(1)
    settle()
    assert _cell(dialog.checks, 1, 3) == ver.INCONSISTENT


def test_export_the_drawn_list(qtbot, settle, page_ctx, submitted, tmp_path, monkeypatch):
    pytest.importorskip("app.io.self_eval_reports")
    from ui.dialogs.verification import VerificationDialog

    ver.draw(submitted, 2023, count=2, seed="7")
    dialog = VerificationDialog(page_ctx(submitted), 2023)
    qtbot.addWidget(dialog)
    settle()
    told = []
    monkeypatch.setattr("ui.files.tell_exported", lambda parent, path: told.append(path))
    out = tmp_path / "抽样清单.xlsx"
    dialog.export(str(out))
    settle()
    assert out.exists() and told == [str(out)]
    import openpyxl

    text = " ".join(str(c.value) for row in openpyxl.load_workbook(out).active.iter_rows() for c in row if c.value)
    for row in ver.draw_view(submitted, ver.draws(submitted, 2023)[0].sample_id).rows:
        assert row.code in text
