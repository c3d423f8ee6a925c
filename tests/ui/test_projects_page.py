"""The projects page driven as a finance officer would: typing, clicking, importing."""

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from app.io.xlsx import read_table
from app.services import projects as svc
from tests.support import project_raw
from tests.ui.typing import type_text
from ui.dialogs.form_dialog import set_widget_text
from ui.dialogs.import_report import ImportReportDialog
from ui.main_window import MainWindow
from ui.models.project_table import ProjectTableModel
from ui.pages.base_data_page import BaseDataPage
from ui.pages.projects_page import ProjectsPage


@pytest.fixture
def window(qtbot, demo_copy, settle):
    win = MainWindow(demo_copy)
    qtbot.addWidget(win)
    win.show()
    win.show_page("projects")  # the program opens on 工作台
    win.set_year(2022)
    settle()
    return win


def visible_names(page):
    return [page.model.row_at(i).name for i in range(page.model.rowCount())]


def test_typing_in_the_search_box_narrows_the_list(qtbot, window):
    page = window.projects
    assert page.model.rowCount() == 17
    type_text(page.search, "公厕")
    assert sorted(visible_names(page)) == sorted(["城区环卫一体化保洁费（城区、莱钢大道及公厕）", "莱钢道路、公厕运行费用", "农村公厕建设"])
    type_text(page.search, " 213001")
    assert len(visible_names(page)) == 2
    assert "显示2个 / 共17个项目" in page.status.text()
    page.search.clear()
    assert page.model.rowCount() == 17


def test_filters_and_header_click_sorting(qtbot, window):
    page = window.projects
    page.fund_filter.setCurrentText("政府性基金预算")
    assert visible_names(page) == ["机关养老金缺口"]
    page.fund_filter.setCurrentText("全部")
    column = [c.header for c in page.model.columns].index("全年预算数（万元）")
    header = page.view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=header.rect().center().__class__(
        header.sectionViewportPosition(column) + 5, 5))
    first = page.model.row_at(0).annual_fen
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=header.rect().center().__class__(
        header.sectionViewportPosition(column) + 5, 5))
    assert {first, page.model.row_at(0).annual_fen} == {14_350_000, 5_792_000_000}  # 14.35 and 5792万元


def test_switching_years_without_restarting(window, settle):
    assert window.projects.model.rowCount() == 17
    window.set_year(2023)
    assert window.projects.status.text() == "正在读取…"  # read in the background
    settle()
    assert window.projects.model.rowCount() == 30
    assert "2023年度" in window.projects.status.text()


def test_create_a_project_through_the_form_with_inline_validation(qtbot, window, settle):
    window.set_year(2023)
    settle()
    page = window.projects
    form = page.add()
    type_text(form.widgets["code"], "9901012023099")
    type_text(form.widgets["name"], "农村饮水安全维修养护")
    form.widgets["department"].setCurrentText("[208001]示范县住房和城乡建设局")
    form.widgets["unit"].setCurrentText("[208001]示范县住房和城乡建设局")
    type_text(form.widgets["annual_budget"], "abc")
    error = form.errors["annual_budget"]
    assert error.isVisibleTo(form) and error.text() == "应为不小于0的数字"
    assert not form.errors["initial_budget"].isVisibleTo(form)  # untouched fields stay quiet while typing
    form.widgets["annual_budget"].clear()
    type_text(form.widgets["annual_budget"], "120.5")
    assert not error.isVisibleTo(form)
    type_text(form.widgets["fiscal"], "100")
    type_text(form.widgets["other"], "30")
    assert form.errors["fiscal"].text() == "财政拨款与其他资金之和应等于全年预算数120.50万元"
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert form.isVisible()  # refused: 年初预算数 is required, now shown too
    assert form.errors["initial_budget"].text() == "为必填项，应为不小于0的数字（万元）"
    type_text(form.widgets["initial_budget"], "120.5")
    form.widgets["other"].setText("20.5")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert not form.isVisible()
    settle()  # the save's change notification reads the list again
    type_text(page.search, "饮水安全")
    assert visible_names(page) == ["农村饮水安全维修养护"]
    assert page.model.row_at(0).annual_fen == 120_500_000


def test_editing_shows_the_stored_values_and_saves_changes(qtbot, window, settle):
    page = window.projects
    type_text(page.search, "银龄安康")
    page.view.selectRow(0)
    form = page.edit_selected()
    assert form.widgets["annual_budget"].text() == "114.00"
    assert form.widgets["department"].currentText() == "[502001]示范县卫生健康委员会"
    form.widgets["name"].setText("银龄安康工程")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    settle()
    page.search.clear()
    assert "银龄安康工程" in visible_names(page)


