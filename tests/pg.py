"""A throwaway PostgreSQL server for the tests (not a test module): initdb into a temporary folder,
listening on a Unix socket there and on 127.0.0.1 at a free port, one migrated template database,
and a fresh database per test made from it (CREATE DATABASE … TEMPLATE …, quick), dropped after.

Running as root, the folder is given to the `postgres` system user (the Debian package makes it)
and initdb / pg_ctl run as that user through runuser; PostgreSQL refuses to run as root."""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PASSWORD = "pg-test-secret"  # host connections ask for it: messages must never show it
TEMPLATE = "perfdesk_template"


def bin_dir() -> Path | None:
    """The newest installed server's programs (Debian keeps them out of PATH), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def available() -> str | None:
    """None when a server can be started here, else why not (a skip reason)."""
    if bin_dir() is None:
        return "没有安装 PostgreSQL 服务器（initdb）；scripts/bootstrap.sh 会用 apt-get 安装 postgresql"
    if os.geteuid() == 0 and (shutil.which("runuser") is None or _postgres_uid() is None):
        return "以 root 运行时需要 postgres 系统用户和 runuser 来启动 PostgreSQL"
    return None


def _postgres_uid() -> int | None:
    import pwd

    try:
        return pwd.getpwnam("postgres").pw_uid
    except KeyError:
        return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgServer:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="perfdesk-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._names = itertools.count(1)
        self._as_root = os.geteuid() == 0
        self.user = "postgres" if self._as_root else os.environ.get("USER", "postgres")

    # -- the server --------------------------------------------------------------------------
    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(bin_dir() / argv[0]), *argv[1:]]
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=self.folder)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[:2])} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def start(self) -> "PgServer":
        if self._as_root:
            uid = _postgres_uid()
            os.chown(self.folder, uid, -1)
        pwfile = self.folder / "pw"
        pwfile.write_text(PASSWORD + "\n", encoding="utf-8")
        if self._as_root:
            os.chown(pwfile, _postgres_uid(), -1)
        self._run("initdb", "-D", str(self.data), "-U", self.user, "--pwfile", str(pwfile), "-E", "UTF8",
                  "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync")
        pwfile.unlink()
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"), "-w", "start")
        atexit.register(self.stop)  # also when the run ends without the fixture's teardown
        return self

    def stop(self) -> None:
        if self.folder.exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- databases ---------------------------------------------------------------------------
    def url(self, name: str, *, password: bool = True) -> str:
        secret = f":{PASSWORD}" if password else ""
        return f"postgresql://{self.user}{secret}@127.0.0.1:{self.port}/{name}"

    def admin(self, sql: str) -> None:
        """One statement on the maintenance database, outside a transaction (CREATE/DROP DATABASE)."""
        import psycopg

        with psycopg.connect(host=str(self.folder), port=self.port, user=self.user, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)

    def new_name(self, stem: str = "t") -> str:
        return f"{stem}_{os.getpid()}_{next(self._names)}"

    def create(self, name: str | None = None, *, template: str | None = None) -> str:
        """A new database (empty, or a copy of `template`); returns its name."""
        name = name or self.new_name()
        self.admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def drop(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def make_template(self, name: str, build) -> str:
        """A database built once by `build(url)` (which must close its connections), kept as a
        template for copies."""
        self.create(name)
        build(self.url(name))
        self.admin(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')
        return name
