"""Starting the GUI: Qt application, bundled font, Chinese standard dialogs, error hook, opening the
database — a file or a shared PostgreSQL server's URL (with the damaged/newer/unreachable cases
answered in sentences), first-start choice, the login once the database has users, main window;
连接共享数据库… opens another database in place of the window's own (`switch_database`)."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Optional, Union

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from app.logs import log
from app.paths import default_db_path, resource_path
from app.services import maintenance
from app.services.workspace import Workspace
from db.errors import DamagedDatabase, DatabaseInUse, DatabaseProblem
from ui.db_location import is_url, location, shown
from ui.dialogs.login import ask_login
from ui.main_window import MainWindow
from app.errors import user_sentence

FONT_FAMILY_FALLBACK = "WenQuanYi Micro Hei"


def make_application(argv: Optional[list[str]] = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("perfdesk")
    app.setApplicationDisplayName("预算绩效管理")
    install_font(app)
    install_translations(app)
    collect_on_gui_thread(app)
    return app


def install_font(app: QApplication) -> str:
    """The bundled WenQuanYi Micro Hei, so Chinese renders on a PC with no CJK font."""
    font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", "wqy-microhei.ttc")))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    family = families[0] if families else FONT_FAMILY_FALLBACK
    app.setFont(QFont(family, 10))
    return family


def install_translations(app: QApplication) -> bool:
    """Qt's own zh_CN catalogue: standard dialogs (file dialogs, 确定/取消) speak Chinese. The
    copy shipped in resources/translations comes first, Qt's own folder is the fallback; our small
    supplement (perfdesk_qtbase_zh_CN) covers what it leaves in English. True when Qt's catalogue
    was installed."""
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    ours = str(resource_path("translations"))
    installed = False
    for folder in (ours, QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        translator = QTranslator(app)
        if translator.load("qtbase_zh_CN", folder):
            installed = app.installTranslator(translator)
            break
    else:
        log.warning("Qt's Chinese catalogue (qtbase_zh_CN.qm) was not found: standard dialogs stay in English")
    extra = QTranslator(app)  # the file dialog's few strings Qt's catalogue leaves in English
    if extra.load("perfdesk_qtbase_zh_CN", ours):
        app.installTranslator(extra)  # installed last: asked first
    return installed


def install_excepthook() -> None:
    def hook(kind, value, tb):
        log.error("unhandled error", exc_info=(kind, value, tb))
        QMessageBox.critical(None, "出错了", user_sentence(value))

    sys.excepthook = hook


READ_ONLY, QUIT = "read_only", "quit"


def ask_in_use(text: str) -> str:
    """The database is held by another program: 只读打开 or 退出 → READ_ONLY | QUIT. Called as a
    module attribute so tests can answer it."""
    box, read_only = in_use_box(text)
    box.exec()
    return READ_ONLY if box.clickedButton() is read_only else QUIT


def in_use_box(text: str):
    """(the message box, its 只读打开 button)."""
    box = QMessageBox(QMessageBox.Warning, "数据库正在使用",
                      f"{text}\n\n同一时间只能有一个程序修改它。可以只读打开（只能查看、导出，不能保存修改），或者退出。",
                      QMessageBox.NoButton)
    read_only = box.addButton("只读打开", QMessageBox.AcceptRole)
    quit_button = box.addButton("退出", QMessageBox.RejectRole)
    box.setDefaultButton(quit_button)
    box.setEscapeButton(quit_button)
    return box, read_only


def open_workspace(db_path: Union[Path, str]) -> Optional[Workspace]:
    """Opens (and migrates) the database as its one writer (the instance lock beside it, db.lock);
    held by another program, asks 只读打开 / 退出; a damaged one may be restored from its newest
    backup. A shared server's URL is passed through as it is; a failure is told in a sentence that
    never shows its password."""
    if is_url(str(db_path)):
        return _open_shared(str(db_path))
    try:
        return Workspace.open(db_path, exclusive=True)
    except DatabaseInUse as exc:
        log.info("database %s in use by %s on %s", db_path, exc.user, exc.host)
        if ask_in_use(exc.message) != READ_ONLY:
            return None
        try:
            return Workspace.open(db_path, read_only=True)
        except DatabaseProblem as again:
            QMessageBox.critical(None, "无法打开数据库", again.message)
            return None
    except DamagedDatabase as exc:
        log.error("damaged database %s: %s", db_path, exc.detail)
        backup = maintenance.newest_backup(db_path)
        if backup is None:
            QMessageBox.critical(None, "数据库已损坏", exc.message + "\n\n没有找到备份。请联系技术支持。")
            return None
        ask = QMessageBox.question(None, "数据库已损坏",
                                   f"{exc.message}\n\n找到最近的备份：{backup.name}\n是否用它恢复？"
                                   "（损坏的文件会另存为 .damaged，不会删除）")
        if ask != QMessageBox.Yes:
            return None
        try:
            maintenance.restore_newest(db_path)
            return Workspace.open(db_path, exclusive=True)
        except DatabaseProblem as again:
            QMessageBox.critical(None, "无法恢复", again.message)
            return None
    except DatabaseProblem as exc:
        log.error("cannot open %s: %s", db_path, exc.detail)
        QMessageBox.critical(None, "无法打开数据库", exc.message)
        return None


def _open_shared(url: str) -> Optional[Workspace]:
    try:
        return Workspace.open(url, exclusive=True)
    except DatabaseProblem as exc:
        log.error("cannot open %s: %s", shown(url), shown(exc.detail))
        QMessageBox.critical(None, "无法连接共享数据库", shown(exc.message))
    except Exception as exc:  # noqa: BLE001 - the server unreachable, a wrong password, no such database
        log.error("cannot connect to %s: %s: %s", shown(url), type(exc).__name__, shown(str(exc)))
        QMessageBox.critical(None, "无法连接共享数据库",
                             f"无法连接共享数据库“{shown(url)}”。请检查地址、端口、用户名和数据库名是否正确，"
                             "服务器是否开启、网络是否连通；仍不行请联系管理员。")
    return None


def open_window(where: Union[Path, str]) -> Optional[MainWindow]:
    """The database at `where` opened, its first start answered (which may choose another
    database), the user logged in once it has users: its main window, not yet shown. None when it
    was not opened (the sentence was shown) or the user chose 退出."""
    ws = open_workspace(where)
    if ws is None:
        return None
    if not ws.read_only and ws.is_empty():
        from ui.dialogs.first_run import FirstRunDialog  # loads the demo's models only when needed

        first = FirstRunDialog(ws)
        if first.exec() != FirstRunDialog.Accepted:
            ws.close()
            return None
        if first.chosen is not None:
            ws.close()
            return open_window(first.chosen)
    if not ask_login(ws):
        ws.close()
        return None
    window = MainWindow(ws)
    window.database_chosen.connect(lambda chosen, old=window: switch_database(old, chosen))
    return window


def close_workspace(ws: Workspace) -> None:
    try:
        if not ws.read_only:  # the program that holds the file backs it up
            maintenance.backup_on_exit(ws)
    except Exception:  # noqa: BLE001 - a failed backup must not lose the session's work
        log.exception("backup on exit failed")
    ws.close()


def switch_database(old: MainWindow, where: Union[Path, str]) -> Optional[MainWindow]:
    """连接共享数据库…: the other database's window in place of `old` (whose forms are closed first,
    each asking about unsaved typing). None, with `old` kept, when the other could not be opened,
    its login was abandoned, or a form of `old` stayed open."""
    if not old.close_dialogs():
        return None
    new = open_window(location(str(where)))
    if new is None:
        return None
    app = QApplication.instance()
    quits = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)  # no window is on screen for a moment
    try:
        maximized, size = old.isMaximized(), old.size()
        if not old.close():  # an import or export under way: the old window stays
            new.close()
            close_workspace(new.ws)
            new.deleteLater()
            return None
        close_workspace(old.ws)
        new.resize(size)
        if maximized:
            new.showMaximized()
        else:
            new.show()
    finally:
        app.setQuitOnLastWindowClosed(quits)
    old.deleteLater()
    if _current.get("window") is old:
        _current["window"] = new
    log.info("switched to database %s", shown(new.ws.url))
    return new


_current: dict[str, MainWindow] = {}  # the window on screen (a switch replaces it)


GC_INTERVAL_MS = 5_000


def collect_on_gui_thread(app: QApplication) -> QTimer:
    """The one garbage-collection policy of the program (as Anki and pyqtgraph have it): automatic
    collection stays off for the program's life and the GUI thread collects on a timer. A
    collection triggered in a worker thread (ui.ops) could destroy Qt objects off the GUI thread.
    Installed once per application; nothing switches it per job."""
    gc.disable()
    timer = app.findChild(QTimer, "gc_timer")
    if timer is None:
        timer = QTimer(app)
        timer.setObjectName("gc_timer")
        timer.timeout.connect(gc.collect)
        timer.start(GC_INTERVAL_MS)
    return timer


FIRST_READ_WAIT_MS = 1_000


def when_reads_landed(then, wait_ms: int) -> None:
    """Call `then` from the event loop once no background read is under way, or after `wait_ms`."""
    import time

    from ui import ops

    deadline = time.monotonic() + wait_ms / 1000
    timer = QTimer(QApplication.instance())

    def check() -> None:
        if ops.idle() or time.monotonic() > deadline:
            timer.stop()
            timer.deleteLater()
            then()

    timer.timeout.connect(check)
    timer.start(2)


def run_gui(db_path: Optional[str] = None) -> int:
    app = make_application()
    install_excepthook()
    where = location(db_path) if db_path else default_db_path()
    window = open_window(where)
    if window is None:
        return 0
    _current["window"] = window

    def show() -> None:
        window.show_placed()  # maximized the first time, then as the user left it
        gc.freeze()  # what start-up built lives as long as the program: keep it out of collections
        if os.environ.get("PERFDESK_QUIT_AFTER_SHOW"):  # start-up timing (make bench, packaging figures)
            QTimer.singleShot(0, app.quit)

    # The first page reads its list in the background; the window appears once that has landed (or
    # after FIRST_READ_WAIT_MS), so its first paint shows the list and does not race the read.
    when_reads_landed(show, FIRST_READ_WAIT_MS)
    code = app.exec()
    close_workspace(_current.pop("window").ws)
    settle_garbage()
    return code


def settle_garbage() -> None:
    """Collect once more on the GUI thread while the application still exists, then freeze what is
    left: the interpreter's last collection at exit must not meet Qt wrappers (QtCharts' above all)
    after the QApplication has gone — that aborts the process (bool_dealloc)."""
    gc.collect()
    gc.freeze()
