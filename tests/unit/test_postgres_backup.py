"""Backups of a shared PostgreSQL database (系统 → 备份, the `backup` command): pg_dump's custom
format where pg_dump is installed, else the program's own portable file; either one restores —
over the same database, or into a new empty one — and a file that is not a backup changes nothing."""

from __future__ import annotations

import json
import logging
import zipfile

import pytest
from sqlalchemy import MetaData, func, select

from app.services import maintenance, projects
from app.services.workspace import Workspace
from db.engine import make_engine
from db.errors import DatabaseProblem
from db.pg_backup import kind_of, restore
from tests.pg import PASSWORD
from tests.support import project_raw


def row_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            meta = MetaData()
            meta.reflect(conn)
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in meta.sorted_tables}
    finally:
        engine.dispose()


@pytest.fixture
def demo_ws(pg_demo_url):
    ws = Workspace.open(pg_demo_url)
    yield ws
    ws.close()


@pytest.fixture
def no_pg_dump(monkeypatch, tmp_path):
    """A computer without the PostgreSQL client tools on PATH."""
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def project_codes(ws) -> list[str]:
    return sorted(r.code for r in projects.list_projects(ws, 2023))


def add_project(ws, code: str) -> None:
    projects.save_project(ws, project_raw(code=code, name=f"备份后新增的项目{code}",
                                          department="[207001]钢城区城乡交通运输局", unit="[207001]钢城区城乡交通运输局"))


def test_a_backup_with_pg_dump_puts_the_database_back_as_it_was(demo_ws, tmp_path, caplog):
    before, counts = project_codes(demo_ws), row_counts(demo_ws.url)
    out = tmp_path / "备份" / "演示县.dump"
    with caplog.at_level(logging.DEBUG, logger="perfdesk"):
        assert maintenance.backup_to(demo_ws, out) == out
    assert out.read_bytes()[:5] == b"PGDMP" and kind_of(out) == "pg_dump"

    add_project(demo_ws, "3701172023901")
    assert len(project_codes(demo_ws)) == len(before) + 1
    with caplog.at_level(logging.DEBUG, logger="perfdesk"):
        aside = maintenance.restore_from(demo_ws, out)
    assert project_codes(demo_ws) == before and row_counts(demo_ws.url) == counts
    assert aside.is_file() and kind_of(aside)  # what was there before the restore is kept
    add_project(demo_ws, "3701172023902")  # the ids go on after the restored rows
    assert PASSWORD not in caplog.text


def test_without_pg_dump_the_portable_backup_restores_into_a_new_empty_database(demo_ws, no_pg_dump, pg_server,
                                                                                 tmp_path):
    out = tmp_path / "演示县备份.backup"
    maintenance.backup_to(demo_ws, out)
    assert kind_of(out) == "portable"
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["rows"]["project"] > 100 and manifest["revision"]

    name = pg_server.create()  # what an administrator makes for the restore: nothing in it
    url = pg_server.url(name)
    try:
        restore(url, out)
        assert row_counts(url) == row_counts(demo_ws.url)
        copy = Workspace.open(url)
        try:
            assert project_codes(copy) == project_codes(demo_ws)
            add_project(copy, "3701172023903")  # new rows get new ids after the restored ones
            assert "3701172023903" in project_codes(copy)
        finally:
            copy.close()
    finally:
        pg_server.drop(name)


def test_without_pg_dump_a_portable_backup_replaces_the_same_databases_rows(demo_ws, no_pg_dump, tmp_path):
    out = tmp_path / "备份.backup"
    maintenance.backup_to(demo_ws, out)
    before, counts = project_codes(demo_ws), row_counts(demo_ws.url)
    add_project(demo_ws, "3701172023904")
    maintenance.restore_from(demo_ws, out)
    assert project_codes(demo_ws) == before and row_counts(demo_ws.url) == counts


