"""A monitoring round follows the year (刷新批次): a project added after the round opened enters it,
a budget raised from 5,333.50 to 8,000 follows, a target approved later gives the record its rows
(typed progress kept), a submitted record keeps what it was filed with and says what changed, and an
unchanged round writes nothing."""

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import func, select

from app.services import monitoring as mon, monitoring_records as rec, projects, targets
from app.services.monitoring_refresh import refresh_round
from db.models import AuditLog, MonitoringRecord
from tests.support import GOAL, GOOD_ROWS, project_raw, rows_by_code

SCORES = {k: Decimal(90) for k in ("完整性", "相关性", "合理性", "可衡量性")}


def approve_target(ws, project_id, rows):
    draft = targets.submit(ws, replace(targets.open_target(ws, project_id), annual_goal=GOAL, indicators=rows))
    return targets.approve(ws, targets.review(ws, draft, SCORES, True, "同意"))


def cost_rows(budget="50"):
    return [replace(r, value=budget if r.level2 == "成本" else r.value) for r in GOOD_ROWS]


def set_budget(ws, project_id, amount: str):
    raw = projects.form_values(ws, project_id)
    projects.save_project(ws, dict(raw, annual_budget=amount, initial_budget=amount, fiscal="", other=""), project_id)


def audits(ws) -> int:
    with ws.session() as s:
        return s.scalar(select(func.count()).select_from(AuditLog))


def versions(ws, round_id) -> dict:
    with ws.session() as s:
        return dict(s.execute(select(MonitoringRecord.id, MonitoringRecord.version)
                              .where(MonitoringRecord.round_id == round_id)).all())


def test_a_project_added_to_the_year_enters_the_round_as_a_draft(year, round_id):
    projects.save_project(year, project_raw(code="DH2023009", name="农村公路养护", annual_budget="300", initial_budget="300"))
    result = refresh_round(year, round_id)
    assert (result.projects_added, result.budgets_changed, result.indicators_added) == (1, 0, 0)
    assert result.sentence == "已刷新：新增项目1个。"
    added = rows_by_code(year, round_id)["DH2023009"]
    assert added.status == "草稿" and added.budget_fen == 300 * 1_000_000 and added.target_state == "无绩效目标"
    assert [r.records for r in mon.list_rounds(year, 2023)] == [3]


def test_a_raised_budget_follows_in_a_draft_and_is_noted_on_a_submitted_record(year, round_id):
    big = projects.save_project(year, project_raw(code="DH2023007", name="城乡供水一体化", annual_budget="5333.50",
                                                  initial_budget="5333.50"))
    assert refresh_round(year, round_id).projects_added == 1
    rows = rows_by_code(year, round_id)
    water = rec.open_record(year, rows["DH2023005"].record_id)  # no target: money only
    water.executed = "300"
    rec.submit_record(year, water)
    set_budget(year, big, "8000")
    set_budget(year, rows["DH2023005"].project_id, "800")
    result = refresh_round(year, round_id, actor=None)
    assert (result.projects_added, result.budgets_changed) == (0, 1)  # the submitted one keeps 500
    assert result.sentence == "已刷新：调整预算1个。"
    rows = rows_by_code(year, round_id)
    assert rows["DH2023007"].budget_fen == 8000 * 1_000_000 and rows["DH2023007"].changed_since == ""
    assert rows["DH2023005"].budget_fen == 500 * 1_000_000
    assert rows["DH2023005"].changed_since == "预算已调整：500.00 → 800.00万元"
    filed = rec.open_record(year, rows["DH2023005"].record_id)
    assert filed.budget_fen == 500 * 1_000_000 and filed.changed_since == "预算已调整：500.00 → 800.00万元"
    assert rec.open_record(year, rows["DH2023007"].record_id).budget_fen == 8000 * 1_000_000
    with year.session() as s:
        entry = s.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert entry.entity == "监控批次" and "调整预算1个" in entry.summary and entry.user == year.actor.name


