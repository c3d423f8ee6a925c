"""Monitoring rounds through the services: open a round, fill a record, the required-cause rule,
submit and review (the workflow's words), the round's view (summary, projection, key candidates),
change notifications, and migration 0003 turning the old status words into the kernel's."""

import pytest

from app.rules import monitoring as rules
from app.rules.validation import RejectedError
from app.services import monitoring as mon, monitoring_records as rec
from tests.support import GOOD_ROWS, rows_by_code


def test_a_round_gives_every_project_a_record_and_approved_targets_their_indicators(year, round_id):
    rows = rows_by_code(year, round_id)
    assert set(rows) == {"DH2023002", "DH2023005"}
    assert rows["DH2023002"].target_state == "有绩效目标" and rows["DH2023005"].target_state == "无绩效目标"
    assert all(r.light == rules.NOT_FILLED and r.schedule == rules.schedule(8) for r in rows.values())
    relief = rec.open_record(year, rows["DH2023002"].record_id)
    assert [i.level3 for i in relief.indicators] == [r.level3 for r in GOOD_ROWS]
    assert relief.indicators[0].target == "320" and relief.budget_fen == 60_000_000
    assert rec.open_record(year, rows["DH2023005"].record_id).indicators == []
    with pytest.raises(RejectedError, match="已有截至8月的监控批次"):
        mon.open_round(year, 2023, 8)
    assert [r.title for r in mon.list_rounds(year, 2023)] == ["2023年1-8月（截至8月）"]
    assert relief.status == "草稿" and relief.editable and relief.actions == ("提交",)


def test_a_red_light_and_a_missed_projection_need_a_cause_before_submitting(year, round_id):
    rows = rows_by_code(year, round_id)
    draft = rec.open_record(year, rows["DH2023002"].record_id)
    draft.executed = "9.46"
    for ind in draft.indicators:  # on target, except the first
        ind.projected = ind.target
    draft.indicators[0].projected = "300"  # below the 320 target
    draft.indicators[1].projected = "基本达标"  # words where the target is a number
    draft.indicators[2].projected = ""
    saved = rec.save_record(year, draft)  # saving a draft needs no cause
    assert rec.lamp(year, saved) == rules.RED and saved.executed == "9.46"
    with pytest.raises(RejectedError) as exc:
        rec.submit_record(year, saved)
    assert {p.field: p.message for p in exc.value.report.problems} == {
        "budget_cause": "执行进度亮红灯，请说明执行偏慢的原因和纠偏措施",
        "0:cause_class": "全年预计完成值达不到目标，请选择偏差原因类别",
        "0:cause_note": "全年预计完成值达不到目标，请说明偏差原因",
        "1:projected": "全年目标值是数字，全年预计完成值也应填写数字",
        "2:projected": "提交前请填写全年预计完成值"}
    saved.budget_cause = "物资采购集中在汛期后，下半年集中支付。"
    saved.indicators[0].cause_class = "其他"
    with pytest.raises(RejectedError) as exc:
        rec.submit_record(year, saved)
    assert "0:cause_note" in {p.field for p in exc.value.report.problems}  # a class alone is not a cause
    saved.indicators[0].cause_class, saved.indicators[0].cause_note = "经费保障", "部分路段延后"
    saved.indicators[1].projected, saved.indicators[2].projected = "95", "100"
    submitted = rec.submit_record(year, saved)
    assert submitted.status == "已提交" and not submitted.editable
    with pytest.raises(RejectedError):
        rec.save_record(year, submitted)  # read-only once submitted
    with pytest.raises(RejectedError, match="审核意见"):
        rec.review_record(year, submitted, False, "")
    returned = rec.review_record(year, submitted, False, "请补充纠偏措施。")
    assert returned.status == "退回修改" and returned.editable and returned.review_opinion == "请补充纠偏措施。"


def test_a_passed_record_goes_back_only_with_a_reason_and_the_actor_is_audited(year, round_id):
    from sqlalchemy import select

    from app.services.actor import Actor
    from db.models import AuditLog

    draft = rec.open_record(year, rows_by_code(year, round_id)["DH2023005"].record_id)
    draft.executed, draft.budget_cause = "0", "原水价格未谈定，暂未支付。"
    submitted = rec.submit_record(year, draft)
    passed = rec.review_record(year, submitted, True, "", actor=Actor("审核员张三"))
    assert passed.status == "审核通过" and not passed.editable and passed.actions == ("退回",)
    with pytest.raises(RejectedError, match="必须填写原因"):
        rec.reopen_record(year, passed, " ")
    reopened = rec.reopen_record(year, passed, "执行数与国库数据不一致。")
    assert (reopened.status, reopened.review_opinion) == ("退回修改", "执行数与国库数据不一致。")
    with year.session() as s:
        users = {a.action: a.user for a in s.scalars(select(AuditLog).where(AuditLog.entity == "监控记录"))}
    assert users["审核通过"] == "审核员张三" and users["提交"] == year.actor.name


def test_every_monitoring_write_notes_its_change_with_the_rounds_year(year, tmp_path):
    told = []
    year.subscribe(told.append)
    round_id = mon.open_round(year, 2023, 5)
    draft = rec.open_record(year, rows_by_code(year, round_id)["DH2023002"].record_id)
    draft.executed = "10"
    rec.save_record(year, draft)
    mon.mark_key(year, round_id, [draft.record_id])
    assert len(told) == 3 and all(c.touches({"monitoring"}, 2023) and not c.touches({"monitoring"}, 2024) for c in told)
    assert told[1].ids("monitoring") == {draft.record_id}


