"""文件 → 年度工作情况说明…: the year, the format and 附统计图 asked, the file written in the background
(with the 工作台's four charts by default); `export summary` from the command line draws them too."""

import docx
import pytest
from PySide6.QtGui import QAction

from app.__main__ import main
from ui.dialogs.year_summary import YearSummaryDialog
from ui.files import ExportedDialog
from ui.main_window import MainWindow


def _dialog(qtbot, ws) -> tuple[MainWindow, YearSummaryDialog]:
    win = MainWindow(ws)
    qtbot.addWidget(win)
    win.fill_years(2023)  # the picker offers 2023 (the new county has no projects yet)
    win.findChild(QAction, "act_year_summary").trigger()
    [dialog] = [d for d in win.findChildren(YearSummaryDialog) if d.isVisible()]
    return win, dialog


def test_the_menu_action_writes_the_years_text(qtbot, county, settle, tmp_path):
    win, dialog = _dialog(qtbot, county)
    assert dialog.year.currentData() == 2023 and dialog.format.currentData() == "docx"
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    dialog.charts.setChecked(False)
    out = tmp_path / "说明.pdf"
    assert dialog.export(str(out)) is not None
    settle()
    assert not dialog.isVisible() and out.read_bytes().startswith(b"%PDF")
    assert b"/Subtype /Image" not in out.read_bytes()  # 附统计图 unticked: the text alone
    assert [d for d in win.findChildren(ExportedDialog) if d.isVisible()]  # 已导出到：… with 打开文件


def test_the_word_draft_carries_the_four_charts_by_default(qtbot, demo_copy, settle, tmp_path):
    win, dialog = _dialog(qtbot, demo_copy)
    assert dialog.charts.isChecked() and dialog.charts.text() == "附统计图（绩效目标、运行监控、绩效自评、整改，与说明同一范围和口径）"
    out = tmp_path / "说明.docx"
    assert dialog.export(str(out)) is not None
    settle()
    document = docx.Document(str(out))
    assert len(document.inline_shapes) == 4
    captions = [p.text for p in document.paragraphs if p.text.startswith("图")]
    assert captions == ["图1  2023年度绩效目标审核情况", "图2  2023年度绩效运行监控总体进度与序时进度",
                        "图3  2023年度绩效自评等级分布", "图4  2023年度问题整改情况"]
    assert [d for d in win.findChildren(ExportedDialog) if d.isVisible()]


def test_the_range_asked_names_the_report_and_narrows_its_figures(qtbot, demo_copy, settle, tmp_path):
    win, dialog = _dialog(qtbot, demo_copy)  # the demo county lists three townships
    assert [dialog.scope.itemText(n) for n in range(dialog.scope.count())] == [
        "示范县本级", "全县（示范县及所属乡镇）", "青石镇", "白沙镇", "红岩乡"]
    assert dialog.scope.currentIndex() == 0 and dialog.scope.isVisibleTo(dialog)
    dialog.scope.setCurrentIndex(dialog.scope.findText("青石镇"))
    dialog.charts.setChecked(False)
    out = tmp_path / "说明.docx"
    assert dialog.export(str(out)) is not None
    settle()
    lines = [p.text for p in docx.Document(str(out)).paragraphs if p.text]
    assert lines[0] == "2023年度青石镇预算绩效工作开展情况说明"
    assert "（2023年系统中没有绩效自评的记录，也未录入上报数，请补充或删去本部分。）" in lines  # the seeds' records are 本级's


def test_a_year_with_nothing_to_chart_gets_no_empty_pictures(qtbot, county, settle, tmp_path):
    win, dialog = _dialog(qtbot, county)
    out = tmp_path / "说明.docx"
    assert dialog.charts.isChecked() and dialog.export(str(out)) is not None
    settle()
    assert len(docx.Document(str(out)).inline_shapes) == 0  # each part says in words there is nothing yet


def test_export_summary_on_the_command_line_draws_the_charts(demo_copy, tmp_path, capsys):
    if not demo_copy.db_file:
        pytest.skip("the command line opens the demo's database file (the PostgreSQL pass tests the service)")
    out, plain = tmp_path / "说明.docx", tmp_path / "无图.docx"
    common = ["export", "summary", "--year", "2023", "--format", "docx", "--db", str(demo_copy.db_file)]
    assert main([*common, "--out", str(out)]) == 0
    assert main([*common, "--no-charts", "--out", str(plain)]) == 0
    assert "已导出2023年度预算绩效工作开展情况说明" in capsys.readouterr().out
    assert len(docx.Document(str(out)).inline_shapes) == 4
    assert len(docx.Document(str(plain)).inline_shapes) == 0
    lines = [p.text for p in docx.Document(str(out)).paragraphs]
    # each chart after the part it illustrates: 图1 within 二、绩效目标管理情况, before 三、
    assert lines.index("二、绩效目标管理情况") < lines.index("图1  2023年度绩效目标审核情况") < lines.index("三、绩效运行监控情况")
