"""The open database: engine, sessions, settings, the active rule pack. Handed to every service and
page (no globals), so a test can open its own temporary one."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
import threading
from typing import Callable, Iterator, Optional

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session

from app.changes import Changes, taken
from app.rules.pack import RulePackData, default_pack, default_pack_text
from app.services.actor import Actor, local_actor
from db.engine import make_session_factory, sqlite_file, url_for
from db.errors import DatabaseInUse, DatabaseProblem, ReadOnlyDatabase
from db.lock import InstanceLock
from db.migrate import open_engine
from db.models import Department, Project, Region, RulePack, Setting

UNSET_REGION = "000000"


def _is_read_only_refusal(exc: BaseException) -> bool:
    from sqlalchemy.exc import OperationalError

    return isinstance(exc, OperationalError) and "readonly" in str(exc.orig).replace(" ", "").replace("-", "")


class Workspace:
    def __init__(self, engine: Engine, *, read_only: bool = False, lock: Optional[InstanceLock] = None):
        self.engine = engine
        self.read_only = read_only  # another program holds the file: every write is refused
        self.lock = lock  # held while this workspace is the file's one writer (the window, a CLI import)
        self.url = engine.url.render_as_string(hide_password=False)
        self.db_file: Path | None = sqlite_file(url_for(engine.url.render_as_string(hide_password=False)))
        self._sessions = make_session_factory(engine)
        self._pack: RulePackData | None = None
        self.actor: Actor = local_actor()  # who acts in this session; logins will set it
        self._listeners: list[Callable[[Changes], None]] = []
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path_or_url: str | Path, *, exclusive: bool = False, read_only: bool = False) -> "Workspace":
        """Checks, backs up and migrates as needed (db.migrate); raises DatabaseProblem subclasses.
        exclusive (the window, a command-line write): take the file's instance lock (db.lock) first —
        held by another program, DatabaseInUse says by whom and nothing is opened. read_only: open
        beside the program that holds it; every write fails with ReadOnlyDatabase."""
        if read_only:
            return cls(open_engine(path_or_url, read_only=True), read_only=True)
        lock = None
        file = sqlite_file(url_for(path_or_url))
        if exclusive and file is not None:
            lock = InstanceLock(file)
            try:
                taken = lock.acquire()
            except OSError as exc:
                raise DatabaseProblem(file, f"无法在“{file.parent}”建立数据库锁文件，请检查文件夹是否存在、是否有写入权限。",
                                      str(exc)) from exc
            if not taken:
                holder = lock.holder()
                raise DatabaseInUse(file, holder.user, holder.host)
        try:
            ws = cls(open_engine(path_or_url), lock=lock)
            ws.ensure_defaults()
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return ws

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()

    def forget_cached(self) -> None:
        """After the file under the engine was replaced (a restore): read everything afresh."""
        from app.changes import everything

        self.engine.dispose()
        self._pack = None
        self._tell(everything())

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back everything on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException as exc:
            session.rollback()
            if self.read_only and _is_read_only_refusal(exc):
                raise ReadOnlyDatabase(self.db_file, str(exc)) from exc
            raise
        finally:
            changes = taken(session)  # told only when committed
            session.close()
        if changes:
            self._tell(changes)

    # -- change notifications ----------------------------------------------------------------
    def subscribe(self, listener: Callable[[Changes], None]) -> None:
        """`listener(changes)` after every commit that noted changes — on the thread that
        committed (the ui hands it on to the GUI thread)."""
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Changes], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _tell(self, changes: Changes) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(changes)
            except Exception:  # noqa: BLE001 - the write is committed: a listener's fault must not undo the answer
                from app.logs import log

                log.exception("a change listener failed")

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A plain connection for read-only lists (Core selects on the tables, no ORM objects)."""
        with self.engine.connect() as conn:
            yield conn

    # -- defaults and settings -------------------------------------------------------------
    def ensure_defaults(self) -> None:
        packs = RulePack.__table__
        with self.read() as conn:
            has_pack = conn.execute(select(func.count()).select_from(packs)).scalar()
        if not has_pack:
            pack = default_pack()
            with self.session() as s:
                s.add(RulePack(name=pack.name, pack_version=pack.version, content=default_pack_text(),
                               is_active=True, region_code=UNSET_REGION))

    def rule_pack(self) -> RulePackData:
        if self._pack is None:
            packs = RulePack.__table__
            with self.read() as conn:
                content = conn.execute(select(packs.c.content).where(packs.c.is_active)
                                       .order_by(packs.c.pack_version.desc())).scalars().first()
            self._pack = RulePackData.from_json(content) if content else default_pack()
        return self._pack

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        settings = Setting.__table__
        with self.read() as conn:
            value = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        if self.read_only:
            raise ReadOnlyDatabase(self.db_file)
        if self.get_setting(key) == value:
            return  # no write (and no fsync) when nothing changes
        with self.session() as s:
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=value))
            else:
                row.value = value

    def home_region(self) -> str:
        """The 区划代码 new records get: the setting, else the first county-level region."""
        code = self.get_setting("home_region")
        if code:
            return code
        regions = Region.__table__
        with self.read() as conn:
            first = conn.execute(select(regions.c.code).where(regions.c.level == "县级")
                                 .order_by(regions.c.id)).scalars().first()
        return first or UNSET_REGION

    def is_empty(self) -> bool:
        with self.read() as conn:
            for model in (Project, Department, Region):
                if conn.execute(select(func.count()).select_from(model.__table__)).scalar():
                    return False
        return True
