"""绩效自评 page as a bureau uses it: the year's projects and departments waiting for their 自评表,
生成本年度自评表 creates them and the list follows (change notification), a double-click opens the
form, a saved score reaches the list, and the 自评汇总表 and the 一致性检查 are written to files."""

import openpyxl
import pytest
from PySide6.QtCore import Qt

from app.services import self_eval as svc
from ui import files, messages


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    monkeypatch.setattr(messages, "confirm_step", lambda parent, title, sentence: True)
    monkeypatch.setattr(messages, "ask_unsaved", lambda parent, what: "discard")


@pytest.fixture
def page(year, stage_page):
    return stage_page("self_eval", year)


def row_of(page, code):
    return next(n for n, r in enumerate(page.model.rows()) if r.code == code)


def test_list_create_open_and_the_list_follows(qtbot, page, settle):
    rows = page.model.rows()
    assert [(r.code, r.status) for r in rows] == [("DH2023002", "未填报")]  # only the project with an approved target
    assert page.model.headerData(0, Qt.Horizontal) == "项目编码"
    assert "共0份" in page.counts.text() and "未填报1个" in page.counts.text()
    page.kind.setCurrentText("部门整体支出")
    assert page.model.headerData(0, Qt.Horizontal) == "部门编码" and page.model.rowCount() == 1
    page.kind.setCurrentText("项目支出")

    page.search.setText("净水厂")
    assert page.model.rowCount() == 0
    page.search.setText("救灾")
    assert page.model.rowCount() == 1
    page.search.clear()

    op = page.create_year()
    settle()
    assert op.outcome.ok and "已生成2023年度自评表2份" in page.notice.text()  # the project and its department
    row = page.model.rows()[row_of(page, "DH2023002")]
    assert row.status == "草稿" and row.eval_id is not None
    assert "共1份" in page.counts.text() and "未填报" not in page.counts.text()
    page.create_year()
    settle()
    assert "没有新生成" in page.notice.text()

    index = page.model.index(row_of(page, "DH2023002"), 1)
    page.view.doubleClicked.emit(index)
    settle()
    form = page.form
    qtbot.addWidget(form)
    assert form.isVisible() and form.draft.eval_id == row.eval_id and form.model.rowCount() == 6
    for n, actual in enumerate(["320", "96", "100", "48", "98", "92"]):
        form.model.setData(form.model.index(n, form.model.column_of("actual")), actual)
    form.budget_model.setData(form.budget_model.index(0, form.budget_model.column_of("executed")), "58")
    assert form.save()
    settle()  # the form is still open: the change notification alone refreshed the list
    row = page.model.rows()[row_of(page, "DH2023002")]
    assert (row.total, row.grade) == (svc.score(page.ws, form.draft).total, "优")
    assert "优1" in page.counts.text()
    form.reject()


def test_summary_and_check_exports_write_files(qtbot, page, settle, tmp_path, monkeypatch):
    page.create_year()
    settle()
    target = tmp_path / "汇总.xlsx"
    monkeypatch.setattr(files, "ask_save_path", lambda *a, **k: str(target))
    op = page.export_summary()
    settle()
    assert op.outcome.ok and target.is_file()
    op.told.close()  # "已导出到：…"
    texts = [str(c.value) for ws in openpyxl.load_workbook(target).worksheets for r in ws.iter_rows() for c in r if c.value]
    assert any("DH2023002" in t for t in texts)

    checked = tmp_path / "检查.xlsx"
    monkeypatch.setattr(files, "ask_save_path", lambda *a, **k: str(checked))
    op = page.check_year()
    settle()
    assert op.outcome.ok and checked.is_file() and page.notice.text().startswith("一致性检查：2023年度")
    op.told.close()

    monkeypatch.setattr(files, "ask_save_path", lambda *a, **k: "")  # cancelled: nothing runs
    assert page.export_summary() is None