def test_deleting_a_project_that_is_evaluated_is_refused(qtbot, window, monkeypatch, settle):
    shown = []
    monkeypatch.setattr("ui.pages.projects_page.confirm", lambda *a: True)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    page = window.projects
    type_text(page.search, "机关养老金缺口")
    page.view.selectRow(0)
    page.delete_selected()
    settle()
    assert shown and "1条重点评价使用，不能删除" in shown[0]  # also its target and self-evaluation
    assert visible_names(page) == ["机关养老金缺口"]


def test_deleting_a_project_takes_it_off_the_list(qtbot, county, page_ctx, monkeypatch, settle):
    monkeypatch.setattr("ui.pages.projects_page.confirm", lambda *a: True)
    svc.save_project(county, project_raw())
    svc.save_project(county, project_raw(code="B2", name="公厕运行"))
    page = ProjectsPage(page_ctx(county))
    qtbot.addWidget(page)
    page.show()
    page.set_year(2023)
    settle()
    type_text(page.search, "公厕")
    page.view.selectRow(0)
    page.delete_selected()
    settle()
    assert visible_names(page) == [] and "共1个项目" in page.status.text()


def test_importing_a_file_with_a_bad_cell_shows_the_report(qtbot, window, tmp_path, settle):
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "项目"
    labels = [s.label for s in svc.PROJECT_FIELDS]
    sheet.append(labels)
    good = project_raw(department="[213001]钢城区城市管理局", unit="[213001]钢城区城市管理局")
    sheet.append([good[s.key] for s in svc.PROJECT_FIELDS])
    bad = project_raw(code="X2", annual_budget="abc")
    sheet.append([bad[s.key] for s in svc.PROJECT_FIELDS])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    window.set_year(2023)
    settle()
    before = window.projects.model.total_count()
    op = window.projects.import_file(str(path))
    settle()
    dialog = op.report
    assert isinstance(dialog, ImportReportDialog)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() == 1
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert cells == ["项目", "3", "全年预算数（万元）", "abc", "应为不小于0的数字"]
    out = tmp_path / "errors.xlsx"
    dialog.export(str(out))
    table = read_table(out, sheet="错误清单", required=["工作表", "行号", "列", "应为", "实际值"])
    assert table.rows[0][1]["实际值"] == "abc"
    assert window.projects.model.total_count() == before


def test_importing_a_good_file_adds_its_projects(qtbot, window, tmp_path, monkeypatch, settle):
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "项目"
    sheet.append([s.label for s in svc.PROJECT_FIELDS])
    raw = project_raw(code="N1", name="新导入项目", year="2026")  # the demo has 2022–2025
    sheet.append([raw[s.key] for s in svc.PROJECT_FIELDS])
    path = tmp_path / "good.xlsx"
    wb.save(path)
    op = window.projects.import_file(str(path))
    settle()
    assert op.outcome.ok and op.report is None and told == ["导入完成：新增项目1个，更新项目0个。"]
    window.set_year(2026)  # a new year appears in the picker
    settle()
    assert visible_names(window.projects) == ["新导入项目"]


def test_export_writes_what_the_user_sees(qtbot, window, tmp_path, settle):
    page = window.projects
    type_text(page.search, "213001")
    out = tmp_path / "seen.xlsx"
    op = page.export("xlsx", str(out))
    settle()
    assert op.outcome.ok and op.outcome.result == 2
    sheet = openpyxl.load_workbook(out)["项目"]
    names = [sheet.cell(row=r, column=2).value for r in range(4, sheet.max_row)]
    assert sorted(names) == sorted(["城区环卫一体化保洁费（城区、莱钢大道及公厕）", "莱钢道路、公厕运行费用"])


def test_project_table_model_passes_the_model_tester(qtmodeltester, demo_copy):
    model = ProjectTableModel()
    model.load(svc.list_projects(demo_copy, 2023))
    qtmodeltester.check(model)
    model.set_filter(text="教育")
    model.sort(8, Qt.DescendingOrder)
    qtmodeltester.check(model)


def test_import_report_model_passes_the_model_tester(qtmodeltester, qtbot):
    from app.rules.validation import CellProblem
    dialog = ImportReportDialog("x", [CellProblem("项目", 7, "全年预算数（万元）", "应为不小于0的数字", "abc")])
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)


