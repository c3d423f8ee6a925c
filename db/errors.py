"""Problems with the database itself (a file, or a database on a PostgreSQL server). Each carries
a Chinese sentence for the user; a server database is named by its URL without the password."""

from __future__ import annotations

from pathlib import Path

Where = Path | str | None  # a SQLite file, a server URL, or not known


def server_name(where: Where) -> str:
    """The words naming a server database in a sentence ("" for a file or nothing)."""
    if isinstance(where, str) and "://" in where:
        from db.engine import shown

        return f"服务器数据库“{shown(where)}”"
    return ""


class DatabaseProblem(Exception):
    def __init__(self, path: Where, message: str, detail: str = ""):
        super().__init__(message)
        self.path = path
        self.message = message
        self.detail = detail


class DamagedDatabase(DatabaseProblem):
    def __init__(self, path: Path, detail: str = ""):
        super().__init__(path, f"数据库文件“{path}”已损坏或不是数据库文件，无法打开。可以从最近的备份恢复。", detail)


class NewerDatabase(DatabaseProblem):
    def __init__(self, path: Where, revision: str):
        which = server_name(path) or "这个数据库"
        super().__init__(
            path,
            f"{which}是由更新版本的本程序创建的，当前版本无法打开。请安装最新版本后再打开，数据不会有任何改动。",
            f"unknown schema revision {revision}",
        )


class ForeignDatabase(DatabaseProblem):
    def __init__(self, path: Where):
        server = server_name(path)
        if server:
            super().__init__(path, f"{server}里已有别的程序的数据表，不是本程序的数据库，未作任何改动。"
                                   "请为本程序新建一个空数据库，或选择本程序使用的数据库。")
            return
        super().__init__(path, "这个文件不是本程序的数据库，未作任何改动。请选择本程序创建的数据库文件。")


class DatabaseInUse(DatabaseProblem):
    """Another program (a window or a command-line import) has the file open for writing."""

    def __init__(self, path: Where, user: str, host: str):
        super().__init__(path, f"这个数据库正在被 {user}（{host}）使用。")
        self.user, self.host = user, host


class ReadOnlyDatabase(DatabaseProblem):
    def __init__(self, path: Where, detail: str = ""):
        super().__init__(path, "数据库以只读方式打开，不能保存修改。", detail)


class UpgradeNeeded(DatabaseProblem):
    """Opened read-only, the file would have to be upgraded first (by the program that holds it)."""

    def __init__(self, path: Where):
        super().__init__(path, "这个数据库需要先升级结构，只读方式无法打开。请等正在使用它的程序关闭后再打开。")
