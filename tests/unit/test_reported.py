"""上报数 through its service: a figure saved with its source and checked (环节 one of the report's
sections, 金额 in 万元 to two decimals, a 数据项 once per 环节, a stale form refused, 绩效科's alone), an
import all or nothing naming its bad cells, the export imported again as it is; the year's report
taking an entered 上报数, its source in the 口径, where the section has no records; migration 0013."""

from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import inspect, select

from app.rules.roles import Rights
from app.rules.validation import RejectedError
from app.services import reported as svc
from app.services import year_report
from app.services.actor import Actor
from db.models import AuditLog, ReportedStat
from tests.support import migrate_to, write_sheet

HEADERS = ["环节", "数据项", "数量", "金额（万元）", "比率（%）", "来源", "原文"]
PROVINCE = "省级预算绩效管理系统"


def stat(**kw):
    return {"stage": "运行监控", "item": "绩效监控覆盖部门预算一级项目", "count": "169", "amount_fen": "", "rate_pct": "",
            "source": PROVINCE, "text": "绩效监控覆盖部门预算一级项目169个", **kw}


def test_save_edit_delete_each_audited(county):
    ident = svc.save(county, 2023, stat())
    svc.save(county, 2023, stat(item="绩效监控覆盖部门预算二级项目", count="523", amount_fen="9,463.5", rate_pct="88.5%"))
    view = svc.list_year(county, 2023)
    assert [(r.stage, r.item, r.count, r.amount_fen, r.rate_pct, r.source) for r in view.rows] == [
        ("运行监控", "绩效监控覆盖部门预算一级项目", 169, None, None, PROVINCE),
        ("运行监控", "绩效监控覆盖部门预算二级项目", 523, 9_463_500_000, Decimal("88.5"), PROVINCE)]
    assert view.rows[1].amount_text == "9,463.50" and view.rows[1].values()["amount_fen"] == "9463.50"
    assert svc.list_year(county, 2024).rows == ()
    first = view.rows[0]
    svc.save(county, 2023, stat(count="170"), ident, first.version)
    with pytest.raises(RejectedError, match="已被修改"):
        svc.save(county, 2023, stat(count="171"), ident, first.version)  # the form read an older version
    with pytest.raises(RejectedError) as twice:  # the second row renamed onto the first's 数据项
        svc.save(county, 2023, stat(), view.rows[1].id, view.rows[1].version)
    assert twice.value.report.for_field("item") == [svc.TWICE]
    svc.delete(county, ident)
    assert [r.item for r in svc.list_year(county, 2023).rows] == ["绩效监控覆盖部门预算二级项目"]
    with county.session() as s:
        assert [(a, d) for a, d in s.execute(select(AuditLog.action, AuditLog.summary).where(AuditLog.entity == "上报数"))][0] \
            == ("新增", f"新增上报数运行监控“绩效监控覆盖部门预算一级项目”（来源：{PROVINCE}）")
        assert [a for a, in s.execute(select(AuditLog.action).where(AuditLog.entity == "上报数"))] == \
            ["新增", "新增", "修改", "删除"]


def test_the_check_says_what_is_expected(county):
    report = svc.validate(stat(stage="指标库", count="一百", amount_fen="12.345", rate_pct="-3", source=""))
    assert report.for_field("stage")[0].startswith("应为事前评估、绩效目标、运行监控")
    assert report.for_field("count") == ["应为不小于0的整数（不超过9位），如169"]
    assert svc.validate(stat(count="①")).for_field("count") and not svc.validate(stat(count="１２")).for_field("count")
    assert report.for_field("amount_fen") == ["单位是万元，最多两位小数，如9463.50"]
    assert report.for_field("rate_pct") == ["应为不小于0的百分数，如88.5"]
    assert report.for_field("source") == ["为必填项"]
    empty = svc.validate(stat(count="", text=""))
    assert empty.for_field("count") == ["数量、金额、比率和原文至少填一项"]
    assert svc.validate(stat(stage="事前绩效评估")).ok  # the report's own word for 事前评估
    with pytest.raises(RejectedError) as refused:
        svc.save(county, 2023, stat(rate_pct="七成"))
    assert refused.value.report.fields() == {"rate_pct"}
    clerk = Actor("张主管", "主管部门", None, Rights.from_pack(county.rule_pack()))
    with pytest.raises(RejectedError, match="需由绩效科办理"):
        svc.save(county, 2023, stat(), actor=clerk)
    with county.session() as s:
        assert s.query(ReportedStat).count() == 0


def test_an_import_with_a_bad_cell_writes_nothing_then_the_good_file_lands(county, tmp_path):
    good = ["运行监控", "绩效监控覆盖部门预算一级项目", 169, None, None, PROVINCE, "一级项目169个"]
    bad = write_sheet(tmp_path / "bad.xlsx", "上报数", HEADERS, [
        good, ["监控", "二级项目", 523, None, None, PROVINCE, None], ["培训", "培训人次", 380, None, None, None, None],
        ["重点评价", "重点评价项目", 8, 9463.555, None, "年度工作总结", None], good])
    with pytest.raises(RejectedError) as refused:
        svc.import_file(county, bad, 2023)
    assert [(c.row, c.header) for c in refused.value.cells] == [(3, "环节"), (4, "来源"), (5, "金额（万元）"), (6, "数据项")]
    assert "第6行「数据项」与第2行是同一环节的同一数据项" in refused.value.cells[3].message()
    assert svc.list_year(county, 2023).rows == ()
    ok = write_sheet(tmp_path / "ok.xlsx", "上报数", HEADERS, [
        good, ["事前绩效评估", "新增项目事前绩效评估", 1, 75, None, "年度工作总结", "对1个新增项目开展事前"]])
    assert svc.import_file(county, ok, 2023) == "导入完成：新增2023年上报数2条。"
    assert [(r.stage, r.amount_fen) for r in svc.list_year(county, 2023).rows] == [("事前评估", 75_000_000), ("运行监控", None)]
    with pytest.raises(RejectedError) as again:  # the same file twice: the figures are entered already
        svc.import_file(county, ok, 2023)
    assert [c.expected for c in again.value.cells] == ["2023年度运行监控已有同名数据项，不能再导入",
                                                       "2023年度事前评估已有同名数据项，不能再导入"]


