"""PDF table export (app.io.pdf); checked with poppler's pdftotext/pdffonts; no Qt."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest

from app.io.columns import Column
from app.io.pdf import write_table_pdf
from app.jobs import Cancelled, JobControl

pytestmark = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdffonts")),
                                reason="poppler-utils not installed")

COLUMNS = [Column("序号", "int"), Column("项目名称"), Column("年初预算数（万元）", "money"),
           Column("执行率", "rate"), Column("得分", "score"), Column("截止日期", "date"),
           Column("是否达成", "bool")]
LONG = "<甲&乙>农村人居环境整治提升工程" + "，包括改厕、污水治理和村容村貌提升" * 4


def _rows(n):
    return [(i, "<甲&乙>" if i == 1 else (LONG if i == 2 else f"项目{i}"), 123_456_789 + i,
             Decimal("0.885"), Decimal("88.5"), dt.date(2024, 6, 30), i % 2 == 0)
            for i in range(1, n + 1)]


def _text(path, *pages: int) -> str:
    args = ["pdftotext", "-raw", "-enc", "UTF-8"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def _page_count(path) -> int:
    return len(re.findall(r"第 \d+ 页 共 \d+ 页", _text(path)))


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "表.pdf"
    write_table_pdf(path, title="2024年度项目支出绩效自评结果表", unit_line="单位：万元",
                    columns=COLUMNS, rows=_rows(45), notes=["注：<执行率>=执行数÷预算数&说明"])
    return path


def test_two_page_table_has_title_footer_and_repeated_header(two_pages):
    text = _text(two_pages)
    assert text.count("2024年度项目支出绩效自评结果表") == 1
    assert "单位：万元" in text
    assert "第 1 页 共 2 页" in text and "第 2 页 共 2 页" in text
    assert "共 3 页" not in text
    assert f"打印日期：{dt.date.today().isoformat()}" in text
    page2 = _text(two_pages, 2)
    assert "项目名称" in page2 and "截止日期" in page2  # header repeated on page 2
    assert "项目45" in page2 and "项目45" not in _text(two_pages, 1)


def test_values_formatted_and_markup_printed_literally(two_pages):
    text = _text(two_pages)
    assert "<甲&乙>" in text  # a short cell (plain string)
    flat = text.replace("\n", "")
    assert "<甲&乙>农村人居环境整治提升工程" in flat  # a long, wrapped cell (Paragraph)
    assert "注：<执行率>=执行数÷预算数&说明" in text
    assert "&amp;" not in text and "&lt;" not in text
    assert "123.46" in text and "88.50%" in text and "88.50" in text
    assert "2024-06-30" in text and "是" in text and "否" in text


def test_font_is_embedded(two_pages):
    out = subprocess.run(["pdffonts", str(two_pages)], capture_output=True, check=True,
                         text=True).stdout
    fonts = out.splitlines()[2:]
    assert fonts, out
    assert any("WenQuanYi" in line for line in fonts), out
    for line in fonts:  # name type encoding emb sub uni ...
        assert line.split()[-5] == "yes", f"font not embedded: {line}"


def test_markup_like_text_is_not_interpreted(tmp_path):
    tricky = ["<b>粗体</b>", "A&lt;B&amp;C", "<br/>换行", "<font size=40>大</font>"]
    rows = [(i, t + ("很长的文字" * 30 if i % 2 else ""), None, None, None, None, None)
            for i, t in enumerate(tricky * 2)]
    path = tmp_path / "m.pdf"
    write_table_pdf(path, title="<b>标题</b>&amp;", unit_line="单位：<万元>", columns=COLUMNS,
                    rows=rows, notes=tricky)
    flat = _text(path).replace("\n", "")
    assert "<b>标题</b>&amp;" in flat and "单位：<万元>" in flat
    for t in tricky:
        assert flat.count(t) == 3, t  # a short cell, a long wrapped cell, a note


def test_portrait_wide_table_and_stream(tmp_path):
    columns = COLUMNS + [Column("偏差原因及改进措施"), Column("备注")]
    rows = [r + ("受天气影响部分工程延期，下一步将加强调度确保按期完工" * 3, "ABC" * 20)
            for r in _rows(3)]
    stream = io.BytesIO()
    write_table_pdf(stream, title="宽表", unit_line="", columns=columns, rows=rows,
                    landscape=False)
    assert stream.getvalue().startswith(b"%PDF")
    path = tmp_path / "w.pdf"
    path.write_bytes(stream.getvalue())
    text = _text(path)
    assert "123.46" in text  # numbers keep one line even when the page is crowded
    assert "第 1 页 共 1 页" in text


def test_cell_taller_than_a_page_splits_and_empty_table(tmp_path):
    path = tmp_path / "tall.pdf"
    rows = [(1, "目标内容很长" * 500, 100, None, None, None, None), (2, "短", 1, None, None, None, None)]
    write_table_pdf(path, title="超长", unit_line="", columns=COLUMNS, rows=rows)
    pages = _page_count(path)
    assert pages >= 2
    assert _text(path).count("项目名称") == pages  # the header once per page, not per fragment
    assert _text(path).replace("\n", "").count("目标内容很长") == 500

    write_table_pdf(tmp_path / "empty.pdf", title="空表", unit_line="", columns=COLUMNS, rows=[])
    assert "第 1 页 共 1 页" in _text(tmp_path / "empty.pdf")


def test_cancel_leaves_no_file(tmp_path):
    target = tmp_path / "c.pdf"
    job = JobControl()
    job.progress = lambda done, total: job.cancel() if done >= 200 else None
    with pytest.raises(Cancelled):
        write_table_pdf(target, title="t", unit_line="", columns=COLUMNS, rows=iter(_rows(1000)),
                        job=job)
    assert list(tmp_path.iterdir()) == []


def test_cancel_during_layout_leaves_no_file(tmp_path):
    target = tmp_path / "c.pdf"
    target.write_bytes(b"previous export")
    seen = []
    job = JobControl()

    def progress(done, total):
        seen.append((done, total))
        if done > total // 2 + 10 and total:  # past preparation: the layout phase
            job.cancel()

    job.progress = progress
    with pytest.raises(Cancelled):
        write_table_pdf(target, title="t", unit_line="", columns=COLUMNS, rows=_rows(300), job=job)
    assert [p.name for p in tmp_path.iterdir()] == ["c.pdf"]
    assert target.read_bytes() == b"previous export"
    assert seen[-1][1] == 600


def test_progress_reaches_total(tmp_path):
    seen = []
    write_table_pdf(tmp_path / "p.pdf", title="t", unit_line="", columns=COLUMNS, rows=_rows(120),
                    job=JobControl(progress=lambda d, t: seen.append((d, t))))
    assert seen[-1] == (240, 240)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_pdf_lands_like_every_export(tmp_path):
    """A new PDF gets ordinary document permissions, a link is written through, and a folder or
    a device is refused with a sentence and left as it was."""
    import os

    from app.rules.validation import RejectedError

    def write(target):
        write_table_pdf(target, title="表", unit_line="", columns=COLUMNS, rows=_rows(3))

    before = os.umask(0o022)
    try:
        real = tmp_path / "real.pdf"
        write(real)
        assert os.stat(real).st_mode & 0o777 == 0o644
        link = tmp_path / "link.pdf"
        link.symlink_to(real)
        real.write_bytes(b"old")
        write(link)
        assert link.is_symlink() and real.read_bytes().startswith(b"%PDF")
    finally:
        os.umask(before)
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    listed = sorted(p.name for p in tmp_path.iterdir())
    for target, word in ((folder, "文件夹"), ("/dev/null", "设备")):
        with pytest.raises(RejectedError) as info:
            write(target)
        assert word in info.value.summary
    assert sorted(p.name for p in tmp_path.iterdir()) == listed and folder.is_dir()
