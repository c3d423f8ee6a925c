"""乡镇预算绩效管理工作考核: a county with two townships whose records sit in its database under their
region codes (as packages bring them) — each counted rate from known counts (自评覆盖率 over the year
before's projects) with the reason naming what cost points, 无数据 for a township with nothing to count
(整改完成率: no deduction, as the pack's if_none says), packages counted once each from the day
their period opens, a broken pack section told in users' words, hand scores within their points (and only with a reason over a counted item), 总分 /
等级 / 名次 with a tie, the latest 财政运行综合绩效评价, the exports' cells and text, the packages late
at a date, and migration 0010 merging the pack section into a stored pack."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from decimal import Decimal

import pytest

from app.rules.township_assessment import missed, rank, section_problems
from app.rules.validation import RejectedError
from app.services import township_assessment as svc

A, B = "370117101", "370117102"
AT = date(2023, 12, 31)


def _on(day: str) -> datetime:
    return datetime.fromisoformat(day)


@pytest.fixture
def towns(county):
    """艾山街道 with four 2023 projects (targets 3 handed in; monitoring 2 of 4 in time, one late, one not
    reported; 整改 1 of 2 due items closed; its 年中 package in time and a finalized 财政运行 evaluation)
    and two of 2022 (one 自评表 submitted — carried out in 2023 —; a 2023 project's 自评表 does not count
    in 2023), and 里辛街道 with nothing but a late package."""
    from app.services.base_data import save_region
    from db.models import (Department, ExchangeLog, KeyEvaluation, MonitoringRecord, MonitoringRound,
                           PerformanceTarget, Project, Rectification, ReviewOpinion, SelfEvaluation)

    save_region(county, {"code": A, "name": "艾山街道", "level": "乡镇"}, parent_code="370117")
    save_region(county, {"code": B, "name": "里辛街道", "level": "乡镇"}, parent_code="370117")
    with county.session() as s:
        dept = Department(code="AS01", name="艾山街道财政所", kind="部门", region_code=A)
        s.add(dept)
        s.flush()
        projects = [Project(year=2023, code=f"AS{n}", name=f"艾山项目{n}", department_id=dept.id, unit_id=dept.id,
                            fund_type="一般公共预算", category="延续", initial_budget_fen=100, annual_budget_fen=100,
                            fiscal_fen=100, other_fen=0, region_code=A) for n in range(4)]
        last_year = [Project(year=2022, code=f"AS{n}", name=f"去年项目{n}", department_id=dept.id, unit_id=dept.id,
                             fund_type="一般公共预算", category="延续", initial_budget_fen=100, annual_budget_fen=100,
                             fiscal_fen=100, other_fen=0, region_code=A) for n in range(2)]
        s.add_all(projects + last_year)
        s.flush()
        for p, status in zip(projects, ("已提交", "审核通过", "已批复", "草稿")):
            s.add(PerformanceTarget(year=2023, kind="项目支出", project_id=p.id, status=status, region_code=A))
        for p, status in zip(last_year + projects, ("已提交", "草稿", "已提交")):
            s.add(SelfEvaluation(year=p.year, project_id=p.id, status=status, region_code=A))
        due, later = (MonitoringRound(year=2023, name=name, cutoff_month=m, deadline=d, region_code="370117")
                      for name, m, d in (("1-8月", 8, date(2023, 9, 15)), ("1-11月", 11, date(2024, 1, 15))))
        s.add_all([due, later])
        s.flush()
        records = [MonitoringRecord(round_id=due.id, project_id=p.id, budget_fen=100, status=status,
                                    updated_at=_on(when), region_code=A)
                   for p, (status, when) in zip(projects, (("已提交", "2023-09-15 18:00"), ("审核通过", "2023-10-08 09:00"),
                                                            ("已提交", "2023-09-20 10:00"), ("草稿", "2023-09-01 10:00")))]
        records.append(MonitoringRecord(round_id=later.id, project_id=projects[0].id, budget_fen=100, status="草稿",
                                        region_code=A))  # its round is not yet due
        s.add_all(records)
        s.flush()  # the county passed the second record on 9-14: it was reported by then
        s.add(ReviewOpinion(entity="监控记录", record_uuid=records[1].uuid, level="绩效科审核", action="审核通过",
                            user="刘绩效", at=_on("2023-09-14 11:00"), region_code="370117"))
        for status, deadline in (("已销号", date(2023, 10, 31)), ("整改中", date(2023, 11, 30)), ("待整改", date(2024, 3, 1))):
            s.add(Rectification(year=2023, source="监控", description="问题", status=status, deadline=deadline,
                                region_code=A))
        for code, when in ((A, "2023-09-10 16:00"), (B, "2023-09-20 09:30")):
            s.add(ExchangeLog(at=_on(when), user="刘绩效", direction="导入", counterpart_code=code, counterpart_name=code,
                              package_id=code, file_name=f"{code}.pdx", sha256="0" * 64, years="2023"))
        s.add(KeyEvaluation(year=2023, object_type="下级财政运行", object_name="艾山街道财政运行综合绩效评价",
                            total_score=Decimal("86.5"), grade="良", status="已定稿", region_code="370117"))
    return county


def test_each_rate_is_counted_from_the_townships_records(towns):
    table = svc.assessment(towns, 2023, AT)
    assert [i.name for i in table.items] == ["目标申报覆盖率", "监控报送及时率", "自评覆盖率", "整改完成率", "数据报送及时性"]
    aishan = table.row(A)
    figures = {m.item: (m.numerator, m.denominator, m.score, m.reason) for m in aishan.measures}
    assert figures == {"目标申报覆盖率": (3, 4, Decimal("15.00"), "未申报：AS3 艾山项目3"),
                       "监控报送及时率": (2, 4, Decimal("10.00"), "逾期报送：AS2 艾山项目2（2023-09-20）；未报送：AS3 艾山项目3"),
                       "自评覆盖率": (1, 2, Decimal("10.00"), "未自评：AS1 去年项目1"),
                       "整改完成率": (1, 2, Decimal("10.00"), "未销号：问题（逾期31天）"),
                       "数据报送及时性": (1, 1, Decimal("20.00"), "")}
    assert (aishan.total, aishan.grade, aishan.rank) == (Decimal("65.00"), "中", 1)
    assert aishan.fiscal_eval == "86.5分（良）" and table.show_fiscal_eval
    lixin = table.row(B)
    assert [(m.score, m.reason) for m in lixin.measures[:3]] == [(Decimal("0.00"), "无数据")] * 3
    assert (lixin.measure("整改完成率").score, lixin.measure("整改完成率").reason) == (Decimal("20.00"), "无到期整改事项，不扣分")
    assert (lixin.measure("数据报送及时性").score, lixin.measure("数据报送及时性").reason) == (0, "年中数据包2023-09-20收到，逾期5天")
    assert (lixin.total, lixin.grade, lixin.rank) == (Decimal("20.00"), "差", 2)
    assert missed("未报送", ["a", "b", "c", "d", "e"]) == "未报送：a、b、c等5个"


def test_hand_scores_stay_within_their_points_and_a_tie_shares_the_place(towns):
    with pytest.raises(RejectedError, match="满分20分，得分应在0～20分之间"):
        svc.set_score(towns, 2023, B, "目标申报覆盖率", "25", "以纸质材料报送")
    with pytest.raises(RejectedError, match="请在说明中写明理由"):
        svc.set_score(towns, 2023, B, "目标申报覆盖率", "20")
    for item, score in (("目标申报覆盖率", "20"), ("监控报送及时率", "20"), ("自评覆盖率", "5")):
        svc.set_score(towns, 2023, B, item, score, "以纸质材料报送，经核实")
    table = svc.assessment(towns, 2023, AT)
    lixin = table.row(B)
    assert lixin.measure("自评覆盖率").way == "手工" and lixin.measure("自评覆盖率").note == "以纸质材料报送，经核实"
    assert [(r.name, r.total, r.rank) for r in table.rows] == [("艾山街道", Decimal("65.00"), 1),
                                                               ("里辛街道", Decimal("65.00"), 1)]
    svc.set_score(towns, 2023, B, "自评覆盖率", "", "")  # taken back: counted again (无数据)
    assert svc.assessment(towns, 2023, AT).row(B).rank == 2
    from db.models import AuditLog, TownshipScore

    with towns.session() as s:
        kept = s.query(TownshipScore).filter_by(township_code=B, item="目标申报覆盖率").one()
        assert (kept.score, kept.pack_version, kept.scored_by) == (Decimal("20.00"), 1, towns.actor.name)
        assert s.query(AuditLog).filter(AuditLog.summary.like("乡镇考核评分%")).count() == 4
    assert rank([Decimal(90), Decimal(85), Decimal(85), Decimal(80)]) == [1, 2, 2, 4]


def test_only_the_performance_office_scores(towns):
    from app.rules.roles import Rights
    from app.services.actor import Actor

    clerk = Actor("张主管", "主管部门", None, Rights.from_pack(towns.rule_pack()))
    with pytest.raises(RejectedError, match="需由绩效科办理"):
        svc.set_score(towns, 2023, B, "目标申报覆盖率", "10", "纸质", actor=clerk)


def test_packages_late_at_a_date(towns):
    assert svc.late_packages(towns, 2023, date(2023, 9, 15)) == []  # due that day: not yet late
    assert svc.late_packages(towns, 2023, date(2023, 9, 18)) == [(B, "里辛街道", date(2023, 9, 15), 3)]
    assert svc.late_packages(towns, 2023, date(2023, 10, 1)) == []  # 里辛's package came on 9-20
    assert [(c, d) for c, _, d, _ in svc.late_packages(towns, 2023, date(2024, 5, 2))] == [(A, date(2024, 4, 30)),
                                                                                         (B, date(2024, 4, 30))]


def test_a_package_counts_once_and_not_before_its_period_opens(towns):
    """艾山's 年中 package imported a second time is not its 年度 package; 里辛's 2022 年度 package
    (carrying 2023 too) came on 2023-04-20, before 2023's first period opened (5-01): it answers nothing."""
    from db.models import ExchangeLog

    with towns.session() as s:
        for code, package, when, years in ((A, A, "2023-10-01 08:00", "2023"), (B, "B2022", "2023-04-20 10:00", "2022、2023")):
            s.add(ExchangeLog(at=_on(when), user="刘绩效", direction="导入", counterpart_code=code, counterpart_name=code,
                              package_id=package, file_name="p.pdx", sha256="0" * 64, years=years))
    assert svc.late_packages(towns, 2023, date(2023, 9, 18)) == [(B, "里辛街道", date(2023, 9, 15), 3)]
    assert [(c, d) for c, _, d, _ in svc.late_packages(towns, 2023, date(2024, 5, 2))] == [(A, date(2024, 4, 30)),
                                                                                         (B, date(2024, 4, 30))]
    row = svc.assessment(towns, 2023, date(2024, 5, 2)).row(A).measure("数据报送及时性")
    assert (row.numerator, row.denominator, row.reason) == (1, 2, "年度数据包未收到")


