"""The demo county's 重点评价, 事前绩效评估 and 第三方机构 as the seed reports published them, read
through the stages' own services: 钢城's 附件 for 年度 2022 (the budget year it covers), 德惠's 摘要
with its rate and dimension sentence, the check finding 潜江's 26.5/30 优 and nothing else in any
year, 澄江's two ex-ante assessments with the 调减, and the institutions with what the reports say
of their contracts and 执业质量考核. No Qt."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.rules.scoring_tree import score_tree
from app.services import agencies, exante_year
from app.services.key_eval import open_evaluation
from app.services.key_eval_records import leaves_of
from app.services.key_eval_year import check_year, grade_count, list_year, report
from db.models import ExAnteAssessment, KeyEvaluation, Project

FEN_PER_WAN = 1_000_000
DEMO_YEARS = range(2021, 2027)


def wan(text: str) -> int:
    fen = Decimal(text) * FEN_PER_WAN
    assert fen == fen.to_integral_value()
    return int(fen)


@pytest.fixture
def demo(demo_copy):
    return demo_copy


# 钢城 附件1 / 附件2: 评价编号, 归口科室, 实施单位, 项目名称, 预算批复金额, 财政综合评分, 等级
GANGCHENG = [
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


def test_gangcheng_year_2022_lists_its_eleven_in_code_order_as_printed(demo):
    rows = list_year(demo, 2022)
    assert [(r.code, r.office, r.unit_name, r.object_name, r.budget_fen, r.total, r.grade) for r in rows] == [
        (code, office, unit, name, wan(budget), Decimal(score), grade)
        for code, office, unit, name, budget, score, grade in GANGCHENG]
    assert sum(r.budget_fen for r in rows) == wan("13997.53")
    by_fund: dict[str, int] = {}
    for r in rows:
        by_fund[r.fund_type] = by_fund.get(r.fund_type, 0) + r.budget_fen
    # the report's text says 一般公共预算资金8205.5万元; its attachment adds up to 8205.53. 资金性质 in the
    # pack's words, as an import of the same 附件 stores them (政府性基金预算 → 政府性基金)
    assert by_fund == {"一般公共预算": wan("8205.53"), "政府性基金": wan("5792")}
    assert grade_count(rows) == "9个项目评价结果为“优”，2个项目评价结果为“良”"
    assert all(r.status == "已定稿" and r.as_printed and r.findings == 0 for r in rows)
    assert not [r for r in list_year(demo, 2023) if r.code.startswith("A-")]  # evaluated in 2023, 年度 2022


def test_gangcheng_evaluations_name_the_2022_projects_they_cover(demo):
    with demo.session() as s:
        linked = s.execute(select(KeyEvaluation.seq, Project.year, Project.code)
                           .join(Project, Project.id == KeyEvaluation.project_id)
                           .where(KeyEvaluation.seq.like("A-%")).order_by(KeyEvaluation.seq)).all()
    assert [tuple(r) for r in linked] == [(f"A-{n:02d}", 2022, f"99010120220{n:02d}") for n in range(1, 12)]


def _by_name(ws, year: int):
    return {r.object_name: r for r in list_year(ws, year)}


def test_dehuis_veterans_row_and_summary_as_printed(demo):
    row = _by_name(demo, 2023)["退役军人安置补助项目"]
    assert (row.budget_fen, row.spend_fen, row.total, row.grade) == (wan("524"), wan("463.71"), Decimal(96), "优")
    assert (row.status, row.as_printed, row.findings) == ("已定稿", True, 0)
    assert row.unit_name == "[301001]示范县经济开发区管理委员会"
    draft = open_evaluation(demo, row.eval_id)
    assert draft.printed_rate == "88.5%"  # 463.71/524 = 88.49%: the same at the printed precision
    summary = report(demo, draft)
    assert summary.funds == "2023年，退役军人安置项目全年预算数524万元。截至2023年12月31日，资金支出463.71万元，执行率为88.5%。"
    assert summary.conclusion.startswith("该项目综合得分96分，绩效评价结果为“优”。")


def test_dehuis_eight_add_up_to_9463_5_and_are_finished(demo):
    names = ["退役军人安置补助项目", "救灾物资和防汛物资管理", "农村环卫外包服务费", "农村公路管养项目", "净水厂原水水费及场地租金",
             "困难残疾人生活补贴", "义务教育公用经费和取暖费地方配套资金（含特殊教育）", "高中公用经费地方配套资金"]
    rows = _by_name(demo, 2023)
    assert sum(rows[n].budget_fen for n in names) == wan("9463.5")
    assert all(rows[n].status == "已定稿" and rows[n].findings == 0 for n in names)


WATER_SENTENCE = "决策指标权重15分，得分11.7分；过程指标权重15分，得分4分；产出指标权重50分，得分50分；效益指标权重20分，得分15分"


def test_the_water_plant_summary_gives_its_dimension_sentence(demo):
    row = _by_name(demo, 2023)["净水厂原水水费及场地租金"]
    draft = open_evaluation(demo, row.eval_id)
    assert [(t.level1, t.points, t.score, t.printed_grade) for t in draft.leaves] == [
        ("决策", "15", "11.7", ""), ("过程", "15", "4", ""), ("产出", "50", "50", ""), ("效益", "20", "15", "")]
    summary = report(demo, draft)
    assert WATER_SENTENCE in summary.conclusion
    assert (summary.total, summary.grade) == (Decimal("80.7"), "良")
    assert [(d.name, d.weight, d.score) for d in summary.dimensions] == [
        ("决策", "15%", Decimal("11.7")), ("过程", "15%", Decimal(4)), ("产出", "50%", Decimal(50)), ("效益", "20%", Decimal(15))]
    scored = score_tree(leaves_of(draft.leaves), demo.rule_pack().grade_bands)
    assert scored.sentence() == WATER_SENTENCE and scored.total == Decimal("80.7")


def test_the_check_finds_qianjiangs_26_5_of_30_graded_you_and_nothing_else_in_any_year(demo):
    found = [(year, f) for year in DEMO_YEARS for f in check_year(demo, year)]
    assert [(year, f.code, f.where, f.category, f.filed, f.reference) for year, f in found] == [
        (2023, "残疾人“两项补贴”", "指标“项目过程”", "等级不符", "优", "良")]
    assert "26.5/30分（88.3%）" in found[0][1].problem
    # the printed total (93.5, 优) agrees with its rows and its band: no second finding


def test_qianjiangs_tables_keep_their_printed_dimension_grades(demo):
    rows = _by_name(demo, 2023)
    disabled = open_evaluation(demo, rows["残疾人“两项补贴”"].eval_id)
    assert [(t.level1, t.points, t.score, t.printed_grade) for t in disabled.leaves] == [
        ("项目决策", "20", "17", "良"), ("项目过程", "30", "26.5", "优"), ("项目产出", "30", "30", "优"),
        ("项目效果", "20", "20", "优")]
    assert (disabled.as_printed, disabled.printed_total, disabled.printed_grade) == (True, Decimal("93.5"), "优")
    city = report(demo, open_evaluation(demo, rows["数字化城管运行经费"].eval_id))
    assert [(d.name, d.weight, d.score, d.grade) for d in city.dimensions] == [
        ("项目决策", "20%", Decimal(18), "优"), ("项目过程", "20%", Decimal(17), "良"),
        ("项目产出", "40%", Decimal(37), "优"), ("项目效益", "20%", Decimal(20), "优")]
    assert (city.total, city.grade) == (Decimal(92), "优")


def test_every_evaluation_and_assessment_of_the_demo_is_finalized_in_the_packs_words(demo):
    with demo.session() as s:
        key = set(s.execute(select(KeyEvaluation.status, KeyEvaluation.as_printed)).all())
        exante = set(s.scalars(select(ExAnteAssessment.status)))
        funds = set(s.scalars(select(KeyEvaluation.fund_type).where(KeyEvaluation.fund_type.is_not(None))))
    assert key == {("已定稿", True)}
    assert funds <= set(demo.rule_pack().section("key_evaluation")["fund_types"])  # the form's and the import's words
    assert exante == {"已定稿"}


def test_chengjiangs_ex_ante_assessments_with_the_cut(demo):
    rows = {r.name: r for r in exante_year.list_year(demo, 2024)}
    edu, eco = rows["教育综合改革专项资金"], rows["生态保护项目资金"]
    assert (edu.total, edu.grade, edu.status) == (Decimal("80.00"), "良", "已定稿")
    assert (edu.requested_fen, edu.recommended_fen, edu.cut_fen) == (wan("10825.34"), wan("2000"), wan("8825.34"))
    assert (eco.total, eco.grade, eco.status, eco.requested_fen) == (Decimal("77.50"), "中", "已定稿", wan("7144.44"))
    assert edu.requested_fen + eco.requested_fen == wan("17969.78")  # "评估金额17,969.78万元"
    assert edu.evaluator == eco.evaluator == "第三方评估机构（报告未载明名称）"


def test_the_institutions_carry_the_contracts_and_the_quality_review_the_reports_describe(demo):
    rows = {r.name: r for r in agencies.list_agencies(demo)}
    tianjian = agencies.agency_view(demo, rows["天健会计师事务所（特殊普通合伙）云南分所"].id)
    assert [w.object_name for w in tianjian.works if w.kind == "重点评价"] and len(tianjian.works) == 5
    (contract,) = tianjian.contracts
    assert "服务采购项目" in contract.name and contract.amount_fen is None  # the report prints no amount
    hengping = agencies.agency_view(demo, rows["湖北省衡平楚天会计师事务有限公司"].id)
    assert len(hengping.works) == 3 and len(hengping.contracts) == 1
    heshuo = agencies.agency_view(demo, rows["第三方机构（报告未载明名称）"].id)
    review = heshuo.assessment(2023)
    assert review is not None and review.result == "优秀"
    assert review.scores == {} and review.total is None  # 和硕 prints the six aspects, not their scores
    assert "基础管理" in review.opinion and "报送及时性" in review.opinion
    assert rows["第三方机构（报告未载明名称）"].latest_result == "优秀（2023年）"
