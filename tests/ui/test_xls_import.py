"""An officer imports the .xls a county keeps (Excel 97–2003, WPS's default), headed in 元 below a
title banner: the open dialog offers .xls, and the projects land in 万元."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from app.services import projects as svc
from tests.support import project_raw
from ui.main_window import MainWindow

XLS = Path(__file__).resolve().parent.parent / "data" / "county_projects.xls"


def test_an_xls_file_is_offered_and_imports_from_the_projects_page(qtbot, county, monkeypatch, settle):
    asked, told = [], []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda parent, caption, start, filters: asked.append(filters) or (str(XLS), filters))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    svc.save_project(county, project_raw(code="DH2023001"))  # the county already has its 2023 list
    win = MainWindow(county)
    qtbot.addWidget(win)
    win.show()
    win.show_page("projects")  # the program opens on 工作台
    win.set_year(2023)
    settle()
    qtbot.mouseClick(win.projects.findChild(QPushButton, "btn_import"), Qt.LeftButton)
    settle()
    assert asked and "*.xls" in asked[0].replace("*.xlsx", "")
    assert told == ["导入完成：新增项目2个，更新项目0个。"]
    assert {r.code: r.annual_fen for r in svc.list_projects(county, 2023)} == {
        "DH2023001": 3_201_180_000, "3701172023001": 3_201_180_050, "3701172023002": 8_000_000_001}
    assert win.projects.model.rowCount() == 3  # the page shows them
