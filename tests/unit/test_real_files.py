"""The files users really have: the spellings of the provincial 一体化 systems (产出指标, 数量指标),
money headed in 元 or with no unit, a title row or merged banner above the header, and the older
.xls of Excel 97–2003 and WPS.

tests/data/county_projects.xls and county_targets.xls were made the way a county makes them: an
openpyxl sheet with a merged title row (and, for the projects, a 单位：元 line, an empty row and
*-marked headers in 元), saved as "MS Excel 97" by LibreOffice."""

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.domain import levels
from app.domain.targets import LEVEL1
from app.io import monitoring_import as mon_io
from app.io.library_io import parse_library
from app.io.projects_import import parse_projects
from app.io.targets_import import parse_targets
from app.io.xlsx import NOT_XLSX, read_table
from app.io.xlsx_read import split_unit, yuan_to_wan
from app.rules.validation import RejectedError
from app.services import projects, targets
from app.services.project_import import import_file as import_projects
from app.services.target_import import import_file as import_targets
from tests.support import LIBRARY_ROW, write_sheet

DATA = Path(__file__).resolve().parent.parent / "data"
LIBRARY_HEADERS = ["指标编码", "行业领域", "适用范围", "一级指标", "二级指标", "三级指标", "指标性质", "计量单位",
                   "参考值", "参考值依据", "指标解释", "评分方法", "来源"]


