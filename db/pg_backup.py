"""Backups of a database on a PostgreSQL server, and putting one back.

`backup(url, out)`: pg_dump's custom format when pg_dump is on PATH (and can read this server);
otherwise a portable file the program writes itself — a zip of one JSON-lines file per table with
the schema revision (manifest.json) — which needs nothing but this program to restore.
`restore(url, file)` reads either: into an empty database (the schema is built first) or this
program's database (its rows are replaced; for a backup from an older revision its tables are
rebuilt at that revision first — migrating it to head is the caller's, as after any restore), all
in one transaction, tables in foreign-key order.
No password ever appears on a command line, in a message or in the log (pg_dump gets it through
PGPASSWORD)."""

from __future__ import annotations

import base64
import json
import logging
import os
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, MetaData, Table, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.types import Boolean, Date, DateTime, LargeBinary, Numeric

from db.engine import make_engine, scrubbed, shown, url_for
from db.errors import DatabaseProblem, server_name

PORTABLE = "perfdesk-portable-backup"
PORTABLE_VERSION = 1
_log = logging.getLogger("perfdesk")


# -- pg_dump / pg_restore -----------------------------------------------------------------------
def pg_tool(name: str) -> str | None:
    return shutil.which(name)


def _libpq(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore, and the environment carrying the password."""
    u = make_url(url_for(url))
    args = ["--dbname", u.database or ""]
    if u.host:
        args += ["--host", u.host]
    elif u.query.get("host"):
        args += ["--host", str(u.query["host"])]
    if u.port:
        args += ["--port", str(u.port)]
    if u.username:
        args += ["--username", u.username]
    env = dict(os.environ)
    if u.password is not None:
        env["PGPASSWORD"] = str(u.password)
    return args + ["--no-password"], env


def _run(tool: str, url: str, argv: list[str]) -> subprocess.CompletedProcess:
    conn, env = _libpq(url)
    return subprocess.run([tool, *argv, *conn], env=env, capture_output=True, text=True)


def dump(url: str, out: Path) -> bool:
    """pg_dump in custom format to `out`; False (logged) when pg_dump is missing or failed."""
    tool = pg_tool("pg_dump")
    if tool is None:
        return False
    part = out.with_name(out.name + ".part")
    result = _run(tool, url, ["--format=custom", "--no-owner", "--no-privileges", "--file", str(part)])
    if result.returncode != 0:
        part.unlink(missing_ok=True)
        _log.warning("pg_dump of %s failed, writing a portable backup instead: %s", shown(url),
                     scrubbed(result.stderr.strip(), url_for(url)))
        return False
    part.replace(out)
    return True


# -- the portable file ----------------------------------------------------------------------------
def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _typed(column, value):
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Numeric):
        return Decimal(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, Boolean):
        return bool(value)
    return value


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _tables(conn: Connection) -> list[Table]:
    """The program's tables, parents before children."""
    meta = MetaData()
    meta.reflect(conn)
    return [t for t in meta.sorted_tables if t.name != "alembic_version"]


def write_portable(url: str, out: Path) -> Path:
    engine = make_engine(url_for(url))
    part = out.with_name(out.name + ".part")
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, \
                zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:  # one snapshot for every table
            tables = _tables(conn)
            counts = {}
            for table in tables:
                order = [c for c in table.primary_key.columns] or list(table.columns)
                lines = [json.dumps({k: _plain(v) for k, v in row._mapping.items()}, ensure_ascii=False)
                         for row in conn.execute(select(table).order_by(*order))]
                counts[table.name] = len(lines)
                zf.writestr(f"tables/{table.name}.jsonl", "\n".join(lines))
            manifest = {"format": PORTABLE, "version": PORTABLE_VERSION, "revision": _revision(conn),
                        "tables": [t.name for t in tables], "rows": counts,
                        "made_at": datetime.now().isoformat(timespec="seconds")}
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        engine.dispose()
    part.replace(out)
    return out


def backup(url: str, out: Path) -> Path:
    """A backup of the server database at `out`: pg_dump's custom format, or the portable file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if dump(url, out):
        return out
    return write_portable(url, out)


# -- restore --------------------------------------------------------------------------------------
def kind_of(file: Path) -> str:
    """"pg_dump", "portable", or "" for a file that is neither."""
    with open(file, "rb") as fh:
        head = fh.read(5)
    if head == b"PGDMP":
        return "pg_dump"
    if head[:2] == b"PK":
        try:
            with zipfile.ZipFile(file) as zf:
                manifest = json.loads(zf.read("manifest.json"))
            if manifest.get("format") == PORTABLE:
                return "portable"
        except (zipfile.BadZipFile, KeyError, ValueError):
            return ""
    return ""


NOT_A_BACKUP = "“{file}”不是本程序的服务器数据库备份（pg_dump 自定义格式或本程序的备份文件），未作任何改动。"


def restore(url: str, file: Path) -> None:
    """Put a backup in place of the server database's content, at the backup's schema revision.
    Refused (DatabaseProblem, nothing changed) when the file is not a backup, comes from a newer
    program, or the database holds another program's tables."""
    kind = kind_of(file)
    if kind == "portable":
        return _restore_portable(url, file)
    if kind == "pg_dump":
        return _restore_dump(url, file)
    raise DatabaseProblem(url, NOT_A_BACKUP.format(file=file.name))


def _restore_dump(url: str, file: Path) -> None:
    tool = pg_tool("pg_restore")
    if tool is None:
        raise DatabaseProblem(url, "恢复 pg_dump 格式的备份需要 PostgreSQL 客户端工具 pg_restore，本机没有找到。"
                                   "请安装 postgresql-client 后再试。")
    wanted = _dump_revision(tool, file)
    _refuse_newer(url, wanted)
    ours = _ours_if_other_revision(url, wanted)
    if ours:  # --clean would leave this version's newer tables behind: all dropped, in the same transaction
        result = _restore_dump_replacing(url, tool, file, ours)
    else:
        result = _run(tool, url, ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                                  str(file)])
    if result.returncode != 0:
        detail = scrubbed(result.stderr.strip(), url_for(url))
        _log.error("pg_restore into %s failed: %s", shown(url), detail)
        raise DatabaseProblem(url, f"恢复失败，{server_name(url)}保持原样。详细原因已写入日志。", detail)


