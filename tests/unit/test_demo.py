"""The demo county 示范县 holds the seed reports' figures exactly as printed (/work/shared/seeds), read
back through the models, and the program's own rules applied to them; it is one county with its own
departments, a budget for every project, targets in every state and a 1-8月 round with red, yellow
and green lights. No Qt."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.rules.pack import default_pack
from app.services.demo import DemoRefused, load_demo
from db.base import Base
from db.models import (
    Department, ExAnteAssessment, KeyEvaluation, Project, ReportedStat, ResultApplication, Training,
)

COUNTY = "990101"  # 示范县: fictional, the one county the five reports' projects now belong to
GANGCHENG = DEHUI = QIANJIANG = HESHUO = CHENGJIANG = COUNTY
FEN_PER_WAN = 1_000_000


def wan(text: str) -> int:
    """万元 as printed → fen, by exact Decimal arithmetic (independent of app.money)."""
    fen = Decimal(text) * FEN_PER_WAN
    assert fen == fen.to_integral_value()
    return int(fen)


@pytest.fixture
def demo(demo_copy):
    return demo_copy


# 钢城 附件1 and 附件2, row by row as printed: 序号, 归口科室, 实施单位, 项目名称, 预算批复金额, 评分, 等级
GANGCHENG_ROWS = [
    ("A-01", "经建科", "[213001]示范县城市管理局", "城区环卫一体化保洁费（城区、莱钢大道及公厕）", "3201.18", "91.36", "优"),
    ("A-02", "经建科", "[213001]示范县城市管理局", "莱钢道路、公厕运行费用", "1350.93", "94.5", "优"),
    ("A-03", "经建科", "[207001]示范县交通运输局", "公交车辆运行补贴费用", "500", "93.5", "优"),
    ("A-04", "经建科", "[208001]示范县住房和城乡建设局", "农村公厕建设", "1125.4", "82", "良"),
    ("A-05", "农业科", "[403001]示范县水务局", "小水库除险加固", "1614.67", "88.5", "良"),
    ("A-06", "行政政法", "[106001]示范县财政局", "全区国有资产清查及相关培训费", "40", "91", "优"),
    ("A-07", "社保科", "[504001]示范县民政局", "孤儿及事实无人抚养、困境儿童生活补助及留守儿童保障经费", "225", "91.5", "优"),
    ("A-08", "社保科", "[502001]示范县卫生健康委员会", "银龄安康", "114", "96", "优"),
    ("A-09", "社保科", "[503002]保险事业处（示范县人力资源和社会保障局）", "机关养老金缺口", "5792", "96", "优"),
    ("A-10", "教科文科", "[101001]示范县文化和旅游局", "老电影员放映补贴", "14.35", "93", "优"),
    ("A-11", "综合科", "[402001]示范县自然资源局", "全区耕地后备资源调查评价项目", "20", "97.5", "优"),
]


def gangcheng_projects(ws):
    with ws.session() as s:
        return s.scalars(select(Project).where(Project.region_code == GANGCHENG, Project.year == 2022,
                                               Project.code <= "9901012022011")  # 附件1's eleven
                         .options(selectinload(Project.unit), selectinload(Project.office))
                         .order_by(Project.code)).all()


def test_gangcheng_holds_the_eleven_2022_projects_of_its_attachment_1(demo):
    projects = gangcheng_projects(demo)
    assert [p.name for p in projects] == [row[3] for row in GANGCHENG_ROWS]
    for p, (_, office, unit, name, budget, _, _) in zip(projects, GANGCHENG_ROWS):
        assert p.unit.display == unit, name
        assert p.office is not None and p.office.name == office, name
        assert p.annual_budget_fen == wan(budget), name
        assert p.fund_type == ("政府性基金预算" if name == "机关养老金缺口" else "一般公共预算"), name


def test_gangcheng_budgets_add_up_to_the_printed_total_to_the_fen(demo):
    with demo.session() as s:
        # 钢城 附件1: the first eleven projects of 2022 (the rest carry 澄江's self-evaluations)
        in_year = (Project.region_code == GANGCHENG, Project.year == 2022, Project.code <= "9901012022011")
        total = s.scalar(select(func.sum(Project.annual_budget_fen)).where(*in_year))
        count = s.scalar(select(func.count()).select_from(Project).where(*in_year))
        by_fund = dict(s.execute(select(Project.fund_type, func.sum(Project.annual_budget_fen))
                                 .where(*in_year).group_by(Project.fund_type)).all())
        printed = s.scalar(select(ReportedStat.amount_fen).where(
            ReportedStat.region_code == GANGCHENG, ReportedStat.item == "2022年预算财政政策项目支出重点评价"))
    assert count == 11
    assert total == 13_997_530_000 == wan("13997.53")  # 13997.53万元 in fen
    assert printed == total
    # The report's text says 一般公共预算资金8205.5万元; its own attachment adds up to 8205.53.
    assert by_fund == {"一般公共预算": wan("8205.53"), "政府性基金预算": wan("5792")}


def test_gangcheng_key_evaluations_score_and_grade_as_in_attachment_2(demo):
    pack = default_pack()
    with demo.session() as s:
        rows = s.execute(select(KeyEvaluation, Project)
                         .join(Project, KeyEvaluation.project_id == Project.id)
                         .where(KeyEvaluation.region_code == GANGCHENG, KeyEvaluation.seq.like("A-%"))
                         .order_by(KeyEvaluation.seq)).all()
    assert len(rows) == 11
    for (ev, project), (seq, office, unit, name, budget, score, grade) in zip(rows, GANGCHENG_ROWS):
        assert (ev.seq, ev.object_name, project.name) == (seq, name, name)
        assert (ev.year, project.year, ev.office, ev.unit_name) == (2022, 2022, office, unit), seq  # 年度: the budget year
        assert ev.total_score == Decimal(score), seq
        assert ev.grade == grade, seq
        assert pack.grade(ev.total_score) == grade, seq  # the printed grades agree with the bands
        assert ev.approved_budget_fen == wan(budget), seq
    grades = [ev.grade for ev, _ in rows]
    assert (grades.count("优"), grades.count("良")) == (9, 2)  # "9个项目…优。2个项目…良"


def test_gangcheng_pension_project_hangs_under_its_department(demo):
    with demo.session() as s:
        p = s.scalars(select(Project).where(Project.region_code == GANGCHENG, Project.year == 2022,
                                            Project.name == "机关养老金缺口")
                      .options(selectinload(Project.unit).selectinload(Department.parent))).one()
        assert p.unit.kind == "单位"
        assert p.unit.parent is not None and p.unit.parent.id == p.department_id


# 德惠: 项目, 全年预算数, 支出, 综合得分, 等级, 执行率 as printed
DEHUI_ROWS = [
    ("退役军人安置补助项目", "524", "463.71", "96", "优", "88.5"),
    ("救灾物资和防汛物资管理", "60", "46.65", "92.1", "优", "77.8"),
    ("农村环卫外包服务费", "5333.5", "5168.08", "97.3", "优", "96.9"),
    ("农村公路管养项目", "400", "400", "94.7", "优", "100"),
    ("净水厂原水水费及场地租金", "500", "0", "80.7", "良", "0"),
    ("困难残疾人生活补贴", "576", "568.1", "99.4", "优", "98.6"),
    ("义务教育公用经费和取暖费地方配套资金（含特殊教育）", "1256", "1256", "97.5", "优", "100"),
    ("高中公用经费地方配套资金", "814", "707.77", "90.2", "优", "86.9"),
]


def dehui_evaluations(ws) -> dict[str, KeyEvaluation]:
    with ws.session() as s:
        evs = s.scalars(select(KeyEvaluation).where(KeyEvaluation.region_code == DEHUI,
                                                    KeyEvaluation.object_name.in_([row[0] for row in DEHUI_ROWS]))
                        .options(selectinload(KeyEvaluation.items))).all()
    return {ev.object_name: ev for ev in evs}


def test_dehui_eight_key_evaluations_as_printed(demo):
    evs = dehui_evaluations(demo)
    assert sorted(evs) == sorted(row[0] for row in DEHUI_ROWS)
    pack = default_pack()
    for name, budget, spent, score, grade, _ in DEHUI_ROWS:
        ev = evs[name]
        assert ev.approved_budget_fen == wan(budget), name
        assert ev.actual_spend_fen == wan(spent), name
        assert ev.total_score == Decimal(score), name
        assert ev.grade == grade == pack.grade(ev.total_score), name


def test_dehui_execution_rates_from_stored_amounts_match_the_printed_rates(demo):
    evs = dehui_evaluations(demo)
    for name, _, _, _, _, printed in DEHUI_ROWS:
        ev = evs[name]
        rate = (Decimal(ev.actual_spend_fen) * 100 / Decimal(ev.approved_budget_fen)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)
        assert rate == Decimal(printed), f"{name}: {rate} vs printed {printed}"


def test_dehui_water_plant_dimensions_add_up_to_its_score(demo):
    ev = dehui_evaluations(demo)["净水厂原水水费及场地租金"]
    dims = [(i.name, i.points, i.score) for i in ev.items]
    assert dims == [("决策", Decimal(15), Decimal("11.7")), ("过程", Decimal(15), Decimal(4)),
                    ("产出", Decimal(50), Decimal(50)), ("效益", Decimal(20), Decimal(15))]
    assert sum((i.points for i in ev.items), Decimal(0)) == 100
    assert sum((i.score for i in ev.items), Decimal(0)) == ev.total_score == Decimal("80.7")


def test_dehui_eight_budgets_add_up_to_the_reported_9463_5(demo):
    evs = dehui_evaluations(demo)
    total = sum(ev.approved_budget_fen for ev in evs.values())
    assert total == wan("9463.5")  # "对8个项目实施重点评价，涉及项目金额9463.5万元"
    with demo.session() as s:
        reported = s.execute(select(ReportedStat.count, ReportedStat.amount_fen).where(
            ReportedStat.region_code == DEHUI, ReportedStat.item == "重点评价项目")).one()
    assert tuple(reported) == (8, total)


# 潜江 附件1 and 附件2: 维度, 分值, 得分, 报告所写等级
QIANJIANG_TABLES = {
    "残疾人“两项补贴”": ("93.5", "优", [("项目决策", "20", "17", "良"), ("项目过程", "30", "26.5", "优"),
                                       ("项目产出", "30", "30", "优"), ("项目效果", "20", "20", "优")]),
    "数字化城管运行经费": ("92", "优", [("项目决策", "20", "18", "优"), ("项目过程", "20", "17", "良"),
                                     ("项目产出", "40", "37", "优"), ("项目效益", "20", "20", "优")]),
}


def qianjiang_evaluations(ws) -> dict[str, KeyEvaluation]:
    with ws.session() as s:
        evs = s.scalars(select(KeyEvaluation).where(KeyEvaluation.region_code == QIANJIANG,
                                                    KeyEvaluation.object_name.in_(QIANJIANG_TABLES))
                        .options(selectinload(KeyEvaluation.items))).all()
    return {ev.object_name: ev for ev in evs}


@pytest.mark.parametrize("name", list(QIANJIANG_TABLES))
def test_qianjiang_evaluations_hold_their_dimension_tables_as_printed(demo, name):
    total, grade, dims = QIANJIANG_TABLES[name]
    ev = qianjiang_evaluations(demo)[name]
    assert (ev.total_score, ev.grade) == (Decimal(total), grade)
    assert [(i.name, i.points, i.score, i.grade) for i in ev.items] == [
        (n, Decimal(p), Decimal(sc), g) for n, p, sc, g in dims]
    assert sum((i.score for i in ev.items), Decimal(0)) == ev.total_score
    assert sum((i.points for i in ev.items), Decimal(0)) == 100


def test_the_rule_pack_catches_qianjiangs_26_5_of_30_graded_you(demo):
    """DESIGN.md §6: 潜江's own table grades 26.5/30 (88.3%) 优; the bands say 良."""
    pack = default_pack()
    slips = []
    for name, ev in qianjiang_evaluations(demo).items():
        assert pack.grade(ev.total_score) == ev.grade, name
        for item in ev.items:
            computed = pack.dimension_grade(item.score, item.points)
            if computed != item.grade:
                slips.append((name, item.name, item.score, item.points, item.grade, computed))
    assert slips == [("残疾人“两项补贴”", "项目过程", Decimal("26.5"), Decimal(30), "优", "良")]


