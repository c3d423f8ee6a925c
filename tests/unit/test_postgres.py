"""The program on a shared PostgreSQL database (a throwaway server, tests/pg.py): the migrations
build and take it down and up again, a database it must not touch is refused untouched and named
without its password, the command line's demo exports the very figures the SQLite demo does, and
two programs editing one target at once cannot overwrite each other. These run whatever
--backend says; they skip only where no PostgreSQL server is installed."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace

import openpyxl
import pytest
from sqlalchemy import func, inspect, select, text

import db.migrate as migrate
from app.errors import user_sentence
from app.rules.validation import RejectedError
from app.services import projects, targets
from app.services.workspace import Workspace
from db.errors import DatabaseProblem, ForeignDatabase, NewerDatabase
from db.models import Base, Project
from tests.pg import PASSWORD
from tests.support import GOAL, GOOD_ROWS, migrate_to, project_raw, run_cli


def test_a_postgresql_url_is_driven_by_psycopg_3_and_shown_without_its_password(tmp_path):
    from db.engine import shown, url_for

    assert url_for("postgresql://ann:s3cret@db.county:5432/perf") == "postgresql+psycopg://ann:s3cret@db.county:5432/perf"
    assert url_for("postgres://ann@db.county/perf") == "postgresql+psycopg://ann@db.county/perf"
    assert url_for(tmp_path / "县.sqlite3") == f"sqlite:///{tmp_path / '县.sqlite3'}"
    assert shown("postgresql://ann:s3cret@db.county:5432/perf") == "postgresql://ann@db.county:5432/perf"
    assert shown(tmp_path / "县.sqlite3") == str(tmp_path / "县.sqlite3")
    assert migrate.make_engine("postgresql://ann:s3cret@db.county:5432/perf").dialect.driver == "psycopg"


@pytest.fixture
def empty_pg(pg_server):
    """A database with nothing in it at all (as an administrator creates one for the program)."""
    name = pg_server.create()
    yield pg_server.url(name)
    pg_server.drop(name)


def tables_of(url: str) -> set[str]:
    engine = migrate.make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def execute(url: str, sql: str) -> None:
    engine = migrate.make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def test_an_empty_database_gets_the_whole_schema_and_the_migrations_go_down_and_back_up(empty_pg):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = migrate.open_engine(empty_pg)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        migrate_to(engine, "base", up=False)
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        migrate_to(engine, "head", up=True)
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        engine.dispose()


def test_the_demo_county_goes_down_to_the_first_schema_and_back_with_every_project(pg_demo_url):
    ws = Workspace.open(pg_demo_url)
    with ws.session() as s:
        before = s.scalar(select(func.count()).select_from(Project))
    ws.close()
    engine = migrate.open_engine(pg_demo_url)
    try:
        migrate_to(engine, "0001", up=False)
        migrate_to(engine, "head", up=True)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM project")).scalar() == before > 100
            statuses = set(conn.execute(text("SELECT status FROM monitoring_record")).scalars())
        assert statuses and statuses <= {"草稿", "已提交", "审核通过", "退回修改"}  # 0003's words came back
    finally:
        engine.dispose()


def test_a_database_from_a_newer_version_is_refused_untouched_and_named_without_its_password(pg_url):
    execute(pg_url, "UPDATE alembic_version SET version_num = '9999_from_a_newer_version'")
    before = tables_of(pg_url)
    with pytest.raises(NewerDatabase) as info:
        Workspace.open(pg_url)
    message = info.value.message
    assert "更新版本" in message and "服务器数据库" in message and "127.0.0.1" in message
    assert PASSWORD not in message and PASSWORD not in str(info.value.detail)
    assert tables_of(pg_url) == before
    engine = migrate.make_engine(pg_url)
    try:
        assert migrate.current_revision(engine) == "9999_from_a_newer_version"
    finally:
        engine.dispose()


def test_another_programs_database_is_refused_untouched(empty_pg):
    execute(empty_pg, "CREATE TABLE ledger (id integer PRIMARY KEY)")
    with pytest.raises(ForeignDatabase) as info:
        Workspace.open(empty_pg)
    assert "不是本程序的数据库" in info.value.message and PASSWORD not in info.value.message
    assert tables_of(empty_pg) == {"ledger"}


def test_a_wrong_password_gets_a_sentence_and_the_log_never_holds_a_password(pg_server, pg_url, caplog):
    wrong = pg_url.replace(PASSWORD, "not-the-password-42")
    with caplog.at_level(logging.DEBUG, logger="perfdesk"):
        with pytest.raises(DatabaseProblem) as info:
            Workspace.open(wrong)
    assert info.value.message.startswith("无法连接服务器数据库") and "密码" in info.value.message
    assert "not-the-password-42" not in info.value.message + caplog.text + info.value.detail
    assert "password authentication failed" in caplog.text  # the server's words are kept for support


def test_the_command_line_demo_on_postgresql_exports_the_figures_of_the_sqlite_demo(empty_pg, tmp_path):
    home = tmp_path / "home"
    sqlite_db = tmp_path / "演示县.sqlite3"
    for db in (sqlite_db, empty_pg):
        made = run_cli(home, "demo", "--db", db)
        assert made.returncode == 0, made.stderr
        assert "项目101个" in made.stdout
    assert PASSWORD not in made.stdout and "127.0.0.1" in made.stdout  # the URL, shown without its password
    checked = run_cli(home, "check", "--db", empty_pg)
    assert checked.returncode == 0 and "结构版本" in checked.stdout and "最新" in checked.stdout
    for kind, *extra in (("targets", "--year", "2023"), ("monitoring", "--year", "2023", "--month", "8"),
                         ("results", "--year", "2022"), ("projects", "--year", "2023")):
        books = []
        for label, db in (("sqlite", sqlite_db), ("pg", empty_pg)):
            out = tmp_path / f"{kind}-{label}.xlsx"
            done = run_cli(home, "export", kind, *extra, "--out", out, "--db", db)
            assert done.returncode == 0, done.stderr
            books.append(openpyxl.load_workbook(out))
        sqlite_book, pg_book = books
        assert sqlite_book.sheetnames == pg_book.sheetnames
        for a, b in zip(sqlite_book.worksheets, pg_book.worksheets):
            rows = list(a.iter_rows(values_only=True))
            assert len(rows) > 3 and rows == list(b.iter_rows(values_only=True)), (kind, a.title)


def test_new_on_a_server_database_refuses_one_that_already_holds_data(empty_pg, tmp_path):
    made = run_cli(tmp_path, "new", "--region-code", "370117", "--region-name", "钢城区", "--db", empty_pg)
    assert made.returncode == 0 and "钢城区" in made.stdout
    again = run_cli(tmp_path, "new", "--region-code", "110101", "--region-name", "东城区", "--db", empty_pg)
    assert again.returncode == 2 and "已有数据" in again.stderr and PASSWORD not in again.stderr


def test_a_transaction_that_writes_thousands_of_rows_leaves_the_planner_knowing_it(pg_url):
    """Else the next read right after a big import is planned for empty tables (nested loops)."""
    from sqlalchemy import insert

    from db.models import Setting

    ws = Workspace.open(pg_url)
    try:
        with ws.session() as s:
            s.execute(insert(Setting), [{"key": f"k{i}", "value": "x"} for i in range(1500)])
        with ws.read() as conn:
            assert conn.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'setting'")).scalar() >= 1500
    finally:
        ws.close()


# -- two programs on one database ------------------------------------------------------------------
@pytest.fixture
def shared_target(pg_url):
    """One county's target, draft, opened by two programs on the same server database."""
    from app.services.base_data import save_department, save_office, save_region

    first = Workspace.open(pg_url)
    save_region(first, {"code": "370117", "name": "钢城区", "level": "县级"})
    first.set_setting("home_region", "370117")
    save_department(first, {"code": "213001", "name": "钢城区城市管理局", "kind": "部门"})
    save_office(first, {"name": "经建科"})
    pid = projects.save_project(first, project_raw())
    targets.save_target(first, replace(targets.open_target(first, pid), annual_goal=GOAL,
                                       indicators=list(GOOD_ROWS)))
    second = Workspace.open(pg_url)
    yield first, second, pid
    first.close()
    second.close()


