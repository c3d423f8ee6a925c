"""The database file as a county finance office depends on it (DESIGN.md §3, §5, §6): exact money,
refusal of files it must not touch, backups, restore, optimistic locking, upgrades. No Qt."""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import sqlite3
import time
import uuid as uuidlib
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Integer, func, inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

import db.migrate as migrate
from app.money import fen_from_wan
from app.services.maintenance import check_database, restore_newest
from app.services.workspace import Workspace
from db.backup import auto_backup, backup_file, backups_dir
from db.base import Exchangeable
from db.engine import make_engine
from db.errors import DamagedDatabase, ForeignDatabase, NewerDatabase
from db.models import Base, Department, KeyEvalItem, KeyEvaluation, Project, Region  # Base: all stages

CJK = re.compile(r"[\u4e00-\u9fff]")
EXCHANGEABLE = sorted((m.class_ for m in Base.registry.mappers if issubclass(m.class_, Exchangeable)),
                      key=lambda cls: cls.__tablename__)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count_rows(path: Path, table: str) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def add_project(ws: Workspace, code: str = "3701172023001", name: str = "城区环卫一体化保洁费",
                budget_wan: str = "3201.18") -> int:
    """A project under the first department of the `county` fixture, through the ORM."""
    with ws.session() as s:
        dept = s.scalars(select(Department).where(Department.code == "213001")).one()
        fen = fen_from_wan(budget_wan)
        project = Project(year=2023, code=code, name=name, department=dept, unit=dept, fund_type="一般公共预算",
                          category="延续", initial_budget_fen=fen, annual_budget_fen=fen, fiscal_fen=fen, other_fen=0,
                          region_code=dept.region_code)
        s.add(project)
        s.flush()
        return project.id


# -- a new database -------------------------------------------------------------------------
def test_a_fresh_database_gets_the_whole_schema_at_the_alembic_head(db_path):
    engine = migrate.open_engine(db_path)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
        tables = set(inspect(engine).get_table_names())
        assert tables == set(Base.metadata.tables) | {"alembic_version"}
        with engine.connect() as conn:
            # columns, types, nullability, indexes, unique and foreign keys all as the models say
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        engine.dispose()


def test_sqlite_connections_are_opened_safely(db_path):
    engine = make_engine(db_path)
    try:
        with engine.connect() as conn:
            pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("foreign_keys") == 1
            assert pragma("journal_mode").lower() == "wal"
            assert pragma("synchronous") == 2  # FULL
            assert pragma("busy_timeout") > 0
    finally:
        engine.dispose()


# -- integrity inside the database ----------------------------------------------------------
def test_a_project_pointing_at_a_missing_department_is_refused(county):
    with pytest.raises(IntegrityError):
        with county.session() as s:
            s.add(Project(year=2023, code="X1", name="无主项目", department_id=987654, unit_id=987654,
                          fund_type="一般公共预算", category="新增", initial_budget_fen=0, annual_budget_fen=0,
                          fiscal_fen=0, other_fen=0, region_code="370117"))
    with county.session() as s:
        assert s.scalar(select(func.count()).select_from(Project)) == 0


def test_a_department_that_still_has_projects_cannot_be_deleted(county):
    add_project(county)
    with pytest.raises(IntegrityError):
        with county.session() as s:
            s.execute(Department.__table__.delete().where(Department.code == "213001"))
    with county.session() as s:
        assert s.scalar(select(func.count()).select_from(Department).where(Department.code == "213001")) == 1


def test_every_money_column_is_an_integer_column_and_no_column_is_floating_point(ws):
    fen_columns = [(t.name, c) for t in Base.metadata.sorted_tables for c in t.columns if c.name.endswith("_fen")]
    assert len(fen_columns) > 20
    for table, column in fen_columns:
        assert isinstance(column.type, Integer), f"{table}.{column.name} is {column.type}"
    for table in inspect(ws.engine).get_table_names():
        for column in inspect(ws.engine).get_columns(table):
            assert not re.search(r"REAL|FLOA|DOUB|NUMERIC|DECIMAL", str(column["type"]).upper()), \
                f"{table}.{column['name']} is {column['type']}"


def test_money_is_stored_as_integer_fen(county):
    pid = add_project(county, budget_wan="3201.18")
    with county.engine.connect() as conn:
        kind, value = conn.execute(
            text("SELECT typeof(annual_budget_fen), annual_budget_fen FROM project WHERE id = :id"), {"id": pid}).one()
    assert (kind, value) == ("integer", 320_118 * 10_000)  # 3201.18万元 = 3,201,180,000 fen