def test_chengjiang_ex_ante_assessments_as_printed(demo):
    with demo.session() as s:
        rows = {x.object_name: x for x in s.scalars(
            select(ExAnteAssessment).where(ExAnteAssessment.region_code == CHENGJIANG))}
    edu, eco = rows["教育综合改革专项资金"], rows["生态保护项目资金"]
    assert (edu.total_score, edu.grade) == (Decimal("80.00"), "良")
    assert str(edu.total_score) == "80.00"
    assert edu.cut_fen == wan("8825.34") and edu.recommended_fen == wan("2000.00")
    assert edu.requested_fen - edu.cut_fen == edu.recommended_fen
    assert (eco.total_score, eco.grade) == (Decimal("77.50"), "中")
    pack = default_pack()
    assert pack.grade(edu.total_score) == "良" and pack.grade(eco.total_score) == "中"
    # "评估金额17,969.78万元" for the two projects
    assert edu.requested_fen + eco.requested_fen == wan("17969.78")


def test_chengjiang_cut_is_also_a_result_application(demo):
    with demo.session() as s:
        cut = s.scalars(select(ResultApplication).where(ResultApplication.region_code == CHENGJIANG,
                                                        ResultApplication.measure == "调减",
                                                        ResultApplication.project_id.is_not(None))).one()
        project = s.get(Project, cut.project_id)
    assert cut.amount_fen == wan("8825.34") and cut.affect_year == 2024
    assert project.name == "教育综合改革专项资金"


