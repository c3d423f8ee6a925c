"""自评表 from Excel, all or nothing: rows fill a project's own table by 三级指标 where the target
is approved, a past table without one is kept as printed for the check to judge, and every bad
cell is named with nothing written."""

from __future__ import annotations

from decimal import Decimal as D

import openpyxl
import pytest

from app.rules.validation import RejectedError
from app.services.self_eval_import import import_file
from app.services.self_eval_year import check_year, list_year

BUDGET = ["项目编码", "年度", "预算行", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "执行率", "分值", "得分",
          "原因", "总分", "评价等级", "状态"]
INDICATORS = ["项目编码", "年度", "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "实际完成值", "分值",
              "得分", "评分说明", "偏差原因分析及改进措施"]
OWN = [  # the `year` fixture's approved target for DH2023002, every indicator met
    ["DH2023002", 2023, "产出", "数量", "城区道路清扫保洁面积", "≥", "320", "万平方米", "330", "", "", "", ""],
    ["DH2023002", 2023, "产出", "质量", "道路保洁质量考核达标率", "≥", "95", "%", "96%", "", "", "", ""],
    ["DH2023002", 2023, "产出", "时效", "垃圾日产日清率", "=", "100", "%", "100", "", "", "", ""],
    ["DH2023002", 2023, "产出", "成本", "保洁服务合同金额", "≤", "50", "万元", "48", "", "", "", ""],
    ["DH2023002", 2023, "效益", "社会效益", "城区环境卫生群众投诉办结率", "≥", "98", "%", "99", "", "", "", ""],
    ["DH2023002", 2023, "满意度", "服务对象满意度", "城区居民对环境卫生满意度", "≥", "90", "%", "92", "", "", "", ""],
]
# DH2023005 has no approved target: a past table as an office printed it — 分值 overwritten by 得分
PRINTED = [
    ["DH2023005", 2023, "产出指标", "数量指标", "供水量", "≥", "≥500万吨", "万吨", "460万吨", 50, 50, "", ""],
    ["DH2023005", 2023, "效益指标", "社会效益指标", "供水保障率", "≥", "≥98%", "%", "完成", 40, 40, "", ""],
]


def workbook(path, budget_rows, indicator_rows):
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "预算执行"
    sheet.append(BUDGET)
    for row in budget_rows:
        sheet.append(row)
    sheet = wb.create_sheet("指标")
    sheet.append(INDICATORS)
    for row in indicator_rows:
        sheet.append(row)
    wb.save(path)
    return path


def own_budget(status="已提交"):
    return [["DH2023002", 2023, "", 60, 60, 58, "", "", "", "", "", "", status]]


def test_rows_fill_the_projects_own_table_scored_by_the_pack(year, tmp_path):
    sentence = import_file(year, workbook(tmp_path / "自评.xlsx", own_budget(), OWN))
    assert sentence == "导入完成：1份自评表，共6个指标。"
    row = next(r for r in list_year(year, 2023) if r.code == "DH2023002")
    assert (row.status, row.total, row.grade, row.as_printed) == ("已提交", D("99.67"), "优", False)
    assert row.executed_fen == 58_000_000


def test_a_past_table_without_a_target_is_kept_as_printed_and_judged(year, tmp_path):
    budget = [["DH2023005", 2023, "总额", 500, 500, 480, "96%", 10, 9.6, "", 99.6, "良", ""]]
    sentence = import_file(year, workbook(tmp_path / "往年.xlsx", budget, PRINTED))
    assert "1份没有已批复的绩效目标，按原表导入" in sentence
    row = next(r for r in list_year(year, 2023) if r.code == "DH2023005")
    assert (row.status, row.total, row.grade, row.as_printed) == ("已提交", D("99.6"), "良", True)
    found = {f.category for f in check_year(year, 2023) if f.code == "DH2023005"}
    assert {"等级不符", "分值即得分", "未达成却满分", "实际值无法核对"} <= found


