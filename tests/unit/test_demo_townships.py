"""The demo county's three townships: their records reached the county by signed package, each made
in the township's own database; the townships differ (for the 乡镇考核); 青石镇's database and the
package it sent are kept where the user asked, and that package is what the county already holds;
the county's 财政运行综合绩效评价 of 青石镇 is among its 重点评价; the 2023 乡镇考核 tells them apart by
the dates they acted on (the demo's times are 2023's). No Qt."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.services import exchange, exchange_keys, regions, township_assessment
from app.services.demo import load_demo, load_demo_data
from app.services.demo_townships import kept_files
from app.services.workspace import Workspace
from db.models import KeyEvaluation, MonitoringRecord, PerformanceTarget, Project, Rectification

COUNTY = "990101"
TOWNS = (("990101100", "青石镇"), ("990101101", "白沙镇"), ("990101102", "红岩乡"))


@pytest.fixture(scope="module")
def demo(backend, tmp_path_factory, request):
    """The demo county with its townships, loaded once for this module's tests (they only read it),
    and the folder 青石镇's database and package are kept in."""
    folder = tmp_path_factory.mktemp("demo-townships")
    with pytest.MonkeyPatch.context() as mp:  # module scope: before the per-test data folder exists
        mp.setenv("PERFDESK_HOME", str(folder / "perfdesk-home"))
        if backend == "postgresql":
            server = request.getfixturevalue("pg_server")
            name = server.create(template=request.getfixturevalue("pg_template"))
            ws = Workspace.open(server.url(name))
        else:
            ws = Workspace.open(folder / "demo.sqlite3")
        counts = load_demo(ws, township_dir=folder / "乡镇")
    yield ws, folder / "乡镇", counts
    ws.close()
    if backend == "postgresql":
        server.drop(name)


def _by_region(ws, model, *where) -> dict[str, int]:
    with ws.session() as s:
        return dict(s.execute(select(model.region_code, func.count()).where(*where).group_by(model.region_code)).all())


def test_three_townships_report_to_the_demo_county_and_qingshi_is_kept_to_try_the_exchange(demo):
    ws, folder, counts = demo
    assert counts["townships"] == 3
    assert regions.choices(ws).townships == TOWNS

    # each township's projects carry its code, and two townships both number a project 2023001
    projects = _by_region(ws, Project, Project.year == 2023)
    assert projects[COUNTY] == 30 and all(5 <= projects[code] <= 8 for code, _ in TOWNS)
    with ws.session() as s:
        shared = set(s.scalars(select(Project.region_code).where(Project.year == 2023, Project.code == "2023001")))
    assert shared == {"990101100", "990101101"}

    # each township's 年中 and 年度 packages received, nothing waiting for a person
    imports = [r for r in exchange.log_rows(ws) if r.direction == "导入"]
    assert sorted(r.counterpart for r in imports) == sorted(f"[{c}]{n}" for c, n in TOWNS for _ in ("年中", "年度"))
    assert all(r.records > 0 for r in imports) and exchange.conflicts(ws) == []

    # the townships differ: 红岩乡 has a project without a target, records not reported, an open 整改 item
    targets = _by_region(ws, PerformanceTarget, PerformanceTarget.year == 2023)
    assert targets["990101100"] == projects["990101100"] and targets["990101102"] == projects["990101102"] - 1
    unreported = _by_region(ws, MonitoringRecord, MonitoringRecord.status == "草稿")
    assert "990101100" not in unreported and unreported["990101102"] == 3
    with ws.session() as s:
        items = dict(s.execute(select(Rectification.region_code, Rectification.status)
                               .where(Rectification.region_code.in_([c for c, _ in TOWNS]))).all())
    assert items == {"990101100": "已销号", "990101101": "已销号", "990101102": "整改中"}

    # 青石镇's own database and its package, kept; the package is what the county already holds
    db, package = kept_files(folder, load_demo_data())
    assert (db.name, package.name) == ("青石镇.sqlite3", "青石镇-2023-20240422.pdx")  # its 年度 package
    town = Workspace.open(db)
    try:
        assert town.home_region() == "990101100"
        assert [(k.region_code, k.region_name) for k in exchange_keys.list_trusted(town)] == [(COUNTY, "示范县")]
    finally:
        town.close()
    again = exchange.import_package(ws, package, dry_run=True)
    assert again.counts.total("无变化") > 0
    assert again.counts.total("新增") == again.counts.total("更新") == again.counts.total("冲突") == 0


