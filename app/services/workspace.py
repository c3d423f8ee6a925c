"""The open database: engine, sessions, settings, the active rule pack. Handed to every service and
page (no globals), so a test can open its own temporary one."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.rules.pack import RulePackData, default_pack, default_pack_text
from db.engine import make_session_factory, sqlite_file, url_for
from db.migrate import open_engine
from db.models import Department, Project, Region, RulePack, Setting

UNSET_REGION = "000000"


class Workspace:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.url = str(engine.url)
        self.db_file: Path | None = sqlite_file(url_for(engine.url.render_as_string(hide_password=False)))
        self._sessions = make_session_factory(engine)
        self._pack: RulePackData | None = None

    @classmethod
    def open(cls, path_or_url: str | Path) -> "Workspace":
        """Checks, backs up and migrates as needed (db.migrate); raises DatabaseProblem subclasses."""
        ws = cls(open_engine(path_or_url))
        ws.ensure_defaults()
        return ws

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back everything on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    # -- defaults and settings -------------------------------------------------------------
    def ensure_defaults(self) -> None:
        with self.session() as s:
            if s.scalar(select(func.count()).select_from(RulePack)) == 0:
                pack = default_pack()
                s.add(RulePack(name=pack.name, pack_version=pack.version, content=default_pack_text(),
                               is_active=True, region_code=UNSET_REGION))

    def rule_pack(self) -> RulePackData:
        if self._pack is None:
            with self.session() as s:
                row = s.scalars(select(RulePack).where(RulePack.is_active).order_by(RulePack.pack_version.desc())).first()
                self._pack = RulePackData.from_json(row.content) if row else default_pack()
        return self._pack

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        with self.session() as s:
            row = s.get(Setting, key)
            return row.value if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.session() as s:
            s.merge(Setting(key=key, value=value))

    def home_region(self) -> str:
        """The 区划代码 new records get: the setting, else the first county-level region."""
        code = self.get_setting("home_region")
        if code:
            return code
        with self.session() as s:
            first = s.scalars(select(Region.code).where(Region.level == "县级").order_by(Region.id)).first()
        return first or UNSET_REGION

    def is_empty(self) -> bool:
        with self.session() as s:
            for model in (Project, Department, Region):
                if s.scalar(select(func.count()).select_from(model)):
                    return False
        return True
