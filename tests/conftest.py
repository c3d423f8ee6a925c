"""Shared fixtures: every test gets its own data folder and database in tmp_path."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from decimal import Decimal

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _data_home(tmp_path, monkeypatch):
    """Nothing a test does touches the real user data folder."""
    home = tmp_path / "perfdesk-home"
    monkeypatch.setenv("PERFDESK_HOME", str(home))
    monkeypatch.delenv("PERFDESK_DB", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.sqlite3"


@pytest.fixture
def ws(db_path):
    from app.services.workspace import Workspace

    workspace = Workspace.open(db_path)
    yield workspace
    workspace.close()


@pytest.fixture
def demo_ws(ws):
    from app.services.demo import load_demo

    load_demo(ws)
    return ws


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory) -> Path:
    """One demo database built per session; tests copy it (loading takes a moment)."""
    from app.services.demo import load_demo
    from app.services.workspace import Workspace

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    workspace = Workspace.open(path)
    load_demo(workspace)
    workspace.close()
    return path


@pytest.fixture
def county(ws):
    """A small county made through the services: one region, two departments, one office."""
    from app.services.base_data import save_department, save_office, save_region

    save_region(ws, {"code": "370117", "name": "钢城区", "level": "县级"})
    ws.set_setting("home_region", "370117")
    save_department(ws, {"code": "213001", "name": "钢城区城市管理局", "kind": "部门"})
    save_department(ws, {"code": "207001", "name": "钢城区城乡交通运输局", "kind": "部门"})
    save_office(ws, {"name": "经建科"})
    return ws


@pytest.fixture
def demo_copy(demo_db_template, tmp_path):
    """A private copy of the session's demo database, opened."""
    import shutil

    from app.services.workspace import Workspace

    path = tmp_path / "demo-copy.sqlite3"
    shutil.copyfile(demo_db_template, path)
    workspace = Workspace.open(path)
    yield workspace
    workspace.close()


@pytest.fixture
def year(county):
    """A year with projects, one of them with an approved target (德惠-like): 救灾物资 60万 with
    its target approved, 净水厂 500万 without one."""
    from dataclasses import replace

    from app.services import projects, targets
    from tests.support import GOAL, GOOD_ROWS, project_raw

    scores = {k: Decimal(90) for k in ("完整性", "相关性", "合理性", "可衡量性")}
    relief = projects.save_project(county, project_raw(code="DH2023002", name="救灾物资和防汛物资管理", annual_budget="60",
                                                       initial_budget="60", is_key="是"))
    projects.save_project(county, project_raw(code="DH2023005", name="净水厂原水水费及场地租金", annual_budget="500",
                                              initial_budget="500", is_key="否"))
    draft = targets.submit(county, replace(targets.open_target(county, relief), annual_goal=GOAL,
                                           indicators=[replace(r, value="50" if r.level2 == "成本" else r.value)
                                                       for r in GOOD_ROWS]))
    targets.approve(county, targets.review(county, draft, scores, True, "同意"))
    return county


@pytest.fixture
def round_id(year):
    """An open 1-8月 monitoring round over `year`."""
    from app.services import monitoring as mon

    return mon.open_round(year, 2023, 8, "1-8月")