def _ours_if_other_revision(url: str, wanted: str | None) -> list[str]:
    """The program's tables when the database is at another schema revision than the backup's
    (an older backup: its schema replaces them); [] when the same, or empty."""
    engine = make_engine(url_for(url))
    try:
        with engine.connect() as conn:
            have = _revision(conn)
            return [t.name for t in _tables(conn)] + ["alembic_version"] if have not in (None, wanted) else []
    finally:
        engine.dispose()


def _restore_dump_replacing(url: str, tool: str, file: Path, tables: list[str]) -> subprocess.CompletedProcess:
    """psql runs, in one transaction, the drop of `tables` and the dump's script (from pg_restore)."""
    import tempfile

    psql = pg_tool("psql")
    if psql is None:
        raise DatabaseProblem(url, "恢复较早版本的 pg_dump 备份需要 PostgreSQL 客户端工具 psql，本机没有找到。"
                                   "请安装 postgresql-client 后再试，数据没有任何改动。")
    drop = "; ".join(f'DROP TABLE IF EXISTS "{name}" CASCADE' for name in tables)
    with tempfile.TemporaryDirectory(prefix="perfdesk-restore-") as folder:
        script = Path(folder) / "restore.sql"
        made = subprocess.run([tool, "--no-owner", "--no-privileges", "--file", str(script), str(file)],
                              capture_output=True, text=True)
        if made.returncode != 0:
            return made
        return _run(psql, url, ["--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1", "--single-transaction",
                                "--command", drop, "--file", str(script)])


def _dump_revision(tool: str, file: Path) -> str | None:
    """The schema revision inside a pg_dump file (its alembic_version row), read with pg_restore."""
    result = subprocess.run([tool, "--data-only", "--table", "alembic_version", "--file", "-", str(file)],
                            capture_output=True, text=True)
    lines = result.stdout.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and n + 1 < len(lines):
            value = lines[n + 1].strip()
            return None if value == "\\." else value
    return None


