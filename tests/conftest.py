"""Shared fixtures: every test gets its own data folder and database in tmp_path.

The backend: SQLite files by default; `--backend=postgresql` (or PERFDESK_TEST_BACKEND=postgresql)
makes `db_path`, `ws` and the demo copies open fresh databases on a throwaway PostgreSQL server
(tests/pg.py) instead. A test that is about the SQLite file itself carries
@pytest.mark.sqlite_only("why") and is skipped there."""

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


def pytest_addoption(parser):
    parser.addoption("--backend", choices=("sqlite", "postgresql"),
                     default=os.environ.get("PERFDESK_TEST_BACKEND", "sqlite"),
                     help="the database the workspace fixtures open (default: sqlite, or PERFDESK_TEST_BACKEND)")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only(reason): about the SQLite file itself; skipped on PostgreSQL")


# Tests about the SQLite file itself, skipped on PostgreSQL as if marked sqlite_only (kept here so
# the list stays in one place and short). Their PostgreSQL counterparts: tests/unit/test_postgres*.py.
SQLITE_ONLY = {
    "tests/unit/test_instance_lock.py": "the lock file beside a SQLite database, and read-only opening beside it",
    "tests/unit/test_db.py::test_sqlite_connections_are_opened_safely": "SQLite pragmas",
    "tests/unit/test_db.py::test_money_is_stored_as_integer_fen": "SQLite storage classes (typeof)",
    "tests/unit/test_db.py::test_scaled_decimals_come_back_exact_and_are_stored_as_integers": "SQLite storage classes",
    "tests/unit/test_db.py::test_a_database_from_a_newer_version_is_refused_and_left_untouched": "the file's bytes",
    "tests/unit/test_db.py::test_check_does_not_promise_to_upgrade_a_database_from_a_newer_version": "a file",
    "tests/unit/test_db.py::test_a_damaged_database_is_refused_and_left_untouched": "a damaged file",
    "tests/unit/test_db.py::test_an_online_backup_holds_every_committed_row_while_the_database_is_open": "file backup",
    "tests/unit/test_db.py::test_restore_newest_puts_the_newest_backup_back_and_keeps_the_damaged_file": "file backup",
    "tests/unit/test_db.py::test_restore_skips_a_damaged_backup_and_uses_the_newest_good_one": "file backup",
    "tests/unit/test_db.py::test_check_database_reports_a_good_file_in_chinese": "a file",
    "tests/unit/test_db.py::test_every_record_of_the_demo_county_has_its_own_uuid_and_region": "reads the file",
    "tests/unit/test_db.py::test_an_existing_database_is_copied_aside_then_upgraded_with_its_data": "file copy",
    "tests/unit/test_db.py::test_opening_a_database_already_at_head_makes_no_copy": "file copy",
    "tests/unit/test_db.py::test_an_upgrade_that_fails_halfway_leaves_the_database_as_it_was": "file copy",
    "tests/unit/test_monitoring_refresh.py::test_a_copy_opened_read_only_shows_the_round_without_writing": "file lock",
    "tests/unit/test_review_cases.py::test_a_backup_cannot_overwrite_the_live_database": "the file itself",
    # these reopen `ws.db_file`; with `ws.url` they would run on both
    "tests/unit/test_monitoring_service.py::test_migration_0003_speaks_the_workflows_words": "reopens db_file",
    "tests/unit/test_self_eval_service.py::test_migration_0004_speaks_the_workflows_words_and_adds_only_missing_pack_keys":
        "reopens db_file",
}


def _sqlite_only_reason(item) -> str | None:
    mark = item.get_closest_marker("sqlite_only")
    if mark is not None:
        return mark.args[0] if mark.args else mark.kwargs.get("reason", "只适用于 SQLite 数据库文件")
    node = item.nodeid.split("[", 1)[0]
    return SQLITE_ONLY.get(node) or SQLITE_ONLY.get(node.split("::", 1)[0])


def pytest_collection_modifyitems(config, items):
    if config.getoption("--backend") != "postgresql":
        return
    for item in items:
        reason = _sqlite_only_reason(item)
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=f"sqlite only: {reason}"))


