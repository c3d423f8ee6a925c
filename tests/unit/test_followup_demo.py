"""The demo county's follow-up as a bureau sees it: 钢城's problems of its 2022 key evaluations are
2023 整改事项 due 10月15日, linked to the evaluation they came from; on 2023-11-01 the ones still 整改中
are 17 days overdue and the closed ones (完成日期 before the deadline) are not; the 2023 结果应用 table
holds 和硕's 调减130万元 and 澄江's 调减8825.34万元 (its 依据 the 事前评估 of 教育综合改革专项资金)."""

from datetime import date

from openpyxl import load_workbook

from app.services import rectification, results

WAN = 1_000_000  # fen
DUE = date(2023, 10, 15)
LATER = date(2023, 11, 1)


def _gangcheng(view):
    return [r for r in view.rows if r.deadline == DUE and r.source == "重点评价"]


def test_gangchengs_problems_are_items_due_october_15_some_closed_some_overdue(demo_copy):
    view = rectification.list_year(demo_copy, 2023, LATER)
    items = _gangcheng(view)
    assert sorted(r.category for r in items) == sorted(
        ["立项", "绩效目标", "资金投入", "资金管理", "组织管理", "产出效果", "满意度调查"])
    closed = [r for r in items if r.status == "已销号"]
    open_ = [r for r in items if r.status == "整改中"]
    assert len(closed) == 4 and len(open_) == 3
    assert all(r.completed_on < DUE and r.verify_result == "通过" for r in closed)
    assert all(not r.overdue and r.overdue_days == 0 for r in closed)
    assert all(r.overdue and r.overdue_days == 17 for r in open_)
    assert {r.responsible for r in open_} == {"示范县住房和城乡建设局", "示范县水务局"}
    # on the deadline itself nothing is overdue yet
    on_the_day = _gangcheng(rectification.list_year(demo_copy, 2023, DUE))
    assert [r.overdue_days for r in on_the_day] == [0] * 7
    housing = next(u for u in view.units if u.responsible == "示范县住房和城乡建设局")
    assert (housing.count, housing.closed, housing.overdue) == (2, 0, 2)


def test_each_gangcheng_item_links_back_to_its_key_evaluation(demo_copy):
    from app.services.key_eval_year import list_year as key_evals

    by_name = {r.object_name: r.eval_id for r in key_evals(demo_copy, 2022)}
    housing = by_name["农村公厕建设"]
    shown = rectification.items_of_source(demo_copy, "重点评价", housing, LATER)
    assert sorted(r.category for r in shown) == ["产出效果", "立项"]
    assert all(r.description.startswith("农村公厕建设：") and r.project_name == "农村公厕建设" for r in shown)


def test_the_2023_result_table_sums_the_cuts_of_heshuo_and_chengjiang(demo_copy):
    view = results.year_table(demo_copy, 2023)
    cuts = next(g for g in view.groups if g.measure == "调减")
    assert sorted(r.amount_fen for r in cuts.rows) == [130 * WAN, 8825_340_000]
    assert cuts.subtotal_fen == 130 * WAN + 8825_340_000
    assert view.counts.cut_fen == 130 * WAN + 8825_340_000
    chengjiang = next(r for r in cuts.rows if r.amount_fen == 8825_340_000)
    assert chengjiang.basis == "事前评估" and chengjiang.basis_id is not None
    assert chengjiang.basis_text == "2024年事前评估：教育综合改革专项资金（良）"
    assert chengjiang.affect_year == 2024 and chengjiang.object_kind == "项目"
    assert view.counts.rectified >= 4 and view.counts.problems >= 7
    assert {g.measure for g in view.groups} >= {"公开", "报人大", "通报"}
    # 潜江's 12 published and 8 sent to the 人大 (measures with their 数量), 和硕's 5 published and 澄江's 5
    # sent (flags on the evaluations): each report counted once
    assert (view.counts.published, view.counts.to_congress) == (17, 13)


def test_the_ledger_export_counts_overdue_days_to_the_date_asked(demo_copy, tmp_path):
    path = tmp_path / "台账.xlsx"
    rectification.export_ledger(demo_copy, 2023, LATER, path)
    text = [[c.value for c in row] for ws in load_workbook(path) for row in ws.iter_rows()]
    assert any("农村公厕建设" in str(cell) for row in text for cell in row)
    assert any(17 in row for row in text)
