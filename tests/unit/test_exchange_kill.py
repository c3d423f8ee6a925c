"""A merge killed with kill -9 while it writes leaves the county's database exactly as it was: the
command line imports a township's package in a subprocess; the test waits until that process holds
SQLite's write lock (it is inside its one transaction), kills it, and finds no record of the package
— then the same package merges whole."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from app.services import exchange, exchange_keys, projects, targets
from app.services.base_data import save_department, save_region
from app.services.workspace import Workspace
from tests.support import GOAL, GOOD_ROWS, project_raw, township_ws

pytestmark = pytest.mark.sqlite_only("SQLite's file and its write lock are what is tested")


def _setup(tmp_path: Path, count: int) -> Path:
    county = Workspace.open(tmp_path / "county.sqlite3")
    save_region(county, {"code": "370117", "name": "钢城区", "level": "县级"})
    county.set_setting("home_region", "370117")
    town = township_ws(tmp_path / "town.sqlite3", "370117101", "艾山街道")
    save_department(town, {"code": "901001", "name": "艾山街道财政所", "kind": "部门"})
    rows = [replace(r, value="50" if r.level2 == "成本" else r.value) for r in GOOD_ROWS]
    for n in range(count):
        pid = projects.save_project(town, project_raw(code=f"370117101{n:04d}", name=f"项目{n}", office="",
                                                      department="[901001]艾山街道财政所", unit="[901001]艾山街道财政所"))
        targets.save_target(town, replace(targets.open_target(town, pid), annual_goal=GOAL, indicators=rows))
    for ws, name in ((town, "town"), (county, "county")):
        exchange_keys.write_own(ws, tmp_path / f"{name}.pdkey")
    exchange_keys.trust(county, tmp_path / "town.pdkey")
    exchange_keys.trust(town, tmp_path / "county.pdkey")
    exchange.export_package(town, "370117", [2023], tmp_path / "up.pdx")
    town.close()
    county.close()
    return tmp_path / "county.sqlite3"


def _writing(db: Path) -> bool:
    """Another connection holds the write lock (the import is inside its transaction)."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def _projects(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM project").fetchone()[0]


def test_kill_9_during_a_merge_leaves_the_database_as_before(tmp_path):
    db = _setup(tmp_path, 600)
    before = _projects(db)
    env = {k: v for k, v in os.environ.items() if k != "PERFDESK_DB"}
    env.update(PERFDESK_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, "-m", "app", "exchange", "import", str(tmp_path / "up.pdx"), "--db", str(db)],
                            cwd=Path(__file__).resolve().parents[2], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    caught = False
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if _writing(db):
            proc.send_signal(signal.SIGKILL)
            caught = True
            break
        time.sleep(0.002)
    proc.wait(timeout=30)
    assert caught and proc.returncode == -signal.SIGKILL, proc.stderr.read().decode("utf-8", "replace")
    assert _projects(db) == before == 0  # nothing of the package, and the file opens as before
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    county = Workspace.open(db)
    try:
        merged = exchange.import_package(county, tmp_path / "up.pdx")
        assert merged.counts.by_kind["项目"]["新增"] == 600
    finally:
        county.close()
