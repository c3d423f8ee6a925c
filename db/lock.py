"""One writer per database file: a lock file beside it (`<db>.lock`) held with an OS lock while a
program (the window, a command-line import) has the database open for writing.

The OS lock (flock on Linux, msvcrt.locking on Windows) goes with the process: a program that
crashed leaves the file behind but no lock, so it never blocks the next start. The file holds who
took it (user, computer, process) so the second program can say by whom the database is in use.
The file itself is never deleted (deleting a lock file another program may be opening would let
two programs hold two different files)."""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

_INFO_AT = 1  # Windows locks byte 0 and keeps others from reading it: the holder is written after it


@dataclass(frozen=True)
class Holder:
    user: str
    host: str
    pid: int

    @classmethod
    def me(cls) -> "Holder":
        try:
            user = getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name on some locked-down PCs
            user = "未知用户"
        return cls(user, socket.gethostname() or "未知计算机", os.getpid())


def lock_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + ".lock")


def _try_lock(fd: int) -> bool:
    if sys.platform.startswith("win"):
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError: someone else holds it
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform.startswith("win"):
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


class InstanceLock:
    """`acquire()` → True when this program now holds the database; False when another program
    does (`holder()` says who). `release()` (or process exit) lets the next one in."""

    def __init__(self, db_file: Path):
        self.path = lock_path(Path(db_file))
        self._fd: Optional[int] = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            return False
        me = Holder.me()
        info = json.dumps({"user": me.user, "host": me.host, "pid": me.pid}, ensure_ascii=False).encode("utf-8")
        os.ftruncate(fd, _INFO_AT)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, b"\n" + info + b"\n")
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def holder(self) -> Holder:
        """Who holds the lock, as its file says (unknown fields when it cannot be read)."""
        try:
            with open(self.path, "rb") as fh:
                fh.seek(_INFO_AT)
                data = json.loads(fh.read().decode("utf-8").strip() or "{}")
            return Holder(str(data.get("user") or "未知用户"), str(data.get("host") or "未知计算机"),
                          int(data.get("pid") or 0))
        except (OSError, ValueError):
            return Holder("未知用户", "未知计算机", 0)