def test_scaled_decimals_come_back_exact_and_are_stored_as_integers(ws):
    with ws.session() as s:
        ev = KeyEvaluation(region_code="220183", year=2023, object_name="净水厂原水水费及场地租金",
                           total_score=Decimal("80.7"), grade="良")
        for seq, (name, points, score) in enumerate([("决策", "15", "11.7"), ("过程", "15", "4"),
                                                     ("产出", "50", "50"), ("效益", "20", "15")], 1):
            ev.items.append(KeyEvalItem(region_code="220183", seq=seq, name=name, points=Decimal(points),
                                        score=Decimal(score)))
        s.add(ev)
    with ws.engine.connect() as conn:
        assert conn.execute(text("SELECT typeof(total_score), total_score FROM key_evaluation")).one() == ("integer", 8070)
    with ws.session() as s:
        ev = s.scalars(select(KeyEvaluation)).one()
        assert isinstance(ev.total_score, Decimal) and str(ev.total_score) == "80.70"
        scores = [item.score for item in ev.items]
        assert all(isinstance(x, Decimal) for x in scores)
        assert sum(scores, Decimal(0)) == ev.total_score == Decimal("80.7")  # no 80.69999…


def test_scaled_refuses_a_value_finer_than_its_places(ws):
    with pytest.raises((StatementError, ValueError)) as info:
        with ws.session() as s:
            s.add(KeyEvaluation(region_code="370117", year=2023, object_name="城区环卫一体化保洁费",
                                total_score=Decimal("91.365")))
    assert "91.365" in str(info.value)
    with ws.session() as s:
        assert s.scalar(select(func.count()).select_from(KeyEvaluation)) == 0


# -- files the program must not touch ---------------------------------------------------------
@pytest.fixture
def newer_db(db_path) -> Path:
    """A database as a later version of the program would leave it: a schema revision this
    version does not know."""
    Workspace.open(db_path).close()
    engine = make_engine(db_path)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_a_newer_version'"))
    engine.dispose()
    assert not Path(str(db_path) + "-wal").exists()
    return db_path


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(newer_db):
    before = sha256(newer_db)
    with pytest.raises(NewerDatabase) as info:
        migrate.open_engine(newer_db)
    assert CJK.search(info.value.message) and "更新版本" in info.value.message
    with pytest.raises(NewerDatabase):
        Workspace.open(newer_db)
    assert sha256(newer_db) == before
    assert not backups_dir(newer_db).exists()  # nothing was copied or prepared for an upgrade


def test_check_does_not_promise_to_upgrade_a_database_from_a_newer_version(newer_db):
    # The program refuses to open this file (test above); `check` must not tell the user that
    # opening it will "upgrade" it to this version's (older) schema.
    result = check_database(newer_db)
    assert "升级到" not in result.message, result.message
    assert "更新版本" in result.message, result.message


def test_random_bytes_are_refused_as_a_damaged_database_and_left_untouched(tmp_path):
    path = tmp_path / "不是数据库.sqlite3"
    path.write_bytes(random.Random(20231015).randbytes(64 * 1024))
    before = sha256(path)
    with pytest.raises(DamagedDatabase) as info:
        migrate.open_engine(path)
    assert CJK.search(info.value.message) and "损坏" in info.value.message
    assert sha256(path) == before


@pytest.mark.parametrize("damage", ["truncated", "overwritten pages"])
def test_a_damaged_database_is_refused_and_left_untouched(tmp_path, demo_db_template, damage):
    path = tmp_path / "demo.sqlite3"
    data = bytearray(demo_db_template.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:
        page = 4096
        data[3 * page: 6 * page] = b"\xab" * (3 * page)
    path.write_bytes(bytes(data))
    before = sha256(path)
    with pytest.raises(DamagedDatabase):
        Workspace.open(path)
    assert sha256(path) == before
    result = check_database(path)
    assert not result.ok and "损坏" in result.message


@pytest.fixture
def foreign_db(tmp_path) -> Path:
    """Another program's SQLite file, in SQLite's default (rollback journal) mode."""
    path = tmp_path / "客户台账.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('张三')")
        conn.commit()
    return path


def test_another_programs_sqlite_file_is_refused(foreign_db):
    with pytest.raises(ForeignDatabase) as info:
        migrate.open_engine(foreign_db)
    assert "不是本程序的数据库" in info.value.message
    assert count_rows(foreign_db, "customers") == 1
    with closing(sqlite3.connect(f"file:{foreign_db}?mode=ro", uri=True)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"customers"}  # no alembic_version, no tables of ours


def test_another_programs_sqlite_file_is_left_byte_for_byte_unchanged(foreign_db):
    # The refusal says "未作任何改动" (nothing was changed); the file's bytes must agree.
    before = sha256(foreign_db)
    with pytest.raises(ForeignDatabase):
        migrate.open_engine(foreign_db)
    assert sha256(foreign_db) == before


