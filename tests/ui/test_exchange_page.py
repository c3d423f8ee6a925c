"""The 数据交换 page, driven as the county's 绩效科 would: export the county's key and register a
township's (a second time is refused in a sentence), import the township's package (the preview
shows what would be new before anything is written; 确认导入 merges it and the log shows it), send a
package down, meet a project renamed on both sides as a conflict side by side and settle it with
采用来件值; a package addressed to another database is refused in its sentence with nothing changed.
The page sits under 系统 → 数据交换, open to 绩效科 (or anyone on a database without users)."""

from __future__ import annotations


import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from app.services import exchange, exchange_keys, projects, users
from app.services.base_data import save_region
from db.models import Project
from tests.support import township_with_projects
from ui import files, messages
from ui.pages.exchange_page import ExchangePage

COUNTY = "370117"
TOWN = "370117101"


def rename(ws, uuid: str, name: str) -> None:
    """The project form's save with only the 项目名称 changed."""
    with ws.session() as s:
        project_id = s.scalars(select(Project.id).where(Project.uuid == uuid)).one()
    projects.save_project(ws, {**projects.form_values(ws, project_id), "name": name}, project_id)


def _names(ws) -> dict[str, str]:
    with ws.session() as s:
        return {p.uuid: p.name for p in s.scalars(select(Project))}


@pytest.fixture
def town(tmp_path):
    ws = township_with_projects(tmp_path, TOWN, "艾山街道", "901001")
    yield ws
    ws.close()


@pytest.fixture
def shown_errors(monkeypatch):
    said = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error, title="": said.append((title, str(error))))
    return said


@pytest.fixture
def make_page(qtbot, page_ctx, settle):
    def make(ws):
        page = ExchangePage(page_ctx(ws))
        qtbot.addWidget(page)
        page.resize(1300, 700)
        page.show()
        page.set_year(2023)
        settle()
        return page
    return make


def click(qtbot, page, name: str) -> None:
    widget = page.findChild(QPushButton, f"btn_{name}")
    assert widget.isEnabled(), name
    qtbot.mouseClick(widget, Qt.LeftButton)


def choose_file(monkeypatch, path) -> None:
    monkeypatch.setattr(files, "ask_open_path", lambda *a, **k: str(path))


def save_as(monkeypatch, path) -> list:
    offered = []

    def ask(parent, caption, suggested, filters, kind="export"):
        offered.append(suggested)
        return str(path)
    monkeypatch.setattr(files, "ask_save_path", ask)
    return offered


def import_through_preview(qtbot, page, settle, monkeypatch, path) -> dict:
    """导入数据包… → the preview; returns its counts for 项目, then 确认导入."""
    choose_file(monkeypatch, path)
    click(qtbot, page, "import_package")
    settle()
    assert page.preview is not None and page.preview.isVisible()
    counts = page.preview.counts_of("项目")
    qtbot.mouseClick(page.preview.confirm, Qt.LeftButton)
    settle()
    return counts