@pytest.fixture(scope="session")
def backend(pytestconfig) -> str:
    return pytestconfig.getoption("--backend")


@pytest.fixture(scope="session")
def pg_server():
    """The throwaway PostgreSQL server, started on first use and stopped at the session's end."""
    from tests import pg

    reason = pg.available()
    if reason:
        pytest.skip(reason)
    server = pg.PgServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    """A migrated database with the program's defaults, copied for every test."""
    from app.services.workspace import Workspace
    from tests import pg

    return pg_server.make_template(pg.TEMPLATE, lambda url: Workspace.open(url).close())


@pytest.fixture
def pg_url(pg_server, pg_template) -> str:
    """A fresh database of its own (a copy of the template) for one test; dropped after."""
    name = pg_server.create(template=pg_template)
    yield pg_server.url(name)
    pg_server.drop(name)


@pytest.fixture(scope="session")
def pg_demo_template(backend, pg_server, request) -> str:
    """The demo county on the PostgreSQL server (whatever the backend), kept as a template."""
    if backend == "postgresql":
        return request.getfixturevalue("demo_db_template")
    return pg_server.make_template(pg_server.new_name("demo"), _load_demo_into)


@pytest.fixture
def pg_demo_url(pg_server, pg_demo_template) -> str:
    """A fresh copy of the demo county on the PostgreSQL server; dropped after."""
    name = pg_server.create(template=pg_demo_template)
    yield pg_server.url(name)
    pg_server.drop(name)


@pytest.fixture
def db_path(backend, tmp_path, request):
    """Where the test's database is: a SQLite file in tmp_path, or a PostgreSQL URL (str)."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_url")
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

    load_demo(ws, townships=False)  # the seeds' county: its figures are the tests'
    return ws


def _load_demo_into(url) -> None:
    from app.services.demo import load_demo
    from app.services.workspace import Workspace

    workspace = Workspace.open(url)
    load_demo(workspace, townships=False)
    workspace.close()


@pytest.fixture(scope="session")
def demo_db_template(backend, tmp_path_factory, request):
    """One demo database built per session; tests copy it (loading takes a moment). On
    PostgreSQL: the name of a template database."""
    from app.services.demo import load_demo
    from app.services.workspace import Workspace

    if backend == "postgresql":
        server = request.getfixturevalue("pg_server")
        return server.make_template(server.new_name("demo"), _load_demo_into)
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    workspace = Workspace.open(path)
    load_demo(workspace, townships=False)
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
def demo_copy(backend, demo_db_template, tmp_path, request):
    """A private copy of the session's demo database, opened."""
    import shutil

    from app.services.workspace import Workspace

    if backend == "postgresql":
        server = request.getfixturevalue("pg_server")
        name = server.create(template=demo_db_template)
        workspace = Workspace.open(server.url(name))
        yield workspace
        workspace.close()
        server.drop(name)
        return
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


@pytest.fixture
def bureau(county):
    """`county` with users, logged in as 刘绩效 (绩效科): 李单位 预算单位 213001001 (钢城区环卫中心, a unit of
    213001), 张主管 主管部门 213001, 王科室 财政业务科室 经建科, 领导 只读, 赵交通 主管部门 207001 — every
    password "secret-1" — and one project of the unit (`bureau.project_id`)."""
    from app.services import projects, users
    from app.services.base_data import save_department
    from tests.support import project_raw

    save_department(county, {"code": "213001001", "name": "钢城区环卫中心", "kind": "单位"})
    users.add_user(county, "刘绩效", "绩效科", None, "secret-1")
    county.actor = users.login(county, "刘绩效", "secret-1")
    for name, role, scope in (("李单位", "预算单位", "213001001"), ("张主管", "主管部门", "213001"),
                              ("王科室", "财政业务科室", "经建科"), ("领导", "只读", None),
                              ("赵交通", "主管部门", "207001")):
        users.add_user(county, name, role, scope, "secret-1")
    county.project_id = projects.save_project(county, project_raw(unit="[213001001]钢城区环卫中心"))
    return county
