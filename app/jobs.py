"""Long work (imports, exports, PDF) reports progress and can be cancelled, without knowing Qt."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

ProgressFn = Callable[[int, int], None]  # (done, total); total 0 means unknown


class Cancelled(Exception):
    """Raised inside a job when the user cancelled it; nothing the job wrote may remain."""


@dataclass
class JobControl:
    """Handed to a job: it calls step() as it goes; step raises Cancelled once cancel() was called."""

    progress: Optional[ProgressFn] = None
    _cancelled: bool = field(default=False, repr=False)

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def step(self, done: int, total: int = 0) -> None:
        if self._cancelled:
            raise Cancelled()
        if self.progress is not None:
            self.progress(done, total)


def control(job: Optional[JobControl]) -> JobControl:
    """Jobs accept None for 'no progress, no cancel'."""
    return job if job is not None else JobControl()