# -- spellings -------------------------------------------------------------------------------------
def test_levels_have_one_canonical_spelling():
    assert levels.LEVEL1 == LEVEL1
    assert [levels.level1(t) for t in ("产出指标", "效益指标", "满意度指标", " 产出 ", "产出 指标", "履职效能指标")] == [
        "产出", "效益", "满意度", "产出", "产出", "履职效能"]
    assert [levels.level2(t) for t in ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标",
                                       "生态效益指标", "可持续影响指标", "服务对象满意度指标")] == [
        "数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "可持续影响", "服务对象满意度"]
    assert levels.level2("工程进度") == "工程进度"  # a county's own 二级指标 is kept as typed
    assert levels.level1("投入指标") == "投入指标"  # not a level: the check refuses it as typed
    assert levels.level1(None) == ""


def test_a_targets_file_in_the_provincial_spelling_is_read_in_the_programs_words(tmp_path):
    path = write_sheet(tmp_path / "t.xlsx", "绩效目标", ["项目编码", "年度", "一级指标", "二级指标", "三级指标", "指标性质", "指标值"],
                       [["DH2023005", 2023, "产出指标", "数量指标", "保洁面积", "≥", "320"],
                        ["DH2023005", 2023, "满意度指标", "服务对象满意度指标", "居民满意度", "≥", "90"],
                        ["DH2023005", 2023, "投入指标", "数量指标", "资金到位", "≥", "1"]])
    found, problems = parse_targets(path)
    assert [(i.level1, i.level2) for i in found[0].indicators] == [("产出", "数量"), ("满意度", "服务对象满意度"),
                                                                    ("投入指标", "数量")]
    assert [(c.row, c.header) for c in problems] == [(4, "一级指标")]  # only the unknown word is refused


def test_a_library_file_in_the_provincial_spelling_is_read_in_the_programs_words(tmp_path):
    row = list(LIBRARY_ROW)
    row[3], row[4] = "效益指标", "社会效益指标"
    library, problems = parse_library(write_sheet(tmp_path / "l.xlsx", "指标库", LIBRARY_HEADERS, [row]))
    assert problems == []
    assert (library.rows[0].values["level1"], library.rows[0].values["level2"]) == ("效益", "社会效益")


# -- units in headers ------------------------------------------------------------------------------
def test_header_units_split_as_users_write_them():
    assert split_unit("预算数(元)") == ("预算数", "元")
    assert split_unit("预算数【万元】") == ("预算数", "万元")
    assert split_unit("预算数") == ("预算数", None)
    assert yuan_to_wan(12345.67) == Decimal("1.234567")
    assert yuan_to_wan("1,000") == Decimal("0.1")
    assert yuan_to_wan(Decimal("0.005")) is None  # finer than a fen
    assert yuan_to_wan("九万") == "九万"  # left for the parser to name


def budget_file(path, header, rows, banner=True):
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = mon_io.BUDGET_SHEET
    if banner:
        sheet.append(["2023年1-8月预算执行情况"])
        sheet.merge_cells("A1:C1")
        sheet.append(["填报单位：钢城区财政局"])
    sheet.append(["项目编码", header, "全年预计执行数"])
    for row in rows:
        sheet.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("header", ["截至执行数（元）", "截至执行数(元)", "截至执行数【元】", " 截至执行数 ( 元 ) "])
def test_money_headed_in_yuan_is_converted_exactly_to_wan(tmp_path, header):
    parsed, problems = mon_io.parse_monitoring(budget_file(tmp_path / "b.xlsx", header, [
        ["DH2023002", 94600.01, 50], ["DH2023005", "1,234,567.8", None]]))
    assert problems == []
    assert [(l.code, l.executed_fen, l.projected_fen) for l in parsed.budget] == [
        ("DH2023002", 9_460_001, 50_000_000), ("DH2023005", 123_456_780, None)]  # 全年预计 without unit: 万元


def test_money_headed_in_wan_or_without_unit_is_read_in_wan(tmp_path):
    for n, header in enumerate(["截至执行数（万元）", "截至执行数", "截至执行数[万元]"]):
        parsed, problems = mon_io.parse_monitoring(budget_file(tmp_path / f"w{n}.xlsx", header, [["DH2023002", "9.46", None]],
                                                               banner=bool(n % 2)))
        assert problems == [] and parsed.budget[0].executed_fen == 9_460_000


def test_a_yuan_amount_finer_than_a_fen_is_refused_naming_the_cell(tmp_path):
    path = budget_file(tmp_path / "fine.xlsx", "截至执行数（元）", [["DH2023002", "94600.005", None], ["DH2023005", 1, None]])
    with pytest.raises(RejectedError) as exc:
        mon_io.parse_monitoring(path)
    assert [(c.row, c.header, c.actual) for c in exc.value.cells] == [(4, "截至执行数（万元）", "94600.005")]
    assert "比分还细" in exc.value.summary


def test_a_unit_the_program_cannot_convert_is_not_taken_for_the_column(tmp_path):
    with pytest.raises(RejectedError) as exc:
        mon_io.parse_monitoring(budget_file(tmp_path / "k.xlsx", "截至执行数（千元）", [["DH2023002", 1, None]]))
    assert [c.header for c in exc.value.cells] == ["截至执行数（万元）"]


def test_the_header_row_is_found_below_a_title_and_a_merged_banner_within_ten_rows(tmp_path):
    path = tmp_path / "deep.xlsx"
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["项目编码一览（不是表头）"])
    sheet.merge_cells("A1:D2")
    for _ in range(6):
        sheet.append([])
    sheet.append(["项目编码", "项目名称"])  # row 8
    sheet.append(["A1", "甲"])
    wb.save(path)
    table = read_table(path, sheet=None, required=["项目编码", "项目名称"])
    assert table.header_row == 8 and table.rows == [(9, {"项目编码": "A1", "项目名称": "甲"})]


# -- .xls ------------------------------------------------------------------------------------------
def test_an_xls_project_list_in_yuan_below_a_banner_imports_like_xlsx(county):
    summary = import_projects(county, DATA / "county_projects.xls")
    assert "新增项目2个" in summary.sentence()
    rows = {r.code: r for r in projects.list_projects(county, 2023)}
    assert (rows["3701172023001"].initial_fen, rows["3701172023001"].annual_fen) == (3_201_180_000, 3_201_180_050)
    assert rows["3701172023002"].annual_fen == 8_000_000_001  # 80000000.01元 = 8000.000001万元, exact to the fen
    assert rows["3701172023001"].is_key is True


