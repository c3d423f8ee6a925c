"""The 年度预算绩效工作开展情况说明 as a file: docx (python-docx: A4, the title, 一、二、… headings and
body paragraphs in the bundled CJK font, for the officer to edit and sign), PDF (reportlab, the same
font, embedded) or xlsx (the sheet 说明 with the paragraphs, then the 数据 sheet every number comes
from). Every file is written atomically: a failure leaves nothing behind."""

from __future__ import annotations

from typing import Sequence

from app.domain.year_report import Figure
from app.domain.year_text import YearText
from app.io.xlsx import XlsxWriter, atomic_output
from app.io.year_report_io import add_data_sheet

FORMATS = ("docx", "pdf", "xlsx")
# A 公文's fonts as every Windows PC and WPS has them: 仿宋 for the text, 黑体 for the title and the
# headings (a PC without them substitutes its own CJK font); digits and Latin in Times New Roman.
BODY_FONT, HEADING_FONT, LATIN_FONT = "仿宋", "黑体", "Times New Roman"
TEXT_SHEET = "说明"


def write(text: YearText, year: int, figures: Sequence[Figure], path, fmt: str) -> None:
    if fmt == "docx":
        write_docx(text, path)
    elif fmt == "pdf":
        write_pdf(text, path)
    elif fmt == "xlsx":
        write_xlsx(text, year, figures, path)
    else:
        raise ValueError(fmt)


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


def write_docx(text: YearText, path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

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

    body(text.opening)
    for part in text.parts:
        heading = doc.add_heading(level=1)  # Word's outline and navigation pane see it
        heading.paragraph_format.first_line_indent = Pt(28)
        heading.paragraph_format.space_before = Pt(6)
        heading.paragraph_format.space_after = Pt(0)
        run = heading.add_run(part.heading)
        _font(run, 14, face=HEADING_FONT)
        run.font.color.rgb = RGBColor(0, 0, 0)
        for line in part.paragraphs:
            body(line)
    with atomic_output(path) as tmp:
        doc.save(str(tmp))


# -- pdf --------------------------------------------------------------------------------------------
def write_pdf(text: YearText, path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import SimpleDocTemplate

    from app.io import pdf

    pdf.register_font()
    title = ParagraphStyle("yt_title", parent=pdf._TITLE, fontSize=18, leading=26, spaceAfter=14)
    body = ParagraphStyle("yt_body", parent=pdf._CELL, fontSize=12, leading=22, firstLineIndent=24)
    heading = ParagraphStyle("yt_heading", parent=body, fontSize=12.5, spaceBefore=6, keepWithNext=1)
    story = [pdf._para(text.title, title), pdf._para(text.opening, body)]
    for part in text.parts:
        story.append(pdf._para(part.heading, heading))
        story.extend(pdf._para(line, body) for line in part.paragraphs)
    margin = 25 * 72 / 25.4

    def build(out) -> None:
        doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
                                bottomMargin=margin, title=text.title, creator="perfdesk",
                                initialFontName=pdf.FONT, initialFontSize=12)
        doc.build(story, canvasmaker=pdf.footer_canvas())

    pdf.write_out(path, build)


# -- xlsx -------------------------------------------------------------------------------------------
def write_xlsx(text: YearText, year: int, figures: Sequence[Figure], path) -> None:
    writer = XlsxWriter()
    writer.add_text_sheet(TEXT_SHEET, text.paragraphs())
    add_data_sheet(writer, year, figures)
    writer.save(path)
