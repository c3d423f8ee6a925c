"""绩效自评 from the command line on the demo county: the 2022 汇总表 with its 等级分布 and the
sentence the report printed, the consistency check written to a workbook (and `check` without a
kind still the database check), a repeatable 真实性核查 draw, and template → import."""

from __future__ import annotations

from openpyxl import load_workbook

from tests.support import run_cli

SENTENCE = ("本次24个绩效自评表中，自评等级为“优”的17份，占70.83%；自评等级为“良”的3份，占12.50%；"
            "自评等级为“中”的4份，占16.67%，无“差”等级。")


def cells(path, sheet) -> list:
    return [c for row in load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True) for c in row
            if c is not None]


def test_the_2022_summary_and_its_distribution(home, demo_db, tmp_path):
    out = tmp_path / "2022年度绩效自评汇总.xlsx"
    result = run_cli(home, "export", "selfeval", "--year", "2022", "--format", "xlsx", "--out", out, "--db", demo_db)
    assert result.returncode == 0, result.stderr
    assert "已导出2022年度绩效自评表24个" in result.stdout
    shown = cells(out, "等级分布")
    assert SENTENCE in shown and "优" in shown and 17 in shown
    pdf = tmp_path / "汇总.pdf"
    result = run_cli(home, "export", "selfeval", "--year", "2022", "--format", "pdf", "--out", pdf, "--db", demo_db)
    assert result.returncode == 0 and pdf.read_bytes().startswith(b"%PDF")


def test_the_check_writes_its_findings_and_plain_check_stays_the_database_check(home, demo_db, tmp_path):
    out = tmp_path / "自评检查.xlsx"
    result = run_cli(home, "check", "selfeval", "--year", "2022", "--out", out, "--db", demo_db)
    assert result.returncode == 0, result.stderr
    assert "已检查2022年度绩效自评表" in result.stdout
    shown = cells(out, load_workbook(out, read_only=True).sheetnames[0])
    assert "自评虚高" in shown and "总分不符" not in shown
    result = run_cli(home, "check", "--db", demo_db)
    assert result.returncode == 0 and "数据库完好" in result.stdout
    result = run_cli(home, "check", "selfeval", "--db", demo_db)
    assert result.returncode == 2 and "--year" in result.stderr


def test_the_draw_repeats_with_its_seed(home, demo_db, tmp_path):
    drawn = []
    for n in (1, 2):
        out = tmp_path / f"抽样{n}.xlsx"
        result = run_cli(home, "verify", "draw", "--year", "2022", "--count", "5", "--seed", "20231015",
                         "--out", out, "--db", demo_db)
        assert result.returncode == 0, result.stderr
        assert "抽取5份" in result.stdout and "20231015" in result.stdout
        drawn.append([c for c in cells(out, load_workbook(out, read_only=True).sheetnames[0])
                      if isinstance(c, str) and c.startswith("990101")])
    assert drawn[0] == drawn[1] and len(drawn[0]) == 5


def test_template_then_an_import_refused_with_its_bad_cells(home, demo_db, tmp_path):
    template = tmp_path / "自评模板.xlsx"
    assert run_cli(home, "template", "selfeval", "--out", template).returncode == 0
    book = load_workbook(template)
    assert {"预算执行", "指标"} <= set(book.sheetnames)
    header_row = next(r for r in range(1, 6) if book["指标"].cell(r, 1).value == "项目编码")
    book["指标"].append(["XX-NOPE", 2022, "产出", "数量", "某指标", "≥", "1", "个", "1", "", "很好", "", ""])
    book.save(template)
    result = run_cli(home, "import", "selfeval", template, "--db", demo_db)
    assert result.returncode == 2
    assert "项目编码" in result.stderr and "得分" in result.stderr and header_row
