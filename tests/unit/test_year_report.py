"""The year's report figures on the demo county (its 2023 work, from its own records) and the 数据 sheet."""

from decimal import Decimal

from openpyxl import load_workbook

from app.domain.year_report import by_key, number_text
from app.io.year_report_io import DATA_SHEET, HEADER_ROW, render_data
from app.services.year_report import figures


def test_demo_2023_figures_and_data_sheet(demo_copy, tmp_path):  # the session's demo county, copied
    found = figures(demo_copy, 2023)
    f = by_key(found)
    # 澄江's 24 self-evaluations of 2022 budgets, carried out in 2023
    assert f["self_eval.count"].value == 24
    assert [(f[f"self_eval.grade.{g}"].value, f[f"self_eval.grade.{g}.share"].text) for g in "优良中"] == [
        (17, "70.83"), (3, "12.50"), (4, "16.67")]
    assert "2022年度" in f["self_eval.count"].basis and not f["self_eval.count"].reported
    # training: 和硕 6次 380人次 + 澄江 2次 350人次
    assert (f["training.sessions"].value, f["training.attendees"].value) == (8, 730)
    # cuts: 和硕's 130 and 澄江's 8825.34万元
    assert f["results.cut"].text == "8,955.34" and f["results.cut"].value == Decimal("8955.34")
    # of which 澄江's ex-ante cut (a 结果应用 measure based on its 事前评估), said once more as 其中
    assert f["results.cut.exante"].value == f["exante.cut"].value == Decimal("8825.34")
    # 钢城's 11 key evaluations of 2022 projects, evaluated in 2023
    assert (f["key_eval.count"].value, f["key_eval.amount"].text) == (11, "13,997.53")
    assert (f["key_eval.grade.优"].value, f["key_eval.grade.良"].value) == (9, 2)
    # every round: 项目数, 金额, 总体进度, 序时进度
    assert f["monitoring.8.schedule"].text == "66.67" and {"monitoring.8.projects", "monitoring.8.amount",
                                                            "monitoring.8.progress"} <= set(f)
    assert {"exante.count", "targets.projects", "targets.departments", "targets.amount", "rectification.count",
            "rectification.closed", "rectification.overdue"} <= set(f)
    # no verification draws in the demo: the county's 上报数 stands, marked so
    drawn = [x for x in found if x.section == "真实性核查"]
    assert drawn and all(x.reported for x in drawn) and drawn[0].value == 20
    # the seeds' order of sections
    order = list(dict.fromkeys(x.section for x in found))
    assert order == ["事前绩效评估", "绩效目标", "运行监控", "绩效自评", "重点评价", "真实性核查", "结果应用", "整改", "培训"]

    path = tmp_path / "report.xlsx"
    assert render_data(2023, found, path) == len(found)
    sheet = load_workbook(path)[DATA_SHEET]
    assert [c.value for c in sheet[HEADER_ROW]] == ["部分", "数据项", "数值", "单位", "口径", "来源"]
    cells = {r[1]: r for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert cells["自评等级“优”占比"][2:4] == ("70.83", "%")
    assert cells["结果应用调减金额"][2:4] == ("8,955.34", "万元")  # as the text writes it, thousands separated
    assert cells["培训人次"][2:4] == ("730", "人次") and cells["培训人次"][5] == "系统记录"
    assert cells["重点评价金额"][2] == "13,997.53" and cells["各股室随机抽取核查项目"][5] == "上报数"


def test_number_text():
    assert number_text(Decimal("8955.345"), "万元") == "8,955.35"
    assert number_text(Decimal("196579.94"), "万元") == "196,579.94" and number_text(Decimal("0"), "万元") == "0.00"
    assert number_text(Decimal("70.8333"), "%") == "70.83"
    assert number_text(24, "份") == "24"
