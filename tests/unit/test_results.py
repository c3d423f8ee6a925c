"""结果应用: measures an officer decides (the pack only suggests), the year's table with its 小计,
合计 and counts, the measures a next-year project shows, and the xlsx / pdf export. Demo facts:
和硕 调减130万元; 澄江 教育综合改革专项资金 10825.34 → 2000 (调减8825.34万元) after an ex-ante
assessment; 潜江 12 reports published, 8 to the 人大."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.results import ResultDraft
from app.rules.pack import RulePackData, default_pack
from app.rules.results import ResultUseRules
from app.rules.validation import RejectedError
from app.services import projects, results
from db.models import AuditLog, Department, ExAnteAssessment, KeyEvaluation
from db.models.followup import Rectification
from tests.support import project_raw

WAN = 1_000_000  # fen


def _dept(ws, code="213001") -> int:
    with ws.session() as s:
        return s.scalars(select(Department.id).where(Department.code == code)).one()


def _exante(ws, year=2023) -> int:
    """澄江's 教育综合改革专项资金: 申报10825.34万元, 建议安排2000万元."""
    with ws.session() as s:
        ev = ExAnteAssessment(year=year, object_name="教育综合改革专项资金", requested_fen=1082534 * 10_000,
                              recommended_fen=2000 * WAN, cut_fen=882534 * 10_000, conclusion="调整后支持",
                              grade="中", region_code="370117")
        s.add(ev)
        s.flush()
        return ev.id


def _key_evals(ws, year=2023, count=12, congress=8) -> None:
    """潜江: 12 reports published, 8 of them to the 人大 (and one not published at all)."""
    with ws.session() as s:
        for n in range(count + 1):
            s.add(KeyEvaluation(year=year, object_name=f"评价项目{n}", published=n < count,
                                reported_to_congress=n < congress, region_code="370117"))


def _cut_hoshuo(ws, year=2023) -> ResultDraft:
    return results.save(ws, ResultDraft(year=year, measure="调减", department_id=_dept(ws), amount="130",
                                        explanation="和硕：依据评价结果调减预算"))


def test_the_pack_suggests_a_measure_from_a_grade_and_a_province_may_differ(county):
    assert [results.suggest(county, g) for g in ("优", "良", "中", "差", "")] == ["优先保障", "保障", "压缩", "取消", None]
    content = dict(default_pack().content, result_use={"by_grade": {"差": "调减"}})
    other = ResultUseRules.from_pack(RulePackData("省方案", 2, content))
    assert other.suggest("差") == "调减" and other.suggest("优") is None
    assert "报人大" in other.measures  # keys not overridden keep the defaults
    # a suggestion writes nothing
    assert results.list_year(county, 2023) == []


def test_a_cut_on_a_department_is_saved_audited_and_affects_next_years_budget(county):
    heard = []
    county.subscribe(heard.append)
    draft = _cut_hoshuo(county)
    assert draft.saved and draft.amount == "130.00" and draft.affect_year == "2024"
    assert draft.object_name == "钢城区城市管理局"
    row, = results.list_year(county, 2023)
    assert (row.measure, row.amount_fen, row.affect_year, row.object_kind) == ("调减", 130 * WAN, 2024, "部门")
    assert heard and heard[-1].ids("results") == {draft.measure_id} and heard[-1].touches({"results"}, 2023)
    with county.session() as s:
        said = s.scalars(select(AuditLog.summary).where(AuditLog.entity == "结果应用")).one()
    assert "调减130.00万元" in said and "影响2024年预算" in said


def test_an_exante_assessment_is_the_basis_of_a_cut(county):
    ev = _exante(county)
    draft = results.save(county, ResultDraft(year=2023, measure="调减", object_name="教育综合改革专项资金",
                                             amount="8825.34", basis="事前评估", basis_id=ev))
    row, = results.list_year(county, 2023)
    assert row.amount_fen == 8825_340_000 and row.basis == "事前评估" and row.basis_id == ev
    assert row.basis_text == "2023年事前评估：教育综合改革专项资金（中）"
    assert results.open_measure(county, draft.measure_id).basis_id == ev