def test_a_target_approved_later_gives_the_record_its_rows_and_keeps_typed_progress(year, round_id):
    rows = rows_by_code(year, round_id)
    water = rows["DH2023005"]
    approve_target(year, water.project_id, cost_rows())
    relief = rec.open_record(year, rows["DH2023002"].record_id)
    relief.indicators[0].completed, relief.indicators[0].projected = "200", "330"
    rec.save_record(year, relief)
    # the relief target goes back, gains an indicator and a new value, and is approved again
    draft = targets.open_target(year, rows["DH2023002"].project_id)
    assert draft.status == "已批复"
    draft = targets.reopen(year, draft, "增加垃圾分类指标")
    grown = cost_rows() + [replace(GOOD_ROWS[1], level3="垃圾分类覆盖率", value="80")]
    grown[2] = replace(grown[2], value="99")
    targets.approve(year, targets.review(year, targets.submit(year, replace(draft, indicators=grown)), SCORES, True, "同意"))

    result = refresh_round(year, round_id)
    assert result.targets_added == 1 and result.indicators_added == 6 + 1 and result.indicators_updated == 1
    assert result.sentence == "已刷新：补入绩效目标1个，新增指标行7条，更新指标行1条。"
    got = rec.open_record(year, water.record_id)
    assert got.has_target and [i.level3 for i in got.indicators] == [r.level3 for r in GOOD_ROWS]
    assert rows_by_code(year, round_id)["DH2023005"].target_state == "有绩效目标"
    kept = rec.open_record(year, rows["DH2023002"].record_id)
    assert [(i.level3, i.completed, i.projected) for i in kept.indicators][0] == (GOOD_ROWS[0].level3, "200", "330")
    assert [i.level3 for i in kept.indicators][-1] == "垃圾分类覆盖率" and len(kept.indicators) == 7
    assert kept.indicators[2].target == "99"
    assert refresh_round(year, round_id).sentence == "批次已是最新，没有变化。"


def test_a_submitted_record_keeps_its_rows_and_says_the_target_changed(year, round_id):
    rows = rows_by_code(year, round_id)
    water = rec.open_record(year, rows["DH2023005"].record_id)
    water.executed = "300"
    rec.submit_record(year, water)
    approve_target(year, rows["DH2023005"].project_id, cost_rows())
    assert refresh_round(year, round_id).sentence == "批次已是最新，没有变化。"
    filed = rec.open_record(year, water.record_id)
    assert filed.indicators == [] and not filed.has_target and filed.changed_since == "绩效目标已变更"
    assert rows_by_code(year, round_id)["DH2023005"].changed_since == "绩效目标已变更"


def test_an_unchanged_round_writes_nothing(year, round_id):
    told = []
    year.subscribe(told.append)
    before, entries = versions(year, round_id), audits(year)
    for _ in range(2):
        result = refresh_round(year, round_id)
        assert not result.changed and result.sentence == "批次已是最新，没有变化。"
        mon.monitoring_view(year, 2023, round_id)  # the page's load refreshes too
    assert versions(year, round_id) == before and audits(year) == entries and told == []


def test_the_pages_load_brings_the_round_up_to_the_year(year, round_id):
    projects.save_project(year, project_raw(code="DH2023009", name="农村公路养护", annual_budget="300", initial_budget="300"))
    view = mon.monitoring_view(year, 2023)
    assert "DH2023009" in {r.code for r in view.current.rows} and view.rounds[0].records == 3


def test_a_copy_opened_read_only_shows_the_round_without_writing(year, round_id):
    from app.services.workspace import Workspace

    projects.save_project(year, project_raw(code="DH2023009", name="农村公路养护", annual_budget="300", initial_budget="300"))
    reader = Workspace.open(year.db_file, read_only=True)
    try:
        view = mon.monitoring_view(reader, 2023, round_id)
        assert view.refreshed is None and {r.code for r in view.current.rows} == {"DH2023002", "DH2023005"}
    finally:
        reader.close()
    assert mon.monitoring_view(year, 2023, round_id).refreshed.sentence == "已刷新：新增项目1个。"