# -- backups and restore ----------------------------------------------------------------------
def test_an_online_backup_holds_every_committed_row_while_the_database_is_open(county, tmp_path):
    for i in range(1, 6):
        add_project(county, code=f"37011720230{i:02d}", name=f"项目{i}")
    # the workspace stays open: recent commits may still sit in the -wal file, not the main file
    with county.session() as s:
        live = s.scalars(select(Project.code).order_by(Project.code)).all()
    copy = backup_file(county.db_file, tmp_path / "备份" / "copy.sqlite3")
    assert copy.exists()
    with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert [r[0] for r in conn.execute("SELECT code FROM project ORDER BY code")] == live
    other = Workspace.open(copy)
    try:
        with other.session() as s:
            assert s.scalar(select(func.count()).select_from(Project)) == 5
            assert s.scalar(select(func.sum(Project.annual_budget_fen))) == 5 * 3_201_180_000
    finally:
        other.close()


def _age(path: Path, seconds: int) -> None:
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


def test_restore_newest_puts_the_newest_backup_back_and_keeps_the_damaged_file(county):
    db_file = county.db_file
    add_project(county, code="A1", name="第一个项目")
    older = auto_backup(db_file, "manual")
    add_project(county, code="A2", name="第二个项目")
    newer = auto_backup(db_file, "manual")
    _age(older, 3600)
    county.close()

    garbage = random.Random(7).randbytes(db_file.stat().st_size)
    db_file.write_bytes(garbage)
    damaged = check_database(db_file)
    assert not damaged.ok and "损坏" in damaged.message

    assert restore_newest(db_file) == newer
    kept = db_file.with_name(db_file.name + ".damaged")
    assert kept.read_bytes() == garbage
    result = check_database(db_file)
    assert result.ok and "数据库完好" in result.message
    ws = Workspace.open(db_file)
    try:
        with ws.session() as s:
            assert sorted(s.scalars(select(Project.code))) == ["A1", "A2"]
    finally:
        ws.close()


def test_restore_skips_a_damaged_backup_and_uses_the_newest_good_one(county):
    db_file = county.db_file
    add_project(county, code="A1", name="第一个项目")
    good = auto_backup(db_file, "manual")
    bad = auto_backup(db_file, "manual")
    county.close()
    bad.write_bytes(b"\0" * 100 + bad.read_bytes()[100:4096])
    _age(good, 3600)
    db_file.write_bytes(b"not a database at all" * 100)

    assert restore_newest(db_file) == good
    assert count_rows(db_file, "project") == 1


def test_check_database_reports_a_good_file_in_chinese(county):
    county.close()
    result = check_database(county.db_file)
    assert result.ok
    assert "数据库完好" in result.message and migrate.head_revision() in result.message


# -- records that travel between townships and the county -------------------------------------
def test_every_exchangeable_table_carries_uuid_region_times_and_version(ws):
    insp = inspect(ws.engine)
    assert len(EXCHANGEABLE) >= 25
    for model in EXCHANGEABLE:
        table = model.__tablename__
        columns = {c["name"]: c for c in insp.get_columns(table)}
        for name in ("uuid", "region_code", "created_at", "updated_at", "version"):
            assert name in columns and not columns[name]["nullable"], f"{table}.{name}"
        unique = [u["column_names"] for u in insp.get_unique_constraints(table)]
        assert ["uuid"] in unique, table


def test_a_new_record_gets_a_uuid_region_times_and_version_1_and_edits_bump_the_version(county):
    pid = add_project(county)
    with county.session() as s:
        p = s.get(Project, pid)
        assert uuidlib.UUID(p.uuid).version == 4
        assert p.region_code == "370117"
        assert p.created_at is not None and p.updated_at is not None
        assert p.version == 1
        first_uuid, created = p.uuid, p.created_at
        dept = s.scalars(select(Department).where(Department.code == "213001")).one()
        region = s.scalars(select(Region)).one()
        assert dept.uuid != p.uuid and region.uuid not in (dept.uuid, p.uuid)
        assert dept.version == region.version == 1
    with county.session() as s:
        s.get(Project, pid).name = "城区环卫一体化保洁费（调整）"
    with county.session() as s:
        p = s.get(Project, pid)
        assert p.version == 2
        assert p.uuid == first_uuid and p.created_at == created and p.updated_at >= created


def test_a_stale_edit_is_refused_instead_of_overwriting_anothers_change(county):
    pid = add_project(county)
    with Session(county.engine) as first, Session(county.engine) as second:
        mine, theirs = first.get(Project, pid), second.get(Project, pid)
        mine.name = "经建科改的名称"
        first.commit()
        theirs.name = "单位改的名称"
        with pytest.raises(StaleDataError):
            second.commit()
    with county.session() as s:
        p = s.get(Project, pid)
        assert (p.name, p.version) == ("经建科改的名称", 2)