def test_a_file_that_is_not_a_backup_or_comes_from_a_newer_program_changes_nothing(demo_ws, no_pg_dump, tmp_path):
    counts = row_counts(demo_ws.url)
    stray = tmp_path / "随便一个文件.xlsx"
    stray.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DatabaseProblem) as info:
        maintenance.restore_from(demo_ws, stray)
    assert "不是本程序的服务器数据库备份" in info.value.message

    newer = tmp_path / "新版本的备份.backup"
    maintenance.backup_to(demo_ws, newer)
    with zipfile.ZipFile(newer) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(parts["manifest.json"])
    manifest["revision"] = "9999_from_a_newer_version"
    parts["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(newer, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    with pytest.raises(DatabaseProblem) as info:
        maintenance.restore_from(demo_ws, newer)
    assert "更新版本" in info.value.message
    assert row_counts(demo_ws.url) == counts


def test_the_backup_command_on_a_server_database(pg_demo_url, tmp_path):
    from tests.support import run_cli

    out = tmp_path / "命令行备份.dump"
    done = run_cli(tmp_path, "backup", "--out", out, "--db", pg_demo_url)
    assert done.returncode == 0 and str(out) in done.stdout and PASSWORD not in done.stdout + done.stderr
    assert kind_of(out) == "pg_dump"


def _older_copy(pg_server, pg_demo_template, revision: str) -> str:
    """A copy of the demo county taken back to an older schema revision (a database before an upgrade)."""
    from alembic import command

    from db.migrate import _config

    name = pg_server.create(template=pg_demo_template)
    engine = make_engine(pg_server.url(name))
    try:
        with engine.begin() as conn:
            cfg = _config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    finally:
        engine.dispose()
    return name


def test_a_portable_backup_from_before_an_upgrade_is_restored_and_migrated(demo_ws, no_pg_dump, pg_server,
                                                                           pg_demo_template, tmp_path):
    from app.services import users
    from db.migrate import current_revision, head_revision
    from db.pg_backup import write_portable

    before, counts = project_codes(demo_ws), row_counts(demo_ws.url)
    old = _older_copy(pg_server, pg_demo_template, "0006")
    try:
        out = write_portable(pg_server.url(old), tmp_path / "升级前的备份.backup")
    finally:
        pg_server.drop(old)
    assert json.loads(zipfile.ZipFile(out).read("manifest.json"))["revision"] == "0006"
    add_project(demo_ws, "3701172023905")
    maintenance.restore_from(demo_ws, out)
    restored = row_counts(demo_ws.url)
    assert project_codes(demo_ws) == before and restored["review_opinion"] == 0  # 0006 had no 审核意见 table
    assert {t: n for t, n in restored.items() if t != "review_opinion"} == \
        {t: n for t, n in counts.items() if t != "review_opinion"}
    assert current_revision(demo_ws.engine) == head_revision()
    users.add_user(demo_ws, "刘绩效", "绩效科", None, "secret-1")  # the tables of this version are there
    add_project(demo_ws, "3701172023906")


def test_a_pg_dump_backup_from_before_an_upgrade_is_restored_and_migrated(demo_ws, pg_server, pg_demo_template,
                                                                          tmp_path):
    from db.migrate import current_revision, head_revision
    from db.pg_backup import dump

    before = project_codes(demo_ws)
    old = _older_copy(pg_server, pg_demo_template, "0006")
    try:
        out = tmp_path / "升级前的备份.dump"
        assert dump(pg_server.url(old), out)
    finally:
        pg_server.drop(old)
    add_project(demo_ws, "3701172023907")
    maintenance.restore_from(demo_ws, out)  # --clean alone left the newer tables behind: the upgrade failed
    assert project_codes(demo_ws) == before and row_counts(demo_ws.url)["review_opinion"] == 0
    assert current_revision(demo_ws.engine) == head_revision()
    add_project(demo_ws, "3701172023908")


def test_the_help_says_to_give_the_server_password_by_pgpassword_and_that_works(pg_server, pg_demo_url, tmp_path):
    from tests.support import run_cli

    shown = run_cli(tmp_path, "--help")
    assert "PGPASSWORD" in shown.stdout and "用户名:密码@" not in shown.stdout
    name = pg_demo_url.rsplit("/", 1)[1]
    without = pg_server.url(name, password=False)
    done = run_cli(tmp_path, "backup", "--out", tmp_path / "备份.dump", "--db", without, env={"PGPASSWORD": PASSWORD})
    assert done.returncode == 0 and (tmp_path / "备份.dump").is_file()
