"""Township records in the county's 重点评价, 事前评估, 整改 and 结果应用: each list names the region,
narrows to one, an export of a region holds only its rows, and the summaries count per 区划."""

from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook

from app.domain.results import ResultDraft
from app.domain.key_eval import POLICY, TOWNSHIP
from app.services import exante_year, key_eval, key_eval_import, key_eval_year, projects, rectification, results
from app.services.base_data import save_region
from db.models import ExAnteAssessment, KeyEvaluation, Project, Rectification
from tests.support import project_raw

HOME, QS, AS = "370117", "370117101", "370117102"
Y = 2023
PAST = date(Y, 3, 1)


def _add(ws, *records) -> None:
    with ws.session() as s:
        s.add_all(records)


def _item(region: str, unit: str, text: str, status: str = "待整改") -> Rectification:
    return Rectification(year=Y, region_code=region, source="审计", responsible=unit, description=text, status=status,
                         closed=status == "已销号", deadline=PAST)


@pytest.fixture
def towns(county):
    """钢城区 with two townships: 青石镇 holds two items (one 已销号), 本级 one, 艾山街道 none."""
    save_region(county, {"code": QS, "name": "青石镇", "level": "乡镇"}, parent_code=HOME)
    save_region(county, {"code": AS, "name": "艾山街道", "level": "乡镇"}, parent_code=HOME)
    _add(county, _item(HOME, "城市管理局", "本级问题"), _item(QS, "青石镇财政所", "镇问题一"),
         _item(QS, "青石镇财政所", "镇问题二", "已销号"))
    return county


def _sheet(path, name: str) -> list[tuple]:
    return [tuple(v for v in row) for row in load_workbook(path)[name].iter_rows(values_only=True)]


def _texts(rows) -> str:
    return "\n".join(str(v) for row in rows for v in row if v is not None)