@pytest.mark.parametrize("change, words", [
    (dict(measure="调减", amount=""), "“调减”须填写金额"),
    (dict(measure="通报", amount="5"), "“通报”不涉及金额，请清空金额"),
    (dict(measure="罚款"), "措施应为调减、取消"),
    (dict(measure="", object_name=""), "请选择措施。；请选择项目或部门"),
    (dict(affect_year="明年"), "影响年度应为四位年份"),
    (dict(amount="-3"), "金额应为不小于0的数字"),
    (dict(count="0"), "数量应为1到100000之间的整数"),
    (dict(count="①"), "数量应为1到100000之间的整数"),  # a digit to str.isdigit, not a number: named, no crash
])
def test_an_incomplete_measure_is_refused_naming_what_to_fix(county, change, words):
    draft = replace(ResultDraft(year=2023, measure="收回", object_name="某项目", amount="12.5"), **change)
    with pytest.raises(RejectedError) as caught:
        results.save(county, draft)
    assert words in caught.value.summary
    assert results.list_year(county, 2023) == []


def test_publishing_needs_no_amount_and_a_guarantee_may_carry_one(county):
    results.save(county, ResultDraft(year=2023, measure="公开", object_name="12份评价报告"))
    results.save(county, ResultDraft(year=2023, measure="优先保障", object_name="某项目", amount=""))
    results.save(county, ResultDraft(year=2023, measure="暂停拨付", object_name="某项目", amount="3"))
    assert [r.amount_fen for r in results.list_year(county, 2023)] == [None, None, 3 * WAN]


def test_reports_published_and_sent_to_the_congress_are_each_counted_once(county):
    _key_evals(county, count=3, congress=2)  # three evaluations flagged 公开, two 报人大
    with county.session() as s:
        flagged = s.scalars(select(KeyEvaluation.id).where(KeyEvaluation.published.is_(True))
                            .order_by(KeyEvaluation.id)).first()
    results.save(county, ResultDraft(year=2023, measure="公开", object_name="12个重点项目绩效评价报告", count="12"))
    results.save(county, ResultDraft(year=2023, measure="公开", object_name="评价项目0", basis="重点评价",
                                     basis_id=flagged))  # names a flagged evaluation: that report once
    results.save(county, ResultDraft(year=2023, measure="报人大", object_name="评价报告汇编"))  # blank 数量: one
    counts = results.year_table(county, 2023).counts
    assert (counts.published, counts.to_congress) == (12 + 1 + 2, 1 + 2)
    assert results.open_measure(county, results.list_year(county, 2023)[0].measure_id).count == "12"
    with pytest.raises(RejectedError, match="数量应为1到100000之间的整数"):
        results.save(county, ResultDraft(year=2023, measure="公开", object_name="若干报告", count="十二"))


def test_a_stale_form_is_refused_and_a_current_one_saves_and_deletes(county):
    first = _cut_hoshuo(county)
    results.save(county, replace(first, execution="已在2024年预算中调减"))
    with pytest.raises(RejectedError, match="刚被.*修改过"):
        results.save(county, replace(first, amount="100"))
    with pytest.raises(RejectedError, match="刚被.*修改过"):
        results.delete(county, first.measure_id, first.version)
    current = results.open_measure(county, first.measure_id)
    assert current.execution == "已在2024年预算中调减" and current.amount == "130.00"
    results.delete(county, current.measure_id, current.version)
    assert results.list_year(county, 2023) == []
    with pytest.raises(RejectedError, match="已被删除"):
        results.save(county, current)


def test_the_years_table_groups_by_measure_with_subtotals_total_and_counts(county):
    _cut_hoshuo(county)
    ev = _exante(county)
    results.save(county, ResultDraft(year=2023, measure="调减", object_name="教育综合改革专项资金",
                                     amount="8825.34", basis="事前评估", basis_id=ev))
    results.save(county, ResultDraft(year=2023, measure="收回", object_name="闲置资金", amount="45.6"))
    results.save(county, ResultDraft(year=2023, measure="取消", object_name="低效项目", amount="80"))
    results.save(county, ResultDraft(year=2023, measure="压缩", object_name="会议费", amount="10"))
    results.save(county, ResultDraft(year=2023, measure="通报", object_name="评价结果差的单位"))
    results.save(county, ResultDraft(year=2022, measure="调减", object_name="上年措施", amount="999"))
    _key_evals(county)
    with county.session() as s:
        for n, status in enumerate(("已销号", "已销号", "整改中", "待整改")):
            s.add(Rectification(source="重点评价", year=2023, description=f"问题{n}", status=status,
                                closed=status == "已销号", region_code="370117"))
        s.add(Rectification(source="审计", year=2022, description="上年问题", region_code="370117"))
    view = results.year_table(county, 2023)
    assert [(g.measure, len(g.rows), g.subtotal_fen) for g in view.groups] == [
        ("调减", 2, 8955_340_000), ("取消", 1, 80 * WAN), ("收回", 1, 45_600_000), ("压缩", 1, 10 * WAN),
        ("通报", 1, 0)]
    assert view.total_fen == 8955_340_000 + 80 * WAN + 45_600_000 + 10 * WAN
    c = view.counts
    assert (c.problems, c.rectified) == (4, 2)
    assert c.cut_fen == 8965_340_000  # 130 + 8825.34 + 压缩10
    assert (c.recovered_fen, c.cancelled_projects, c.adjusted_projects) == (45_600_000, 1, 3)
    assert (c.published, c.to_congress) == (12, 8)