def test_a_broken_pack_section_is_told_in_the_users_words():
    problems = section_problems({"items": [{"name": "宣传", "points": "5", "source": "media", "if_none": "half"}],
                                 "grades": [{"grade": "优", "min": "90"}]})
    assert "“宣传”的得分来源（source）“media”不对，应为targets（目标申报）、monitoring（监控报送）" in problems[0]
    assert problems[1] == "“宣传”无可计数事项时的得分（if_none）“half”不对，应为zero（得0分）或full（不扣分、得满分）"


def test_the_exports_print_the_table_and_its_basis(towns, tmp_path):
    import openpyxl

    from app.io.township_assessment_io import render_pdf, render_xlsx

    svc.set_score(towns, 2023, B, "自评覆盖率", "12.5", "<纸质> & 核实")
    table = svc.assessment(towns, 2023, AT)
    assert render_xlsx(table, tmp_path / "t.xlsx") == 2
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    sheet = book["考核表"]
    assert sheet["A1"].value == "2023年度乡镇预算绩效管理工作考核表"
    assert [c.value for c in sheet[3]] == ["名次", "乡镇", "目标申报覆盖率得分（20分）", "监控报送及时率得分（20分）",
                                           "自评覆盖率得分（20分）", "整改完成率得分（20分）", "数据报送及时性得分（20分）",
                                           "总分（100分）", "等级", "财政运行综合绩效评价"]
    assert [c.value for c in sheet[4]] == [1, "艾山街道", 15, 10, 10, 10, 20, 65, "中", "86.5分（良）"]
    assert [c.value for c in sheet[5]][:9] == [2, "里辛街道", 0, 0, 12.5, 20, 0, 32.5, "差"]
    basis = {(r[0], r[1]): r for r in book["计分依据"].iter_rows(min_row=4, values_only=True) if r[1]}
    assert basis[("艾山街道", "监控报送及时率")][2:] == (20, 2, 4, 0.5, 10, "自动",
                                                     "逾期报送：AS2 艾山项目2（2023-09-20）；未报送：AS3 艾山项目3")
    assert basis[("里辛街道", "自评覆盖率")][6:] == (12.5, "手工", "无数据；手工评分：<纸质> & 核实")
    render_pdf(table, tmp_path / "t.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "t.pdf"), "-"], capture_output=True,
                          text=True).stdout
    assert "2023年度乡镇预算绩效管理工作考核表" in text and "计分依据" in text and "<纸质> & 核实" in text
    assert "艾山街道" in text and "口径" in text and "年中数据包2023-09-20收到，逾期5天" in text


