"""Starting the GUI: Qt application, bundled font, Chinese standard dialogs, error hook, opening the
database (with the damaged/newer cases answered in sentences), first-start choice, main window."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from app.logs import log
from app.paths import default_db_path, resource_path
from app.services import maintenance
from app.services.workspace import Workspace
from db.errors import DamagedDatabase, DatabaseProblem
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


def install_translations(app: QApplication) -> None:
    """Qt's own zh_CN catalogue: standard dialogs say 确定/取消."""
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    folder = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)


def install_excepthook() -> None:
    def hook(kind, value, tb):
        log.error("unhandled error", exc_info=(kind, value, tb))
        QMessageBox.critical(None, "出错了", user_sentence(value))

    sys.excepthook = hook


def open_workspace(db_path: Path) -> Optional[Workspace]:
    """Opens (and migrates) the database; a damaged one may be restored from its newest backup."""
    try:
        return Workspace.open(db_path)
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
            return Workspace.open(db_path)
        except DatabaseProblem as again:
            QMessageBox.critical(None, "无法恢复", again.message)
            return None
    except DatabaseProblem as exc:
        log.error("cannot open %s: %s", db_path, exc.detail)
        QMessageBox.critical(None, "无法打开数据库", exc.message)
        return None


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
    path = Path(db_path) if db_path else default_db_path()
    ws = open_workspace(path)
    if ws is None:
        return 1
    if ws.is_empty():
        from ui.dialogs.first_run import FirstRunDialog  # loads the demo's models only when needed

        first = FirstRunDialog(ws)
        if first.exec() != FirstRunDialog.Accepted:
            ws.close()
            return 0
    window = MainWindow(ws)

    def show() -> None:
        screen = app.primaryScreen().availableGeometry()
        if screen.width() <= 1440:  # the common 1366x768 bureau screen: use all of it
            window.showMaximized()
        else:
            window.resize(1366, 800)
            window.show()
        gc.freeze()  # what start-up built lives as long as the program: keep it out of collections
        if os.environ.get("PERFDESK_QUIT_AFTER_SHOW"):  # start-up timing (make bench, packaging figures)
            QTimer.singleShot(0, app.quit)

    # The first page reads its list in the background; the window appears once that has landed (or
    # after FIRST_READ_WAIT_MS), so its first paint shows the list and does not race the read.
    when_reads_landed(show, FIRST_READ_WAIT_MS)
    code = app.exec()
    try:
        maintenance.backup_on_exit(ws)
    except Exception:  # noqa: BLE001 - a failed backup must not lose the session's work
        log.exception("backup on exit failed")
    ws.close()
    return code
