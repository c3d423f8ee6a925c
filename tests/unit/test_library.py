"""指标库: the starter library covers the seeds' project types, search and tree browsing, and the
Excel round trip — a county's own library in, all or nothing, every bad cell named."""

import openpyxl
import pytest

from app.io.library_io import HEADERS, SHEET, render_library, write_template
from app.io.xlsx import read_table
from app.rules.validation import RejectedError
from app.services import library
from app.services.library import import_file as import_library
from tests.support import LIBRARY_ROW as ROW, write_sheet


def export_library(ws, path):
    return render_library(library.library_view(ws).rows, path)


@pytest.fixture
def lib(county):
    library.ensure_starter_library(county)
    return county


def rows_of(ws):
    return library.list_library(ws)


def test_the_starter_library_covers_the_seeds_project_types(lib):
    view = library.library_view(lib)
    rows = list(view.rows)
    assert len(rows) >= 250 and library.ensure_starter_library(lib) == 0  # loaded once
    industries = {r.industry for r in rows}
    assert {"教育", "社会保障和就业", "卫生健康", "农林水", "城乡社区", "交通运输", "文化旅游体育", "一般公共服务", "共性"} <= industries
    level2 = {(r.level1, r.level2) for r in rows}
    for needed in [("产出", "数量"), ("产出", "质量"), ("产出", "时效"), ("产出", "成本"), ("效益", "经济效益"),
                   ("效益", "社会效益"), ("效益", "生态效益"), ("效益", "可持续影响"), ("满意度", "服务对象满意度")]:
        assert needed in level2, needed
    for words in ("补贴 发放", "公用经费", "公路 养护", "保洁", "工程 验收", "设备 采购", "培训", "第三方"):
        assert view.search(words), words
    assert all(r.explanation and r.direction in ("≥", "≤", "=", "定性") for r in rows)


def test_search_and_tree_narrow_the_same_list(lib):
    view = library.library_view(lib)
    tree = view.tree
    assert sum(n for l1 in tree.values() for l2 in l1.values() for n in l2.values()) == len(view.rows)
    education = view.search(branch=("教育",))
    assert education and {r.industry for r in education} == {"教育"}
    quantity = view.search(branch=("教育", "产出", "数量"))
    assert len(quantity) == tree["教育"]["产出"]["数量"] and all(r.level2 == "数量" for r in quantity)
    assert view.search("学生 人数", ("教育",)) and not view.search("学生 人数 不存在的词")


def test_export_then_import_round_trips_without_changes(lib, tmp_path):
    out = tmp_path / "库.xlsx"
    count = export_library(lib, out)
    before = rows_of(lib)
    assert count == len(before)
    sheet = openpyxl.load_workbook(out)[SHEET]
    assert [c.value for c in sheet[3]] == HEADERS and sheet.freeze_panes == "A4"
    assert import_library(lib, out) == f"导入完成：新增指标0个，更新指标{count}个。"
    assert rows_of(lib) == before


def test_a_countys_own_indicators_are_added_and_updated_by_code(lib, tmp_path):
    start = len(rows_of(lib))
    path = write_sheet(tmp_path / "own.xlsx", SHEET, HEADERS, [ROW, [None, *ROW[1:5], "资助资金按时发放率", "=", "%", "100",
                                                                      None, "按时发放的资金占应发资金的比例", None, None]])
    assert import_library(lib, path) == "导入完成：新增指标2个，更新指标0个。"
    changed = list(ROW)
    changed[8] = "1300"
    write_sheet(path, SHEET, HEADERS, [changed])
    assert import_library(lib, path) == "导入完成：新增指标0个，更新指标1个。"
    rows = rows_of(lib)
    assert len(rows) == start + 2
    assert [r.ref_value for r in rows if r.code == "CJ-JY-001"] == ["1300"]
    assert [r.scope for r in rows if r.level3 == "资助资金按时发放率"] == ["项目"]  # blank scope means 项目