def test_a_pack_item_may_score_the_fiscal_evaluation(towns):
    import json

    from db.models import RulePack

    with towns.session() as s:
        pack = s.query(RulePack).filter_by(is_active=True).one()
        content = json.loads(pack.content)
        content["township_assessment"]["items"][4] = {"name": "财政运行", "points": "20", "source": "key_eval"}
        content["township_assessment"]["items"][3]["if_none"] = "zero"  # nothing due now costs the points
        pack.content = json.dumps(content, ensure_ascii=False)
    towns.forget_cached()
    table = svc.assessment(towns, 2023, AT)
    assert table.row(A).measure("财政运行").score == Decimal("17.30") and not table.show_fiscal_eval
    assert table.row(B).measure("财政运行").reason == table.row(B).measure("整改完成率").reason == "无数据"


@pytest.mark.sqlite_only("reopens the SQLite file between Alembic runs")
def test_migration_0010_adds_the_section_to_a_stored_pack(ws):
    import json

    from db.models import RulePack
    from tests.support import migrate_to

    with ws.session() as s:
        pack = s.query(RulePack).one()
        content = json.loads(pack.content)
        content.pop("township_assessment")
        content["grades"][0]["min"] = "95"  # the county's own number stays
        pack.content = json.dumps(content, ensure_ascii=False)
    migrate_to(ws.engine, "0009", up=False)
    migrate_to(ws.engine, "0010", up=True)
    with ws.session() as s:
        content = json.loads(s.query(RulePack).one().content)
    assert [(i["name"], i["if_none"]) for i in content["township_assessment"]["items"]][3] == ("整改完成率", "full")
    assert content["grades"][0]["min"] == "95"


