"""A county holding a township's records: every list of 项目, 绩效目标, 双监控 and 绩效自评 names each
record's region, narrows to one region, exports one region's records under its name, and the
monitoring and self-evaluation summaries add a line per region (按区划汇总) with the summary's totals."""

from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest

from app import cli
from app.io import monitoring_reports, self_eval_reports
from app.services import monitoring as mon, monitoring_records as records, monitoring_refresh, projects, self_eval, self_eval_year, targets
from tests.region_support import TOWN, TOWN_NAME, in_township, township_projects

HOME = "370117"


@pytest.fixture
def held(year):
    """`year` (钢城区: DH2023002 60万 with an approved target, DH2023005 500万) and 青石镇's two projects."""
    township_projects(year)
    return year


def _sheet_rows(path, sheet: str) -> list[tuple]:
    return [r for r in openpyxl.load_workbook(path)[sheet].iter_rows(min_row=4, values_only=True) if r[0] is not None]


def test_the_project_list_names_each_region_and_an_export_of_one_region_holds_only_its_projects(held, tmp_path):
    rows = projects.list_projects(held, 2023)
    assert {(r.code, r.region) for r in rows} == {("DH2023002", "钢城区"), ("DH2023005", "钢城区"),
                                                   ("QS2023001", TOWN_NAME), ("QS2023002", TOWN_NAME)}
    assert [r.code for r in projects.list_projects(held, 2023, region=TOWN)] == ["QS2023001", "QS2023002"]

    out = tmp_path / "青石镇.xlsx"
    assert projects.export_projects(held, 2023, "xlsx", out, region=TOWN) == 2
    sheet = openpyxl.load_workbook(out)["项目"]
    assert sheet["A1"].value == f"2023年度项目清单（{TOWN_NAME}）"
    headers = [c.value for c in sheet[3]]
    body = _sheet_rows(out, "项目")[:-1]  # the 合计 line last
    assert [r[0] for r in body] == ["QS2023001", "QS2023002"]
    assert {r[headers.index("区划代码")] for r in body} == {TOWN}  # re-imports into the township's projects


def test_target_lists_and_their_summary_follow_the_region(held, tmp_path):
    assert [(r.code, r.status, r.region) for r in targets.list_targets(held, 2023, region=TOWN)] == [
        ("QS2023001", "已批复", TOWN_NAME), ("QS2023002", "未填报", TOWN_NAME)]
    assert {(r.code, r.region) for r in targets.department_list(held, 2023, region=TOWN)} == {("901001", TOWN_NAME)}
    out = tmp_path / "summary.xlsx"
    assert targets.export_summary(held, 2023, "xlsx", out, region=HOME) == 1  # 本级's one target
    sheet = openpyxl.load_workbook(out)["审核汇总"]
    assert sheet["A1"].value == "2023年度绩效目标审核汇总表（钢城区本级）"
    everyone = tmp_path / "all.xlsx"
    targets.export_summary(held, 2023, "xlsx", everyone)
    assert {(r[0], r[1]) for r in _sheet_rows(everyone, "审核汇总")} == {("钢城区", "DH2023002"), (TOWN_NAME, "QS2023001")}


def _monitored(ws):
    """A 1-8月 round with 截至执行数 in: DH2023002 30万, QS2023001 80万 (the other two not filled)."""
    round_id = mon.open_round(ws, 2023, 8, "1-8月")
    with in_township(ws):  # the township's records, as its package brings them
        monitoring_refresh.refresh_round(ws, round_id)
    by_code = {r.code: r for r in mon.round_rows(ws, round_id)}
    for code, executed in (("DH2023002", "30"), ("QS2023001", "80")):
        draft = records.open_record(ws, by_code[code].record_id)
        records.save_record(ws, replace(draft, executed=executed))
    return round_id