def test_heshuo_cut_of_130_wan_and_its_training(demo):
    with demo.session() as s:
        cuts = s.scalars(select(ResultApplication).where(ResultApplication.region_code == HESHUO,
                                                         ResultApplication.measure == "调减",
                                                         ResultApplication.project_id.is_(None))).all()
        training = s.scalars(select(Training).where(Training.region_code == HESHUO)).all()
    assert [c.amount_fen for c in cuts] == [wan("130")]
    # 和硕: 培训6次，380人次; 澄江: 参训人数累计达到350余人 (2 sessions) — both now the one county's
    assert sorted((t.year, t.sessions, t.attendees) for t in training) == [(2023, 2, 350), (2023, 6, 380)]


# -- refusing to pour the demo into real data -------------------------------------------------
def table_counts(ws) -> dict[str, int]:
    with ws.session() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_loading_the_demo_twice_is_refused_and_changes_nothing(demo_ws):
    before = table_counts(demo_ws)
    assert before["project"] == 101
    with pytest.raises(DemoRefused) as info:
        load_demo(demo_ws)
    assert "已有数据" in str(info.value)
    assert table_counts(demo_ws) == before


def test_the_demo_is_not_poured_into_a_county_with_its_own_departments(county):
    before = table_counts(county)
    with pytest.raises(DemoRefused):
        load_demo(county)
    assert table_counts(county) == before
    with county.session() as s:
        assert sorted(s.scalars(select(Department.name))) == sorted(["钢城区城市管理局", "钢城区城乡交通运输局"])


