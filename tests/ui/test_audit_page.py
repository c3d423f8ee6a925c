"""The 审计日志 page: newest first; filtering by user and by date keeps only those entries; the
selected entry shows what it wrote before and after; the export holds what the filters keep, a
user's text staying text; only 绩效科 and 只读 users may read it, and nothing on it changes an entry."""

from datetime import date, datetime, timedelta

import openpyxl
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton
from sqlalchemy import update

from app.rules.validation import RejectedError
from app.services import audit_log, projects, users
from app.services.base_data import save_department
from db.models import AuditLog
from tests.support import project_raw
from ui.main_window import AUDIT, MainWindow
from ui.pages.audit_page import AuditPage

WEEK_AGO = datetime.now().replace(microsecond=0) - timedelta(days=7)


@pytest.fixture
def logged(bureau):
    """刘绩效 added the users (a week ago); 张主管 saved a project twice today; a user named "=1+1"
    added a department today."""
    ws = bureau
    with ws.session() as s:
        s.execute(update(AuditLog).values(at=WEEK_AGO))
    ws.actor = users.login(ws, "刘绩效", "secret-1")
    users.add_user(ws, "=1+1", "绩效科", None, "secret-1")
    ws.actor = users.login(ws, "张主管", "secret-1")
    pid = projects.save_project(ws, project_raw(code="3701172023009", name="道路清扫", annual_budget="100",
                                                initial_budget="100"))
    projects.save_project(ws, {**projects.form_values(ws, pid), "name": "道路清扫保洁"}, pid)
    ws.actor = users.login(ws, "=1+1", "secret-1")
    save_department(ws, {"code": "213001002", "name": "钢城区园林中心", "kind": "单位"})
    ws.actor = users.login(ws, "刘绩效", "secret-1")
    return ws


@pytest.fixture
def page(qtbot, logged, page_ctx, settle):
    built = AuditPage(page_ctx(logged))
    qtbot.addWidget(built)
    built.resize(1300, 700)
    built.show()
    built.set_year(2023)
    settle()
    return built


def users_shown(page):
    return {e.user for e in page.model.rows()}


def test_filter_by_user_and_by_date(qtbot, page, settle):
    rows = page.model.rows()
    assert rows[0].at >= rows[-1].at and {"刘绩效", "张主管", "=1+1"} <= users_shown(page)
    assert [page.user.itemText(i) for i in range(page.user.count())][0] == "全部"
    page.user.setCurrentIndex(page.user.findText("张主管"))
    settle()
    assert users_shown(page) == {"张主管"} and len(page.model.rows()) >= 2
    assert page.status.text() == f"共{len(page.model.rows())}条。"
    page.user.setCurrentIndex(0)
    settle()
    page.end.setDate(WEEK_AGO.date())  # up to a week ago: the county and its users being set up
    settle()
    assert page.model.rows() and all(e.at.date() <= WEEK_AGO.date() for e in page.model.rows())
    assert "用户" in {e.entity for e in page.model.rows()} and not {"张主管", "=1+1"} & users_shown(page)
    page.end.setDate(page.end.minimumDate())  # 不限
    page.start.setDate(date.today())
    settle()
    assert page.model.rows() and all(e.at.date() == date.today() for e in page.model.rows())
    page.text.setText("园林")
    qtbot.waitUntil(lambda: {e.user for e in page.model.rows()} == {"=1+1"}, timeout=5000)


def test_the_selected_entry_shows_before_and_after(qtbot, page, settle):
    page.user.setCurrentIndex(page.user.findText("张主管"))
    settle()
    newest = page.model.rows()[0]
    assert newest.action == "修改"
    page.view.selectRow(0)
    lines = {line.field: (line.before, line.after) for line in page.detail_model.rows()}
    assert lines["项目名称"] == ("道路清扫", "道路清扫保洁")
    assert "张主管" in page.detail_head.text() and newest.uuid in page.detail_head.text()


def test_the_export_holds_what_the_filters_keep_and_text_stays_text(qtbot, page, settle, tmp_path):
    page.start.setDate(date.today())
    settle()
    shown = page.model.rows()
    path = tmp_path / "审计日志.xlsx"
    op = page.export(str(path))
    settle()
    assert op.outcome.ok
    op.told.close()
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == "审计日志" and f"日期：{date.today()}" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == ["序号", "时间", "用户", "操作", "记录类型", "记录", "写入内容", "记录编号"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=4)]
    assert [(r[2], r[3], r[4], r[5]) for r in rows] == [(e.user, e.action, e.entity, e.summary) for e in shown]
    formula_user = next(r for r in sheet.iter_rows(min_row=4) if r[2].value == "=1+1")
    assert formula_user[2].data_type == "s"  # a user's text never becomes a formula
    assert any("项目名称：道路清扫保洁" in (r[6] or "") for r in rows)
    assert any("全年预算数（万元）：100.00" in (r[6] or "") for r in rows)  # kept in fen, shown in 万元


def test_nothing_on_the_page_changes_an_entry(page):
    words = {b.text() for b in page.findChildren(QPushButton)}
    assert words == {"清除筛选", "导出…"}


def test_only_the_performance_office_and_read_only_users_see_the_log(qtbot, logged, settle):
    logged.actor = users.login(logged, "张主管", "secret-1")
    with pytest.raises(RejectedError, match="只有绩效科和只读用户可以查看"):
        audit_log.read(logged)
    win = MainWindow(logged)
    qtbot.addWidget(win)
    assert not win.findChild(QAction, "act_audit").isEnabled()
    logged.actor = users.login(logged, "领导", "secret-1")
    win.apply_actor()
    assert win.findChild(QAction, "act_audit").isEnabled()
    win.show()
    win.findChild(QAction, "act_audit").trigger()
    settle()
    assert win.built[AUDIT].isVisible() and win.built[AUDIT].model.rowCount() > 0
