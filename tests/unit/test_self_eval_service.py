"""绩效自评 through its service: a table opened from the approved target, scored as typed, saved,
moved through the workflow; the target changing under it; the whole year at once; evidence files;
a department's scoring tree; the year's summary."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from app.rules.validation import RejectedError
from app.services import self_eval as se
from app.services.projects import list_projects

ACTUALS = ["330", "96%", "100", "48", "99", "92"]  # the `year` target: 6 indicators, all met


def project_id(ws, code="DH2023002"):
    return next(p.id for p in list_projects(ws, 2023) if p.code == code)


def filled(draft, actuals=ACTUALS, executed="58"):
    return replace(draft, indicators=[replace(i, actual=a) for i, a in zip(draft.indicators, actuals)],
                   budget=[replace(draft.budget[0], executed=executed), *draft.budget[1:]])


def test_a_new_table_copies_the_approved_target_and_takes_its_money(year):
    draft = se.open_project(year, project_id(year))
    assert not draft.saved and draft.status == "草稿"
    assert [i.level3 for i in draft.indicators][:2] == ["城区道路清扫保洁面积", "道路保洁质量考核达标率"]
    assert (draft.budget[0].initial, draft.budget[0].annual) == ("60.00", "60.00")
    scored = se.score(year, draft)
    assert sum(s.points for s in scored.lines) == D(90)  # 产出 50 / 效益 30 / 满意度 10 over the target's weights


def test_a_project_without_an_approved_target_is_refused_with_what_to_do(year):
    with pytest.raises(RejectedError, match="还没有已批复的绩效目标"):
        se.open_project(year, project_id(year, "DH2023005"))


def test_typing_scores_saving_and_the_whole_workflow(year):
    draft = filled(se.open_project(year, project_id(year)))
    scored = se.score(year, draft)
    assert scored.total == D("99.67") and scored.grade == "优" and not scored.blocking
    saved = se.save(year, draft)
    assert saved.saved and saved.pack_version == year.rule_pack().version
    overridden = replace(saved, indicators=[replace(saved.indicators[0], score="15"), *saved.indicators[1:]])
    with pytest.raises(RejectedError) as refused:
        se.submit(year, overridden)
    assert "0:score_note" in refused.value.report.fields()
    explained = replace(overridden, indicators=[replace(overridden.indicators[0], score_note="部分路段未验收"),
                                                *overridden.indicators[1:]])
    submitted = se.submit(year, explained)
    assert submitted.status == "已提交" and submitted.indicators[0].score == "15"
    with pytest.raises(RejectedError, match="审核意见"):
        se.review(year, submitted, False, "")
    returned = se.review(year, submitted, False, "请补充验收单")
    assert returned.status == "退回修改" and returned.review_opinion == "请补充验收单"
    passed = se.review(year, se.submit(year, returned), True)
    assert passed.status == "审核通过"
    with pytest.raises(RejectedError):
        se.save(year, passed)  # a passed table is read-only
    assert se.reopen(year, passed, "分值有误").status == "退回修改"


def test_a_later_change_to_the_target_is_offered_to_an_unsubmitted_table_only(year):
    from app.services import targets

    pid = project_id(year)
    saved = se.save(year, filled(se.open_project(year, pid)))
    target = targets.open_target(year, pid)
    target = targets.reopen(year, target, "补充指标")
    rows = [*target.indicators, replace(target.indicators[0], level3="新增保洁路段长度", value="12", points="5")]
    target = targets.submit(year, replace(target, indicators=rows))
    scores = {k: D(90) for k in ("完整性", "相关性", "合理性", "可衡量性")}
    targets.approve(year, targets.review(year, target, scores, True, "同意"))
    reopened = se.open_table(year, saved.eval_id)
    assert reopened.target_changed and len(reopened.indicators) == 6  # told, not changed
    taken = se.take_target_change(year, reopened)
    assert len(taken.indicators) == 7 and taken.indicators[0].actual == "330"
    stored = se.save(year, taken)
    assert not stored.target_changed and len(stored.indicators) == 7


def test_create_year_makes_each_missing_table_once(year):
    assert se.create_year(year, 2023) == 2  # the project with an approved target, and its department
    assert se.create_year(year, 2023) == 0
    from app.services.self_eval_year import list_year

    rows = list_year(year, 2023)
    assert {(r.kind, r.status) for r in rows} == {("项目", "草稿"), ("部门整体", "草稿")}


def test_execution_starts_from_the_last_monitoring_round(year, round_id):
    from app.services import monitoring_records as mr
    from app.services.monitoring import round_rows

    record = next(r for r in round_rows(year, round_id) if r.code == "DH2023002")
    draft = mr.open_record(year, record.record_id)
    mr.save_record(year, replace(draft, executed="30", projected="57.5"))
    assert se.open_project(year, project_id(year)).budget[0].executed == "57.50"


def test_evidence_is_kept_with_its_hash_and_only_while_editable(year, tmp_path):
    import hashlib

    from app.services import attachments

    proof = tmp_path / "验收单.pdf"
    proof.write_bytes(b"%PDF-1.4 proof")
    draft = se.open_project(year, project_id(year))
    with pytest.raises(RejectedError, match="先保存"):
        se.add_evidence(year, draft, proof)
    saved = se.save(year, filled(draft))
    row = se.add_evidence(year, saved, proof)
    assert row.sha256 == hashlib.sha256(b"%PDF-1.4 proof").hexdigest()
    copy = attachments.copy_out(year, row.id, tmp_path / "out")
    assert copy.read_bytes() == b"%PDF-1.4 proof" and copy.name == "验收单.pdf"
    submitted = se.submit(year, saved)
    assert [r.file_name for r in se.evidence(year, submitted)] == ["验收单.pdf"]
    with pytest.raises(RejectedError, match="已提交"):
        se.add_evidence(year, submitted, proof)


def test_a_department_table_on_the_pack_tree(year):
    from app.services.projects import list_projects as lp

    dept_id = next(p for p in lp(year, 2023)).department_id
    draft = se.open_department(year, dept_id, 2023)
    assert draft.kind == "部门整体" and sum(D(i.points) for i in draft.indicators) == D(100)
    rate_item = next(n for n, i in enumerate(draft.indicators) if i.rule == "预算执行率")
    typed = replace(draft, budget=[replace(draft.budget[0], executed="448"), *draft.budget[1:]],  # of 560
                    indicators=[replace(i, score=i.points) if n != rate_item else i for n, i in enumerate(draft.indicators)])
    scored = se.score(year, typed)
    assert scored.lines[rate_item].reference == D("8.00")  # 10 × 80%
    off = replace(typed, indicators=[replace(typed.indicators[0], score="3"), *typed.indicators[1:]])
    with pytest.raises(RejectedError) as refused:
        se.submit(year, off)
    assert "0:score_note" in refused.value.report.fields()
    done = se.submit(year, replace(off, indicators=[replace(off.indicators[0], score_note="目标与职能不完全对应"),
                                                   *off.indicators[1:]]))
    assert done.status == "已提交" and se.score(year, done).total == D("96.00")
    other = se.with_preset(year, done, se.presets(year)[1][1])
    assert other.preset != done.preset and sum(D(i.points) for i in other.indicators) == D(100)


def test_summary_counts_grades_and_writes_the_offices_sentence(year):
    from app.services.self_eval_year import grade_sentence, summary
    from app.domain.self_eval import GradeShare

    se.submit(year, filled(se.open_project(year, project_id(year))))
    found = summary(year, 2023)
    assert [(g.grade, g.count, g.share) for g in found.distribution][0] == ("优", 1, D("100.00"))
    assert found.sentence == "本次1个绩效自评表中，自评等级为“优”的1份，占100.00%，无“良”、“中”、“差”等级。"
    shares = [GradeShare("优", 17, D("70.83")), GradeShare("良", 3, D("12.50")), GradeShare("中", 4, D("16.67")),
              GradeShare("差", 0, D(0))]
    assert grade_sentence(24, shares) == ("本次24个绩效自评表中，自评等级为“优”的17份，占70.83%；自评等级为“良”的3份，"
                                          "占12.50%；自评等级为“中”的4份，占16.67%，无“差”等级。")


def test_migration_0004_speaks_the_workflows_words_and_adds_only_missing_pack_keys(year):
    """An older database kept 填报 on its self-evaluations and a pack without this version's keys:
    the upgrade turns 填报 into 草稿 and adds the keys, leaving the county's own numbers alone."""
    import json

    from tests.support import migrate_to
    from sqlalchemy import text

    import db.migrate as migrate

    saved = se.save(year, filled(se.open_project(year, project_id(year))))
    db_file = year.db_file
    year.close()
    engine = migrate.open_engine(db_file)

    try:
        migrate_to(engine, "0003", up=False)
        with engine.begin() as conn:
            assert conn.execute(text("SELECT status FROM self_evaluation")).scalar() == "填报"
            pack = json.loads(conn.execute(text("SELECT content FROM rule_pack")).scalar())
            for key in ("inflation_margin", "qualitative_words"):
                pack["self_evaluation"].pop(key)
            pack["self_evaluation"]["score_tolerance"] = "1.0"  # this county's own number
            pack.pop("department_self_evaluation")
            conn.execute(text("UPDATE rule_pack SET content = :c"), {"c": json.dumps(pack, ensure_ascii=False)})
        migrate_to(engine, "head", up=True)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM self_evaluation WHERE id = :i"), {"i": saved.eval_id}).scalar() == "草稿"
            pack = json.loads(conn.execute(text("SELECT content FROM rule_pack")).scalar())
        assert pack["self_evaluation"]["inflation_margin"] == "0.05" and "达成" in pack["self_evaluation"]["qualitative_words"]
        assert pack["self_evaluation"]["score_tolerance"] == "1.0"
        assert len(pack["department_self_evaluation"]["presets"]) == 2
    finally:
        engine.dispose()


