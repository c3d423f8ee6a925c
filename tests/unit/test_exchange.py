"""Townships and the county exchange by signed package: a township's projects and targets reach the
county (新增), a second import changes nothing, the county's review comes back to the township (更新),
a record changed on both sides waits as a conflict with the local value standing until a person
chooses, two townships merge in either order to the same records, and a package addressed elsewhere,
from a stranger or altered is refused whole with the database untouched."""

from __future__ import annotations


import pytest
from sqlalchemy import select

from app.rules.validation import RejectedError
from app.services import exchange, exchange_keys, projects
from app.services.workspace import Workspace
from db.models import ExchangeConflict, PerformanceTarget, Project
from tests.support import township_with_projects

COUNTY = "370117"


def _trust_both(county, town, tmp_path):
    code = town.home_region()
    exchange_keys.write_own(town, tmp_path / f"{code}.pdkey")
    exchange_keys.write_own(county, tmp_path / "county.pdkey")
    exchange_keys.trust(county, tmp_path / f"{code}.pdkey")
    exchange_keys.trust(town, tmp_path / "county.pdkey")


@pytest.fixture
def pair(county, tmp_path):
    town = township_with_projects(tmp_path, "370117101", "艾山街道", "901001")
    _trust_both(county, town, tmp_path)
    yield county, town
    town.close()


def rename(ws, project_id: int, name: str) -> None:
    """The project form's save with only the 项目名称 changed."""
    projects.save_project(ws, {**projects.form_values(ws, project_id), "name": name}, project_id)


def _names(ws) -> dict[str, str]:
    with ws.session() as s:
        return {p.uuid: p.name for p in s.scalars(select(Project))}


def test_a_township_reports_up_and_a_second_import_changes_nothing(pair, tmp_path):
    county, town = pair
    out = exchange.export_package(town, COUNTY, [2023], tmp_path / "up.pdx")
    assert out.counts["project"] == 2 and out.counts["performance_target"] == 1
    preview = exchange.import_package(county, tmp_path / "up.pdx", dry_run=True)
    assert preview.counts.total("新增") > 0 and _names(county) == {}  # a preview writes nothing
    first = exchange.import_package(county, tmp_path / "up.pdx")
    assert first.counts.by_kind["项目"]["新增"] == 2 and "新增" in first.sentence
    assert _names(county) == _names(town)
    with county.session() as s:
        assert {p.region_code for p in s.scalars(select(Project))} == {"370117101"}
    again = exchange.import_package(county, tmp_path / "up.pdx")
    assert again.counts.total("新增") == again.counts.total("更新") == again.counts.total("冲突") == 0


def test_a_change_made_only_in_the_township_is_an_update_not_a_conflict(pair, tmp_path):
    county, town = pair
    exchange.export_package(town, COUNTY, [2023], tmp_path / "up.pdx")
    exchange.import_package(county, tmp_path / "up.pdx")
    with town.session() as s:
        pid = s.scalar(select(Project.id).where(Project.code == "370117101001"))
    rename(town, pid, "艾山街道项目1（调整）")
    exchange.export_package(town, COUNTY, [2023], tmp_path / "up2.pdx")
    second = exchange.import_package(county, tmp_path / "up2.pdx")
    assert second.counts.by_kind["项目"]["更新"] == 1 and second.counts.total("冲突") == 0
    assert _names(county) == _names(town)
    rename(town, pid, "艾山街道项目1（再调整）")  # and again: the county's copy still follows
    exchange.export_package(town, COUNTY, [2023], tmp_path / "up3.pdx")
    assert exchange.import_package(county, tmp_path / "up3.pdx").counts.total("冲突") == 0
    assert _names(county) == _names(town)


