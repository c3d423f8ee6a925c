"""One list written as an xlsx sheet or a PDF table by the format asked (培训情况表, 上报数一览表): the
same title, unit line and columns either way. It sits beside app.io.xlsx and app.io.pdf, importing
both, so neither imports the other."""

from __future__ import annotations


def write_table_file(path, fmt: str, sheet: str, title: str, unit_line: str, columns, rows) -> int:
    """The list as `fmt` (xlsx or pdf) at `path`; returns how many rows it holds."""
    if fmt == "pdf":
        from app.io.pdf import write_table_pdf

        write_table_pdf(path, title=title, unit_line=unit_line, columns=columns, rows=rows)
        return len(rows)
    from app.io.xlsx import XlsxWriter

    writer = XlsxWriter()
    writer.add_table(sheet, title=title, unit_line=unit_line, columns=columns, rows=rows)
    writer.save(path)
    return len(rows)
