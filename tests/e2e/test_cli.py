"""The real command line, run as a county administrator would run it (subprocesses, own data folder):
demo county → Excel and PDF exports, template → all-or-nothing import, backup and check, Chinese help.
No run may show a traceback."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support import DEMO_PROJECTS, run_cli

ROOT = Path(__file__).resolve().parents[2]

# 钢城 附件1: 项目名称 and 预算批复金额 (万元) as printed, in 序号 order (A-01 … A-11)
GANGCHENG = [
    ("城区环卫一体化保洁费（城区、莱钢大道及公厕）", "3201.18"),
    ("莱钢道路、公厕运行费用", "1350.93"),
    ("公交车辆运行补贴费用", "500"),
    ("农村公厕建设", "1125.4"),
    ("小水库除险加固", "1614.67"),
    ("全区国有资产清查及相关培训费", "40"),
    ("孤儿及事实无人抚养、困境儿童生活补助及留守儿童保障经费", "225"),
    ("银龄安康", "114"),
    ("机关养老金缺口", "5792"),
    ("老电影员放映补贴", "14.35"),
    ("全区耕地后备资源调查评价项目", "20"),
]
DEMO_PROJECTS = 101
BUDGET = "全年预算数（万元）"


def project_count(path: Path) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute("SELECT count(*) FROM project").fetchone()[0]


def as_decimal(value) -> Decimal:
    assert isinstance(value, (int, float)) and not isinstance(value, bool), f"not a number: {value!r}"
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


# -- exports ----------------------------------------------------------------------------------
def test_exported_workbook_lists_gangchengs_eleven_projects_and_their_total(home, demo_db, tmp_path):
    out = tmp_path / "2022年度项目.xlsx"
    result = run_cli(home, "export", "projects", "--year", "2022", "--format", "xlsx", "--out", out, "--db", demo_db)
    assert result.returncode == 0, result.stderr
    assert "已导出2022年度项目17个" in result.stdout

    sheet = load_workbook(out, read_only=True)["项目"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[2])
    name_col, budget_col, code_col = header.index("项目名称"), header.index(BUDGET), header.index("项目编码")
    body = [r for r in rows[3:] if r[code_col] not in (None, "合计")][:11]  # 钢城's eleven come first (by code)
    total_row = [r for r in rows[3:] if r[code_col] == "合计"]

    assert [(r[name_col], as_decimal(r[budget_col])) for r in body] == [
        (name, Decimal(budget)) for name, budget in GANGCHENG]
    assert len(total_row) == 1
    assert as_decimal(total_row[0][budget_col]) == Decimal("27326.83")  # and six more 2022 projects
    assert sum((as_decimal(r[budget_col]) for r in body), Decimal(0)) == Decimal("13997.53")


def test_exported_pdf_names_the_units_and_numbers_its_pages(home, demo_db, tmp_path):
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = tmp_path / "2022年度项目.pdf"
    result = run_cli(home, "export", "projects", "--year", "2022", "--format", "pdf", "--out", out, "--db", demo_db)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    extracted = subprocess.run([pdftotext, "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True).stdout
    text = extracted.decode("utf-8")
    assert "示范县城市管理局" in text
    squeezed = re.sub(r"\s+", "", text)  # pdftotext drops the spaces of "第 1 页 共 1 页" between CJK glyphs
    assert "第1页" in squeezed
    assert "合计" in squeezed and "27,326.83" in squeezed


# -- template and import ------------------------------------------------------------------------
GOOD_ROW = {
    "项目编码": "9901012023101", "项目名称": "城区公厕运行维护", "年度": "2023",
    "主管部门": "[213001]示范县城市管理局", "实施单位": "[213001]示范县城市管理局",
    "资金性质": "一般公共预算", "项目类别": "新增", "年初预算数（万元）": "120.5", BUDGET: "120.5",
    "归口科室": "经建科", "重点项目": "否",
}


def workbook_from_template(home: Path, tmp_path: Path, rows: list[dict]) -> Path:
    template = tmp_path / "项目导入模板.xlsx"
    result = run_cli(home, "template", "projects", "--out", template)
    assert result.returncode == 0, result.stderr
    assert "已生成导入模板" in result.stdout
    wb = load_workbook(template)
    sheet = wb["项目"]
    header = [c.value for c in sheet[3]]
    assert "项目编码" in header and BUDGET in header
    sheet.delete_rows(4, sheet.max_row)  # the example row, as the template's note asks
    for row_no, row in enumerate(rows, start=4):
        for col, label in enumerate(header, start=1):
            sheet.cell(row=row_no, column=col, value=row.get(label))
    out = tmp_path / "填好的项目.xlsx"
    wb.save(out)
    return out


def test_an_import_with_one_good_row_lands(home, demo_db, tmp_path):
    filled = workbook_from_template(home, tmp_path, [GOOD_ROW])
    result = run_cli(home, "import", "projects", filled, "--db", demo_db)
    assert result.returncode == 0, result.stderr
    assert "导入完成" in result.stdout and "新增项目1个" in result.stdout
    assert project_count(demo_db) == DEMO_PROJECTS + 1
    with closing(sqlite3.connect(f"file:{demo_db}?mode=ro", uri=True)) as conn:
        assert conn.execute("SELECT name, annual_budget_fen FROM project WHERE code = '9901012023101'").fetchone() == (
            "城区公厕运行维护", 120_500_000)


def test_an_import_with_a_bad_cell_lands_nothing_and_names_the_cell(home, demo_db, tmp_path):
    second = dict(GOOD_ROW, **{"项目编码": "9901012023102", "项目名称": "城区道路保洁", BUDGET: "abc"})
    filled = workbook_from_template(home, tmp_path, [GOOD_ROW, second])
    report = tmp_path / "错误清单.xlsx"
    result = run_cli(home, "import", "projects", filled, "--db", demo_db, "--report", report)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "第5行「全年预算数（万元）」应为不小于0的数字，实际为“abc”" in result.stderr
    assert "未导入任何数据" in result.stderr
    assert "导入完成" not in result.stdout
    assert project_count(demo_db) == DEMO_PROJECTS  # the good row 4 did not land either
    listed = [r for r in load_workbook(report, read_only=True)["错误清单"].iter_rows(values_only=True)]
    assert any(r[1] == 5 and r[2] == BUDGET and r[4] == "abc" for r in listed[3:])


# -- demo on a database that has data --------------------------------------------------------------
def test_demo_refuses_a_database_with_data(home, demo_db):
    result = run_cli(home, "demo", "--db", demo_db)
    assert result.returncode != 0
    assert "已有数据" in result.stderr and re.search(r"[\u4e00-\u9fff]", result.stderr)
    assert project_count(demo_db) == DEMO_PROJECTS


def test_demo_force_reloads_a_database_with_data(home, demo_db):
    result = run_cli(home, "demo", "--force", "--county-only", "--db", demo_db)
    assert result.returncode == 0, result.stderr
    assert "已载入演示县数据" in result.stdout
    assert project_count(demo_db) == DEMO_PROJECTS


# -- backup and check ----------------------------------------------------------------------------
def test_check_and_backup(home, demo_db, tmp_path):
    result = run_cli(home, "check", "--db", demo_db)
    assert result.returncode == 0 and "数据库完好" in result.stdout, result

    copy = tmp_path / "备份" / "demo-backup.sqlite3"
    result = run_cli(home, "backup", "--db", demo_db, "--out", copy)
    assert result.returncode == 0, result.stderr
    assert "已备份到" in result.stdout and copy.exists()

    result = run_cli(home, "check", "--db", copy)
    assert result.returncode == 0 and "数据库完好" in result.stdout, result
    assert project_count(copy) == DEMO_PROJECTS


def test_check_names_a_damaged_file_in_chinese(home, tmp_path):
    path = tmp_path / "坏文件.sqlite3"
    path.write_bytes(b"\x00\x13garbage" * 2000)
    result = run_cli(home, "check", "--db", path)
    assert result.returncode == 1
    assert "损坏" in result.stdout + result.stderr


# -- help and usage errors -------------------------------------------------------------------------
def test_help_is_chinese(home):
    result = run_cli(home, "--help")
    assert result.returncode == 0
    assert "用法" in result.stdout and "子命令" in result.stdout
    for english in ("usage:", "positional arguments", "show this help message"):
        assert english not in result.stdout
    sub = run_cli(home, "import", "--help")
    assert sub.returncode == 0 and "用法" in sub.stdout and "usage:" not in sub.stdout


def test_a_missing_argument_is_explained_in_chinese(home, tmp_path):
    result = run_cli(home, "export", "projects", "--year", "2023", "--db", tmp_path / "x.sqlite3")
    assert result.returncode == 2
    assert "缺少必需的参数" in result.stderr and "--out" in result.stderr
    assert "required" not in result.stderr


def test_a_bad_year_is_explained_in_chinese(tmp_path):
    result = subprocess.run([sys.executable, "-m", "app", "export", "projects", "--year", "二〇二三", "--out",
                             str(tmp_path / "x.xlsx"), "--db", str(tmp_path / "x.sqlite3")],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PERFDESK_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert "年度应为四位年份，如2023" in result.stderr and "invalid" not in result.stderr


def test_targets_template_import_review_and_summary_from_the_command_line(tmp_path):
    import openpyxl

    # a 2023 project of the demo without a target yet (those of 2022 are approved: their 自评表 stand on them)
    db, template = tmp_path / "t.sqlite3", tmp_path / "targets.xlsx"
    assert run_cli(tmp_path, "demo", "--db", db).returncode == 0
    assert run_cli(tmp_path, "template", "targets", "--out", template).returncode == 0
    wb = openpyxl.load_workbook(template)
    sheet = wb["绩效目标"]
    sheet.append(["9901012023011", "2023", "", "完成全年目标", "产出", "数量", "城区道路清扫保洁面积", "≥", "320", "万平方米", "", ""])
    sheet.append(["9901012023011", "2023", "", "", "产出", "质量", "保洁考核达标率", "大约", "95", "%", "", ""])
    wb.save(template)
    bad = run_cli(tmp_path, "import", "targets", template, "--db", db)
    assert bad.returncode == 2 and "第5行「指标性质」应为≥、≤、=或定性，实际为“大约”" in bad.stderr
    sheet["H5"] = "≥"
    wb.save(template)
    good = run_cli(tmp_path, "import", "targets", template, "--db", db)
    assert good.returncode == 0 and "导入完成：1个项目的绩效目标，共2个指标。" in good.stdout
    review = tmp_path / "review.xlsx"
    assert run_cli(tmp_path, "review", "targets", "--year", "2023", "--out", review, "--db", db).returncode == 0
    rows = list(openpyxl.load_workbook(review)["检查结果"].iter_rows(min_row=4, values_only=True))
    assert ("错误", "整体", "年度目标只写了“完成全年目标”，没有说明要完成什么。") in [r[3:6] for r in rows]
    summary = tmp_path / "summary.pdf"
    out = run_cli(tmp_path, "export", "targets", "--year", "2023", "--format", "pdf", "--out", summary, "--db", db)
    assert out.returncode == 0 and summary.read_bytes().startswith(b"%PDF")


def test_library_template_import_and_export_from_the_command_line(tmp_path):
    import openpyxl

    db, template, out = tmp_path / "l.sqlite3", tmp_path / "库模板.xlsx", tmp_path / "库.xlsx"
    assert run_cli(tmp_path, "new", "--region-code", "370117", "--region-name", "钢城区", "--db", db).returncode == 0
    assert run_cli(tmp_path, "template", "library", "--out", template).returncode == 0
    wb = openpyxl.load_workbook(template)
    sheet = wb["指标库"]
    sheet.append(["CJ-001", "教育", "项目", "产出", "数量", "资助学生人数", "≥", "人", "1200", "年鉴", "", "", ""])
    wb.save(template)
    bad = run_cli(tmp_path, "import", "library", template, "--db", db)
    assert bad.returncode == 2 and "第4行「参考值依据」应为历史、行业、计划标准之一，实际为“年鉴”" in bad.stderr
    sheet["J4"] = "历史"
    wb.save(template)
    good = run_cli(tmp_path, "import", "library", template, "--db", db)
    assert good.returncode == 0 and "导入完成：新增指标1个，更新指标0个。" in good.stdout
    done = run_cli(tmp_path, "export", "library", "--out", out, "--db", db)
    count = int(re.search(r"指标库指标(\d+)个", done.stdout).group(1))
    assert done.returncode == 0 and count > 250
    assert openpyxl.load_workbook(out)["指标库"].max_row == count + 3
    no_year = run_cli(tmp_path, "export", "projects", "--out", out, "--db", db)
    assert no_year.returncode == 2 and "需要 --year 年度" in no_year.stderr


def test_monitoring_round_template_import_and_summary_from_the_command_line(tmp_path):
    """The demo county: open a 1-5月 round, fill execution from Excel, export the summary."""
    import openpyxl

    db, template, summary = tmp_path / "m.sqlite3", tmp_path / "监控模板.xlsx", tmp_path / "监控汇总.xlsx"
    assert run_cli(tmp_path, "demo", "--county-only", "--db", db).returncode == 0
    opened = run_cli(tmp_path, "monitor", "open", "--year", "2023", "--month", "5", "--name", "1-5月",
                     "--deadline", "2023-06-15", "--db", db)
    assert opened.returncode == 0 and "已开启监控批次：2023年1-5月（截至5月）" in opened.stdout
    again = run_cli(tmp_path, "monitor", "open", "--year", "2023", "--month", "5", "--db", db)
    assert again.returncode == 2 and "已有截至5月的监控批次" in again.stderr
    assert run_cli(tmp_path, "template", "monitoring", "--out", template).returncode == 0
    wb = openpyxl.load_workbook(template)
    wb["预算执行"].append(["9901012023005", "", "0", "300"])
    wb["预算执行"].append(["NO-SUCH", "", "1", ""])
    wb.save(template)
    bad = run_cli(tmp_path, "import", "monitoring", template, "--year", "2023", "--month", "5", "--db", db)
    assert bad.returncode == 2 and "第5行「项目编码」应为本监控批次中的项目编码，实际为“NO-SUCH”" in bad.stderr
    wb["预算执行"].delete_rows(5)
    wb.save(template)
    good = run_cli(tmp_path, "import", "monitoring", template, "--year", "2023", "--month", "5", "--db", db)
    assert good.returncode == 0 and "更新项目执行数1个" in good.stdout
    out = run_cli(tmp_path, "export", "monitoring", "--year", "2023", "--month", "5", "--format", "xlsx",
                  "--out", summary, "--db", db)
    assert out.returncode == 0, out.stderr
    sheet = openpyxl.load_workbook(summary)["项目"]
    headers = [c.value for c in sheet[3]]
    for wanted in ("项目编码", "项目名称", "全年预算数（万元）", "截至执行数（万元）", "执行率", "序时进度", "偏差（百分点）", "预警"):
        assert wanted in headers, wanted
    row = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[headers.index("项目编码")] == "9901012023005")
    assert row[headers.index("预警")] == "红" and row[headers.index("截至执行数（万元）")] == 0
    missing = run_cli(tmp_path, "export", "monitoring", "--year", "2023", "--month", "7", "--out", summary, "--db", db)
    assert missing.returncode == 2 and "没有截至7月的监控批次" in missing.stderr


# -- the --db rule, new, and the window's lock (issue 10) -------------------------------------------
MISSING = "找不到数据库文件“{}”。请检查路径；要新建数据库，请用 new 或 demo 命令。"


def test_a_db_path_that_does_not_exist_is_refused_and_not_created(home, tmp_path):
    typo = tmp_path / "演示县（拼错）.sqlite3"
    filled = workbook_from_template(home, tmp_path, [GOOD_ROW])
    for args in (("import", "projects", filled), ("export", "projects", "--year", "2023", "--out", tmp_path / "x.xlsx"),
                 ("backup", "--out", tmp_path / "b.sqlite3"), ("check",), ("monitor", "open", "--year", "2023", "--month", "8")):
        result = run_cli(home, *args, "--db", typo)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert MISSING.format(typo) in result.stderr, args
        assert not typo.exists() and not (tmp_path / "x.xlsx").exists()


def test_new_makes_an_empty_database_with_its_region_and_refuses_an_existing_file(home, tmp_path):
    db = tmp_path / "新县.sqlite3"
    bad = run_cli(home, "new", "--region-code", "37011", "--region-name", "钢城区", "--db", db)
    assert bad.returncode == 2 and "本级区划代码应为6位数字" in bad.stderr and not db.exists()
    made = run_cli(home, "new", "--region-code", "370117", "--region-name", "钢城区", "--db", db)
    assert made.returncode == 0, made.stderr
    assert "已新建数据库，本级区划：[370117]钢城区" in made.stdout
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        assert conn.execute("SELECT code, name, level FROM region").fetchall() == [("370117", "钢城区", "县级")]
        assert conn.execute("SELECT value FROM setting WHERE key = 'home_region'").fetchone() == ("370117",)
    before = db.read_bytes()
    again = run_cli(home, "new", "--region-code", "110101", "--region-name", "东城区", "--db", db)
    assert again.returncode == 2 and "已存在，未作任何改动" in again.stderr
    assert db.read_bytes() == before
    filled = workbook_from_template(home, tmp_path, [GOOD_ROW])
    imported = run_cli(home, "import", "projects", filled, "--db", db)
    assert imported.returncode == 0 and "新增项目1个" in imported.stdout, imported.stderr


def test_an_import_is_refused_while_the_window_has_the_database(home, demo_db, tmp_path):
    from app.services.workspace import Workspace
    from db.lock import Holder

    filled = workbook_from_template(home, tmp_path, [GOOD_ROW])
    window = Workspace.open(demo_db, exclusive=True)  # the window holds the file
    try:
        me = Holder.me()
        refused = run_cli(home, "import", "projects", filled, "--db", demo_db)
        assert refused.returncode == 2
        assert f"数据库正在被 {me.user}（{me.host}）使用，请关闭程序后再导入。" in refused.stderr
        assert project_count(demo_db) == DEMO_PROJECTS
        opened = run_cli(home, "monitor", "open", "--year", "2023", "--month", "8", "--db", demo_db)
        assert opened.returncode == 2 and "正在被" in opened.stderr
        out = tmp_path / "项目.xlsx"  # reading beside the window is fine
        exported = run_cli(home, "export", "projects", "--year", "2022", "--out", out, "--db", demo_db)
        assert exported.returncode == 0 and out.exists(), exported.stderr
    finally:
        window.close()
    landed = run_cli(home, "import", "projects", filled, "--db", demo_db)
    assert landed.returncode == 0 and project_count(demo_db) == DEMO_PROJECTS + 1, landed.stderr


def test_monitor_refresh_brings_a_project_added_later_into_the_round(home, demo_db, tmp_path):
    """monitor refresh: a project imported after the round opened enters it, said in a sentence;
    a second refresh finds nothing to change."""
    opened = run_cli(home, "monitor", "open", "--year", "2023", "--month", "11", "--name", "1-11月", "--db", demo_db)
    assert opened.returncode == 0, opened.stderr
    filled = workbook_from_template(home, tmp_path, [GOOD_ROW])
    assert run_cli(home, "import", "projects", filled, "--db", demo_db).returncode == 0
    refreshed = run_cli(home, "monitor", "refresh", "--year", "2023", "--month", "11", "--db", demo_db)
    assert refreshed.returncode == 0, refreshed.stderr
    assert "2023年1-11月（截至11月）：已刷新：新增项目1个" in refreshed.stdout
    again = run_cli(home, "monitor", "refresh", "--year", "2023", "--month", "11", "--db", demo_db)
    assert again.returncode == 0 and "批次已是最新，没有变化。" in again.stdout
    missing = run_cli(home, "monitor", "refresh", "--year", "2023", "--month", "10", "--db", demo_db)
    assert missing.returncode == 2 and "没有截至10月的监控批次" in missing.stderr


def test_export_summary_draws_the_workbench_charts_and_exits_cleanly(home, demo_db, tmp_path):
    """The year's report with the 工作台's four charts, drawn by a Qt the command made for itself
    (offscreen); the process ends with code 0 (no abort from Qt objects outliving the application)."""
    import docx

    out = tmp_path / "说明.docx"
    result = run_cli(home, "export", "summary", "--year", "2023", "--format", "docx", "--out", out, "--db", demo_db)
    assert result.returncode == 0, result.stderr
    assert len(docx.Document(str(out)).inline_shapes) == 4
