"""The 年度预算绩效工作开展情况说明 as a file: docx (python-docx: A4, the title, 一、二、… headings and
body paragraphs in the bundled CJK font, for the officer to edit and sign), PDF (reportlab, the same
font, embedded) or xlsx (the sheet 说明 with the paragraphs, then the 数据 sheet every number comes
from). Every file is written atomically: a failure leaves nothing behind.

Charts (`ChartImage`s, the 工作台's charts drawn by the ui) are numbered 图1, 图2… in reading order:
in docx and PDF each stands, 15 cm wide and centred with its caption below, after the part of its
section (else under 附图 at the end); in xlsx they fill the sheet 图表. No charts: the file as before."""

from __future__ import annotations

from io import BytesIO
from typing import Sequence

from app.domain.year_report import ChartImage, Figure
from app.domain.year_text import HEADINGS, YearText
from app.io.xlsx import XlsxWriter, _column_writer, atomic_output, print_ready
from app.io.year_report_io import add_data_sheet

FORMATS = ("docx", "pdf", "xlsx")
# A 公文's fonts as every Windows PC and WPS has them: 仿宋 for the text, 黑体 for the title and the
# headings (a PC without them substitutes its own CJK font); digits and Latin in Times New Roman.
BODY_FONT, HEADING_FONT, LATIN_FONT = "仿宋", "黑体", "Times New Roman"
TEXT_SHEET, CHART_SHEET, APPENDIX = "说明", "图表", "附图"
PICTURE_CM = 15  # a chart's width on the page (the text is 15.6 cm wide in docx, 16 cm in the PDF)


def write(text: YearText, year: int, figures: Sequence[Figure], path, fmt: str,
          charts: Sequence[ChartImage] = ()) -> None:
    if fmt == "docx":
        write_docx(text, path, charts)
    elif fmt == "pdf":
        write_pdf(text, path, charts)
    elif fmt == "xlsx":
        write_xlsx(text, year, figures, path, charts)
    else:
        raise ValueError(fmt)


Captioned = tuple[str, bytes]  # (图1  2023年度绩效目标审核情况, png)


def placed(text: YearText, charts: Sequence[ChartImage]) -> tuple[list[list[Captioned]], list[Captioned]]:
    """The charts numbered in reading order: those after each part (by the part's section), then
    those for 附图 (a section no part has)."""
    homes = {section: n for n, part in enumerate(text.parts) for section, heading in HEADINGS.items()
             if part.heading.split("、", 1)[-1] == heading}  # 二、绩效目标管理情况
    after: list[list[Captioned]] = [[] for _ in text.parts]
    for chart in charts:
        if chart.section in homes:
            after[homes[chart.section]].append(chart)
    rest = [c for c in charts if c.section not in homes]
    number = iter(range(1, len(charts) + 1))
    after = [[(f"图{next(number)}  {c.caption}", c.png) for c in part] for part in after]
    return after, [(f"图{next(number)}  {c.caption}", c.png) for c in rest]