def test_every_record_of_the_demo_county_has_its_own_uuid_and_region(demo_db_template):
    seen: set[str] = set()
    with closing(sqlite3.connect(f"file:{demo_db_template}?mode=ro", uri=True)) as conn:
        for model in EXCHANGEABLE:
            rows = conn.execute(f"SELECT uuid, region_code, version, created_at FROM {model.__tablename__}").fetchall()
            for uid, region, version, created in rows:
                # targets and the round went through their workflow steps: their versions moved on
                assert uuidlib.UUID(uid) and region and version >= 1 and created, model.__tablename__
                assert uid not in seen
                seen.add(uid)
    assert len(seen) > 200


# -- upgrades ---------------------------------------------------------------------------------
def test_the_migrations_go_down_to_base_and_back_up_to_the_models(db_path):
    engine = migrate.open_engine(db_path)
    try:
        with engine.begin() as conn:
            cfg = migrate._config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        with engine.begin() as conn:
            cfg = migrate._config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        engine.dispose()


NEXT_REVISION = '''"""test-only revision after the real head"""
from alembic import op
import sqlalchemy as sa

revision = "zz_test_next"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("upgrade_probe", sa.Column("id", sa.Integer, primary_key=True))
    with op.batch_alter_table("project") as batch_op:
        batch_op.add_column(sa.Column("probe_note", sa.String(20), nullable=True))
    {fail}


def downgrade() -> None:
    with op.batch_alter_table("project") as batch_op:
        batch_op.drop_column("probe_note")
    op.drop_table("upgrade_probe")
'''


@pytest.fixture
def next_version(tmp_path, monkeypatch):
    """The program's real migrations plus one more revision, as the next release would ship them.
    (With a single real revision there is no older head to start from, so the upgrade path of an
    existing database can only be exercised this way.) Returns a function that installs it."""

    def install(fail: bool = False) -> str:
        folder = tmp_path / "migrations"
        shutil.copytree(migrate.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
        head = migrate.head_revision()
        body = NEXT_REVISION.format(head=head, fail='raise RuntimeError("模拟升级中途失败")' if fail else "pass")
        (folder / "versions" / "zz_test_next.py").write_text(body, encoding="utf-8")
        monkeypatch.setattr(migrate, "MIGRATIONS", folder)
        assert migrate.head_revision() == "zz_test_next"
        return head

    return install


def _project_codes(path: Path) -> list[str]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return [r[0] for r in conn.execute("SELECT code FROM project ORDER BY code")]


def test_an_existing_database_is_copied_aside_then_upgraded_with_its_data(county, next_version):
    add_project(county, code="A1", name="第一个项目")
    add_project(county, code="A2", name="第二个项目")
    db_file = county.db_file
    county.close()
    old_head = next_version()

    engine = migrate.open_engine(db_file)
    try:
        assert migrate.current_revision(engine) == "zz_test_next"
        assert "upgrade_probe" in inspect(engine).get_table_names()
        assert "probe_note" in {c["name"] for c in inspect(engine).get_columns("project")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM project")).scalar() == 2
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    finally:
        engine.dispose()

    copies = list(backups_dir(db_file).glob(f"*before-upgrade-from-{old_head}*"))
    assert len(copies) == 1
    with closing(sqlite3.connect(f"file:{copies[0]}?mode=ro", uri=True)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (old_head,)
        assert "upgrade_probe" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert _project_codes(copies[0]) == ["A1", "A2"]


def test_opening_a_database_already_at_head_makes_no_copy(county):
    db_file = county.db_file
    county.close()
    Workspace.open(db_file).close()
    assert not backups_dir(db_file).exists() or not list(backups_dir(db_file).iterdir())


def test_an_upgrade_that_fails_halfway_leaves_the_database_as_it_was(county, next_version):
    add_project(county, code="A1", name="第一个项目")
    db_file = county.db_file
    county.close()
    old_head = next_version(fail=True)

    with pytest.raises(RuntimeError):
        migrate.open_engine(db_file)

    assert len(list(backups_dir(db_file).glob(f"*before-upgrade-from-{old_head}*"))) == 1
    engine = make_engine(db_file)
    try:
        assert migrate.current_revision(engine) == old_head
        assert _project_codes(db_file) == ["A1"]
        # nothing of the failed step may remain, or every later start fails on "already exists"
        assert "upgrade_probe" not in inspect(engine).get_table_names()
        assert "probe_note" not in {c["name"] for c in inspect(engine).get_columns("project")}
    finally:
        engine.dispose()