def test_an_xls_targets_file_in_the_provincial_spelling_imports(year):
    assert "导入完成" in import_targets(year, DATA / "county_targets.xls")
    project = next(r for r in targets.list_targets(year, 2023) if r.code == "DH2023005")
    draft = targets.open_target(year, project.project_id)
    assert [(i.level1, i.level2) for i in draft.indicators] == [
        ("产出", "数量"), ("产出", "质量"), ("产出", "时效"), ("产出", "成本"), ("效益", "社会效益"), ("满意度", "服务对象满意度")]
    assert [i.points for i in draft.indicators] == ["20", "15", "15", "10", "20", "20"]


def test_a_file_that_is_neither_xlsx_nor_xls_is_refused_in_a_sentence(tmp_path):
    fake = tmp_path / "fake.xls"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # an OLE2 header, no workbook
    for path in (fake, tmp_path / "text.xlsx"):
        if not path.exists():
            path.write_text("项目编码,项目名称\n")
        with pytest.raises(RejectedError) as exc:
            parse_projects(path)
        assert exc.value.summary == NOT_XLSX


# -- templates -------------------------------------------------------------------------------------
def lists_of(path, sheet):
    """{header: (options, stops anything else)} of a template sheet's drop-downs (header on row 3)."""
    ws = openpyxl.load_workbook(path)[sheet]
    header = {cell.column_letter: cell.value for cell in ws[3]}
    out = {}
    for dv in ws.data_validations.dataValidation:
        letter = str(dv.sqref).split(":")[0].rstrip("0123456789")
        out[header[letter]] = (tuple(dv.formula1.strip('"').split(",")), dv.errorStyle in (None, "stop"))
    return ws, header, out


def test_templates_offer_drop_downs_for_closed_fields_and_format_money(tmp_path, year, round_id):
    from app.domain.library import BASES, SCOPES
    from app.domain.projects import CATEGORIES, FUND_TYPES
    from app.io import library_io, projects_io, targets_import
    from app.rules import monitoring as rules
    from app.services.monitoring_import import write_fill_sheet

    projects_io.write_template(tmp_path / "p.xlsx")
    ws, header, lists = lists_of(tmp_path / "p.xlsx", "项目")
    assert lists == {"资金性质": (FUND_TYPES, True), "项目类别": (CATEGORIES, True), "重点项目": (("是", "否"), True)}
    money = [letter for letter, h in header.items() if h and h.endswith("（万元）")]
    assert len(money) == 4 and all(ws.column_dimensions[m].number_format == "#,##0.00" for m in money)

    targets_import.write_template(tmp_path / "t.xlsx")
    _, _, lists = lists_of(tmp_path / "t.xlsx", "绩效目标")
    assert lists["一级指标"] == (LEVEL1, True)
    assert lists["二级指标"] == (levels.LEVEL2, False)  # offered; a county's own 二级指标 stays allowed
    assert lists["指标性质"][0][:3] == ("≥", "≤", "=")

    write_fill_sheet(year, round_id, tmp_path / "m.xlsx")
    ws, header, lists = lists_of(tmp_path / "m.xlsx", "指标完成")
    assert lists == {"偏差原因类别": (rules.CAUSE_CLASSES, True), "完成可能性": (rules.LIKELIHOODS, True)}
    budget = openpyxl.load_workbook(tmp_path / "m.xlsx")["预算执行"]
    assert budget["C4"].number_format == "#,##0.00" and budget["A4"].value == "DH2023002"  # pre-filled rows kept

    library_io.write_template(tmp_path / "l.xlsx")
    _, _, lists = lists_of(tmp_path / "l.xlsx", "指标库")
    assert lists["适用范围"] == (SCOPES, True) and lists["参考值依据"] == (BASES, True)
    for path in ("p.xlsx", "t.xlsx", "m.xlsx", "l.xlsx"):
        notes = [c.value for c in openpyxl.load_workbook(tmp_path / path)["填报说明"]["A"] if c.value]
        assert any(".xls" in line for line in notes) and any("下拉列表" in line for line in notes), path
