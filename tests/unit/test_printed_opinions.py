"""The printed forms' 审核意见: one row per level of the review chain (主管部门审核意见, 财政业务科室审核意见,
绩效科批复意见 …) with that level's latest opinion, who gave it and when; on a database without users
the single 审核意见 as before."""

import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal

import openpyxl

from app.io import monitoring_reports
from app.services import monitoring_records as rec
from app.services import targets, users
from tests.support import GOAL, GOOD_ROWS, rows_by_code

SCORES = {k: Decimal(90) for k in ("完整性", "相关性", "合理性", "可衡量性")}
ACTUALS = ["330", "96%", "100", "48", "99", "92"]  # the `year` target: 6 indicators, all met
TODAY = f"{date.today().year}年{date.today().month}月{date.today().day}日"


def as_user(ws, name):
    ws.actor = users.login(ws, name, "secret-1")


def texts_of(path, sheet):
    """The form's full-width blocks as label → text (label in the first column, text beside it)."""
    rows = [[c.value for c in row if c.value] for row in openpyxl.load_workbook(path)[sheet].iter_rows()]
    return {row[0]: row[1] for row in rows if len(row) == 2 and str(row[0]).endswith("意见")}


def test_the_target_form_prints_each_levels_latest_opinion(bureau, tmp_path):
    ws = bureau
    filled = dict(annual_goal=GOAL, indicators=[replace(r, value="50" if r.level2 == "成本" else r.value)
                                                for r in GOOD_ROWS])
    as_user(ws, "李单位")
    draft = targets.submit(ws, replace(targets.open_target(ws, ws.project_id), **filled))
    as_user(ws, "张主管")
    draft = targets.review(ws, draft, {}, False, "请细化产出指标")
    as_user(ws, "李单位")
    draft = targets.submit(ws, draft)
    as_user(ws, "张主管")
    draft = targets.review(ws, draft, SCORES, True, "主管部门同意")
    as_user(ws, "王科室")
    draft = targets.review(ws, draft, SCORES, True, "业务科室同意")
    as_user(ws, "刘绩效")
    draft = targets.approve(ws, draft)

    xlsx = tmp_path / "申报表.xlsx"
    targets.export_form(ws, draft, xlsx)
    assert texts_of(xlsx, "申报表") == {  # the return was 主管部门's earlier word: its latest is the pass
        "主管部门审核意见": f"审核通过：主管部门同意（张主管，{TODAY}）",
        "财政业务科室审核意见": f"审核通过：业务科室同意（王科室，{TODAY}）",
        "绩效科批复意见": f"批复（刘绩效，{TODAY}）",
    }
    pdf = tmp_path / "申报表.pdf"
    targets.export_form(ws, draft, pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "")
    for expected in ("主管部门审核意见", "主管部门同意", "财政业务科室审核意见", "业务科室同意", "绩效科批复意见"):
        assert expected in text, expected


def test_after_a_return_the_target_form_prints_only_the_new_rounds_opinions(bureau, tmp_path):
    ws = bureau
    filled = dict(annual_goal=GOAL, indicators=[replace(r, value="50" if r.level2 == "成本" else r.value)
                                                for r in GOOD_ROWS])
    as_user(ws, "李单位")
    draft = targets.submit(ws, replace(targets.open_target(ws, ws.project_id), **filled))
    for name, opinion in (("张主管", "主管部门同意"), ("王科室", "业务科室同意")):
        as_user(ws, name)
        draft = targets.review(ws, draft, SCORES, True, opinion)
    as_user(ws, "刘绩效")
    draft = targets.reopen(ws, targets.approve(ws, draft), "成本指标偏高，请调整")
    xlsx = tmp_path / "申报表.xlsx"
    targets.export_form(ws, draft, xlsx)  # just returned: the round that ended, with the reason
    assert texts_of(xlsx, "申报表") == {
        "主管部门审核意见": f"审核通过：主管部门同意（张主管，{TODAY}）",
        "财政业务科室审核意见": f"审核通过：业务科室同意（王科室，{TODAY}）",
        "绩效科批复意见": f"退回：成本指标偏高，请调整（刘绩效，{TODAY}）",
    }
    as_user(ws, "李单位")
    draft = targets.submit(ws, draft)
    as_user(ws, "张主管")
    draft = targets.review(ws, draft, SCORES, True, "调整后同意")
    targets.export_form(ws, draft, xlsx)  # the re-review so far: not the first round's later levels
    assert texts_of(xlsx, "申报表") == {"主管部门审核意见": f"审核通过：调整后同意（张主管，{TODAY}）"}