def test_next_years_project_shows_the_measures_that_affect_its_budget(county):
    old = projects.save_project(county, project_raw(code="CJ001", name="教育综合改革专项资金", year="2023"))
    new = projects.save_project(county, project_raw(code="CJ001", name="教育综合改革专项资金", year="2024"))
    other = projects.save_project(county, project_raw(code="CJ002", name="其他项目", year="2024"))
    cut = results.save(county, ResultDraft(year=2023, measure="调减", project_id=old, amount="8825.34"))
    results.save(county, ResultDraft(year=2023, measure="收回", project_id=old, amount="1", affect_year="2025"))
    results.save(county, ResultDraft(year=2023, measure="压缩", project_id=other, amount="2"))
    assert cut.object_name == "教育综合改革专项资金"
    shown = results.measures_for(county, new)
    assert [(r.measure, r.amount_fen, r.affect_year) for r in shown] == [("调减", 8825_340_000, 2024)]
    assert [r.measure for r in results.measures_for(county, other)] == ["压缩"]
    assert results.measures_for(county, old) == []  # 2023's own budget was not touched


def test_export_results_xlsx_has_subtotals_a_total_and_a_counts_sheet(county, tmp_path):
    _cut_hoshuo(county)
    results.save(county, ResultDraft(year=2023, measure="调减", object_name="教育综合改革专项资金", amount="8825.34"))
    results.save(county, ResultDraft(year=2023, measure="收回", object_name="闲置资金", amount="45.6"))
    _key_evals(county)
    path = tmp_path / "results.xlsx"
    assert results.export_results(county, 2023, "xlsx", path) == 3
    wb = load_workbook(path)
    table, counts = wb["结果应用情况表"], wb["汇总"]
    assert table["A1"].value == "2023年度绩效评价结果应用情况表"
    rows = [[c.value for c in r] for r in table.iter_rows(min_row=4)]
    assert [r[1] for r in rows] == ["调减", "调减", "调减小计", "收回", "收回小计", "合计"]
    assert [str(rows[i][4]) for i in (2, 4, 5)] == ["8955.34", "45.6", "9000.94"]
    assert rows[0][6] == 2024 and rows[0][2] == "钢城区城市管理局" and rows[0][3] is None  # 数量: blank, one
    assert table.cell(4, 5).number_format == "#,##0.00"
    figures = {r[0].value: (r[1].value, r[2].value) for r in counts.iter_rows(min_row=4)}
    assert str(figures["压减预算金额（万元）"][1]) == "8955.34" and figures["收回资金（万元）"][1] == 45.6
    assert figures["评价报告公开（份）"][0] == 12 and figures["报送人大（份）"][0] == 8


def test_export_results_pdf_prints_the_table_then_the_counts(county, tmp_path):
    _cut_hoshuo(county)
    results.save(county, ResultDraft(year=2023, measure="调减", object_name="教育综合改革专项资金", amount="8825.34"))
    _key_evals(county)
    path = tmp_path / "results.pdf"
    assert results.export_results(county, 2023, "pdf", path) == 2
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "2023年度绩效评价结果应用情况表" in text and "调减小计" in text and "8,955.34" in text
    assert text.index("合计") < text.index("2023年度绩效评价结果应用汇总")
    assert "报送人大" in text


def test_an_empty_year_exports_a_table_saying_so(county, tmp_path):
    path = tmp_path / "empty.xlsx"
    assert results.export_results(county, 2030, "xlsx", path) == 0
    table = load_workbook(path)["结果应用情况表"]
    assert any("本年度没有结果应用措施" in str(c.value) for r in table.iter_rows() for c in r if c.value)
