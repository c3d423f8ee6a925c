"""The 乡镇考核 page: a county without townships says how to add them; with two townships, a hand score
entered in the 评分 dialog moves 总分 and 名次 (the tie at 20 — 整改完成率 with nothing due — is broken),
the heading says the due dates counted against, the 计分依据 below follows the township chosen with its
分值 and reasons, and 导出Excel writes the table the page shows (not a second read)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ui.dialogs import township_score
from ui.dialogs.township_score import ScoreDialog


def cells(page):
    """The table as shown: (名次, 乡镇, 总分, 等级) per line."""
    m = page.model
    return [tuple(m.index(r, c).data() for c in (0, 1, m.columnCount() - 2, m.columnCount() - 1))
            for r in range(m.rowCount())]


def test_a_county_without_townships_says_how_to_add_them(stage_page, county):
    page = stage_page("township", county, 2023)
    assert page.model.rowCount() == 0 and page.empty.isVisible()
    assert "基础数据" in page.empty.text() and "数据交换" in page.empty.text()


def test_a_hand_score_moves_the_total_and_the_place(qtbot, stage_page, county, settle, monkeypatch, tmp_path):
    from app.services.base_data import save_region

    save_region(county, {"code": "370117101", "name": "艾山街道", "level": "乡镇"}, parent_code="370117")
    save_region(county, {"code": "370117102", "name": "里辛街道", "level": "乡镇"}, parent_code="370117")
    page = stage_page("township", county, 2023)
    assert not page.empty.isVisible()
    assert cells(page) == [("1", "艾山街道", "20.00", "差"), ("1", "里辛街道", "20.00", "差")]  # 整改: nothing due
    assert page.model.headerData(2, Qt.Horizontal).replace("\n", "") == "目标申报覆盖率得分（20分）"
    assert "数据包报送期限：年中2023-09-15，年度2024-04-30" in page.dates.text()  # what the figures count against

    seen = {}

    def answer(parent, table, row, item=""):
        dialog = ScoreDialog(table, row, item, parent)
        seen["dialog"] = dialog
        dialog.score.setText("18.5")
        dialog.note.setText("乡镇以纸质材料报送，经核实")
        return dialog.answer()

    monkeypatch.setattr(township_score, "ask_score", answer)
    page.view.selectRow(1)
    page.view.doubleClicked.emit(page.model.index(1, 2))  # 里辛街道's 目标申报覆盖率
    settle()
    assert seen["dialog"].item.currentData() == "目标申报覆盖率" and "程序计算：0分（无数据）" in seen["dialog"].counted.text()
    assert cells(page) == [("1", "里辛街道", "38.50", "差"), ("2", "艾山街道", "20.00", "差")]
    assert page.selected().name == "里辛街道"  # the place is kept across the reload
    assert "里辛街道（总分38.5分，差，第1名）" in page.basis_heading.text()
    shown = [[page.basis.index(r, c).data() for c in (0, 1, 6, 7)] for r in range(page.basis.rowCount())]
    assert shown[0] == ["目标申报覆盖率", "20", "手工", "无数据；手工评分：乡镇以纸质材料报送，经核实"]
    assert shown[3] == ["整改完成率", "20", "自动", "无到期整改事项，不扣分"]  # nothing due: no deduction
    assert "口径（目标申报覆盖率）" in page.meaning.text()

    import openpyxl

    target = tmp_path / "考核.xlsx"
    monkeypatch.setattr("ui.files.tell_exported", lambda parent, path: None)
    monkeypatch.setattr("app.services.township_assessment.assessment", None)  # the export reads nothing again
    page.export("xlsx", str(target))
    settle()
    sheet = openpyxl.load_workbook(target)["考核表"]
    assert [sheet.cell(4, c).value for c in (1, 2, 8, 9)] == [1, "里辛街道", 38.5, "差"]
    assert page.findChild(QPushButton, "btn_score").isEnabled()


def test_the_new_key_evaluation_offers_the_townships_for_a_fiscal_evaluation(qtbot):
    from ui.pages.key_eval_page import NewEvalDialog

    dialog = NewEvalDialog([], [], None, (("370117101", "艾山街道"), ("370117102", "里辛街道")))
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentText("下级财政运行")
    assert dialog.form.isRowVisible(4) and not dialog.form.isRowVisible(3)
    dialog.township.setCurrentIndex(1)
    assert dialog.choice() == ("下级财政运行", None, None, "里辛街道")
    dialog.kind.setCurrentText("政策")  # a policy is still typed
    assert dialog.form.isRowVisible(3) and not dialog.form.isRowVisible(4)
    typed = NewEvalDialog([], [], None)  # a county without townships types the name
    qtbot.addWidget(typed)
    typed.kind.setCurrentText("下级财政运行")
    assert typed.form.isRowVisible(3) and not typed.form.isRowVisible(4)