def test_a_file_with_bad_cells_changes_nothing_and_names_each_one(lib, tmp_path):
    before = rows_of(lib)
    bad_level1 = list(ROW)
    bad_level1[3] = "投入"  # 产出指标 is read as 产出 (app.domain.levels)
    bad_direction = [*ROW[:6], "大于", *ROW[7:]]
    bad_direction[0] = "CJ-JY-002"
    duplicate = list(ROW)
    path = write_sheet(tmp_path / "bad.xlsx", SHEET, HEADERS, [ROW, bad_level1, bad_direction, duplicate,
                                                               [None, "教育", None, "产出", "数量", None, "≥"]])
    with pytest.raises(RejectedError) as exc:
        import_library(lib, path)
    found = [(c.row, c.header, c.expected) for c in exc.value.cells]
    assert found == [
        (3, "一级指标", "应为产出、效益、满意度、履职效能、管理效率之一"),
        (4, "指标性质", "应为≥、≤、=、定性之一"),
        (5, "指标编码", "与第2行是库中同一个指标，文件中应只出现一次"),
        (6, "三级指标", "为必填项"),
    ]
    assert rows_of(lib) == before


def test_the_template_has_the_headers_and_instructions(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path)
    table = read_table(path, sheet=SHEET, required=HEADERS)
    assert table.rows == []
    notes = [c.value for c in openpyxl.load_workbook(path)["填报说明"]["A"] if c.value]
    assert any("行业领域（必填）" in n for n in notes) and any("整个文件都不导入" in n for n in notes)


def test_code_and_names_must_agree_and_an_uncoded_row_keeps_the_entrys_code(lib, tmp_path):
    import_library(lib, write_sheet(tmp_path / "a.xlsx", SHEET, HEADERS, [ROW]))  # CJ-JY-001
    start = rows_of(lib)
    uncoded = [None, *ROW[1:8], "1500", *ROW[9:]]  # same names, no code: updates CJ-JY-001, keeps its code
    assert import_library(lib, write_sheet(tmp_path / "b.xlsx", SHEET, HEADERS, [uncoded])) == "导入完成：新增指标0个，更新指标1个。"
    assert [(r.code, r.ref_value) for r in rows_of(lib) if r.level3 == ROW[5]] == [("CJ-JY-001", "1500")]
    before = rows_of(lib)
    other_code = ["CJ-JY-009", *ROW[1:]]  # a new code on names the library holds under CJ-JY-001
    both = [ROW, uncoded]  # the same entry twice: once by code, once by names
    for rows, expected in (([other_code], "库中已有同类同名指标，编码为CJ-JY-001，与本行编码不同，请核对"),
                           ([both[0], both[1]], "与第2行是库中同一个指标，文件中应只出现一次")):
        with pytest.raises(RejectedError) as exc:
            import_library(lib, write_sheet(tmp_path / "c.xlsx", SHEET, HEADERS, rows))
        assert exc.value.cells[-1].expected == expected
    starter = next(r for r in start if r.code and r.code != "CJ-JY-001")
    clash = ["CJ-JY-001", starter.industry, "项目", starter.level1, starter.level2, starter.level3, "≥"] + [None] * 6
    with pytest.raises(RejectedError) as exc:
        import_library(lib, write_sheet(tmp_path / "d.xlsx", SHEET, HEADERS, [clash]))
    assert exc.value.cells[0].expected.startswith("编码CJ-JY-001的指标与库中另一指标")
    assert rows_of(lib) == before  # every refused file changed nothing


def test_the_library_view_loads_the_starter_library_once_and_tells_who_listens(county):
    told = []
    county.subscribe(told.append)
    first = library.library_view(county)
    assert len(first.rows) >= 250 and [b.stages for b in told] == [{"library"}]
    assert library.library_view(county) == first and len(told) == 1  # nothing written the second time


def test_an_import_tells_the_library_changed(lib, tmp_path):
    told = []
    lib.subscribe(told.append)
    import_library(lib, write_sheet(tmp_path / "own.xlsx", SHEET, HEADERS, [ROW]))
    assert [b.stages for b in told] == [{"library"}]
