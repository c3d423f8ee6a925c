"""重点评价 from the command line on the demo county: a year's 附件1 明细表 (合计 the sum of its
rows) and 附件2 综合评分统计表 with the grade count under it, 钢城's 11 (13997.53万元, 9 优 and 2 良)
in the year they cover, the check written to a workbook flagging 潜江's 26.5/30 优 and nothing else,
and template → import (a bad cell refused, a good file landing as 已定稿)."""

from __future__ import annotations

import subprocess
from collections import Counter
from decimal import Decimal

from openpyxl import load_workbook

from tests.support import run_cli

GANGCHENG = ("城区环卫一体化保洁费（城区、莱钢大道及公厕）", "莱钢道路、公厕运行费用", "公交车辆运行补贴费用", "农村公厕建设",
             "小水库除险加固", "全区国有资产清查及相关培训费", "孤儿及事实无人抚养、困境儿童生活补助及留守儿童保障经费", "银龄安康",
             "机关养老金缺口", "老电影员放映补贴", "全区耕地后备资源调查评价项目")
ANNEXES = ["附件1 明细表", "附件2 综合评分统计表"]


def table(path, sheet) -> tuple[list, list[list]]:
    """The header and the rows under it (to the first blank row) of an exported sheet."""
    rows = list(load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    head = next(n for n, r in enumerate(rows) if r[0] == "序号")
    body = []
    for r in rows[head + 1:]:
        if not r or r[0] is None:
            break
        body.append(list(r) + [None] * (len(rows[head]) - len(r)))  # read-only rows end at their last value
    header = list(rows[head])
    if "区划" in header:  # the demo county has townships: the 区划 column (tests/unit/test_region_followup.py)
        at = header.index("区划")
        return header[:at] + header[at + 1:], [r[:at] + r[at + 1:] for r in body]
    return header, body


def texts(path, sheet) -> list:
    return [c for r in load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True) for c in r if c is not None]


def export(home, db, year, tmp_path, fmt="xlsx"):
    out = tmp_path / f"{year}年度重点评价附件.{fmt}"
    result = run_cli(home, "export", "evaluations", "--year", str(year), "--format", fmt, "--out", out, "--db", db)
    assert result.returncode == 0, result.stderr
    assert f"已导出{year}年度重点评价" in result.stdout
    return out


def sentence(grades) -> str:
    counts = Counter(grades)
    return "，".join(f"{counts[g]}个项目评价结果为“{g}”" for g in "优良中差" if counts[g]) + "。"


def test_the_2023_annexes_add_up_and_count_their_grades(home, demo_db, tmp_path):
    out = export(home, demo_db, 2023, tmp_path)
    assert load_workbook(out, read_only=True).sheetnames == ANNEXES
    header, rows = table(out, ANNEXES[0])
    assert header == ["序号", "归口科室", "实施单位", "项目名称", "预算批复金额（万元）"]
    *lines, total = rows
    assert [r[0] for r in lines] == list(range(1, len(lines) + 1)) and total[0] == "合计"
    assert Decimal(str(total[4])) == sum(Decimal(str(r[4] or 0)) for r in lines)
    header, scored = table(out, ANNEXES[1])
    assert header == ["序号", "实施单位", "项目名称", "财政综合评分", "财政综合评价等级"]
    assert [r[2] for r in scored] == [r[3] for r in lines]
    assert sentence(r[4] for r in scored if r[4]) in texts(out, ANNEXES[1])
    pdf = export(home, demo_db, 2023, tmp_path, "pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.replace(" ", "")
    assert text.index("附件12023年度重点绩效评价项目明细表") < text.index("附件22023年度重点绩效评价项目综合评分统计表")


def test_gangchengs_eleven_in_the_year_they_cover(home, demo_db, tmp_path):
    found = {}
    for year in (2022, 2023):
        _, rows = table(export(home, demo_db, year, tmp_path), ANNEXES[0])
        if any(r[3] == "机关养老金缺口" for r in rows):
            found[year] = rows
    [(year, rows)] = found.items()
    ours = [r for r in rows if r[3] in GANGCHENG]
    assert len(ours) == 11 and sum(Decimal(str(r[4])) for r in ours) == Decimal("13997.53")
    if len(rows) == 12:  # the year holds only 钢城's 11 (and the 合计): the whole 附件 is theirs
        out = tmp_path / f"{year}年度重点评价附件.xlsx"
        assert Decimal(str(rows[-1][4])) == Decimal("13997.53")
        assert "9个项目评价结果为“优”，2个项目评价结果为“良”。" in texts(out, ANNEXES[1])


def test_the_check_flags_qianjiangs_process_grade_and_nothing_else(home, demo_db, tmp_path):
    findings = []
    for year in (2022, 2023):
        out = tmp_path / f"{year}年度重点评价检查.xlsx"
        result = run_cli(home, "check", "evaluations", "--year", str(year), "--out", out, "--db", demo_db)
        assert result.returncode == 0, result.stderr
        assert f"已检查{year}年度重点评价" in result.stdout
        header, rows = table_of_findings(out)
        assert header[:5] == ["评价编号", "项目名称", "指标", "类别", "问题"]
        findings += [r for r in rows if r[0] != "未发现问题"]
    assert len(findings) == 1
    [finding] = findings
    assert finding[2] == "指标“项目过程”" and finding[3] == "等级不符" and "26.5/30" in finding[4]


def table_of_findings(path) -> tuple[list, list[list]]:
    rows = list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    head = next(n for n, r in enumerate(rows) if r[0] == "评价编号")
    return list(rows[head]), [list(r) for r in rows[head + 1:] if r[0] is not None]


def test_template_then_import_refused_then_landing(home, demo_db, tmp_path):
    template = tmp_path / "重点评价模板.xlsx"
    assert run_cli(home, "template", "evaluations", "--out", template).returncode == 0
    book = load_workbook(template)
    assert {"评价项目", "评分"} <= set(book.sheetnames)
    book["评价项目"].append(["Z-01", 2021, "", "", "某往年项目", "示范县某局", "经建科", "基金预算", 100, 90, "", 85, "良",
                           "90%"])
    book["评分"].append(["Z-01", "决策", "", "", 20, "十八", "", ""])
    book.save(template)
    result = run_cli(home, "import", "evaluations", template, "--db", demo_db)
    assert result.returncode == 2 and "得分" in result.stderr
    book = load_workbook(template)
    sheet = book["评分"]
    sheet.cell(sheet.max_row, 6, 18)
    book.save(template)
    result = run_cli(home, "import", "evaluations", template, "--db", demo_db)
    assert result.returncode == 0, result.stderr
    assert "导入完成：1项重点评价" in result.stdout and "已定稿" in result.stdout
    _, rows = table(export(home, demo_db, 2021, tmp_path), ANNEXES[1])
    assert [r[2:] for r in rows] == [["某往年项目", 85, "良"]]
