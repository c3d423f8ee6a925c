"""Exporting as a user does it: the save dialog opens in 文档 (or the folder used last), the export
says where the file went with 打开文件 / 打开所在文件夹, a target that is not a file is refused in a
sentence, and Qt's own dialogs speak Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator, QUrl
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QPushButton, QWidget

from app.io.xlsx import read_table
from app.paths import resource_path
from app.services import projects as svc
from tests.support import project_raw
from ui import files
from ui.files import ExportedDialog
from ui.pages.projects_page import ProjectsPage
from ui.workers import run_export


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A user whose 文档 folder is ~/Documents (Qt finds it through $HOME and the XDG settings)."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    return home


@pytest.fixture
def save_dialog(monkeypatch):
    """The save dialog, answered: `answers` holds the paths the user picks in turn; `asked`
    records (caption, start path, filters) of every dialog shown."""
    class Dialog:
        answers: list[str] = []
        asked: list[tuple[str, str, str]] = []

    def answer(parent, caption, start, filters, *rest):
        Dialog.asked.append((caption, start, filters))
        return (Dialog.answers.pop(0), filters.split(";;")[0]) if Dialog.answers else ("", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return Dialog


@pytest.fixture
def opened(monkeypatch):
    urls: list[QUrl] = []
    monkeypatch.setattr(files.QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


@pytest.fixture
def page(qtbot, county, page_ctx, settle):
    svc.save_project(county, project_raw())
    svc.save_project(county, project_raw(code="B2", name="公厕运行"))
    page = ProjectsPage(page_ctx(county))
    qtbot.addWidget(page)
    page.show()
    page.set_year(2023)
    settle()
    return page


def exported_dialogs(widget: QWidget) -> list[ExportedDialog]:
    return [d for d in widget.findChildren(ExportedDialog) if d.isVisible()]


def test_export_opens_in_documents_then_says_where_the_file_went(qtbot, page, home, save_dialog, opened, tmp_path,
                                                                settle):
    out = tmp_path / "报表" / "项目清单.xlsx"
    out.parent.mkdir()
    save_dialog.answers = [str(out)]
    qtbot.mouseClick(page.findChild(QPushButton, "btn_export_xlsx"), Qt.LeftButton)
    settle()
    caption, start, _ = save_dialog.asked[0]
    assert Path(start) == home / "Documents" / "2023年度项目清单.xlsx"  # nothing used before: 文档
    assert len(read_table(out, sheet=None, required=["项目名称"]).rows) == 2

    [told] = exported_dialogs(page)
    assert f"已导出到：{out}" in [label.text() for label in told.findChildren(QLabel)]
    texts = [b.text() for b in told.findChild(QDialogButtonBox).buttons()]
    assert "打开文件" in texts and "打开所在文件夹" in texts
    assert told.windowModality() == Qt.WindowModal  # opened with .open(): the export's caller never waits
    qtbot.mouseClick(told.open_button, Qt.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(out))] and not told.isVisible()

    # the next export starts where the last one went; 打开所在文件夹 opens that folder
    save_dialog.answers = [str(out.with_name("清单.pdf"))]
    qtbot.mouseClick(page.findChild(QPushButton, "btn_export_pdf"), Qt.LeftButton)
    settle()
    assert Path(save_dialog.asked[1][1]) == out.parent / "2023年度项目清单.pdf"
    [told] = exported_dialogs(page)
    qtbot.mouseClick(told.folder_button, Qt.LeftButton)
    assert opened[-1] == QUrl.fromLocalFile(str(out.parent))
    assert out.with_name("清单.pdf").read_bytes().startswith(b"%PDF")


def test_an_export_onto_a_device_or_folder_is_refused_in_a_sentence(qtbot, page, home, save_dialog, monkeypatch,
                                                                     tmp_path, settle):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    folder = tmp_path / "项目清单.xlsx"
    folder.mkdir()
    save_dialog.answers = ["/dev/null", str(folder)]
    for _ in range(2):
        page.export("xlsx")
        settle()
    assert len(warned) == 2 and "设备" in warned[0] and "文件夹" in warned[1]
    assert all("不能导出到这里" in w for w in warned)
    assert folder.is_dir() and list(folder.iterdir()) == [] and not exported_dialogs(page)
    assert not [p for p in tmp_path.rglob("*.tmp")]  # no temporary file left behind


def test_run_export_tells_only_when_it_knows_the_file(qtbot, tmp_path, settle):
    parent = QWidget()
    qtbot.addWidget(parent)
    out = tmp_path / "a.txt"
    done = []
    op = run_export(parent, "正在导出…", lambda job: out.write_text("x"), done.append, path=str(out))
    silent = run_export(parent, "正在导出…", lambda job: 7, done.append)
    settle()
    assert sorted(done) == [1, 7]
    assert isinstance(op.told, ExportedDialog) and op.told.isVisible() and op.told.path == out
    assert silent.told is None


def test_file_dialog_helpers_remember_the_folder_per_kind(home, monkeypatch, tmp_path):
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda parent, caption, start, filters: asked.append(start) or (str(tmp_path / "in.xlsx"), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda parent, caption, start, filters: asked.append(start) or (str(tmp_path / "out" / "x"),
                                                                                       "PDF 文件 (*.pdf)"))
    assert files.ask_open_path(None, "导入", "Excel 工作簿 (*.xlsx)") == str(tmp_path / "in.xlsx")
    assert Path(asked[-1]) == home / "Documents"
    files.ask_open_path(None, "导入", "Excel 工作簿 (*.xlsx)")
    assert Path(asked[-1]) == tmp_path  # imports: where the last import came from
    (tmp_path / "out").mkdir()
    chosen = files.ask_save_path(None, "导出", "表.xlsx", "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)")
    assert Path(asked[-1]) == home / "Documents" / "表.xlsx"  # exports are another kind: still 文档
    assert chosen == str(tmp_path / "out" / "x.pdf")  # a name typed bare gets the chosen type's ending
    files.ask_save_path(None, "导出", "表.xlsx", "Excel 工作簿 (*.xlsx)")
    assert Path(asked[-1]) == tmp_path / "out" / "表.xlsx"
    files.ask_save_path(None, "备份", "b.sqlite3", "数据库备份 (*.sqlite3)", kind="backup")
    assert Path(asked[-1]) == home / "Documents" / "b.sqlite3"


def test_qt_dialogs_speak_chinese(qtbot):
    folder = str(resource_path("translations"))
    assert QTranslator().load("qtbase_zh_CN", folder)  # shipped, not borrowed from the Qt install
    assert (resource_path("translations") / "LICENSE.md").is_file()
    # the program's application (ui.app.make_application) has installed it
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    assert QCoreApplication.translate("QFileDialog", "Save As") == "另存为"
    dialog = QFileDialog(None, "导出", "", "Excel 工作簿 (*.xlsx)")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptSave)
    dialog.show()
    texts = {w.text() for w in dialog.findChildren(QLabel)} | {b.text() for b in dialog.findChildren(QPushButton)}
    assert {"查找范围(&L)：", "文件名称(&N)：", "文件类型(&T)：", "保存(&S)", "取消"} <= texts
    assert not any(t.isascii() and any(c.isalpha() for c in t) for t in texts if t)  # nothing left in English
    dialog.close()


def test_install_translations_prefers_the_shipped_catalogue(monkeypatch, tmp_path):
    from ui import app as ui_app

    monkeypatch.setattr(ui_app.QLibraryInfo, "path", lambda which: str(tmp_path / "no-qt-translations"))
    assert ui_app.install_translations(QCoreApplication.instance()) is True