def test_the_export_imports_again_as_it_is(demo_ws, tmp_path):
    out = tmp_path / "上报数.xlsx"
    view = svc.list_year(demo_ws, 2023)
    assert svc.export(demo_ws, 2023, out) == len(view.rows) > 100
    sheet = openpyxl.load_workbook(out).active
    assert sheet["A1"].value == "2023年度上报数一览表"
    assert svc.list_year(demo_ws, 2022).rows == ()
    svc.import_file(demo_ws, out, 2022)  # into another year: every figure as it was
    again = svc.list_year(demo_ws, 2022)
    assert [(r.stage, r.item, r.count, r.amount_fen, r.rate_pct, r.source, r.text) for r in again.rows] == \
        [(r.stage, r.item, r.count, r.amount_fen, r.rate_pct, r.source, r.text) for r in view.rows]
    assert svc.export(demo_ws, 2023, tmp_path / "上报数.pdf", "pdf") == len(view.rows)


def test_the_years_report_takes_an_entered_figure_with_its_source(county):
    assert not [f for f in year_report.figures(county, 2023) if f.section == "运行监控"]  # no rounds, nothing entered
    svc.save(county, 2023, stat())
    svc.save(county, 2023, stat(stage="其他", item="预算绩效管理工作委员会会议", count="4", source="年度工作总结"))
    [figure] = [f for f in year_report.figures(county, 2023) if f.section == "运行监控"]
    assert (figure.item, figure.value, figure.unit, figure.reported, figure.source) == \
        ("绩效监控覆盖部门预算一级项目", 169, "个", True, "上报数")
    assert figure.basis == f"上报数（来源：{PROVINCE}）：绩效监控覆盖部门预算一级项目169个"
    assert not [f for f in year_report.figures(county, 2023) if "委员会" in f.item]  # 其他: kept, not written
    # words alone are a figure too (a row of the 数据 sheet without a 数值), so the part is not left blank
    svc.save(county, 2023, stat(stage="培训", item="培训方式", count="", text="采取线上线下相结合方式开展业务培训"))
    [words] = [f for f in year_report.figures(county, 2023) if f.section == "培训"]
    assert (words.value, words.text, words.wording) == (None, "", "采取线上线下相结合方式开展业务培训")


def test_the_demo_figures_carry_their_sources(demo_ws):
    rows = {r.item: r for r in svc.list_year(demo_ws, 2023).rows}
    assert rows["绩效监控覆盖部门预算一级项目"].source == PROVINCE and rows["绩效监控覆盖部门预算二级项目"].count == 523
    assert all(r.source for r in rows.values())
    basis = {f.item: f.basis for f in year_report.figures(demo_ws, 2023) if f.reported}
    assert basis["各股室随机抽取核查项目"].startswith("上报数（来源：2023年预算绩效管理工作情况）：")


def test_migration_0013_adds_the_source_and_keeps_the_figures(demo_ws):
    migrate_to(demo_ws.engine, "0012", up=False)
    assert "source" not in {c["name"] for c in inspect(demo_ws.engine).get_columns("reported_stat")}
    migrate_to(demo_ws.engine, "0013", up=True)
    with demo_ws.session() as s:
        found = s.execute(select(ReportedStat.count, ReportedStat.source).where(
            ReportedStat.item == "绩效监控覆盖部门预算一级项目")).one()
    assert tuple(found) == (169, None)  # stored before 0013: no source, shown as 未注明
    assert {r.source_text for r in svc.list_year(demo_ws, 2023).rows} == {"未注明"}


def test_the_command_line_imports_and_exports_by_the_file_name(county, db_path, tmp_path):
    from tests.support import run_cli

    home = tmp_path / "home"
    no_year = run_cli(home, "import", "reported", tmp_path / "x.xlsx", "--db", db_path)
    assert no_year.returncode != 0 and "导入上报数需要 --year 年度" in no_year.stderr
    good = write_sheet(tmp_path / "上报数.xlsx", "上报数", HEADERS,
                       [["运行监控", "绩效监控覆盖部门预算一级项目", 169, None, None, PROVINCE, None]])
    county.close()
    landed = run_cli(home, "import", "reported", good, "--year", "2023", "--db", db_path)
    assert landed.returncode == 0 and "新增2023年上报数1条" in landed.stdout
    out = tmp_path / "上报数.pdf"
    assert run_cli(home, "export", "reported", "--year", "2023", "--out", out, "--db", db_path).returncode == 0
    assert out.read_bytes().startswith(b"%PDF")