def test_register_import_and_settle_a_conflict(qtbot, county, town, make_page, settle, monkeypatch, tmp_path,
                                               shown_errors):
    page = make_page(county)
    assert page.own_region.text() == "本库区划：[370117]钢城区" and len(page.own_fingerprint.text()) > len("公钥指纹：") + 8
    assert page.conflict_note.text() == "没有等待处理的冲突。" and page.log_model.rowCount() == 0

    # the county's key goes to the township; the township's key is registered here
    offered = save_as(monkeypatch, tmp_path / "county.pdkey")
    click(qtbot, page, "export_key")
    settle()
    assert offered == ["钢城区.pdkey"] and (tmp_path / "county.pdkey").is_file()
    assert "请把这个文件交给对方登记" in page.status.text()
    for told in page.findChildren(files.ExportedDialog):
        told.close()
    exchange_keys.trust(town, tmp_path / "county.pdkey")
    exchange_keys.write_own(town, tmp_path / "town.pdkey")
    choose_file(monkeypatch, tmp_path / "town.pdkey")
    click(qtbot, page, "trust_key")
    settle()
    (key,) = page.key_model.rows()
    assert (key.region_code, key.region_name, key.registered_by) == (TOWN, "艾山街道", county.actor.name)
    assert key.fingerprint in page.status.text()
    click(qtbot, page, "trust_key")  # the same file again: refused in the service's sentence
    assert shown_errors and "已于" in shown_errors[-1][1] and "不需要再登记" in shown_errors[-1][1]
    assert len(page.key_model.rows()) == 1

    # the township's package: previewed (nothing written), then imported
    exchange.export_package(town, COUNTY, [2023], tmp_path / "up.pdx")
    choose_file(monkeypatch, tmp_path / "up.pdx")
    click(qtbot, page, "import_package")
    settle()
    assert page.preview.counts_of("项目")["新增"] == 2 and page.preview.counts_of("绩效目标")["新增"] == 1
    assert _names(county) == {}  # the preview wrote nothing
    qtbot.mouseClick(page.preview.confirm, Qt.LeftButton)
    settle()
    assert _names(county) == _names(town) and page.status.text().startswith("已导入[370117101]艾山街道")
    newest = page.log_model.rows()[0]
    assert (newest.direction, newest.counterpart, newest.file_name) == ("导入", "[370117101]艾山街道", "up.pdx")
    assert newest.records >= 3

    # the county sends its review down through the page (to whom, which years, where)
    uuid = next(u for u, n in _names(county).items() if n.endswith("项目1"))
    rename(county, uuid, "艾山街道项目1（县调整）")
    settle()
    click(qtbot, page, "export_package")
    assert page.choice.to.currentData() == TOWN and page.choice.chosen() == (TOWN, [2023])
    offered = save_as(monkeypatch, tmp_path / "down.pdx")
    qtbot.mouseClick(page.choice.ok, Qt.LeftButton)
    settle()
    assert offered[0].startswith("钢城区-2023-") and offered[0].endswith(".pdx")
    assert page.last_op.outcome.ok and "下发" in page.status.text()
    page.last_op.told.close()
    assert page.log_model.rows()[0].direction == "导出（下发）"
    exchange.import_package(town, tmp_path / "down.pdx")

    # both sides rename the same project before the next exchange
    rename(town, uuid, "乡镇改名")
    rename(county, uuid, "县里改名")
    exchange.export_package(town, COUNTY, [2023], tmp_path / "up2.pdx")
    counts = import_through_preview(qtbot, page, settle, monkeypatch, tmp_path / "up2.pdx")
    assert counts["冲突"] == 1
    (row,) = page.conflict_model.rows()
    assert (row.region, row.kind, row.field, row.local_value, row.incoming_value, row.package_file) == (
        "[370117101]艾山街道", "项目", "项目名称", "县里改名", "乡镇改名", "up2.pdx")
    assert _names(county)[uuid] == "县里改名"  # the local value stands
    assert not page.take.isEnabled()  # nothing chosen yet
    page.conflict_view.selectRow(0)
    click(qtbot, page, "take_incoming")
    settle()
    assert _names(county)[uuid] == "乡镇改名"
    assert page.conflict_model.rowCount() == 0 and page.conflict_note.text() == "没有等待处理的冲突。"
    assert not shown_errors[1:]  # only the repeated key was refused


def test_a_package_for_another_database_is_refused_in_its_sentence(qtbot, county, town, make_page, settle,
                                                                  monkeypatch, tmp_path, shown_errors):
    save_region(county, {"code": "370117102", "name": "里辛街道", "level": "乡镇"}, parent_code=COUNTY)
    exchange_keys.write_own(county, tmp_path / "county.pdkey")
    exchange_keys.trust(town, tmp_path / "county.pdkey")
    exchange.export_package(county, "370117102", [2023], tmp_path / "down.pdx")
    before = _names(town)
    page = make_page(town)
    choose_file(monkeypatch, tmp_path / "down.pdx")
    click(qtbot, page, "import_package")
    settle()
    assert page.preview is None
    (title, sentence), = shown_errors
    assert "是发给[370117102]里辛街道的，不是本数据库" in sentence and "数据库未作任何改动" in sentence
    assert sentence in page.status.text()
    assert _names(town) == before and page.log_model.rowCount() == 0


def test_the_page_is_for_the_performance_office(qtbot, bureau, settle):
    from ui.main_window import MainWindow
    from ui.window_users import EXCHANGE

    win = MainWindow(bureau)
    qtbot.addWidget(win)
    act = win.findChild(QAction, "act_exchange")
    assert act.isEnabled()  # 刘绩效, 绩效科
    win.show()
    act.trigger()
    settle()
    page = win.built[EXCHANGE]
    assert page.isVisible() and page.own_region.text() == "本库区划：[370117]钢城区"
    bureau.actor = users.login(bureau, "张主管", "secret-1")
    win.apply_actor()
    assert not act.isEnabled() and not page.isVisible()  # sent back to the first page