def test_the_demo_1_8_round_lights_dehuis_slow_projects_red(demo):
    """德惠: 救灾物资 had spent 9.46万 of 60万 after seven months; 净水厂 spent nothing all year."""
    from app.rules import monitoring as rules
    from app.services import monitoring as mon

    (round_,) = mon.list_rounds(demo, 2023)
    assert (round_.name, round_.month, round_.records) == ("1-8月", 8, 30)  # every 2023 project of the county
    view = mon.round_view(demo, round_.id)
    rows = {r.name: r for r in view.rows}
    relief, water = rows["救灾物资和防汛物资管理"], rows["净水厂原水水费及场地租金"]
    assert (relief.executed_fen, relief.budget_fen, relief.light) == (9_460_000, 60_000_000, rules.RED)
    assert rules.percent(relief.rate) == Decimal("15.77")
    assert (water.executed_fen, water.light) == (0, rules.RED)
    summary = view.summary
    assert {"净水厂原水水费及场地租金", "救灾物资和防汛物资管理"} <= {r.name for r in summary.red}


def test_the_demo_round_shows_red_yellow_and_green_with_the_reports_causes(demo):
    from app.rules import monitoring as rules
    from app.services import monitoring as mon
    from app.services import monitoring_records as records

    (round_,) = mon.list_rounds(demo, 2023)
    rows = mon.round_view(demo, round_.id).rows
    lights = [r.light for r in rows]
    assert (lights.count(rules.RED), lights.count(rules.YELLOW), lights.count(rules.GREEN)) == (5, 4, 20)
    assert lights.count(rules.NOT_FILLED) == 1
    assert {r.status for r in rows} == {"草稿", "已提交", "审核通过"}  # states through the workflow kernel
    by_name = {r.name: r for r in rows}
    relief = records.open_record(demo, by_name["救灾物资和防汛物资管理"].record_id)
    water = records.open_record(demo, by_name["净水厂原水水费及场地租金"].record_id)
    assert relief.budget_cause.startswith("报告原文：从中期执行监控情况来看，前7个月支出金额仅为9.46万元")
    assert water.budget_cause.startswith("报告原文：该项目在2023年预算执行过程中未发生实际支出")
    assert relief.has_target and relief.indicators  # its approved target's indicator rows reached the round
    for r in rows:  # every red light carries its cause
        if r.light == rules.RED:
            assert records.open_record(demo, r.record_id).budget_cause.strip(), r.name


