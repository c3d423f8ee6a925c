"""培训 through its service: a session saved and checked (the date within its year, 人次 a positive
whole number, a stale form refused, 绩效科's alone), an import all or nothing naming its bad cells,
the exported 培训情况表's cells, and the demo's 2023 count the year report takes (8次 730人次)."""

from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from app.rules.roles import Rights
from app.rules.validation import RejectedError
from app.services import training as svc
from app.services.actor import Actor
from db.models import AuditLog, Training
from tests.support import write_sheet

HEADERS = ["培训日期", "培训主题", "主办单位", "参训人次", "参训单位"]


def session(**kw):
    return {"held_on": "2023-05-12", "title": "预算绩效目标编制与审核", "organiser": "县财政局绩效科", "attendees": "120",
            "units": "县教育局、县卫健局", "note": "", **kw}


def test_save_edit_delete_and_the_count(county):
    ident = svc.save(county, 2023, session())
    svc.save(county, 2023, session(held_on="2023年11月3日", title="绩效自评", attendees="85"))
    view = svc.list_year(county, 2023)
    assert [(r.held_on, r.title, r.sessions, r.attendees) for r in view.rows] == [
        (date(2023, 5, 12), "预算绩效目标编制与审核", 1, 120), (date(2023, 11, 3), "绩效自评", 1, 85)]
    assert svc.year_counts(county, 2023) == (2, 205) and svc.year_counts(county, 2024) == (0, 0)
    first = view.rows[0]
    svc.save(county, 2023, session(attendees="130"), ident, first.version)
    with pytest.raises(RejectedError, match="已被修改"):
        svc.save(county, 2023, session(attendees="140"), ident, first.version)  # the form read an older version
    svc.delete(county, ident)
    assert svc.year_counts(county, 2023) == (1, 85)
    with county.session() as s:
        assert [a for a, in s.execute(select(AuditLog.action).where(AuditLog.entity == "培训"))] == \
            ["新增", "新增", "修改", "删除"]


def test_the_check_says_what_is_expected(county):
    report = svc.validate(session(held_on="2022-12-30", attendees="0", title=""), 2023)
    assert report.for_field("held_on") == ["应在2023年内（本页是2023年度的培训）"]
    assert report.for_field("attendees") == ["应为正整数（人次），如120"]
    assert report.for_field("title") == ["为必填项"]
    assert svc.validate(session(attendees="12.5"), 2023).for_field("attendees") == ["应为正整数（人次），如120"]
    # ① is a digit to str.isdigit: a bad cell, not a crash; １２０ typed full-width is 120
    assert svc.validate(session(attendees="①"), 2023).for_field("attendees") == ["应为正整数（人次），如120"]
    assert not svc.validate(session(attendees="１２０"), 2023).for_field("attendees")
    with pytest.raises(RejectedError) as refused:
        svc.save(county, 2023, session(held_on="明天"))
    assert refused.value.report.fields() == {"held_on"}
    clerk = Actor("张主管", "主管部门", None, Rights.from_pack(county.rule_pack()))
    with pytest.raises(RejectedError, match="需由绩效科办理"):
        svc.save(county, 2023, session(), actor=clerk)
    with county.session() as s:
        assert s.query(Training).count() == 0


def test_an_import_with_a_bad_cell_writes_nothing_then_the_good_file_lands(county, tmp_path):
    good = ["2023-03-08", "预算绩效管理业务培训", "县财政局", 200, "各预算单位"]
    bad = write_sheet(tmp_path / "bad.xlsx", "培训", HEADERS, [good, ["2024-01-05", "整改", "县财政局", 30, ""],
                                                              ["2023-06-01", "自评", "县财政局", "五十", ""], good])
    with pytest.raises(RejectedError) as refused:
        svc.import_file(county, bad, 2023)
    assert [(c.row, c.header) for c in refused.value.cells] == [(3, "培训日期"), (4, "参训人次"), (5, "培训主题")]
    assert "第5行「培训主题」与第2行是同一次培训" in refused.value.cells[2].message()
    assert svc.year_counts(county, 2023) == (0, 0)
    ok = write_sheet(tmp_path / "ok.xlsx", "培训", HEADERS, [good, ["2023-06-01", "绩效自评", "县财政局", 50, None]])
    assert svc.import_file(county, ok, 2023) == "导入完成：新增2023年培训2次，参训250人次。"
    with pytest.raises(RejectedError) as again:  # the same file twice: the sessions are registered already
        svc.import_file(county, ok, 2023)
    assert [c.expected for c in again.value.cells] == ["与已登记的同日同主题培训重复，不能再导入"] * 2
    assert svc.year_counts(county, 2023) == (2, 250)


def test_the_demo_counts_8_sessions_730_attendees_and_exports_them(demo_ws, tmp_path):
    assert svc.year_counts(demo_ws, 2023) == (8, 730)  # 和硕 6次 380人次 + 澄江 2次 350人次
    svc.save(demo_ws, 2023, session())
    assert svc.year_counts(demo_ws, 2023) == (9, 850)
    with pytest.raises(RejectedError, match="全年汇总数"):  # a report's summary row is not one session
        summary = svc.list_year(demo_ws, 2023).rows[0]
        svc.save(demo_ws, 2023, session(), summary.id, summary.version)
    out = tmp_path / "培训.xlsx"
    assert svc.export(demo_ws, 2023, out) == 3
    sheet = openpyxl.load_workbook(out).active
    values = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    assert values[0][0] == "2023年度培训情况表" and values[1][0] == "共培训9次，参训850人次"
    header = values.index(next(r for r in values if r[0] == "序号"))
    assert values[header][:6] == ("序号", "培训日期", "培训主题", "主办单位", "培训次数", "参训人次")
    assert [r[1:6] for r in values[header + 1:]] == [
        ("全年汇总", "全年培训6次（汇总数）", None, 6, 380), ("全年汇总", "全年培训2次（汇总数）", None, 2, 350),
        ("2023-05-12", "预算绩效目标编制与审核", "县财政局绩效科", 1, 120)]
    assert svc.export(demo_ws, 2023, tmp_path / "培训.pdf", "pdf") == 3
