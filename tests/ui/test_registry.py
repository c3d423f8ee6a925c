"""The main window's navigation is the registry: every stage's title in order, pages built when
first shown; a new stage's descriptor and page class are all the window needs."""

import sys
import types

import pytest
from PySide6.QtWidgets import QLabel, QVBoxLayout

from app import stages
from app.stages import Stage
from ui.main_window import MainWindow
from ui.pages.base import StagePage


class FakePage(StagePage):
    def __init__(self, ctx, refresh_on=(), parent=None):
        super().__init__(ctx, refresh_on, parent)
        self.label = QLabel("重点评价")
        QVBoxLayout(self).addWidget(self.label)
        self.loads = []

    def reload(self):
        self.loads.append(self.year)


@pytest.fixture
def seventh_stage(monkeypatch):
    ui_module = types.ModuleType("fake_stage_ui")
    ui_module.FakePage = FakePage
    module = types.ModuleType("fake_stage")
    module.STAGE = Stage(key="key_eval", title="重点评价", page="fake_stage_ui:FakePage",
                         refresh_on=frozenset({"projects"}))
    monkeypatch.setitem(sys.modules, "fake_stage_ui", ui_module)
    monkeypatch.setitem(sys.modules, "fake_stage", module)
    monkeypatch.setattr(stages, "STAGE_MODULES", (*stages.STAGE_MODULES[:-1], "fake_stage", stages.STAGE_MODULES[-1]))


def titles(win):
    return [win.nav.item(i).text() for i in range(win.nav.count())]


def test_the_navigation_lists_the_registered_stages(qtbot, county):
    win = MainWindow(county)
    qtbot.addWidget(win)
    assert titles(win) == [s.title for s in stages.all_stages()] == ["工作台", "项目库", "绩效目标", "运行监控", "绩效自评", "重点评价",
                                                                        "事前绩效评估", "整改台账", "结果应用", "培训", "上报数", "乡镇考核",
                                                                        "第三方机构", "指标库", "基础数据"]
    assert "targets" not in win.built  # a stage page is built on first view
    win.nav.setCurrentRow(2)
    assert "targets" in win.built and win.pages.currentWidget().layout().itemAt(0).widget() is win.built["targets"]


def test_a_seventh_stage_appears_from_its_descriptor_alone(qtbot, county, seventh_stage, settle):
    from app.services import projects
    from tests.support import project_raw

    projects.save_project(county, project_raw())
    win = MainWindow(county)
    qtbot.addWidget(win)
    assert titles(win)[-2:] == ["重点评价", "基础数据"]
    win.show()
    win.set_year(2023)
    page = win.show_page("key_eval")
    assert isinstance(page, FakePage) and page.year == 2023 and page.loads == [2023]
    projects.save_project(county, project_raw(code="3701172023002", name="公厕运行"))  # it listens to projects
    settle()
    assert page.loads == [2023, 2023]
