"""One sentence for every problem a user can meet, for the GUI and the command line alike.
Details (the traceback) go to the log file; the user reads what to do."""

from __future__ import annotations

from app.jobs import Cancelled
from app.rules.validation import RejectedError
from db.errors import DatabaseProblem

UNEXPECTED = "操作没有完成，发生了意外错误。详细信息已写入日志文件，请把日志交给技术支持。"


def user_sentence(error: BaseException) -> str:
    from sqlalchemy.exc import InternalError, OperationalError
    from sqlalchemy.orm.exc import StaleDataError

    if isinstance(error, RejectedError):
        return error.summary
    if isinstance(error, DatabaseProblem):
        return error.message
    if isinstance(error, Cancelled):
        return "已取消，没有写入任何数据。"
    if isinstance(error, StaleDataError):
        return "这条记录刚被其他人修改过，您的修改没有保存。请重新打开后再改。"
    if isinstance(error, (OperationalError, InternalError)):
        text = str(error.orig)
        if "readonly" in text.replace(" ", "").replace("-", ""):  # opened read-only (SQLite; PostgreSQL: read-only transaction)
            return "数据库以只读方式打开，不能保存修改。"
        if "connection" in text.lower() and ("closed" in text.lower() or "lost" in text.lower()
                                              or "terminat" in text.lower()):
            return "与共享数据库的连接已断开，您的修改没有保存。请检查网络后重新打开数据库再试。"
        if "locked" in text or "busy" in text:
            return "数据库正被其他窗口或同事使用，请稍后再试。"
        if "unable to open" in text:
            return "无法打开或建立数据库文件。请检查文件夹是否存在、是否有写入权限。"
        return UNEXPECTED
    name = getattr(error, "filename", None) or ""
    if isinstance(error, PermissionError):
        return f"没有权限写入“{name}”。如果文件正在Excel等程序中打开，请先关闭它再试。"
    if isinstance(error, FileNotFoundError):
        return f"找不到“{name}”。请检查文件或文件夹是否存在。"
    if isinstance(error, OSError):
        return f"无法读写“{name}”。请检查路径是否正确、磁盘是否已满。"
    return UNEXPECTED


def is_expected(error: BaseException) -> bool:
    """Errors that are the user's situation, not a defect: no traceback needed in the log."""
    from sqlalchemy.orm.exc import StaleDataError

    return isinstance(error, (RejectedError, Cancelled, DatabaseProblem, StaleDataError))
