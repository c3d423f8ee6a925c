"""Excel export/import plumbing (app.io.columns, app.io.xlsx); no Qt."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

import app.io.xlsx as xlsx
from app.io.columns import Column, display_width, format_value
from app.io.xlsx import XlsxWriter, read_table, write_problems
from app.jobs import Cancelled, JobControl
from app.money import fen_from_wan
from app.rules.validation import CellProblem, RejectedError

COLUMNS = [
    Column("项目名称"),
    Column("年初预算数（万元）", "money"),
    Column("得分", "score"),
    Column("执行率", "rate"),
    Column("截止日期", "date"),
    Column("是否新增", "bool"),
    Column("序号", "int"),
]
FENS = [123_456_789, 1, 0, 999_999_999_999_999, 10**12 + 1]
INJECTIONS = ["=SUM(A1)", "+1", "-1", "@x", "=1+1", "#N/A", "=HYPERLINK(\"http://x\")"]


def _rows():
    for i, fen in enumerate(FENS):
        yield (f"项目{i}", fen, Decimal("88.5"), Decimal("0.885"), dt.date(2024, 6, 30), i % 2 == 0,
               i + 1)


def _export(path, rows=None, columns=COLUMNS, **kw):
    writer = XlsxWriter()
    writer.add_table("项目表", title="2024年度项目预算表", unit_line="单位：万元", columns=columns,
                     rows=list(_rows()) if rows is None else rows, **kw)
    writer.save(path)
    return path


def _sheet_xml(path, index=1) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


# --------------------------------------------------------------------------- columns


def test_format_value_kinds():
    assert format_value("money", 123_456_789) == "123.46"
    assert format_value("money", 1_234_567_890_000) == "1,234,567.89"
    assert format_value("score", Decimal("88.5")) == "88.50"
    assert format_value("score", Decimal("88.125")) == "88.13"  # half-up
    assert format_value("rate", Decimal("0.885")) == "88.50%"
    assert format_value("date", dt.date(2024, 1, 5)) == "2024-01-05"
    assert format_value("bool", True) == "是" and format_value("bool", False) == "否"
    assert format_value("int", 2024) == "2024"
    assert format_value("money", None) == "" and format_value("text", None) == ""
    assert format_value("money", "不适用") == "不适用"


def test_display_width_counts_cjk_double():
    assert display_width("abc") == 3
    assert display_width("项目") == 4
    assert display_width("（万元）") == 8
    assert display_width("a项") == 3


# --------------------------------------------------------------------------- writing


def test_round_trip_finds_header_below_title_and_money_is_exact(tmp_path):
    path = _export(tmp_path / "out.xlsx")
    table = read_table(path, sheet="项目表", required=["项目名称", "年初预算数(万元)"],
                       optional=["得分", "序号", "不存在的列"])
    assert table.sheet == "项目表"
    assert table.header_row == 3
    assert table.headers == ["项目名称", "年初预算数(万元)", "得分", "序号"]
    assert [number for number, _ in table.rows] == [4, 5, 6, 7, 8]
    first = table.rows[0][1]
    assert set(first) == {"项目名称", "年初预算数(万元)", "得分", "序号"}
    assert first["项目名称"] == "项目0"
    assert [fen_from_wan(r["年初预算数(万元)"]) for _, r in table.rows] == FENS
    assert Decimal(str(first["得分"])) == Decimal("88.5")

    ws = load_workbook(path)["项目表"]
    assert ws["A1"].value == "2024年度项目预算表" and ws["A1"].font.b
    assert ws["A2"].value == "单位：万元"
    assert "A1:G1" in {str(r) for r in ws.merged_cells.ranges}


def test_header_on_row_one_with_other_parentheses_and_spaces(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "导入"
    ws.append(["  项目名称 ", "年初预算数(万元)", "备注"])
    ws.append(["  乡村道路  ", 12.5, None])
    ws.append([None, None, None])  # blank row: skipped
    ws.append(["   ", None, "仅备注"])  # blank in the known headers: skipped
    ws.append(["饮水工程", "3.000001", None])
    wb.save(tmp_path / "t.xlsx")

    table = read_table(tmp_path / "t.xlsx", sheet=" 导入 ",
                       required=["项目名称", "年初预算数（万元）"])
    assert table.header_row == 1
    assert table.rows == [
        (2, {"项目名称": "乡村道路", "年初预算数（万元）": 12.5}),
        (5, {"项目名称": "饮水工程", "年初预算数（万元）": "3.000001"}),
    ]


def test_formula_injection_stays_text(tmp_path):
    rows = [(text, None, None, None, None, None, None) for text in INJECTIONS]
    rows.append(("\t=1+1", None, None, None, None, None, None))
    path = _export(tmp_path / "inj.xlsx", rows=rows)

    xml = _sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    assert 't="e"' not in xml and 't="str"' not in xml

    ws = load_workbook(path)["项目表"]
    values = [ws.cell(row=r, column=1) for r in range(4, 4 + len(rows))]
    assert [c.value for c in values] == INJECTIONS + ["\t=1+1"]
    assert all(c.data_type == "s" for c in values)

    table = read_table(path, sheet="项目表", required=["项目名称"])
    assert [r["项目名称"] for _, r in table.rows][: len(INJECTIONS)] == INJECTIONS


def test_title_and_header_starting_with_equals_are_text(tmp_path):
    writer = XlsxWriter()
    writer.add_table("s", title="=1+2", unit_line="-单位", columns=[Column("=A1")], rows=[("x",)])
    writer.add_text_sheet("说明", ["=SUM(1,2)", "正常"])
    writer.save(tmp_path / "t.xlsx")
    assert "<f>" not in _sheet_xml(tmp_path / "t.xlsx", 1)
    assert "<f>" not in _sheet_xml(tmp_path / "t.xlsx", 2)
    wb = load_workbook(tmp_path / "t.xlsx")
    assert [wb["s"][c].value for c in ("A1", "A2", "A3")] == ["=1+2", "-单位", "=A1"]
    assert wb["说明"]["A1"].value == "=SUM(1,2)"


def test_layout_frozen_header_widths_and_number_formats(tmp_path):
    columns = COLUMNS + [Column("code"), Column("名称")]
    rows = [r + ("ABCDEFGH", "农村人居环境整治") for r in _rows()]
    path = _export(tmp_path / "f.xlsx", rows=rows, columns=columns)
    ws = load_workbook(path)["项目表"]
    assert ws.freeze_panes == "A4"
    widths = {c: ws.column_dimensions[c].width for c in "ABCDEFGHI"}
    assert widths["I"] > widths["H"]  # 8 CJK characters need more room than 8 ASCII ones
    assert widths["I"] == 18 and widths["H"] == 10
    assert widths["B"] >= display_width("年初预算数（万元）")
    assert all(6 <= w <= 60 for w in widths.values())

    header = ws["B3"]
    assert header.font.b and header.alignment.wrap_text and header.border.left.style == "thin"
    assert header.fill.fill_type == "solid"
    formats = [ws.cell(row=4, column=c).number_format for c in range(2, 8)]
    assert formats == ["#,##0.00", "0.00", "0.00%", "yyyy-mm-dd", "General", "0"]
    assert ws["B4"].value == pytest.approx(123.456789)
    assert ws["D4"].value == pytest.approx(0.885)
    assert ws["E4"].value.date() == dt.date(2024, 6, 30)
    assert [ws["F4"].value, ws["F5"].value] == ["是", "否"]
    assert ws["G8"].value == 5


def test_explicit_width_and_clamp(tmp_path):
    columns = [Column("a", width=33), Column("b"), Column("c")]
    path = _export(tmp_path / "w.xlsx", rows=[("x", "y", "长" * 100)], columns=columns)
    ws = load_workbook(path)["项目表"]
    assert ws.column_dimensions["A"].width == 33
    assert ws.column_dimensions["B"].width == 6
    assert ws.column_dimensions["C"].width == 60


def test_progress_and_cancel_leave_no_file(tmp_path):
    target = tmp_path / "big.xlsx"
    seen = []
    job = JobControl(progress=lambda done, total: seen.append((done, total)))
    _export(target, rows=[("x", 1, None, None, None, None, i) for i in range(1000)], job=job)
    assert seen[-1] == (1000, 1000) and (400, 1000) in seen

    target.unlink()
    job = JobControl()
    job.progress = lambda done, total: job.cancel() if done >= 400 else None
    writer = XlsxWriter()
    rows = (("x", 1, None, None, None, None, i) for i in range(5000))
    with pytest.raises(Cancelled):
        writer.add_table("s", title="t", columns=COLUMNS, rows=rows, job=job)
    ws = writer._wb.worksheets[0]
    assert not os.path.exists(ws._writer.out)  # openpyxl's stream file removed too
    with pytest.raises(RuntimeError):
        writer.save(target)
    assert list(tmp_path.iterdir()) == []


def test_save_replaces_existing_file_and_writes_streams(tmp_path):
    target = tmp_path / "x.xlsx"
    target.write_bytes(b"old")
    _export(target)
    assert zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]
    stream = io.BytesIO()
    _export(stream)
    assert read_table(io.BytesIO(stream.getvalue()), sheet=None, required=["项目名称"]).rows


def test_fast_row_hook_is_used_and_fallback_gives_same_cells(tmp_path, monkeypatch):
    calls = []
    real = xlsx._fast_values_to_row

    def counting(values, row_idx):
        calls.append(row_idx)
        return real(values, row_idx)

    monkeypatch.setattr(xlsx, "_fast_values_to_row", counting)
    _export(tmp_path / "fast.xlsx")
    assert len(calls) == 3 + len(FENS)  # openpyxl still calls the hook (keeps export fast)

    # Without the hook openpyxl's own converter must produce the same workbook content.
    real_new = XlsxWriter._new_sheet

    def no_hook(self, name):
        ws = real_new(self, name)
        del ws._values_to_row
        return ws

    monkeypatch.setattr(XlsxWriter, "_new_sheet", no_hook)
    rows = list(_rows()) + [(t, None, None, None, None, None, None) for t in INJECTIONS]
    _export(tmp_path / "fast.xlsx", rows=rows)
    monkeypatch.setattr(XlsxWriter, "_new_sheet", real_new)
    _export(tmp_path / "slow.xlsx", rows=rows)
    fast = load_workbook(tmp_path / "fast.xlsx")["项目表"]
    slow = load_workbook(tmp_path / "slow.xlsx")["项目表"]
    dump = lambda ws: [(c.value, c.data_type, c.number_format) for r in ws.iter_rows() for c in r]
    assert dump(fast) == dump(slow)


# --------------------------------------------------------------------------- reading errors


def test_missing_header_is_named(tmp_path):
    path = _export(tmp_path / "m.xlsx")
    with pytest.raises(RejectedError) as info:
        read_table(path, sheet="项目表", required=["项目名称", "绩效目标", "调整预算数"])
    err = info.value
    assert [(c.sheet, c.row, c.header, c.expected) for c in err.cells] == [
        ("项目表", 3, "绩效目标", "缺少此列"), ("项目表", 3, "调整预算数", "缺少此列")]
    assert "绩效目标" in err.summary and "调整预算数" in err.summary


def test_missing_sheet(tmp_path):
    path = _export(tmp_path / "m.xlsx")
    with pytest.raises(RejectedError) as info:
        read_table(path, sheet="指标表", required=["项目名称"])
    assert "指标表" in info.value.summary and "项目表" in info.value.summary


@pytest.mark.parametrize("content", [b"this is not a workbook", b"",
                                     b"PK\x03\x04garbage", "项目名称,金额\n".encode("gbk")])
def test_garbage_file_is_rejected_in_chinese(tmp_path, content):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(RejectedError) as info:
        read_table(path, sheet=None, required=["项目名称"])
    assert info.value.summary == xlsx.NOT_XLSX


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(RejectedError):
        read_table(path, sheet=None, required=["项目名称"])


def test_missing_file(tmp_path):
    with pytest.raises(RejectedError) as info:
        read_table(tmp_path / "nope.xlsx", sheet=None, required=["项目名称"])
    assert "nope.xlsx" in info.value.summary


def test_write_problems(tmp_path):
    cells = [CellProblem("项目表", 5, "年初预算数", "应为数字", "abc"),
             CellProblem("项目表", 7, "项目名称", "不能为空", "")]
    write_problems(tmp_path / "errors.xlsx", cells)
    table = read_table(tmp_path / "errors.xlsx", sheet="错误清单",
                       required=["工作表", "行号", "列", "应为", "实际值", "说明"])
    assert [r for _, r in table.rows][0] == {
        "工作表": "项目表", "行号": 5, "列": "年初预算数", "应为": "应为数字", "实际值": "abc",
        "说明": cells[0].message()}
    assert table.rows[1][1]["实际值"] is None


# --------------------------------------------------------------------------- where an export lands


@pytest.fixture
def umask_022():
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_exported_file_has_document_permissions(tmp_path, umask_022):
    path = _export(tmp_path / "新.xlsx")
    assert os.stat(path).st_mode & 0o777 == 0o644  # 0644 less the umask, not mkstemp's 0600
    os.chmod(path, 0o664)  # a file the user shared with the office group keeps its permissions
    _export(path)
    assert os.stat(path).st_mode & 0o777 == 0o664


def test_export_onto_a_link_writes_the_linked_file(tmp_path, umask_022):
    real = tmp_path / "共享" / "表.xlsx"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "快捷方式.xlsx"
    link.symlink_to(real)
    _export(link)
    assert link.is_symlink() and os.readlink(link) == str(real)  # the link stays a link
    assert read_table(real, sheet=None, required=["项目名称"]).rows  # the file it names was written
    dangling = tmp_path / "新建.xlsx"
    dangling.symlink_to(tmp_path / "共享" / "还没有.xlsx")
    _export(dangling)
    assert dangling.is_symlink() and (real.parent / "还没有.xlsx").is_file()
    assert sorted(p.name for p in real.parent.iterdir()) == ["表.xlsx", "还没有.xlsx"]  # no temp left


def _refused(target, folder):
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(RejectedError) as info:
        _export(target)
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written, no temp file left
    return info.value.summary


def test_export_onto_what_is_not_a_file_is_refused(tmp_path):
    folder = tmp_path / "报表.xlsx"
    folder.mkdir()
    (folder / "里面的文件.txt").write_text("keep")
    sentence = _refused(folder, tmp_path)
    assert "文件夹" in sentence and "换一个文件名" in sentence
    assert (folder / "里面的文件.txt").read_text() == "keep"

    assert "设备" in _refused("/dev/null", tmp_path)
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")
    link = tmp_path / "null.xlsx"
    link.symlink_to("/dev/null")
    assert "设备" in _refused(link, tmp_path)
    fifo = tmp_path / "管道.xlsx"
    os.mkfifo(fifo)
    assert "管道" in _refused(fifo, tmp_path)
    assert not fifo.is_file() and fifo.exists()


def test_a_refused_export_says_so_before_writing_anything():
    """The check comes first: the workbook is never laid out for a target that will be refused."""
    with pytest.raises(RejectedError):
        with xlsx.atomic_output("/dev/null") as tmp:  # pragma: no cover - never entered
            raise AssertionError(f"wrote to {tmp}")
