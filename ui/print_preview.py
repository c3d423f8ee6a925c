"""打印…: a report printed from the program, through Qt's print preview showing the very pages of
its PDF — a clerk never needs another program to print.

The report is written to a temporary PDF in the background (the same writer as 导出PDF), then each
page is rasterised with PDFium (pypdfium2: PySide6 6.12's Addons wheel no longer carries QtPdf) and
painted onto the printer's pages at the printer's resolution, A4 and the PDF's orientation."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Callable, Optional

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrinter
from PySide6.QtWidgets import QWidget

from app.jobs import JobControl
from ui.ops import CollectionOp

PREVIEW_DPI = 150  # sharp enough for print, small enough to render 50 pages quickly


class PdfPages:
    """The pages of a PDF file, rendered on demand as QImages."""

    def __init__(self, path: Path):
        import pypdfium2

        self._doc = pypdfium2.PdfDocument(str(path))

    def __len__(self) -> int:
        return len(self._doc)

    def landscape(self) -> bool:
        width, height = self._doc[0].get_size() if len(self._doc) else (595, 842)
        return width > height

    def image(self, index: int, dpi: int = PREVIEW_DPI) -> QImage:
        bitmap = self._doc[index].render(scale=dpi / 72, rev_byteorder=True)
        data = bytes(bitmap.buffer)
        fmt = QImage.Format_RGB888 if bitmap.mode == "RGB" else QImage.Format_RGBA8888
        return QImage(data, bitmap.width, bitmap.height, bitmap.stride, fmt).copy()  # own its memory

    def close(self) -> None:
        self._doc.close()


def paint_pages(printer: QPrinter, pages: PdfPages) -> int:
    """Every page onto the printer (or the preview), scaled to the printable area; returns how many."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        dpi = min(max(printer.resolution(), 72), 300)
        for n in range(len(pages)):
            if n:
                printer.newPage()
            image = pages.image(n, dpi)
            area = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
            area.moveTo(0, 0)
            size = image.size().toSizeF().scaled(area.size(), Qt.KeepAspectRatio)
            target = QRectF(area.x() + (area.width() - size.width()) / 2, area.y(), size.width(), size.height())
            painter.drawImage(target, image)
        return len(pages)
    finally:
        painter.end()


class PreviewDialog(QPrintPreviewDialog):
    """Qt's print preview (zoom, page set-up, 打印) over the report's PDF pages."""

    def __init__(self, pdf: Path, title: str, parent: Optional[QWidget] = None):
        self.printer = QPrinter(QPrinter.HighResolution)
        self.pages = PdfPages(pdf)
        self.printer.setPageSize(QPageSize(QPageSize.A4))
        self.printer.setPageOrientation(QPageLayout.Landscape if self.pages.landscape() else QPageLayout.Portrait)
        self.printer.setDocName(title)
        super().__init__(self.printer, parent)
        self.setWindowTitle(f"打印预览 — {title}")
        self.resize(1100, 720)
        self.painted = 0
        self.paintRequested.connect(self._paint)
        self.finished.connect(lambda _: self.pages.close())

    def _paint(self, printer: QPrinter) -> None:
        self.painted = paint_pages(printer, self.pages)

    def page_count(self) -> int:
        from PySide6.QtPrintSupport import QPrintPreviewWidget

        widget = self.findChild(QPrintPreviewWidget)
        return widget.pageCount() if widget is not None else 0


def print_report(parent: Optional[QWidget], title: str, write_pdf: Callable[[str, JobControl], object]) -> CollectionOp:
    """打印…: write the report as PDF in the background (`write_pdf(path, job)`, the export's own
    writer), then open the print preview on it. The op's `preview` is the dialog once it opened."""
    folder = Path(tempfile.mkdtemp(prefix="perfdesk-print-"))
    path = folder / "report.pdf"

    def opened(_result) -> None:
        op.preview = PreviewDialog(path, title, parent)
        op.preview.open()

    op = CollectionOp(parent, lambda job: write_pdf(str(path), job), opened, label="正在准备打印…")
    op.preview = None
    return op.run()
