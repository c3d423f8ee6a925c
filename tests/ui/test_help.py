"""帮助 → 使用手册: F1 on the 整改台账 page opens the manual at its page; the search box keeps the pages
holding every word typed; 导出PDF… writes the whole manual, its text carrying every page's heading."""

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.io import help_text
from ui.main_window import MainWindow


def test_f1_search_and_pdf(qtbot, ws, tmp_path):
    win = MainWindow(ws)
    qtbot.addWidget(win)
    win.show()
    page = win.show_page("rectification")
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    qtbot.keyClick(page, Qt.Key_F1)  # the 帮助 → 使用手册 shortcut, pressed on the page
    help_window = win._help_window
    assert help_window.isVisible() and help_window.current_key == "rectification"
    assert help_window.pages.currentItem().text() == "整改台账"
    assert "整改通知书" in help_window.browser.toPlainText()
    assert not [p for p in help_window.browser.toHtml().split("<img")[1:] if "img/" not in p]  # screenshots shown

    help_window.search_box.setText("销号 核验")
    found = help_window.listed()
    assert "rectification" in found and "projects" not in found
    assert all("销号" in help_text.plain(help_text.text(k)) for k in found)
    help_window.search_box.setText("没有这个词语")
    assert help_window.listed() == [] and "没有找到" in help_window.found.text()

    out = tmp_path / "使用手册.pdf"
    assert help_window.export_pdf(str(out)) == str(out)
    pdf = pdfium.PdfDocument(str(out))
    words = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "使用手册" in words
    for page in help_text.PAGES:
        assert page.title in words, page.title


def test_every_window_page_has_a_help_page_and_every_image_is_there():
    from app.stages import all_stages
    from ui.window_users import FIXED_PAGES

    for key in [s.key for s in all_stages()] + list(FIXED_PAGES):
        assert key in help_text.PAGE_FOR, key
    for page in help_text.PAGES:
        for image in help_text.images(help_text.text(page.key)):
            assert (help_text.help_dir() / image).is_file(), (page.key, image)
    assert sum(p.stat().st_size for p in (help_text.help_dir() / "img").glob("*.png")) < 3_000_000