def _refuse_newer(url: str, revision: str | None) -> None:
    from db.migrate import _known

    if revision is None:
        raise DatabaseProblem(url, "这个备份里没有本程序的结构版本，不是本程序的数据库备份，未作任何改动。")
    if not _known(revision):
        raise DatabaseProblem(url, "这个备份是由更新版本的本程序制作的，当前版本无法恢复。请安装最新版本后再恢复，"
                                   "数据不会有任何改动。", f"unknown schema revision {revision}")


def _restore_portable(url: str, file: Path) -> None:
    from db.migrate import _known

    with zipfile.ZipFile(file) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        data = {name: zf.read(f"tables/{name}.jsonl").decode("utf-8") for name in manifest["tables"]}
    wanted = manifest["revision"]
    _refuse_newer(url, wanted)
    engine = make_engine(url_for(url))
    try:
        with engine.connect() as conn:
            have = _revision(conn)
            has_tables = bool(set(inspect(conn).get_table_names()) - {"alembic_version"})
        if have is None and has_tables:
            raise DatabaseProblem(url, f"{server_name(url)}里有别的程序的数据表，不能恢复到这里，未作任何改动。")
        if have is not None and not _known(have):
            raise DatabaseProblem(url, f"{server_name(url)}是由更新版本的本程序建立的，不能恢复到这里，未作任何改动。",
                                  f"unknown schema revision {have}")
        with engine.begin() as conn:
            if have is not None and have != wanted:  # an older backup: its own schema in place of ours
                _drop_ours(conn)
            if have != wanted:
                _build_schema(conn, wanted)
            _replace_rows(conn, data)
    finally:
        engine.dispose()


def _drop_ours(conn: Connection) -> None:
    """The program's tables (and its revision) dropped, inside the restore's transaction, so that a
    backup from another revision gets its own schema (the caller then migrates it to head)."""
    quote = conn.dialect.identifier_preparer.quote
    for name in [t.name for t in _tables(conn)] + ["alembic_version"]:
        conn.execute(text(f"DROP TABLE IF EXISTS {quote(name)} CASCADE"))


def _build_schema(conn: Connection, revision: str) -> None:
    """An empty database gets the backup's schema, inside the restore's transaction."""
    from alembic import command

    from db.migrate import _config

    cfg = _config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, revision)


def _replace_rows(conn: Connection, data: dict[str, str]) -> None:
    tables = {t.name: t for t in _tables(conn)}
    order = [t for t in tables.values()]  # parents first
    for table in reversed(order):
        conn.execute(table.delete())
    for table in order:
        text_rows = data.get(table.name, "")
        rows = [json.loads(line) for line in text_rows.splitlines() if line.strip()]
        if not rows:
            continue
        rows = [{c.name: _typed(c, row.get(c.name)) for c in table.columns} for row in rows]
        own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
        later = [(row, {k: row[k] for k in own}) for row in rows if any(row[k] is not None for k in own)]
        conn.execute(table.insert(), [{**row, **{k: None for k in own}} for row in rows] if own else rows)
        key = list(table.primary_key.columns)
        for row, links in later:  # rows pointing at rows of their own table: linked once all are in
            conn.execute(table.update().where(*[c == row[c.name] for c in key]).values(**links))
        follow_sequence(conn, table)


def follow_sequences(conn: Connection) -> None:
    """Every table's id sequence continues after its largest id (after rows were written with
    their ids given, as a restore or a bulk load does)."""
    for table in _tables(conn):
        follow_sequence(conn, table)


def follow_sequence(conn: Connection, table: Table) -> None:
    """After rows came in with their own ids, the next id continues after the largest."""
    for column in table.primary_key.columns:
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                           {"t": table.name, "c": column.name}).scalar()
        if seq:
            top = conn.execute(select(func.max(column))).scalar()
            conn.execute(text("SELECT setval(:s, :v, :called)"),
                         {"s": seq, "v": top or 1, "called": top is not None})