def test_the_monitoring_summary_has_a_line_per_region_with_its_sums(held, tmp_path):
    round_id = _monitored(held)
    view = mon.round_view(held, round_id)
    assert {(r.code, r.region) for r in view.rows if r.region_code == TOWN} == {("QS2023001", TOWN_NAME),
                                                                              ("QS2023002", TOWN_NAME)}
    out = tmp_path / "汇总.xlsx"
    assert monitoring_reports.render_summary(view, "xlsx", out) == 4
    assert openpyxl.load_workbook(out).sheetnames == ["汇总", "项目", "预警清单", "按区划汇总"]
    lines = {r[0]: r for r in _sheet_rows(out, "按区划汇总")}
    assert list(lines) == ["钢城区本级", TOWN_NAME, "合计"]
    # 区划, 项目数, 全年预算数, 已填报预算数, 截至执行数 (万元); the red / yellow / green / 未填报 counts last
    assert [lines[k][:5] for k in lines] == [("钢城区本级", 2, 560, 60, 30), (TOWN_NAME, 2, 140, 100, 80),
                                             ("合计", 4, 700, 160, 110)]
    assert [sum(lines[k][-4:]) for k in lines] == [2, 2, 4]

    one = mon.round_view(held, round_id, region=TOWN)  # the township's own summary, named in its titles
    assert [r.code for r in sorted(one.rows, key=lambda r: r.code)] == ["QS2023001", "QS2023002"]
    assert (one.summary.overall.projects, one.summary.overall.budget_fen, one.by_region) == (2, 140_000_000, ())
    alone = tmp_path / "青石镇.xlsx"
    monitoring_reports.render_summary(one, "xlsx", alone)
    book = openpyxl.load_workbook(alone)
    assert "按区划汇总" not in book.sheetnames and TOWN_NAME in book["汇总"]["A1"].value


def test_the_self_evaluation_summary_counts_tables_per_region(held, tmp_path):
    self_eval.create_year(held, 2023)  # a table per project with an approved target and per department
    with in_township(held):
        self_eval.create_year(held, 2023)  # the township's own, as its package brings them
    assert {(r.code, r.region) for r in self_eval_year.list_year(held, 2023, region=TOWN)} == {
        ("QS2023001", TOWN_NAME), ("901001", TOWN_NAME)}
    summary = self_eval_year.summary(held, 2023)
    assert [line[:3] for line in summary.regions] == [("钢城区本级", 2, 0), (TOWN_NAME, 2, 0), ("合计", 4, 0)]
    out = tmp_path / "自评汇总.xlsx"
    self_eval_reports.render_summary(summary, "xlsx", out)
    assert [r[:3] for r in _sheet_rows(out, "按区划汇总")] == [("钢城区本级", 2, 0), (TOWN_NAME, 2, 0), ("合计", 4, 0)]
    one = self_eval_year.summary(held, 2023, region=TOWN)
    assert (len(one.rows), one.region, one.regions) == (2, TOWN_NAME, ())


def test_grades_per_region_are_reckoned_as_the_departments_are():
    """The 按区划汇总's 已评定份数, 平均分 and grade counts: finished, graded tables only."""
    rows = [replace(_row(), grade=g, total=t and Decimal(t), status=status, region_code=code)
            for g, t, status, code in (("优", 95, "审核通过", HOME), ("良", 85, "已提交", HOME), ("优", 92, "审核通过", TOWN),
                                       ("", None, "草稿", TOWN))]
    lines = self_eval_year._by_region(tuple(rows), _choices())
    assert [(label, tables, graded, average, counts["优"]) for label, tables, graded, average, counts in lines] == [
        ("钢城区本级", 2, 2, Decimal("90.00"), 1), (TOWN_NAME, 2, 1, Decimal("92.00"), 1),
        ("合计", 4, 3, Decimal("90.67"), 2)]


def _row():
    from app.domain.self_eval import SelfEvalRow

    return SelfEvalRow(1, "项目支出", 1, None, "P1", "项目", "部门", 0, 0, None, None, None, "", "草稿", 0)


def _choices():
    from app.services.regions import RegionChoices

    return RegionChoices(HOME, "钢城区", ((TOWN, TOWN_NAME),))


def test_export_on_the_command_line_takes_one_region_and_refuses_an_unknown_code(held, db_path, tmp_path, capsys):
    out = tmp_path / "projects.xlsx"
    assert cli.run(["export", "projects", "--year", "2023", "--region", TOWN, "--out", str(out), "--db", str(db_path)]) == 0
    assert f"已导出2023年度{TOWN_NAME}项目2个" in capsys.readouterr().out
    _monitored(held)
    summary = tmp_path / "monitoring.xlsx"
    assert cli.run(["export", "monitoring", "--year", "2023", "--month", "8", "--region", HOME, "--out", str(summary),
                    "--db", str(db_path)]) == 0
    assert [r[0] for r in _sheet_rows(summary, "汇总")] == ["钢城区城市管理局", "合计"]
    assert cli.run(["export", "selfeval", "--year", "2023", "--region", "370117999", "--out", str(out),
                    "--db", str(db_path)]) == 2
    assert capsys.readouterr().err.strip() == (f"区划代码“370117999”不是本数据库中的区划，请改用：370117（钢城区本级）、"
                                               f"{TOWN}（{TOWN_NAME}）。")
