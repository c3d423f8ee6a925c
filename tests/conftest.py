"""Shared fixtures: every test gets its own data folder and database in tmp_path."""

from __future__ import annotations

import os
import sys
from pathlib import Path

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


def project_raw(**overrides) -> dict:
    """Form text for a valid project; override any field."""
    raw = {
        "code": "3701172023001", "name": "城区环卫一体化保洁费", "year": "2023",
        "department": "[213001]钢城区城市管理局", "unit": "[213001]钢城区城市管理局",
        "fund_type": "一般公共预算", "category": "延续", "initial_budget": "3201.18", "annual_budget": "3201.18",
        "office": "经建科", "fiscal": "", "other": "", "is_key": "是", "parent_code": "",
        "period_start": "2023-01", "period_end": "2023-12",
    }
    raw.update(overrides)
    return raw


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


def write_sheet(path, title: str, headers: list, rows: list):
    """A one-sheet workbook as a user would fill it: header on row 1, then the rows."""
    import openpyxl

    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    wb.save(path)
    return path
