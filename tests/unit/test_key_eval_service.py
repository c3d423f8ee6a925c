"""重点评价 through its service: a new evaluation of a project on a preset tree, scored with
deductions, saved and reopened as the same tree, moved to 已定稿 and back, a problem turned into a
整改 item, and the 报告摘要 with its dimension sentence."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from app.rules.validation import RejectedError
from app.services import key_eval as ke
from app.services.key_eval_year import grade_count, list_year, report
from app.services.projects import list_projects


def project_id(ws, code="DH2023005"):
    return next(p.id for p in list_projects(ws, 2023) if p.code == code)


def full_marks(draft):
    return replace(draft, leaves=[replace(line, score=line.points) for line in draft.leaves])


def test_a_new_evaluation_takes_the_project_and_the_default_tree(year):
    draft = ke.new_evaluation(year, 2023, "项目", project_id=project_id(year))
    assert (draft.object_name, draft.budget, draft.fund_type) == ("净水厂原水水费及场地租金", "500.00", "一般公共预算")
    scored = ke.score(year, draft)
    assert [(d.name, d.points) for d in scored.dimensions] == [("决策", D(20)), ("过程", D(20)), ("产出", D(40)),
                                                                ("效益", D(20))]
    assert scored.total is None and any(n.field == "score" for n in scored.needs)


def test_scores_deductions_and_the_tree_saved_and_read_back(year):
    draft = ke.with_preset(year, ke.new_evaluation(year, 2023, project_id=project_id(year)), "德惠 15/15/50/20")
    draft = full_marks(draft)
    off = replace(draft.leaves[0], score=f"{D(draft.leaves[0].points) - D('2.5')}")
    with pytest.raises(RejectedError) as refused:
        ke.submit(year, replace(draft, leaves=[off, *draft.leaves[1:]]))
    assert "0:deduction" in refused.value.report.fields()  # points off need their 扣分原因
    draft = replace(draft, leaves=[replace(off, deduction="立项依据不充分"), *draft.leaves[1:]], spend="450")
    scored = ke.score(year, draft)
    assert scored.total == D("97.5") and scored.dimensions[0].score == D("12.5") and scored.grade == "优"
    saved = ke.save(year, draft)
    assert [(t.level1, t.level2, t.level3, t.points, t.score) for t in saved.leaves] == \
        [(t.level1, t.level2, t.level3, t.points, t.score) for t in draft.leaves]
    row = next(r for r in list_year(year, 2023) if r.eval_id == saved.eval_id)
    assert (row.total, row.grade, row.rate, row.status) == (D("97.5"), "优", D("0.9"), "草稿")


def test_the_workflow_to_finalized_and_back(year):
    saved = ke.save(year, full_marks(ke.new_evaluation(year, 2023, project_id=project_id(year))))
    passed = ke.review(year, ke.submit(year, saved), True, "同意")
    final = ke.finalize(year, passed)
    assert final.status == "已定稿"
    with pytest.raises(RejectedError):
        ke.save(year, final)  # a finalized report is read-only
    with pytest.raises(RejectedError, match="原因"):
        ke.reopen(year, final, "")
    assert ke.reopen(year, final, "发现计算错误").status == "退回修改"


def test_a_problem_becomes_one_rectification_item(year):
    saved = ke.save(year, full_marks(ke.new_evaluation(year, 2023, project_id=project_id(year))))
    with pytest.raises(RejectedError):
        ke.to_rectification(year, saved, "  ")
    item = ke.to_rectification(year, saved, "资金未按进度拨付").rectifications
    assert [(i.description, i.status) for i in item] == [("资金未按进度拨付", "待整改")]
    with pytest.raises(RejectedError, match="已经转为整改事项"):
        ke.to_rectification(year, saved, "资金未按进度拨付")


def test_the_report_summary_drafts_the_sections_from_the_figures(year):
    draft = ke.with_preset(year, ke.new_evaluation(year, 2023, project_id=project_id(year)), "德惠 15/15/50/20")
    saved = ke.save(year, replace(full_marks(draft), spend="463.71", budget="524"))
    summary = report(year, saved)
    assert "执行率为88.49%" in summary.funds
    assert "综合得分100分" in summary.conclusion and "决策指标权重15分，得分15分" in summary.conclusion
    assert [(d.name, d.weight) for d in summary.dimensions][0] == ("决策", "15%")


def test_grade_count_sentence():
    from types import SimpleNamespace as Row

    rows = [Row(grade="优")] * 9 + [Row(grade="良")] * 2
    assert grade_count(rows) == "9个项目评价结果为“优”，2个项目评价结果为“良”"


def test_a_weight_that_is_not_a_number_is_named(year):
    draft = ke.new_evaluation(year, 2023, project_id=project_id(year))
    bad = replace(draft, leaves=[replace(draft.leaves[0], points="五"), *draft.leaves[1:]], budget="很多")
    with pytest.raises(RejectedError) as refused:
        ke.save(year, bad)
    assert {"0:points", "budget"} <= refused.value.report.fields()


def test_a_tree_the_store_cannot_hold_is_named_not_lost(year):
    draft = full_marks(ke.new_evaluation(year, 2023, project_id=project_id(year)))
    twice = replace(draft, leaves=[*draft.leaves, draft.leaves[0]])
    with pytest.raises(RejectedError) as refused:
        ke.save(year, twice)
    assert f"{len(draft.leaves)}:level3" in refused.value.report.fields()
    bare = replace(draft, leaves=[*draft.leaves, replace(draft.leaves[0], level2="", level3="", points="1", score="1")])
    with pytest.raises(RejectedError):
        ke.save(year, bare)  # 决策 has other rows: this one must say which it is
    saved = ke.save(year, draft)
    assert ke.score(year, saved).total == ke.score(year, draft).total == D(100)


def test_a_tree_only_change_moves_the_version_so_a_stale_form_is_refused(year):
    saved = ke.save(year, full_marks(ke.new_evaluation(year, 2023, project_id=project_id(year))))
    noted = replace(saved, leaves=[replace(saved.leaves[0], evidence="验收报告"), *saved.leaves[1:]])
    again = ke.save(year, noted)
    assert again.version > saved.version
    with pytest.raises(RejectedError, match="刚被.*修改过"):
        ke.save(year, replace(saved, leaves=[replace(saved.leaves[0], evidence="旧表单"), *saved.leaves[1:]]))


def test_an_exante_item_only_change_moves_the_version_too(year):
    from app.services import exante

    first = exante.save(year, exante.new_for_project(year, project_id(year)))
    changed = replace(first, lines=[replace(first.lines[0], note="佐证不足"), *first.lines[1:]])
    assert exante.save(year, changed).version > first.version
    with pytest.raises(RejectedError, match="刚被.*修改过"):
        exante.save(year, replace(first, lines=[replace(first.lines[0], note="旧表单"), *first.lines[1:]]))
