"""Where things live: bundled resources (from source or frozen) and the user's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "perfdesk"


def _root() -> Path:
    """The folder holding resources/ and pyproject.toml: the source tree, or the frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def project_file(name: str) -> Path:
    return _root() / name


def resource_path(*parts: str) -> Path:
    """A file under resources/, found the same way frozen and from source."""
    return _root().joinpath("resources", *parts)


def data_dir() -> Path:
    """The user's data folder (never inside the install folder). PERFDESK_HOME overrides it."""
    override = os.environ.get("PERFDESK_HOME")
    if override:
        base = Path(override)
    elif sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA", Path.home())) / APP_DIR_NAME
    else:
        xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        base = Path(xdg) / APP_DIR_NAME
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_db_path() -> Path:
    env = os.environ.get("PERFDESK_DB")
    return Path(env) if env else data_dir() / "perfdesk.sqlite3"


def log_path() -> Path:
    return data_dir() / "perfdesk.log"