# -- one county ----------------------------------------------------------------------------------
def test_the_demo_is_one_county_with_its_own_departments(demo):
    from db.models import FinanceOffice, Region

    with demo.session() as s:
        regions = s.execute(select(Region.code, Region.name, Region.level, Region.parent_code)).all()
        departments = s.scalars(select(Department.name)).all()
        offices = s.scalars(select(FinanceOffice.name)).all()
        region_codes = {t.name: set(s.scalars(select(t.c.region_code).distinct()))
                        for t in Base.metadata.sorted_tables if "region_code" in t.c and t.name not in ("region", "rule_pack")}
    county = [r for r in regions if r.level == "县级"]
    assert [(r.code, r.name) for r in county] == [(COUNTY, "示范县")]
    assert all(r.parent_code == COUNTY for r in regions if r.level != "县级")
    assert demo.home_region() == COUNTY
    # the county's own records (its 财政运行综合绩效评价 of 青石镇 is filed under the township it evaluates)
    assert region_codes.pop("key_evaluation") == region_codes.pop("key_eval_item") == {COUNTY, "990101100"}
    assert all(codes <= {COUNTY} for codes in region_codes.values()), region_codes
    assert all("示范县" in name for name in departments), departments
    assert len(departments) == len(set(departments))  # the five 财政局 are one
    assert departments.count("示范县财政局") == 1 and "示范县教育局" in departments
    assert len(offices) == len(set(offices))
    for old in ("钢城", "德惠", "潜江", "和硕", "澄江"):
        assert not any(old in name for name in departments + offices), old
    with demo.session() as s:
        names = s.scalars(select(Project.name)).all()
    assert not any(old in name for name in names for old in ("钢城", "德惠", "潜江", "和硕", "澄江"))


def test_every_project_has_a_budget_and_every_year_2022_to_2025_has_projects(demo):
    from app.services import projects as svc

    with demo.session() as s:
        years = dict(s.execute(select(Project.year, func.count()).group_by(Project.year)).all())
        zero = s.scalars(select(Project.code).where(Project.annual_budget_fen <= 0)).all()
    assert sorted(years) == [2022, 2023, 2024, 2025] and all(n >= 10 for n in years.values())
    assert zero == []
    assert all(r.annual_fen > 0 for r in svc.list_projects(demo, 2023))
    # a 延续 project comes back each year with the year in its code
    with demo.session() as s:
        codes = dict(s.execute(select(Project.year, Project.code).where(Project.name == "救灾物资和防汛物资管理")).all())
    assert codes == {2023: "9901012023002", 2024: "9901012024002", 2025: "9901012025002"}


def test_targets_in_every_state_one_returned_with_the_offices_opinion(demo):
    from app.services import targets

    rows = targets.list_targets(demo, 2023)
    by_status = {}
    for r in rows:
        by_status.setdefault(r.status, []).append(r)
    assert {"已批复", "审核通过", "已提交", "退回修改", "草稿", targets.NOT_STARTED} <= set(by_status)
    made = [r for r in rows if r.status != targets.NOT_STARTED]
    assert len(made) * 2 > len(rows)  # most projects have a target
    assert all(r.quality_score is not None and r.quality_score < 100 for r in by_status["草稿"])  # drafts with findings
    (returned,) = by_status["退回修改"]
    draft = targets.open_target(demo, returned.project_id)
    assert draft.status == "退回修改"
    with demo.session() as s:
        from db.models import TargetReview

        review = s.scalars(select(TargetReview).where(TargetReview.target_id == draft.target_id)).one()
    assert review.decision == "退回修改" and "请修改后重新提交" in review.opinion
    for r in by_status["草稿"]:
        found = targets.check(demo, targets.open_target(demo, r.project_id))
        assert found.findings, r.name