def test_sorting_money_uses_the_exact_amount(demo_copy):
    model = ProjectTableModel()
    model.load(svc.list_projects(demo_copy, 2022))
    column = [c.attr for c in model.columns].index("annual_fen")
    model.sort(column, Qt.DescendingOrder)
    assert [model.row_at(i).annual_fen for i in range(3)] == [5_792_000_000, 4_218_000_000, 3_865_200_000]
    assert model.index(0, column).data() == "5,792.00"
    model.set_filter(text="公厕")  # a new filter keeps the chosen order
    assert [model.row_at(i).annual_fen for i in range(model.rowCount())] == [3_201_180_000, 1_350_930_000, 1_125_400_000]


def test_two_people_editing_the_same_project(qtbot, window, monkeypatch, settle):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    page = window.projects
    type_text(page.search, "银龄安康")
    page.view.selectRow(0)
    first, second = page.edit_selected(), page.edit_selected()
    first.widgets["name"].setText("银龄安康（一）")
    qtbot.mouseClick(first.save_button, Qt.LeftButton)
    second.widgets["annual_budget"].setText("120")
    second.widgets["initial_budget"].setText("120")
    second.widgets["fiscal"].setText("")
    qtbot.mouseClick(second.save_button, Qt.LeftButton)
    assert second.isVisible() and shown == [svc.STALE]
    settle()
    page.search.clear()
    saved = next(r for r in page.model.rows() if r.code == "9901012022008")
    assert (saved.name, saved.annual_fen) == ("银龄安康（一）", 114_000_000)
    second.done(0)  # the refused form is put away without saving (closing would ask, as it should)


def test_a_project_saved_in_the_form_shows_without_a_reload(qtbot, county, page_ctx, settle):
    page = ProjectsPage(page_ctx(county))  # built alone: nothing wires it to the form
    qtbot.addWidget(page)
    page.show()
    page.set_year(2023)
    settle()
    assert page.model.rowCount() == 0
    form = page.add()
    form.set_values(project_raw(code="F1", name="表单新增项目"))
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert not form.isVisible()
    settle()
    assert visible_names(page) == ["表单新增项目"]


def test_a_department_added_on_the_base_data_page_is_offered_in_the_filter(qtbot, county, page_ctx, settle):
    ctx = page_ctx(county)
    projects, base = ProjectsPage(ctx), BaseDataPage(ctx)  # two pages, wired to nothing but the hub
    for page in (projects, base):
        qtbot.addWidget(page)
        page.show()
    projects.set_year(2023)
    settle()
    offered = [projects.dept_filter.itemText(i) for i in range(projects.dept_filter.count())]
    assert "[402001]钢城区自然资源局" not in offered
    form = base.add_department()
    type_text(form.widgets["code"], "402001")
    type_text(form.widgets["name"], "钢城区自然资源局")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    settle()
    offered = [projects.dept_filter.itemText(i) for i in range(projects.dept_filter.count())]
    assert "[402001]钢城区自然资源局" in offered


def test_a_change_keeps_the_selected_project_and_the_scroll_position(qtbot, demo_copy, page_ctx, settle):
    """A colleague adds a project that sorts above the user's place: after the reload the same
    project is selected and the same project is at the top of the view."""
    page = ProjectsPage(page_ctx(demo_copy))
    qtbot.addWidget(page)
    page.resize(1000, 320)
    page.show()
    page.set_year(2023)
    settle()
    assert page.model.rowCount() == 30
    page.view.scrollToBottom()
    page.view.selectRow(page.model.rowCount() - 2)
    picked, top = page.selected_row().id, page.model.row_at(page.view.rowAt(0)).id
    assert page.view.rowAt(0) > 0  # scrolled down
    first = page.model.row_at(0)
    svc.save_project(demo_copy, {**svc.form_values(demo_copy, first.id), "code": "0000000000001", "name": "同事新增的项目"})
    settle()
    assert page.model.rowCount() == 31 and page.model.row_at(0).name == "同事新增的项目"  # the change arrived
    assert page.selected_row().id == picked
    assert page.model.row_at(page.view.rowAt(0)).id == top


# -- no lost typing; the units of the chosen department; a period outside the year -------------------------
class Unsaved:
    """The user's answer when a form with changes is closed ("save", "discard", "cancel"), and what was asked."""

    def __init__(self):
        self.answer, self.asked = "cancel", []

    def __call__(self, parent, what):
        self.asked.append(what)
        return self.answer


@pytest.fixture
def unsaved(monkeypatch):
    from ui import messages

    given = Unsaved()
    monkeypatch.setattr(messages, "ask_unsaved", given)
    return given


@pytest.fixture
def county_page(qtbot, county, page_ctx, settle):
    page = ProjectsPage(page_ctx(county))
    qtbot.addWidget(page)
    page.show()
    page.set_year(2023)
    settle()
    return page


