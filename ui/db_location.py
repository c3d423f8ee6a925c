"""Where a database is: a file path, or a shared server's URL (postgresql://user@host:port/dbname).
What the window, the dialogs and the log say of a URL never carries its password."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Union

URL_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")
EXAMPLE = "postgresql://用户名@服务器:5432/数据库名"
_PASSWORD = re.compile(r"([a-z0-9+]+://[^:/@?#\s]*):[^/?#\s]*@", re.IGNORECASE)


def is_url(text: str) -> bool:
    return str(text).strip().lower().startswith(URL_SCHEMES)


def location(text: Union[str, Path]) -> Union[str, Path]:
    """A URL as typed (postgres:// spelled postgresql://), a path as a Path."""
    text = str(text).strip()
    if not is_url(text):
        return Path(text)
    return "postgresql://" + text.split("://", 1)[1] if text.lower().startswith("postgres://") else text


def url_problem(text: str) -> str:
    """"" for a URL that names a server and a database; else the sentence saying what to type."""
    rest = str(text).strip().split("://", 1)[1] if "://" in str(text) else ""
    host, _, database = rest.rpartition("@")[2].partition("/")
    if not host or not database.split("?")[0]:
        return f"请按“{EXAMPLE}”的格式填写共享数据库的地址（须有服务器和数据库名）。"
    return ""


def shown(where: Union[str, Path, None]) -> str:
    """For the screen and the log: a path as it is, a URL with its password replaced by ***."""
    return _PASSWORD.sub(r"\1:***@", str(where or ""))