@pytest.mark.parametrize("county_made_one", [False, True])
def test_the_county_makes_records_only_for_its_own_projects_and_the_townships_arrive_by_package(
        pair, tmp_path, county_made_one):
    """…and a record both sides made on their own (a county database from before) is refused whole."""
    from app.services import monitoring, monitoring_refresh, self_eval
    from db.models import MonitoringRecord, MonitoringRound, SelfEvaluation
    from tests.support import project_raw

    county, town = pair
    projects.save_project(county, project_raw(code="3701172023001", name="本级项目"))
    exchange.export_package(town, COUNTY, [2023], tmp_path / "up.pdx")
    exchange.import_package(county, tmp_path / "up.pdx")
    round_id = monitoring.open_round(county, 2023, 8, "1-8月")
    monitoring_refresh.refresh_round(county, round_id)  # the page does this on every view
    self_eval.create_year(county, 2023)

    def regions(ws, model):
        with ws.session() as s:
            return sorted(s.scalars(select(model.region_code)))

    assert regions(county, MonitoringRecord) == ["370117"]  # not the township's two projects
    assert "370117101" not in regions(county, SelfEvaluation)
    exchange.export_package(county, "370117101", [2023], tmp_path / "down.pdx")
    exchange.import_package(town, tmp_path / "down.pdx")
    with town.session() as s:
        town_round = s.scalar(select(MonitoringRound.id))
    monitoring_refresh.refresh_round(town, town_round)  # the township's own records in the county's round
    exchange.export_package(town, COUNTY, [2023], tmp_path / "up2.pdx")
    if county_made_one:
        with county.session() as s:
            pid = s.scalar(select(Project.id).where(Project.region_code == "370117101").limit(1))
            s.add(MonitoringRecord(round_id=round_id, project_id=pid, budget_fen=0, region_code="370117101"))
        with pytest.raises(RejectedError) as refused:
            exchange.import_package(county, tmp_path / "up2.pdx")
        assert "重复" in str(refused.value) and "未作任何改动" in str(refused.value)
        assert regions(county, MonitoringRecord) == ["370117", "370117101"]
        return
    exchange.import_package(county, tmp_path / "up2.pdx")  # no clash with anything the county made
    assert regions(county, MonitoringRecord) == ["370117", "370117101", "370117101"]


def test_the_countys_change_comes_down_and_a_change_on_both_sides_waits_for_a_person(pair, tmp_path):
    county, town = pair
    exchange.export_package(town, COUNTY, [2023], tmp_path / "up.pdx")
    exchange.import_package(county, tmp_path / "up.pdx")
    uuid = next(u for u, n in _names(county).items() if n.endswith("项目1"))
    with county.session() as s:
        project_id = s.scalars(select(Project.id).where(Project.uuid == uuid)).one()
    rename(county, project_id, "艾山街道项目1（县调整）")
    exchange.export_package(county, "370117101", [2023], tmp_path / "down.pdx")
    down = exchange.import_package(town, tmp_path / "down.pdx")
    assert down.counts.by_kind["项目"]["更新"] == 1 and _names(town)[uuid] == "艾山街道项目1（县调整）"

    # both sides change the same project before the next exchange
    with town.session() as s:
        town_id = s.scalars(select(Project.id).where(Project.uuid == uuid)).one()
    rename(town, town_id, "乡镇改名")
    rename(county, project_id, "县里改名")
    exchange.export_package(town, COUNTY, [2023], tmp_path / "up2.pdx")
    result = exchange.import_package(county, tmp_path / "up2.pdx")
    assert result.counts.by_kind["项目"]["冲突"] == 1
    assert _names(county)[uuid] == "县里改名"  # the local value stands
    with county.session() as s:
        waiting = s.scalars(select(ExchangeConflict).where(ExchangeConflict.status == "待处理")).all()
        assert [(c.field, c.local_value, c.incoming_value) for c in waiting] == [("name", '"县里改名"', '"乡镇改名"')]
        conflict_id = waiting[0].id
    (row,) = exchange.conflicts(county)  # side by side, in the users' words
    assert (row.region, row.kind, row.field, row.local_value, row.incoming_value) == (
        "[370117101]艾山街道", "项目", "项目名称", "县里改名", "乡镇改名")
    exchange.import_package(county, tmp_path / "up2.pdx")  # the same package again: the conflict is not doubled
    with county.session() as s:
        assert len(s.scalars(select(ExchangeConflict)).all()) == 1
    exchange.resolve_conflict(county, conflict_id, take_incoming=True)
    assert _names(county)[uuid] == "乡镇改名"
    settled = exchange.import_package(county, tmp_path / "up2.pdx")
    assert settled.counts.total("冲突") == 0 and settled.counts.total("更新") == 0