@pytest.mark.parametrize("close", ["cancel_button", "window", "escape"])
def test_closing_a_project_form_with_changes_asks_and_each_answer_does_what_it_says(qtbot, county_page, unsaved,
                                                                                   settle, close):
    page = county_page
    form = page.add()
    qtbot.addWidget(form)

    def close_it():
        if close == "cancel_button":
            qtbot.mouseClick(form.findChild(QDialogButtonBox).button(QDialogButtonBox.Cancel), Qt.LeftButton)
        elif close == "window":
            form.close()
        else:
            qtbot.keyClick(form, Qt.Key_Escape)

    type_text(form.widgets["code"], "F1")
    type_text(form.widgets["name"], "表单新增项目")
    unsaved.answer = "cancel"
    close_it()
    assert unsaved.asked == ["新项目"] and form.isVisible() and form.widgets["name"].text() == "表单新增项目"
    unsaved.answer = "save"
    close_it()  # 保存 refused (the budget is still empty): stays open, the problems shown
    assert form.isVisible() and form.errors["annual_budget"].text().startswith("为必填项")
    for key, value in project_raw(code="F1", name="表单新增项目").items():
        set_widget_text(form.widgets[key], value)  # as typed and picked
    close_it()  # 保存 succeeds: saved, then closed
    settle()
    assert not form.isVisible() and visible_names(page) == ["表单新增项目"]


def test_discarding_closes_without_saving_and_an_unchanged_form_closes_silently(qtbot, county_page, unsaved, settle):
    page = county_page
    form = page.add()
    qtbot.addWidget(form)
    form.close()
    assert not form.isVisible() and unsaved.asked == []
    form = page.add()
    qtbot.addWidget(form)
    type_text(form.widgets["name"], "不要了")
    unsaved.answer = "discard"
    qtbot.keyClick(form, Qt.Key_Escape)
    settle()
    assert not form.isVisible() and unsaved.asked == ["新项目"] and visible_names(page) == []
    svc.save_project(county_page.ws, project_raw())
    settle()
    page.view.selectRow(0)
    form = page.edit_selected()
    qtbot.addWidget(form)
    form.close()  # opened, looked at, closed: nothing asked
    assert not form.isVisible() and unsaved.asked == ["新项目"]


def test_the_unit_list_offers_the_chosen_departments_units(qtbot, county, county_page, unsaved):
    from app.services.base_data import list_departments, save_department

    bureau = next(d.id for d in list_departments(county) if d.code == "213001")
    save_department(county, {"code": "213001001", "name": "钢城区环卫所", "kind": "单位"}, parent_id=bureau)
    save_department(county, {"code": "207001001", "name": "钢城区公路站", "kind": "单位"},
                    parent_id=next(d.id for d in list_departments(county) if d.code == "207001"))
    form = county_page.add()
    qtbot.addWidget(form)
    assert len(form.unit_list()) == 4  # no department chosen yet: every department and unit
    form.widgets["department"].setCurrentText("[213001]钢城区城市管理局")
    assert form.unit_list() == ["[213001]钢城区城市管理局", "[213001001]钢城区环卫所"]
    assert form.widgets["unit"].currentText() == "[213001]钢城区城市管理局"  # usually the department itself
    form.widgets["unit"].setCurrentText("[213001001]钢城区环卫所")
    form.widgets["department"].setCurrentText("[207001]钢城区城乡交通运输局")
    assert form.unit_list() == ["[207001]钢城区城乡交通运输局", "[207001001]钢城区公路站"]
    assert form.widgets["unit"].currentText() == "[213001001]钢城区环卫所"  # a unit already chosen is kept
    form.done(0)


def test_a_period_outside_the_projects_year_is_flagged_under_the_field(qtbot, county_page, unsaved):
    form = county_page.add()
    qtbot.addWidget(form)
    assert (form.widgets["period_start"].text(), form.widgets["period_end"].text()) == ("2023-01", "2023-12")
    form.widgets["period_start"].setText("2024-03")
    assert form.errors["period_start"].text() == "实施期起2024-03晚于项目年度2023年，实施期应包含2023年度内的月份"
    form.widgets["period_start"].setText("2022-07")
    assert form.errors["period_start"].text() == "" and form.errors["period_end"].text() == ""  # runs over: fine
    form.widgets["period_end"].setText("2022-12")
    assert form.errors["period_end"].text() == "实施期止2022-12早于项目年度2023年，实施期应包含2023年度内的月份"
    form.widgets["period_start"].setText("2023-01")
    form.widgets["period_end"].setText("2023-12")
    form.widgets["year"].setText("2024")  # the whole of the old year moves with the year
    assert (form.widgets["period_start"].text(), form.widgets["period_end"].text()) == ("2024-01", "2024-12")
    form.done(0)