def test_the_later_save_of_one_target_from_another_program_is_refused_and_the_first_kept(shared_target):
    first, second, pid = shared_target
    mine, theirs = targets.open_target(first, pid), targets.open_target(second, pid)
    saved = targets.save_target(first, replace(mine, annual_goal="第一个程序保存的年度目标"))
    with pytest.raises(RejectedError) as refused:
        targets.save_target(second, replace(theirs, annual_goal="第二个程序的旧表单"))
    assert "修改" in refused.value.summary
    assert targets.open_target(second, pid).annual_goal == saved.annual_goal == "第一个程序保存的年度目标"


def test_two_saves_at_the_same_moment_one_lands_whole_and_the_other_is_refused(shared_target):
    first, second, pid = shared_target
    forms = [(first, targets.open_target(first, pid), "甲的目标"), (second, targets.open_target(second, pid), "乙的目标")]
    start, landed, refused = threading.Barrier(2), [], []

    def save(ws, form, goal):
        start.wait()
        try:
            landed.append(targets.save_target(ws, replace(form, annual_goal=goal)).annual_goal)
        except Exception as exc:  # noqa: BLE001 - what the window or the command line would say
            refused.append(user_sentence(exc))

    workers = [threading.Thread(target=save, args=form) for form in forms]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert len(landed) == 1 and len(refused) == 1 and "刚被" in refused[0] and "没有保存" in refused[0]
    assert targets.open_target(first, pid).annual_goal == landed[0]
