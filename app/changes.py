"""What an operation changed (Anki's OpChanges): which stage, which year, which records.

A service notes each change on its session (`note`); when the session commits, the workspace hands
the batch to its listeners (ui: one signal every page listens to). A change that was rolled back is
never told. Stage keys are the registry's (app.stages): projects, base_data, targets, monitoring,
library."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

SESSION_KEY = "perfdesk.changes"
EVERYTHING = "*"  # e.g. after a restore from backup: every page reads afresh


@dataclass(frozen=True)
class Change:
    stage: str
    year: Optional[int] = None  # None: not tied to one year (or every year)
    ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Changes:
    items: tuple[Change, ...] = field(default_factory=tuple)

    @property
    def stages(self) -> frozenset[str]:
        return frozenset(c.stage for c in self.items)

    def touches(self, stages: Iterable[str], year: Optional[int] = None) -> bool:
        """True when a change is in one of `stages` and, given a year, in that year (or in no
        particular year)."""
        wanted = set(stages)
        return any((c.stage in wanted or c.stage == EVERYTHING) and (year is None or c.year is None or c.year == year) for c in self.items)

    def ids(self, stage: str) -> frozenset[int]:
        return frozenset(i for c in self.items if c.stage == stage for i in c.ids)

    def __bool__(self) -> bool:
        return bool(self.items)


def everything() -> Changes:
    return Changes((Change(EVERYTHING),))


def note(session, stage: str, year: Optional[int] = None, ids: Iterable[int] = ()) -> None:
    """Record a change on the session; told to listeners only if the session commits."""
    session.info.setdefault(SESSION_KEY, []).append(Change(stage, year, frozenset(ids)))


def taken(session) -> Changes:
    return Changes(tuple(session.info.pop(SESSION_KEY, ())))