def test_a_passed_table_keeps_its_score_when_the_pack_changes_later(year):
    import json

    from app.services.self_eval_year import list_year
    from db.models import RulePack

    passed = se.review(year, se.submit(year, filled(se.open_project(year, project_id(year)))), True)
    with year.session() as s:
        pack = s.query(RulePack).one()
        content = json.loads(pack.content)
        content["self_evaluation"].update(budget_points="20", indicator_points={"产出": "40", "效益": "30", "满意度": "10"})
        s.add(RulePack(name=pack.name, pack_version=2, content=json.dumps(content, ensure_ascii=False),
                       is_active=True, region_code=pack.region_code))
        pack.is_active = False
    year._pack = None  # the workspace reads the active pack afresh
    row = next(r for r in list_year(year, 2023) if r.code == "DH2023002")
    assert (row.total, row.grade) == (D("99.67"), "优")  # as scored under version 1, which it records
    reopened = se.reopen(year, se.open_table(year, passed.eval_id), "按新规则重评")
    assert se.score(year, reopened).budget_points == D(20)  # back in work: the pack as it stands


def test_saving_a_form_opened_before_a_target_change_keeps_the_change_offered(year):
    from app.services import targets

    pid = project_id(year)
    opened = se.save(year, filled(se.open_project(year, pid)))
    target = targets.reopen(year, targets.open_target(year, pid), "补充指标")
    target = targets.submit(year, replace(target, indicators=[
        *target.indicators, replace(target.indicators[0], level3="新增保洁路段长度", value="12", points="5")]))
    scores = {k: D(90) for k in ("完整性", "相关性", "合理性", "可衡量性")}
    targets.approve(year, targets.review(year, target, scores, True, "同意"))
    se.save(year, opened)  # the form open all along, saved without taking the change
    assert se.open_table(year, opened.eval_id).target_changed