# -- docx -------------------------------------------------------------------------------------------
def _font(run, size: float, bold: bool = False, face: str = BODY_FONT) -> None:
    """汉字 in `face` (Word takes them from w:eastAsia), digits and Latin in LATIN_FONT."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), face)


def write_docx(text: YearText, path, charts: Sequence[ChartImage] = ()) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)  # 公文's margins (GB/T 9704)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _font(doc.styles["Normal"], 14)
    doc.core_properties.title = text.title
    doc.core_properties.author = "perfdesk"

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(18)
    _font(title.add_run(text.title), 20, face=HEADING_FONT)

    def body(line: str) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(28)  # two characters
        p.paragraph_format.line_spacing = Pt(28)
        p.paragraph_format.space_after = Pt(0)
        _font(p.add_run(line), 14)

    def heading(words: str) -> None:
        p = doc.add_heading(level=1)  # Word's outline and navigation pane see it
        p.paragraph_format.first_line_indent = Pt(28)
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(words)
        _font(run, 14, face=HEADING_FONT)
        run.font.color.rgb = RGBColor(0, 0, 0)

    def picture(caption: str, png: bytes) -> None:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.keep_with_next = True  # the picture and its caption on one page
        p.add_run().add_picture(BytesIO(png), width=Cm(PICTURE_CM))
        line = doc.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.paragraph_format.space_after = Pt(6)
        _font(line.add_run(caption), 12)

    after, rest = placed(text, charts)
    body(text.opening)
    for part, pictures in zip(text.parts, after):
        heading(part.heading)
        for line in part.paragraphs:
            body(line)
        for caption, png in pictures:
            picture(caption, png)
    if rest:
        heading(APPENDIX)
        for caption, png in rest:
            picture(caption, png)
    with atomic_output(path) as tmp:
        doc.save(str(tmp))


# -- pdf --------------------------------------------------------------------------------------------
def write_pdf(text: YearText, path, charts: Sequence[ChartImage] = ()) -> None:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image, KeepTogether, SimpleDocTemplate

    from app.io import pdf

    pdf.register_font()
    title = ParagraphStyle("yt_title", parent=pdf._TITLE, fontSize=18, leading=26, spaceAfter=14)
    body = ParagraphStyle("yt_body", parent=pdf._CELL, fontSize=12, leading=22, firstLineIndent=24)
    heading = ParagraphStyle("yt_heading", parent=body, fontSize=12.5, spaceBefore=6, keepWithNext=1)
    caption_style = ParagraphStyle("yt_caption", parent=body, fontSize=10.5, leading=16, firstLineIndent=0,
                                   alignment=TA_CENTER, spaceAfter=6)

    def picture(caption: str, png: bytes) -> KeepTogether:
        wide, high = ImageReader(BytesIO(png)).getSize()
        width = PICTURE_CM * cm
        image = Image(BytesIO(png), width=width, height=width * high / wide)
        image.hAlign = "CENTER"
        return KeepTogether([image, pdf._para(caption.replace(" ", "\u00a0"), caption_style)])  # 图1  kept apart

    after, rest = placed(text, charts)
    story = [pdf._para(text.title, title), pdf._para(text.opening, body)]
    for part, pictures in zip(text.parts, after):
        story.append(pdf._para(part.heading, heading))
        story.extend(pdf._para(line, body) for line in part.paragraphs)
        story.extend(picture(caption, png) for caption, png in pictures)
    if rest:
        story.append(pdf._para(APPENDIX, heading))
        story.extend(picture(caption, png) for caption, png in rest)
    margin = 25 * 72 / 25.4

    def build(out) -> None:
        doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
                                bottomMargin=margin, title=text.title, creator="perfdesk",
                                initialFontName=pdf.FONT, initialFontSize=12)
        doc.build(story, canvasmaker=pdf.footer_canvas())

    pdf.write_out(path, build)


# -- xlsx -------------------------------------------------------------------------------------------
def write_xlsx(text: YearText, year: int, figures: Sequence[Figure], path,
               charts: Sequence[ChartImage] = ()) -> None:
    writer = XlsxWriter()
    writer.add_text_sheet(TEXT_SHEET, text.paragraphs())
    add_data_sheet(writer, year, figures)
    if charts:
        after, rest = placed(text, charts)
        _add_chart_sheet(writer, [c for pictures in after for c in pictures] + rest)
    writer.save(path)


PICTURE_PX, ROW_PX, CHART_COLUMN_CHARS = 567, 20, 82  # 15 cm at 96 dpi; a default row; column A as wide
PER_PAGE = 2  # charts on one printed A4 page


def _add_chart_sheet(writer: XlsxWriter, pictures: list[Captioned]) -> None:
    """The sheet 图表: each caption in column A, its chart below it (15 cm wide), in reading order;
    column A spans the pictures so the printed page (fitted one page wide) holds them whole."""
    from openpyxl.drawing.image import Image
    from openpyxl.worksheet.pagebreak import Break

    ws = writer._new_sheet(CHART_SHEET)
    ws.column_dimensions["A"].width = CHART_COLUMN_CHARS
    print_ready(ws, [CHART_COLUMN_CHARS], None)
    put = _column_writer(ws, 1, "text")
    row = 1
    for n, (caption, png) in enumerate(pictures, 1):
        image = Image(BytesIO(png))
        image.height = round(image.height * PICTURE_PX / image.width)
        image.width = PICTURE_PX
        ws.append([put(caption)])
        ws.add_image(image, f"A{row + 1}")
        rows = -(-image.height // ROW_PX) + 1  # the picture's rows and one blank
        for _ in range(rows):
            ws.append([])
        row += 1 + rows
        if n % PER_PAGE == 0 and n < len(pictures):
            ws.row_breaks.append(Break(id=row - 1))  # no picture split over two printed pages