def test_the_ledger_names_the_township_and_counts_by_region(towns, tmp_path):
    view = rectification.list_year(towns, Y, date(Y, 6, 1))
    assert {(r.description, r.region) for r in view.rows} == {("本级问题", "钢城区"), ("镇问题一", "青石镇"),
                                                               ("镇问题二", "青石镇")}
    assert [(u.responsible, u.count, u.closed, u.overdue) for u in view.regions] == [
        ("钢城区本级", 1, 0, 1), ("青石镇", 2, 1, 1), ("艾山街道", 0, 0, 0)]

    one = rectification.list_year(towns, Y, date(Y, 6, 1), region=QS)
    assert {r.description for r in one.rows} == {"镇问题一", "镇问题二"} and one.regions == ()

    path = tmp_path / "台账.xlsx"
    rectification.export_ledger(towns, Y, date(Y, 6, 1), path)
    assert load_workbook(path).sheetnames == ["整改台账", "汇总", "按区划汇总"]
    by_region = _sheet(path, "按区划汇总")
    assert ("青石镇", 2, 1, 1) in by_region and ("合计", 3, 1, 2) in by_region and ("艾山街道", 0, 0, 0) in by_region
    assert "区划" in _sheet(path, "整改台账")[2]

    rectification.export_ledger(towns, Y, date(Y, 6, 1), path, region=QS)
    ledger = _sheet(path, "整改台账")
    assert "青石镇" in ledger[0][0] and "镇问题一" in _texts(ledger) and "本级问题" not in _texts(ledger)
    assert load_workbook(path).sheetnames == ["整改台账", "汇总"]

    pdf = tmp_path / "台账.pdf"
    rectification.export_ledger(towns, Y, date(Y, 6, 1), pdf, "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_key_evaluations_and_exante_of_a_township(towns, tmp_path):
    _add(towns, KeyEvaluation(year=Y, region_code=HOME, object_name="城区保洁", seq="A-01", status="草稿"),
         KeyEvaluation(year=Y, region_code=QS, object_name="青石镇财政运行", seq="A-02", status="草稿",
                       object_type="下级财政运行"),
         ExAnteAssessment(year=Y, region_code=QS, object_name="青石镇污水管网", status="草稿", requested_fen=5_000_000))
    assert [(r.object_name, r.region) for r in key_eval_year.list_year(towns, Y)] == [("城区保洁", "钢城区"),
                                                                                      ("青石镇财政运行", "青石镇")]
    path = tmp_path / "附件.xlsx"
    assert key_eval_year.export_year(towns, Y, "xlsx", path) == 2
    detail = _sheet(path, "附件1 明细表")
    assert "区划" in detail[2] and "青石镇" in _texts(detail)
    assert key_eval_year.export_year(towns, Y, "xlsx", path, region=HOME) == 1
    detail = _sheet(path, "附件1 明细表")
    assert "钢城区本级" in detail[0][0] and "青石镇财政运行" not in _texts(detail)

    assert [(r.name, r.region) for r in exante_year.list_year(towns, Y)] == [("青石镇污水管网", "青石镇")]
    assert exante_year.export_summary(towns, Y, "xlsx", path, region=HOME) == 0
    assert exante_year.export_summary(towns, Y, "pdf", tmp_path / "汇总.pdf", region=QS) == 1


def test_results_count_per_region_and_follow_the_project(towns, tmp_path):
    pid = projects.save_project(towns, project_raw(code="QS2023001", name="青石镇道路养护"))
    with towns.session() as s:
        s.get(Project, pid).region_code = QS
    results.save(towns, ResultDraft(year=Y, measure="调减", project_id=pid, amount="20"))
    results.save(towns, ResultDraft(year=Y, measure="收回", object_name="本级某项目", amount="5"))
    rows = results.list_year(towns, Y)
    assert [(r.object_name, r.region_code, r.region) for r in rows] == [("青石镇道路养护", QS, "青石镇"),
                                                                         ("本级某项目", HOME, "钢城区")]
    view = results.year_table(towns, Y)
    regions = dict(view.regions)
    assert (regions["青石镇"].problems, regions["青石镇"].rectified, regions["青石镇"].cut_fen) == (2, 1, 20_000_000)  # 20万元
    assert (regions["钢城区本级"].problems, regions["钢城区本级"].recovered_fen) == (1, 5_000_000)
    assert regions["艾山街道"].problems == 0 and view.counts.problems == 3

    path = tmp_path / "结果应用.xlsx"
    results.export_results(towns, Y, "xlsx", path)
    sheet = _sheet(path, "按区划汇总")
    assert sheet[2][:3] == ("区划", "问题数（个）", "已整改数（个）")
    assert ("青石镇", 2, 1) == next(r for r in sheet if r[0] == "青石镇")[:3]
    assert results.export_results(towns, Y, "xlsx", path, region=QS) == 1
    assert "按区划汇总" not in load_workbook(path).sheetnames
    table = _sheet(path, "结果应用情况表")
    assert "青石镇" in table[0][0] and "本级某项目" not in _texts(table)
    assert results.export_results(towns, Y, "pdf", tmp_path / "结果应用.pdf") == 2


def test_a_county_without_townships_prints_no_region(county, tmp_path):
    _add(county, _item(HOME, "城市管理局", "本级问题"))
    view = rectification.list_year(county, Y, date(Y, 6, 1))
    assert not view.region_column and view.regions == () and view.rows[0].region == "钢城区"
    path = tmp_path / "台账.xlsx"
    rectification.export_ledger(county, Y, date(Y, 6, 1), path)
    assert load_workbook(path).sheetnames == ["整改台账", "汇总"] and "区划" not in _sheet(path, "整改台账")[2]
    assert not results.year_table(county, Y).region_column and results.year_table(county, Y).regions == ()
    assert not key_eval_year.year_view(county, Y).region_column


def _fiscal_rows(ws, region=None) -> list[tuple]:
    return [(r.code, r.object_type, r.region) for r in key_eval_year.list_year(ws, Y, region)]


def test_a_township_fiscal_evaluation_is_the_townships_typed_or_imported(towns, tmp_path):
    typed = key_eval.save(towns, replace(key_eval.new_evaluation(towns, Y, TOWNSHIP, object_name="青石镇财政运行评价"),
                                         code="T-01"))
    assert _fiscal_rows(towns, QS) == [("T-01", TOWNSHIP, "青石镇")]
    typed = key_eval.save(towns, replace(typed, object_type=POLICY))  # no longer a township's: back to 本级
    assert _fiscal_rows(towns, HOME) == [("T-01", POLICY, "钢城区")] and _fiscal_rows(towns, QS) == []
    key_eval.save(towns, replace(typed, object_type=TOWNSHIP))

    evals = [[code, Y, kind, "", name, "", "", "一般公共预算", 100, None, "", 88, "良", ""] for code, kind, name in (
        ("T-01", TOWNSHIP, "青石镇财政运行评价"), ("T-02", TOWNSHIP, "艾山街道财政运行评价"), ("A-01", "项目", "城区保洁"))]
    from tests.unit.test_key_eval_import import workbook  # the import's own two-sheet builder

    sentence = key_eval_import.import_file(towns, workbook(tmp_path / "附件.xlsx", evals))
    assert "新增2项，更新1项" in sentence  # the typed T-01 is replaced, not made twice
    assert _fiscal_rows(towns, QS) == [("T-01", TOWNSHIP, "青石镇")]
    assert _fiscal_rows(towns, AS) == [("T-02", TOWNSHIP, "艾山街道")]
    assert _fiscal_rows(towns, HOME) == [("A-01", "项目", "钢城区")]