def test_without_users_the_target_form_prints_the_single_review_opinion(year, tmp_path):
    relief = next(r for r in targets.list_targets(year, 2023) if r.code == "DH2023002")
    draft = targets.open_target(year, relief.project_id)
    xlsx = tmp_path / "申报表.xlsx"
    targets.export_form(year, draft, xlsx)
    name = year.actor.name
    assert texts_of(xlsx, "申报表") == {"审核意见": f"审核通过：同意（{name}，{TODAY}）"}  # the review, not the 批复


def test_the_monitoring_form_prints_its_chain_and_without_users_its_single_opinion(round_id, bureau, tmp_path):
    ws = bureau
    record_id = rows_by_code(ws, round_id)["DH2023005"].record_id
    draft = rec.open_record(ws, record_id)
    draft.executed, draft.budget_cause = "0", "原水价格未谈定，暂未支付。"
    as_user(ws, "张主管")
    draft = rec.review_record(ws, rec.submit_record(ws, draft), True, "情况属实")
    as_user(ws, "刘绩效")
    rec.review_record(ws, draft, True, "")
    xlsx = tmp_path / "监控表.xlsx"
    monitoring_reports.render_record(rec.record_sheet(ws, record_id), xlsx)
    assert texts_of(xlsx, "监控表") == {"主管部门审核意见": f"审核通过：情况属实（张主管，{TODAY}）",
                                        "绩效科审核意见": f"审核通过（刘绩效，{TODAY}）"}


def test_without_users_the_monitoring_form_keeps_its_one_opinion(year, round_id, tmp_path):
    record_id = rows_by_code(year, round_id)["DH2023005"].record_id
    draft = rec.open_record(year, record_id)
    draft.executed, draft.budget_cause = "0", "原水价格未谈定，暂未支付。"
    rec.review_record(year, rec.submit_record(year, draft), False, "请补充原水价格谈判进展")
    xlsx = tmp_path / "监控表.xlsx"
    monitoring_reports.render_record(rec.record_sheet(year, record_id), xlsx)
    assert texts_of(xlsx, "监控表") == {"审核意见": "请补充原水价格谈判进展"}


def test_the_self_evaluation_form_prints_each_levels_opinion(year, bureau, tmp_path):
    from app.io.self_eval_reports import render_form
    from app.services import self_eval as se
    from app.services.self_eval_year import form_view

    ws = bureau
    relief = next(r for r in targets.list_targets(ws, 2023) if r.code == "DH2023002")
    as_user(ws, "张主管")  # the project is the 主管部门's own: it fills, submits and reviews first
    draft = se.open_project(ws, relief.project_id)
    draft = replace(draft, indicators=[replace(i, actual=a) for i, a in zip(draft.indicators, ACTUALS)],
                    budget=[replace(draft.budget[0], executed="58"), *draft.budget[1:]])
    draft = se.review(ws, se.submit(ws, draft), True, "自评属实")
    as_user(ws, "刘绩效")
    draft = se.review(ws, draft, True, "同意")
    view = form_view(ws, draft)
    assert [t for t in view.texts if t[0].endswith("意见")] == [
        ("主管部门审核意见", f"审核通过：自评属实（张主管，{TODAY}）"), ("绩效科审核意见", f"审核通过：同意（刘绩效，{TODAY}）")]
    pdf = tmp_path / "自评表.pdf"
    render_form(view, "pdf", pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "")
    assert "主管部门审核意见" in text and "自评属实" in text and "绩效科审核意见" in text
