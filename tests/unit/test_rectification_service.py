"""整改台账 service: items by hand and from every source, the steps with 财政核验 and 销号, 逾期 on a date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from app.rules.validation import RejectedError
from app.services import rectification as rect
from app.services import rectification_sources as sources

NOTICE = date(2023, 9, 1)


def _project(ws, code="DH2023002"):
    from db.models import Project

    with ws.session() as s:
        return s.scalars(select(Project).where(Project.code == code)).one().id


def _hand(ws, text="资金未按规定用途使用", unit="钢城区城市管理局", **extra):
    draft = rect.new_item(ws, 2023, notice=NOTICE)
    return rect.save(ws, replace(draft, description=text, category="资金管理", requirement="收回并建立台账",
                                 responsible=unit, **extra))


def test_an_audit_finding_typed_by_hand_gets_the_pack_deadlines(county):
    item = _hand(county)
    assert (item.source, item.status) == ("审计", "待整改")
    assert (item.feedback_date, item.deadline) == (date(2023, 9, 21), date(2023, 10, 21))
    kept = _hand(county, "另一个问题", deadline=date(2023, 10, 15))
    assert kept.deadline == date(2023, 10, 15)


def test_a_save_on_a_stale_form_is_refused(county):
    item = _hand(county)
    rect.save(county, replace(item, progress="已召开会议"))
    with pytest.raises(RejectedError, match="刚被.*修改过"):
        rect.save(county, replace(item, progress="别的进度"))


def test_the_unit_reports_the_bureau_fails_it_then_passes_and_closes(county, tmp_path):
    item = rect.start(county, _hand(county))
    assert item.status == "整改中"
    with pytest.raises(RejectedError) as refused:
        rect.report(county, item)
    assert refused.value.report.fields() == {"measures", "completed_on"}
    item = rect.save(county, replace(item, measures="已收回资金并建立台账", completed_on=date(2023, 10, 10)))
    proof = tmp_path / "收回凭证.pdf"
    proof.write_bytes(b"%PDF-1.4 proof")
    rect.add_evidence(county, item, proof)
    assert [a.file_name for a in rect.evidence(county, item)] == ["收回凭证.pdf"]
    item = rect.report(county, item)
    assert item.status == "已整改待核验"
    with pytest.raises(RejectedError, match="核验通过后才能销号"):
        rect.close(county, item)
    with pytest.raises(RejectedError, match="核验意见"):
        rect.verify(county, item, False, "李四", date(2023, 10, 12))
    item = rect.verify(county, item, False, "李四", date(2023, 10, 12), "台账不完整")
    assert item.verify_opinion == "台账不完整"  # kept on the item for the form to show
    assert (item.status, item.verify_result) == ("整改中", "未通过")
    again = rect.report(county, item)
    assert again.verify_opinion == ""  # the 未通过 意见 does not carry over to the next 核验
    item = rect.verify(county, again, True, "李四", date(2023, 10, 14))
    assert (item.status, item.verify_result, item.verifier, item.verify_opinion) == ("已整改待核验", "通过", "李四", "")
    item = rect.close(county, item)
    assert item.status == "已销号" and item.closed
    with pytest.raises(RejectedError):
        rect.save(county, replace(item, progress="再改"))
    with pytest.raises(RejectedError, match="不能再改动佐证材料"):
        rect.add_evidence(county, item, proof)
    out = rect.copy_evidence(county, rect.evidence(county, item)[0].id, tmp_path / "out")
    assert out.read_bytes() == b"%PDF-1.4 proof"
    from db.models import AuditLog

    with county.session() as s:
        said = [a.summary for a in s.scalars(select(AuditLog).where(AuditLog.entity == "整改事项"))]
    assert any("台账不完整" in line for line in said)


def test_overdue_on_a_date_and_never_once_closed(county):
    open_item = _hand(county, deadline=date(2023, 10, 15))
    done = _hand(county, "已完成的问题", unit="钢城区城乡交通运输局", deadline=date(2023, 10, 15))
    done = rect.save(county, replace(rect.start(county, done), measures="已整改", completed_on=date(2023, 10, 30)))
    rect.close(county, rect.verify(county, rect.report(county, done), True, "李四", date(2023, 11, 1)))
    on_day = {r.item_id: r for r in rect.list_year(county, 2023, date(2023, 10, 15)).rows}
    assert on_day[open_item.item_id].overdue_days == 0 and not on_day[open_item.item_id].overdue
    later = rect.list_year(county, 2023, date(2023, 11, 15))
    rows = {r.item_id: r for r in later.rows}
    assert rows[open_item.item_id].overdue_days == 31 and rows[open_item.item_id].shown_status == "待整改（逾期）"
    assert rows[done.item_id].overdue_days == 0 and rows[done.item_id].status == "已销号"
    units = {u.responsible: (u.count, u.closed, u.overdue) for u in later.units}
    assert units == {"钢城区城市管理局": (1, 0, 1), "钢城区城乡交通运输局": (1, 1, 0)}


def test_one_deadline_for_many_items_but_not_for_a_closed_one(county):
    a, b = _hand(county, "问题一"), _hand(county, "问题二")
    with pytest.raises(RejectedError, match="整改期限不能早于反馈日期.*2023-09-21"):  # 反馈日期 notice + 20 days
        rect.set_deadline(county, [a.item_id, b.item_id], date(2023, 9, 20))
    assert rect.set_deadline(county, [a.item_id, b.item_id], date(2023, 10, 15)) == 2
    assert {rect.open_item(county, i).deadline for i in (a.item_id, b.item_id)} == {date(2023, 10, 15)}
    b = rect.open_item(county, b.item_id)
    b = rect.save(county, replace(rect.start(county, b), measures="已整改", completed_on=date(2023, 10, 1)))
    reported = rect.report(county, b)
    with pytest.raises(RejectedError, match="已整改待核验"):  # its form may not change it either
        rect.set_deadline(county, [a.item_id, b.item_id], date(2023, 12, 31))
    rect.close(county, rect.verify(county, reported, True, "李四", date(2023, 10, 2)))
    with pytest.raises(RejectedError, match="已销号"):
        rect.set_deadline(county, [a.item_id, b.item_id], date(2023, 12, 31))
    assert rect.open_item(county, a.item_id).deadline == date(2023, 10, 15)


def _sources(ws):
    """A monitoring indicator marked 需要整改, a 自评表 with problems, a 不一致 finding, a key
    evaluation and an ex-ante assessment — inserted directly."""
    from db.models import (
        ExAnteAssessment, KeyEvaluation, MonitoringIndicator, MonitoringRecord, MonitoringRound, SelfEvaluation,
        VerificationItem, VerificationSample,
    )

    pid = _project(ws)
    with ws.session() as s:
        rnd = MonitoringRound(year=2023, name="1-8月", cutoff_month=8, region_code="370117")
        s.add(rnd)
        s.flush()
        rec = MonitoringRecord(round_id=rnd.id, project_id=pid, budget_fen=60_000_000, region_code="370117")
        rec.indicators = [MonitoringIndicator(level3="物资储备完成率", direction="≥", needs_rectification=True,
                                              deviation_note="采购滞后", rectification_requirement="10月底前完成采购",
                                              region_code="370117"),
                          MonitoringIndicator(level3="满意度", direction="≥", region_code="370117")]
        ev = SelfEvaluation(year=2023, project_id=pid, status="已提交", problems="绩效目标设定不够细化",
                            improvements="细化量化指标", region_code="370117")
        sample = VerificationSample(year=2023, sample_size=1, seed="7", region_code="370117")
        key = KeyEvaluation(year=2023, object_name="救灾物资和防汛物资管理", project_id=pid, suggestions="完善制度",
                            unit_name="[213001]钢城区城市管理局", region_code="370117")
        ex = ExAnteAssessment(year=2023, object_name="新建物资库", conclusion="调整后支持", project_id=pid,
                              report_suggestions="压缩建设规模", region_code="370117")
        s.add_all([rec, ev, sample, key, ex])
        s.flush()
        found = VerificationItem(sample_id=sample.id, project_id=pid, evaluation_id=ev.id, result="佐证与填报不一致",
                                 findings="完成值无佐证", status="待整改", region_code="370117")
        s.add(found)
        s.flush()
        return dict(ok=rec.indicators[0].id, plain=rec.indicators[1].id, record=rec.id, ev=ev.id, found=found.id,
                    key=key.id, ex=ex.id)


def test_every_source_becomes_a_prefilled_linked_item_and_shows_its_items(year):
    ids = _sources(year)
    mon = sources.from_monitoring(year, ids["ok"], notice=NOTICE)
    assert "物资储备完成率" in mon.description and mon.requirement == "10月底前完成采购"
    assert (mon.source, mon.responsible, mon.project_code) == ("监控", "钢城区城市管理局", "DH2023002")
    assert mon.deadline == date(2023, 10, 21)
    with pytest.raises(RejectedError, match="没有标为需要整改"):
        sources.from_monitoring(year, ids["plain"])
    with pytest.raises(RejectedError, match="已经转为整改事项"):
        sources.from_monitoring(year, ids["ok"], notice=NOTICE)
    own = sources.from_self_eval(year, ids["ev"], notice=NOTICE)
    assert (own.source, own.description, own.requirement) == ("自评", "绩效目标设定不够细化", "细化量化指标")
    found = sources.from_verification(year, ids["found"], notice=NOTICE)
    assert found.source == "真实性核查" and "完成值无佐证" in found.description
    key = sources.from_key_evaluation(year, ids["key"], "资金拨付滞后", notice=NOTICE)
    assert (key.source, key.requirement) == ("重点评价", "完善制度")
    ex = sources.from_exante(year, ids["ex"], notice=NOTICE)
    assert "调整后支持" in ex.description and ex.requirement == "压缩建设规模"
    assert [r.item_id for r in rect.items_of_source(year, "监控", ids["record"])] == [mon.item_id]
    assert [r.item_id for r in rect.items_of_source(year, "真实性核查", ids["found"])] == [found.item_id]
    assert [r.item_id for r in rect.items_of_source(year, "事前评估", ids["ex"])] == [ex.item_id]
    assert len(rect.list_year(year, 2023, NOTICE).rows) == 5


def test_the_key_evaluation_action_still_works_and_its_item_is_on_the_ledger(year):
    from app.services import key_eval

    draft = key_eval.save(year, key_eval.new_evaluation(year, 2023, project_id=_project(year)))
    key_eval.to_rectification(year, draft, "绩效目标不明确")
    rows = rect.items_of_source(year, "重点评价", draft.eval_id)
    assert [(r.source, r.status, r.description) for r in rows] == [("重点评价", "待整改", "绩效目标不明确")]


def test_two_units_whose_names_make_the_same_file_name_get_a_notice_each(county, tmp_path):
    _hand(county, "问题一", unit="教育局/一中")
    _hand(county, "问题二", unit="教育局:一中")
    made = rect.notices(county, 2023, "钢财绩〔2023〕12号", date(2023, 9, 1), tmp_path)
    assert sorted(p.name for p in made) == ["整改通知书-教育局_一中-2.pdf", "整改通知书-教育局_一中.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in made)