def test_the_county_evaluated_qingshis_fiscal_operation(demo_copy):
    with demo_copy.session() as s:
        ev = s.scalars(select(KeyEvaluation).where(KeyEvaluation.object_type == "下级财政运行")).one()
        dims = [(i.points, i.score) for i in ev.items]
    assert (ev.region_code, ev.year, ev.object_name, ev.status) == ("990101100", 2023, "青石镇", "已定稿")
    assert (ev.total_score, ev.grade) == (Decimal("86.5"), "良") and "示意" in ev.note
    assert sum(score for _, score in dims) == ev.total_score and sum(points for points, _ in dims) == 100


def test_the_2023_township_assessment_tells_the_townships_apart_by_the_dates_they_acted_on(demo):
    ws = demo[0]
    table = township_assessment.assessment(ws, 2023, date(2024, 6, 30))
    rows = {r.name: {m.item: m for m in r.measures} for r in table.rows}
    assert [(r.rank, r.name, r.total) for r in table.rows] == [(1, "青石镇", 100), (2, "白沙镇", 96), (3, "红岩乡", 44)]
    assert all(m.rate == 1 and not m.reason for m in rows["青石镇"].values())  # on time everywhere
    # the 2023 自评覆盖率 counts the 2022 自评表 (made in 2023): 红岩乡's second 2022 project has none
    assert (rows["红岩乡"]["自评覆盖率"].numerator, rows["红岩乡"]["自评覆盖率"].denominator) == (1, 2)
    # 白沙镇 handed one of its five 1-8月 records in after the 2023-09-15 deadline, and is told which
    late = rows["白沙镇"]["监控报送及时率"]
    assert (late.numerator, late.denominator, late.reason) == (4, 5, "逾期报送：2023005 白沙村产业路建设（2023-09-20）")
    # 红岩乡's 年中 package came on 2023-09-27: one of the two periods in time
    packages = rows["红岩乡"]["数据报送及时性"]
    assert (packages.numerator, packages.denominator, packages.reason) == (1, 2, "年中数据包2023-09-27收到，逾期12天")
    assert township_assessment.late_packages(ws, 2023, date(2024, 6, 30)) == []  # every package came


def test_the_countys_monitoring_fill_sheet_and_self_evaluations_are_its_own(demo, tmp_path):
    """With townships reusing codes in the round, the county's 填报表 lists its own records (each code
    once) and reads back as the county's; its year of 自评表 lists every region's, each once."""
    import openpyxl

    from app.services import monitoring_import, self_eval_year
    from db.models import MonitoringRecord, MonitoringRound, SelfEvaluation

    ws, _, _ = demo
    with ws.session() as s:
        round_id = s.scalar(select(MonitoringRound.id).where(MonitoringRound.year == 2023))
    path = tmp_path / "填报表.xlsx"
    monitoring_import.write_fill_sheet(ws, round_id, path)
    sheet = openpyxl.load_workbook(path)["预算执行"]
    codes = [r[0] for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
    assert len(codes) == len(set(codes)) == _by_region(ws, MonitoringRecord)[COUNTY]
    assert all(c.startswith(COUNTY) for c in codes)
    rows = self_eval_year.list_year(ws, 2022)  # and the projects not yet self-evaluated, as 未填报
    listed = [r.eval_id for r in (rows.rows if hasattr(rows, "rows") else rows) if r.eval_id is not None]
    assert len(listed) == len(set(listed)) == sum(_by_region(ws, SelfEvaluation, SelfEvaluation.year == 2022).values())


def test_the_years_report_tells_of_the_county_itself_unless_asked_for_the_whole_county_or_a_township(demo):
    from app.services import year_text
    from app.domain.year_report import by_key

    ws = demo[0]
    text, found = year_text.draft(ws, 2023)  # the default: 本级, the seeds' own figures
    f = by_key(found)
    assert text.title == "2023年度示范县本级预算绩效工作开展情况说明"
    assert [f[f"self_eval.grade.{g}"].value for g in "优良中"] == [17, 3, 4] and f["self_eval.count"].value == 24
    whole_text, whole = year_text.draft(ws, 2023, region=year_text.WHOLE)
    w = by_key(whole)
    assert whole_text.title == "2023年度示范县（含乡镇）预算绩效工作开展情况说明"
    assert w["self_eval.count"].value > 24 and w["monitoring.8.projects"].value > f["monitoring.8.projects"].value
    town_text, town = year_text.draft(ws, 2023, region="990101100")
    t = by_key(town)
    assert town_text.title == "2023年度青石镇预算绩效工作开展情况说明"
    assert "training.sessions" not in t and t["self_eval.count"].value < 24
    # the three add up: the whole county's 8月 projects are 本级's and each township's
    parts = [by_key(year_text.draft(ws, 2023, region=code)[1]).get("monitoring.8.projects") for code, _ in TOWNS]
    assert w["monitoring.8.projects"].value == f["monitoring.8.projects"].value + sum(p.value for p in parts if p)