def test_changing_only_indicators_outdates_an_open_record(year, round_id, tmp_path):
    """A colleague (or an import) changed only an indicator row: the open form is refused."""
    record = rows_by_code(year, round_id)["DH2023002"].record_id
    mine, theirs = rec.open_record(year, record), rec.open_record(year, record)
    theirs.indicators[0].completed = "200"
    rec.save_record(year, theirs)
    mine.indicators[0].completed = "150"
    with pytest.raises(RejectedError, match="刚被.*修改过"):
        rec.save_record(year, mine)
    assert rec.open_record(year, record).indicators[0].completed == "200"


def test_bad_amounts_and_answers_are_named(year, round_id):
    draft = rec.open_record(year, rows_by_code(year, round_id)["DH2023002"].record_id)
    draft.executed, draft.projected = "九万", "-1"
    draft.indicators[0].cause_class = "天气"
    with pytest.raises(RejectedError) as exc:
        rec.save_record(year, draft)
    assert {p.field: p.message for p in exc.value.report.problems} == {
        "executed": "应为不小于0的数字", "projected": "应为不小于0的数字",
        "0:cause_class": "应为经费保障、制度保障、人员保障、硬件条件保障、其他之一"}


def test_the_rounds_view_summary_projection_and_candidates(year, round_id):
    rows = rows_by_code(year, round_id)
    for code, executed in (("DH2023002", "9.46"), ("DH2023005", "0")):
        draft = rec.open_record(year, rows[code].record_id)
        draft.executed = executed
        rec.save_record(year, draft)
    view = mon.round_view(year, round_id)
    assert view.round.title == "2023年1-8月（截至8月）" and view.month == 8
    assert [r.light for r in view.rows] == [rules.RED, rules.RED]
    summary = view.summary
    assert summary.overall.filled_budget_fen == summary.overall.budget_fen  # both reported
    assert summary.overall.projects == 2 and summary.overall.budget_fen == 560_000_000
    assert summary.overall.executed_fen == 9_460_000 and summary.overall.lights[rules.RED] == 2
    assert summary.sentence == "总体进度1.69%，低于序时进度。"
    assert [r.code for r in summary.red] == ["DH2023005", "DH2023002"]  # furthest behind first
    assert [line.department for line in summary.lines][-1] == "合计" and summary.lines[0].red == 2
    assert [(p.code, p.cut_fen) for p in view.below_line] == [
        ("DH2023005", 500_000_000), ("DH2023002", 60_000_000 - 14_190_000)]
    candidates = {p.code: p.reasons for p in view.candidates}
    assert candidates == {"DH2023002": ("重点项目亮红灯",), "DH2023005": ("全年预算数不低于200万元且执行率低于60%",)}
    assert [(w.row.code, w.reason_text, w.cut_fen) for w in view.warnings] == [
        ("DH2023005", "全年预算数不低于200万元且执行率低于60%", 500_000_000), ("DH2023002", "重点项目亮红灯", 45_810_000)]
    assert mon.mark_key(year, round_id, [rows["DH2023005"].record_id]) == 1
    again = mon.round_view(year, round_id)
    assert {r.code: r.is_key for r in again.rows} == {"DH2023002": False, "DH2023005": True}
    assert {p.code: p.key for p in again.projections} == {"DH2023002": "", "DH2023005": "是"}


def test_the_pages_view_of_a_year_shows_its_latest_round_or_the_one_asked_for(year, round_id):
    may = mon.open_round(year, 2023, 5)
    assert mon.monitoring_view(year, 2023).current.round.id == round_id  # August is the latest
    assert mon.monitoring_view(year, 2023, may).current.round.month == 5
    assert mon.monitoring_view(year, 2023, 999).current.round.id == round_id  # gone meanwhile: the latest
    empty = mon.monitoring_view(year, 2024)
    assert empty.rounds == () and empty.current is None
    with pytest.raises(RejectedError, match="这个监控批次已被删除"):
        mon.round_view(year, 999)


def test_migration_0003_speaks_the_workflows_words(year, round_id):
    """A database of an older version kept 填报 and 退回: the upgrade turns them into 草稿 and
    退回修改 (and the downgrade back)."""
    from tests.support import migrate_to
    from sqlalchemy import text

    import db.migrate as migrate

    rows = rows_by_code(year, round_id)
    returned = rows["DH2023005"].record_id
    db_file = year.db_file
    year.close()
    engine = migrate.open_engine(db_file)

    def statuses() -> dict:
        with engine.connect() as conn:
            return dict(conn.execute(text("SELECT id, status FROM monitoring_record")).all())

    try:
        migrate_to(engine, "0002", up=False)
        assert set(statuses().values()) == {"填报"}
        with engine.begin() as conn:
            conn.execute(text("UPDATE monitoring_record SET status = '退回' WHERE id = :id"), {"id": returned})
        migrate_to(engine, "head", up=True)
        assert statuses() == {rows["DH2023002"].record_id: "草稿", returned: "退回修改"}
        migrate_to(engine, "0002", up=False)  # and back again: 退回修改 → 退回, 草稿 → 填报
        assert statuses() == {rows["DH2023002"].record_id: "填报", returned: "退回"}
    finally:
        engine.dispose()