def copy_county(ws, path) -> Workspace:
    """A second county database, the same as `ws` before any township package (SQLite's own backup)."""
    import sqlite3

    with sqlite3.connect(ws.db_file) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    return Workspace.open(path)


def _content(ws) -> dict:
    with ws.session() as s:
        return {
            "projects": sorted((p.uuid, p.name, p.code, p.annual_budget_fen) for p in s.scalars(select(Project))),
            "targets": sorted((t.uuid, t.status, t.annual_goal) for t in s.scalars(select(PerformanceTarget))),
        }


@pytest.mark.sqlite_only("the second county is a copy of the first county's SQLite file")
def test_two_townships_merge_in_either_order_to_the_same_records(county, tmp_path):
    a = township_with_projects(tmp_path, "370117101", "艾山街道", "901001")
    b = township_with_projects(tmp_path, "370117102", "里辛街道", "902001")
    for town in (a, b):
        _trust_both(county, town, tmp_path)
    other = copy_county(county, tmp_path / "other.sqlite3")  # the same keys registered
    for town in (a, b):
        exchange.export_package(town, COUNTY, [2023], tmp_path / f"{town.home_region()}.pdx")
    for ws, order in ((county, ("370117101", "370117102")), (other, ("370117102", "370117101"))):
        for code in order:
            exchange.import_package(ws, tmp_path / f"{code}.pdx")
    assert _content(county) == _content(other) and len(_content(county)["projects"]) == 4
    other.close()
    a.close()
    b.close()


def test_a_package_for_another_database_from_a_stranger_or_altered_is_refused_whole(pair, tmp_path):
    county, town = pair
    stranger = township_with_projects(tmp_path, "370117109", "外来镇", "909001")  # trusts the county; the county never registered it
    exchange_keys.write_own(stranger, tmp_path / "stranger.pdkey")
    exchange_keys.trust(stranger, tmp_path / "county.pdkey")
    exchange.export_package(county, "370117101", [2023], tmp_path / "down.pdx")
    with pytest.raises(RejectedError, match="是发给\\[370117101\\]艾山街道的，不是本数据库"):
        exchange.import_package(stranger, tmp_path / "down.pdx")
    exchange.export_package(town, COUNTY, [2023], tmp_path / "up.pdx")
    raw = bytearray((tmp_path / "up.pdx").read_bytes())
    raw[len(raw) // 3] ^= 0x01
    (tmp_path / "bad.pdx").write_bytes(bytes(raw))
    with pytest.raises(RejectedError):
        exchange.import_package(county, tmp_path / "bad.pdx")
    exchange.export_package(stranger, COUNTY, [2023], tmp_path / "stranger.pdx")
    with pytest.raises(RejectedError, match="未登记"):
        exchange.import_package(county, tmp_path / "stranger.pdx")  # its key was never registered
    assert _names(county) == {}
    stranger.close()


def test_a_failure_part_way_through_a_merge_leaves_the_database_as_it_was(pair, tmp_path, monkeypatch):
    from app.services import exchange_merge

    county, town = pair
    exchange.export_package(town, COUNTY, [2023], tmp_path / "up.pdx")
    real = exchange_merge._merge_kind

    def failing(s, name, *args):
        if name == "performance_target":  # the projects are already written in this transaction
            raise RuntimeError("power cut")
        return real(s, name, *args)

    monkeypatch.setattr(exchange_merge, "_merge_kind", failing)
    with pytest.raises(RuntimeError):
        exchange.import_package(county, tmp_path / "up.pdx")
    assert _names(county) == {}
