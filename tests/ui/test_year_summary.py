"""文件 → 年度工作情况说明…: the year and the format asked, the file written in the background."""

from PySide6.QtGui import QAction

from ui.dialogs.year_summary import YearSummaryDialog
from ui.files import ExportedDialog
from ui.main_window import MainWindow


def test_the_menu_action_writes_the_years_text(qtbot, county, settle, tmp_path):
    win = MainWindow(county)
    qtbot.addWidget(win)
    win.fill_years(2023)  # the county has no projects yet: the picker offers 2023 and this year
    win.findChild(QAction, "act_year_summary").trigger()
    [dialog] = [d for d in win.findChildren(YearSummaryDialog) if d.isVisible()]
    assert dialog.year.currentData() == 2023 and dialog.format.currentData() == "docx"
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    out = tmp_path / "说明.pdf"
    assert dialog.export(str(out)) is not None
    settle()
    assert not dialog.isVisible() and out.read_bytes().startswith(b"%PDF")
    assert [d for d in win.findChildren(ExportedDialog) if d.isVisible()]  # 已导出到：… with 打开文件
