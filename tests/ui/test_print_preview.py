"""打印…: a report goes to Qt's print preview showing the same pages as its PDF."""

from pathlib import Path

from app.io.columns import Column
from app.io.pdf import write_table_pdf
from ui.print_preview import PdfPages, paint_pages, print_report

COLUMNS = [Column("项目编码"), Column("项目名称"), Column("全年预算数（万元）", "money")]


def long_report(path, rows: int = 120) -> None:
    write_table_pdf(path, title="<示范县>项目清单&汇总", unit_line="单位：万元", columns=COLUMNS,
                    rows=[[f"SF{n:04d}", f"项目{n}", n * 1_000_000] for n in range(rows)], landscape=True)


def test_the_preview_shows_every_page_of_the_pdf_in_its_orientation(qtbot, tmp_path, settle):
    made = []

    def write(path, job):
        long_report(path)
        made.append(path)

    op = print_report(None, "项目清单", write)
    settle()
    assert op.outcome.ok and op.preview is not None
    preview = op.preview
    qtbot.addWidget(preview)
    qtbot.waitUntil(lambda: preview.page_count() > 0, timeout=10_000)
    pages = PdfPages(Path(made[0]))
    assert len(pages) >= 3 and preview.page_count() == len(pages) == preview.painted
    assert pages.landscape() and preview.printer.pageLayout().orientation().name == "Landscape"
    pages.close()
    preview.close()


def test_pages_paint_onto_a_pdf_printer(qtbot, tmp_path):
    """Printing (here to a PDF file, as a printer would get it) paints every page, not blank ones."""
    from PySide6.QtPrintSupport import QPrinter

    source = tmp_path / "report.pdf"
    long_report(source, rows=40)
    pages = PdfPages(source)
    image = pages.image(0, 72)
    assert image.width() > image.height() and not image.isNull()
    assert len({image.pixel(x, y) for x in range(0, image.width(), 20) for y in range(0, image.height(), 20)}) > 1
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert paint_pages(printer, pages) == len(pages)
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000
    pages.close()


def test_打印_on_the_monitoring_page_and_the_record_opens_the_preview(qtbot, year, round_id, settle):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QPushButton

    from ui.main_window import MainWindow
    from ui.print_preview import PreviewDialog

    win = MainWindow(year)
    qtbot.addWidget(win)
    win.set_year(2023)
    win.show()
    page = win.show_page("monitoring")
    settle()

    def previews():
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog) and w.isVisible()]

    qtbot.mouseClick(page.findChild(QPushButton, "btn_print"), Qt.LeftButton)
    settle()
    qtbot.waitUntil(lambda: previews() and previews()[0].page_count() > 0, timeout=10_000)
    summary = previews()[0]
    assert summary.windowTitle().startswith("打印预览 — 2023年") and summary.page_count() == len(summary.pages)
    summary.close()
    dialog = page.open_record(0)
    qtbot.addWidget(dialog)
    settle()
    qtbot.mouseClick(dialog.buttons["print"], Qt.LeftButton)
    settle()
    qtbot.waitUntil(lambda: previews() and previews()[0].page_count() > 0, timeout=10_000)
    assert "项目绩效运行监控表" in previews()[0].windowTitle()
    previews()[0].close()


def test_打印_on_the_project_list_the_targets_and_the_declaration_form(qtbot, demo_copy, settle):
    """Every report prints from the program: the project list as filtered, the 审核汇总表, a
    target's 申报表 and the 预警清单 each open the preview with their PDF's pages."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QPushButton

    from ui.main_window import MainWindow
    from ui.print_preview import PreviewDialog

    def preview_after(click) -> PreviewDialog:
        click()
        settle()
        qtbot.waitUntil(lambda: any(isinstance(w, PreviewDialog) and w.isVisible() and w.page_count()
                                    for w in QApplication.topLevelWidgets()), timeout=10_000)
        found = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog) and w.isVisible())
        assert found.page_count() == len(found.pages) == found.painted
        found.close()
        return found

    win = MainWindow(demo_copy)
    qtbot.addWidget(win)
    win.set_year(2023)
    win.show()
    settle()
    button = lambda page, name: page.findChild(QPushButton, f"btn_{name}")  # noqa: E731
    projects = win.show_page("projects")
    projects.search.setText("示范县教育局")
    assert "2023年度项目清单" in preview_after(lambda: qtbot.mouseClick(button(projects, "print"), Qt.LeftButton)).windowTitle()
    targets = win.show_page("targets")
    settle()
    assert "审核汇总表" in preview_after(lambda: qtbot.mouseClick(button(targets, "print"), Qt.LeftButton)).windowTitle()
    targets.open_target(0)
    settle()
    form = targets.form
    qtbot.addWidget(form)
    assert "申报表" in preview_after(lambda: qtbot.mouseClick(form.buttons["print_form"], Qt.LeftButton)).windowTitle()
    form.done(0)
    monitoring = win.show_page("monitoring")
    settle()
    assert "预警清单" in preview_after(lambda: monitoring.print_warnings()).windowTitle()