def test_a_fiscal_evaluation_of_a_township_belongs_to_it(towns):
    from app.services import key_eval
    from db.models import KeyEvaluation

    picked = key_eval.save(towns, key_eval.new_evaluation(towns, 2023, "下级财政运行", object_name="里辛街道"))
    typed = key_eval.save(towns, key_eval.new_evaluation(towns, 2023, "下级财政运行", object_name="某镇财政运行"))
    with towns.session() as s:
        assert [s.get(KeyEvaluation, d.eval_id).region_code for d in (picked, typed)] == [B, "370117"]


def test_the_command_line_exports_by_the_file_name(towns, db_path, tmp_path, capsys):
    from app import cli

    out = tmp_path / "考核.pdf"
    assert cli.run(["export", "township", "--year", "2023", "--at", "2023-12-31", "--out", str(out),
                    "--db", str(db_path)]) == 0
    assert out.read_bytes().startswith(b"%PDF") and "已导出2023年度考核乡镇2个" in capsys.readouterr().out


@pytest.mark.sqlite_only("SQLite rebuilds the project table to change its unique constraint")
def test_a_county_database_with_targets_upgrades_through_0010(tmp_path):
    """0010 rebuilds `project` (codes unique within a region), which targets refer to: the upgrade the
    program runs on opening a 0009 database keeps every row (needs db.migrate's connection to leave
    foreign keys unenforced while it rebuilds, and check them before committing)."""
    from sqlalchemy import text

    from app.services.workspace import Workspace
    from db.engine import make_engine
    from tests.support import migrate_to

    path = tmp_path / "0009.sqlite3"
    engine = make_engine(path, transactional_ddl=True)
    migrate_to(engine, "0009", up=True)
    with engine.begin() as conn:
        def put(table: str, **values) -> None:
            row = dict(id=1, uuid=f"{table}-1", region_code="370117", created_at="2023-01-01", updated_at="2023-01-01",
                       version=1, **values)
            conn.execute(text(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(':' + c for c in row)})"), row)

        put("department", code="D1", name="部门", kind="部门")
        put("project", year=2023, code="P1", name="项目", department_id=1, unit_id=1, fund_type="一般公共预算",
            category="新增", is_key=0, initial_budget_fen=1, annual_budget_fen=1, fiscal_fen=1, other_fen=0)
        put("performance_target", year=2023, kind="项目支出", project_id=1, status="草稿", review_level=0, revision=1)
    engine.dispose()
    ws = Workspace.open(path)
    try:
        with ws.read() as conn:
            assert conn.execute(text("SELECT count(*) FROM performance_target WHERE project_id = 1")).scalar() == 1
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        ws.close()