def test_every_bad_cell_is_named_and_nothing_lands(year, tmp_path):
    rows = [*OWN[:5], ["DH2023002", 2023, "满意度", "服务对象满意度", "群众满意度（写错）", "≥", "90", "%", "92", "", "", "", ""],
            ["XX2023999", 2023, "产出", "数量", "某指标", "≥", "1", "个", "1", "", "", "", ""],
            ["DH2023002", 2023, "产出", "数量", "城区道路清扫保洁面积", "≥", "320", "万平方米", "330", "", "很好", "", ""]]
    with pytest.raises(RejectedError) as refused:
        import_file(year, workbook(tmp_path / "坏.xlsx", own_budget(), rows))
    named = {(c.sheet, c.row, c.header) for c in refused.value.cells}
    assert ("指标", 7, "三级指标") in named  # matches none of the target's rows
    assert ("指标", 8, "项目编码") in named  # no such project in 2023
    assert ("指标", 9, "得分") in named  # not a number
    assert all(r.status == "未填报" for r in list_year(year, 2023) if r.kind == "项目")


def test_an_incomplete_table_cannot_land_as_submitted_but_can_as_draft(year, tmp_path):
    missed = [OWN[0][:8] + ["300", "", "", "", ""], *OWN[1:]]  # 300 of 320: needs its 偏差原因
    with pytest.raises(RejectedError) as refused:
        import_file(year, workbook(tmp_path / "缺.xlsx", own_budget(), missed))
    (cell,) = refused.value.cells
    assert (cell.sheet, cell.header) == ("预算执行", "状态") and "偏差原因" in cell.message()
    import_file(year, workbook(tmp_path / "草稿.xlsx", own_budget("填报"), missed))
    assert next(r for r in list_year(year, 2023) if r.code == "DH2023002").status == "草稿"


def test_a_submitted_table_is_not_changed_by_import(year, tmp_path):
    import_file(year, workbook(tmp_path / "一.xlsx", own_budget(), OWN))
    with pytest.raises(RejectedError) as refused:
        import_file(year, workbook(tmp_path / "二.xlsx", own_budget(), OWN))
    assert "已提交" in refused.value.cells[0].message()


def test_a_printed_table_keeps_its_blanks_blank(year, tmp_path):
    from app.services.self_eval import open_table

    rows = [PRINTED[0][:10] + ["", "", ""], PRINTED[1]]  # 供水量's 得分 left blank
    budget = [["DH2023005", 2023, "总额", 500, 500, 480, "", 10, "", "", "", "", ""]]
    import_file(year, workbook(tmp_path / "空白.xlsx", budget, rows))
    row = next(r for r in list_year(year, 2023) if r.code == "DH2023005")
    assert (row.total, row.grade) == (None, "")  # nothing printed, nothing invented
    draft = open_table(year, row.eval_id)
    assert [i.score for i in draft.indicators] == ["", "40"] and draft.budget_score == ""


def test_a_fraction_of_a_cent_in_a_printed_score_is_rounded_not_a_crash(year, tmp_path):
    rows = [PRINTED[0][:9] + [50, 50 / 3, "", ""], PRINTED[1]]  # =50/3 as Excel stores it
    import_file(year, workbook(tmp_path / "分数.xlsx", [["DH2023005", 2023, "总额", 500, 500, 480, "", "", "", "", "", "", ""]], rows))
    from app.services.self_eval import open_table

    row = next(r for r in list_year(year, 2023) if r.code == "DH2023005")
    assert open_table(year, row.eval_id).indicators[0].score == "16.67"


def test_a_file_written_against_a_changed_target_fills_its_new_rows(year, tmp_path):
    from dataclasses import replace

    from app.services import self_eval as se, targets
    from app.services.projects import list_projects

    pid = next(p.id for p in list_projects(year, 2023) if p.code == "DH2023002")
    se.save(year, se.open_project(year, pid))  # a draft on the target as first approved
    target = targets.reopen(year, targets.open_target(year, pid), "补充指标")
    rows = [*target.indicators, replace(target.indicators[0], level3="新增保洁路段长度", value="12", points="5")]
    target = targets.submit(year, replace(target, indicators=rows))
    scores = {k: D(90) for k in ("完整性", "相关性", "合理性", "可衡量性")}
    targets.approve(year, targets.review(year, target, scores, True, "同意"))
    extra = ["DH2023002", 2023, "产出", "数量", "新增保洁路段长度", "≥", "12", "公里", "12", "", "", "", ""]
    import_file(year, workbook(tmp_path / "新目标.xlsx", own_budget(), [*OWN, extra]))
    draft = se.open_table(year, next(r.eval_id for r in list_year(year, 2023) if r.code == "DH2023002"))
    assert len(draft.indicators) == 7 and not draft.target_changed and draft.status == "已提交"
