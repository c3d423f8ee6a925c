"""新建年度… from the main window, a window opened read-only, and the window's size remembered,
driven as a user would."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.services.projects import list_projects, list_years, save_project
from app.services.workspace import Workspace
from tests.support import project_raw
from ui.dialogs.new_year import NewYearDialog
from ui.main_window import MainWindow


def table_texts(dialog):
    model = dialog.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_new_year_from_the_file_menu_carries_the_continuing_projects(qtbot, year, settle):
    win = MainWindow(year)
    qtbot.addWidget(win)
    win.show()
    settle()
    assert [win.year_box.itemData(i) for i in range(win.year_box.count())][0] == 2023
    win.findChild(type(win.menuBar().actions()[0]), "act_new_year").trigger()
    dialog = win.findChild(NewYearDialog)
    assert dialog is not None and dialog.isVisible()
    settle()
    assert dialog.year.value() == 2024  # the newest year + 1
    assert dialog.summary.text().startswith("将把2023年度的2个延续项目结转到2024年度（其中1个带上年已批复的绩效目标作为草稿）")
    assert table_texts(dialog) == [
        ["DH2023002", "DH2024002", "救灾物资和防汛物资管理", "[213001]钢城区城市管理局", "[213001]钢城区城市管理局",
         "上年已批复目标作为草稿", "结转"],
        ["DH2023005", "DH2024005", "净水厂原水水费及场地租金", "[213001]钢城区城市管理局", "[213001]钢城区城市管理局",
         "无（需新填）", "结转"],
    ]
    qtbot.mouseClick(dialog.start_button, Qt.LeftButton)
    settle()
    assert not dialog.isVisible()
    assert win.current_year() == 2024 and win.year_box.currentText() == "2024年度"
    assert "已建立2024年度：结转延续项目2个，带入绩效目标草稿1个" in win.statusBar().currentMessage()
    assert win.projects.model.rowCount() == 2  # the page shows the new year's carried projects
    assert {r.code: r.annual_fen for r in list_projects(year, 2024)} == {"DH2024002": 0, "DH2024005": 0}

    again = win.new_year()  # once more: 2025 is offered; 2024 would carry nothing
    qtbot.addWidget(again)
    settle()
    assert again.year.value() == 2025
    again.year.setValue(2024)
    settle()
    assert again.summary.text() == "2024年度已有2023年度全部2个延续项目，没有需要结转的项目。"
    assert not again.start_button.isEnabled()
    assert [row[-1] for row in table_texts(again)] == ["已有，跳过", "已有，跳过"]
    again.buttons.button(QDialogButtonBox.Cancel).click()
    assert not again.isVisible()


def test_a_year_started_with_no_projects_is_in_the_year_list(qtbot, county, settle):
    save_project(county, project_raw(code="X2023001", category="新增"))
    win = MainWindow(county)
    qtbot.addWidget(win)
    win.show()
    dialog = win.new_year()
    settle()
    assert dialog.summary.text() == "2023年度没有延续项目，将建立空的2024年度。" and dialog.model.rowCount() == 0
    dialog.start_button.click()
    settle()
    assert win.current_year() == 2024 and list_years(county) == [2023, 2024]
    win.set_year(2023)
    fresh = MainWindow(county)  # the next start lists it too
    qtbot.addWidget(fresh)
    assert fresh.year_box.findData(2024) >= 0


def test_a_read_only_window_says_so_and_offers_no_writes_of_its_own(qtbot, year, settle):
    holder = Workspace.open(year.db_file, exclusive=True)  # another program has the file
    reader = Workspace.open(year.db_file, read_only=True)
    try:
        win = MainWindow(reader)
        qtbot.addWidget(win)
        win.show()
        settle()
        assert win.windowTitle().endswith("（只读）")
        assert not win.findChild(type(win.menuBar().actions()[0]), "act_new_year").isEnabled()
        assert not win.findChild(type(win.menuBar().actions()[0]), "act_backups").isEnabled()
        win.set_year(2023)  # switching years writes nothing
        settle()
        assert win.projects.model.rowCount() == 2
        win.close()
    finally:
        reader.close()
        holder.close()


def test_the_window_opens_maximized_first_and_then_as_it_was_left(qtbot, county):
    first = MainWindow(county)
    qtbot.addWidget(first)
    assert not first.placement_file().exists()
    first.show_placed()
    qtbot.waitExposed(first)
    assert first.isMaximized()
    first.showNormal()
    from PySide6.QtCore import QSize

    screen = first.screen().availableGeometry().size()
    # a size the user could leave it at: above the window's minimum (fonts differ), inside the screen
    wanted = first.minimumSizeHint().expandedTo(QSize(700, 480)).boundedTo(screen - QSize(10, 10))
    first.resize(wanted)
    qtbot.waitUntil(lambda: not first.isMaximized() and first.height() == wanted.height())
    left = first.size()
    first.close()
    assert first.placement_file().exists()

    second = MainWindow(county)
    qtbot.addWidget(second)
    second.show_placed()
    qtbot.waitExposed(second)
    assert not second.isMaximized()
    assert second.size() == left and left.height() == wanted.height() < screen.height()
    second.showMaximized()
    qtbot.waitUntil(second.isMaximized)
    second.close()

    third = MainWindow(county)
    qtbot.addWidget(third)
    third.show_placed()
    qtbot.waitExposed(third)
    assert third.isMaximized()  # left maximized: opens maximized
    third.close()
