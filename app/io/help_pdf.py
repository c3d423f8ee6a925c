"""The whole 使用手册 as one A4 PDF: a contents page, then every help page (app/io/help_text.py) on
pages of its own — the same words and screenshots as the help window, in the bundled font, with
"第 X 页 共 Y 页" below. Reads the small Markdown the help pages are written in."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

from app.io import help_text
from app.io.pdf import FONT, MARGIN, footer_canvas, register_font, write_out

MANUAL_TITLE = "预算绩效管理 perfdesk 使用手册"

_BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK", spaceAfter=5)
_H1 = ParagraphStyle("h1", parent=_BODY, fontSize=18, leading=26, spaceBefore=0, spaceAfter=10)
_H2 = ParagraphStyle("h2", parent=_BODY, fontSize=14, leading=20, spaceBefore=8, spaceAfter=6)
_H3 = ParagraphStyle("h3", parent=_BODY, fontSize=12, leading=18, spaceBefore=6, spaceAfter=4)
_ITEM = ParagraphStyle("item", parent=_BODY, leftIndent=16, bulletIndent=4, spaceAfter=3)
_NOTE = ParagraphStyle("note", parent=_BODY, leftIndent=10, textColor="#404040", backColor="#F2F2F2",
                       borderPadding=4, spaceBefore=4, spaceAfter=8)
_COVER = ParagraphStyle("cover", parent=_H1, fontSize=24, leading=34, alignment=1, spaceBefore=60 * mm)
_CAPTION = ParagraphStyle("caption", parent=_BODY, fontSize=9, alignment=1, textColor="#606060")

_IMAGE = re.compile(r"^!\[([^\]]*)\]\(([^)]+)\)\s*$")
_NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")


def _inline(line: str) -> str:
    """Markdown **bold** and `code` as reportlab markup, everything else literal."""
    out = escape(line)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    return re.sub(r"`([^`]+)`", r"<font color='#1F4E79'>\1</font>", out)


def _image(path, caption: str, width: float) -> list:
    image = Image(str(path))
    # one scale for every screenshot (a 1000 px wide window fills the text width; a dialog is as
    # much smaller as it is on screen), no taller than half a page
    scale = min(width / 1000, width / image.imageWidth, (120 * mm) / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    parts = [image]
    if caption:
        parts.append(Paragraph(_inline(caption), _CAPTION))
    return [KeepTogether(parts), Spacer(1, 6)]


def page_story(key: str, width: float) -> list:
    """One help page as flowables."""
    story: list = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            story.append(Paragraph(_inline("".join(paragraph)), _BODY))
            paragraph.clear()

    for raw in help_text.text(key).splitlines():
        line = raw.strip()
        image = _IMAGE.match(line)
        numbered = _NUMBERED.match(line)
        if not line:
            flush()
        elif image:
            flush()
            story += _image(help_text.help_dir() / image.group(2), image.group(1), width)
        elif line.startswith("#"):
            flush()
            level = len(line) - len(line.lstrip("#"))
            style = {1: _H1, 2: _H2}.get(level, _H3)
            story.append(Paragraph(_inline(line[level:].strip()), style))
        elif line.startswith(("- ", "* ")):
            flush()
            story.append(Paragraph(_inline(line[2:]), _ITEM, bulletText="•"))
        elif numbered:
            flush()
            story.append(Paragraph(_inline(numbered.group(2)), _ITEM, bulletText=f"{numbered.group(1)}."))
        elif line.startswith(">"):
            flush()
            story.append(Paragraph(_inline(line.lstrip("> ")), _NOTE))
        else:
            paragraph.append(line)
    flush()
    return story


def write_manual_pdf(target) -> None:
    """The manual to a path (atomically) or a binary stream."""
    register_font()
    width = A4[0] - 2 * MARGIN
    story: list = [Paragraph(MANUAL_TITLE, _COVER), Spacer(1, 12 * mm), Paragraph("目录", _H2)]
    story += [Paragraph(f"{n}. {escape(p.title)}", _ITEM) for n, p in enumerate(help_text.PAGES, 1)]
    for page in help_text.PAGES:
        story.append(PageBreak())
        story += page_story(page.key, width)

    def build(out) -> None:
        doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                bottomMargin=MARGIN + 4 * mm, title=MANUAL_TITLE, creator="perfdesk")
        doc.build(story, canvasmaker=footer_canvas())

    write_out(target, build)
