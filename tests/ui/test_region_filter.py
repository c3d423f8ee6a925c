"""The 区划 filter and column as a county officer uses them: a county holding a township's records
shows each row's region and narrows the 项目 and 运行监控 lists to one region (the status line, the
summary and the exports follow); a county without townships shows neither."""

import openpyxl
import pytest

from app.services import monitoring as mon
from app.services import monitoring_refresh
from tests.region_support import TOWN_NAME, in_township, township_projects


def choose(combo, text: str) -> None:
    """Pick an entry of a drop-down list as the user would."""
    index = combo.findText(text)
    assert index >= 0, f"{text} is not offered: {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def offered(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def region_column(page) -> int:
    return [c.header for c in page.model.columns].index("区划")


def shows_region(page) -> bool:
    return not page.view.isColumnHidden(region_column(page))


@pytest.fixture
def held(year):
    township_projects(year)
    return year


def test_the_projects_page_shows_and_narrows_to_a_township(held, stage_page, settle, tmp_path):
    page = stage_page("projects", held)
    assert page.region_filter.isVisible() and shows_region(page)
    assert offered(page.region_filter) == ["全部区划", "钢城区（本级）", TOWN_NAME]
    assert page.model.rowCount() == 4
    choose(page.region_filter, TOWN_NAME)
    assert [(r.code, page.model.index(n, region_column(page)).data()) for n, r in enumerate(page.model.rows())] == [
        ("QS2023001", TOWN_NAME), ("QS2023002", TOWN_NAME)]
    assert "显示2个 / 共4个项目，全年预算数合计140.00万元" in page.status.text()
    out = tmp_path / "青石镇.xlsx"
    op = page.export("xlsx", str(out))
    settle()
    assert op.outcome.ok and op.outcome.result == 2
    sheet = openpyxl.load_workbook(out)["项目"]
    assert sheet["A1"].value == f"2023年度项目清单（{TOWN_NAME}）"
    assert [sheet.cell(row=r, column=1).value for r in (4, 5)] == ["QS2023001", "QS2023002"]
    page.reload()  # a reload (after any change) keeps the region chosen
    settle()
    assert page.region_filter.currentText() == TOWN_NAME and page.model.rowCount() == 2


def test_the_monitoring_page_reads_one_townships_round(held, stage_page, settle, tmp_path):
    round_id = mon.open_round(held, 2023, 8, "1-8月")
    with in_township(held):  # the township's records, as its package brings them
        monitoring_refresh.refresh_round(held, round_id)
    page = stage_page("monitoring", held)
    assert page.model.rowCount() == 4 and shows_region(page)
    page.tabs.setCurrentIndex(1)  # 监控汇总: by department, then by region
    assert page.region_view.isVisible() and [line.department for line in page.region_model.rows()] == [
        "钢城区本级", TOWN_NAME, "合计"]
    choose(page.region_filter, TOWN_NAME)
    settle()
    assert sorted(r.code for r in page.model.rows()) == ["QS2023001", "QS2023002"]
    assert {r.region for r in page.model.rows()} == {TOWN_NAME} and page.status.text().startswith("共2个项目")
    assert page.dept_model.rows()[-1].budget_fen == 140_000_000 and not page.region_view.isVisible()
    out = tmp_path / "汇总.xlsx"
    assert page.export_summary(str(out))
    settle()
    assert TOWN_NAME in openpyxl.load_workbook(out)["汇总"]["A1"].value


def test_a_county_without_townships_shows_no_region(year, stage_page):
    mon.open_round(year, 2023, 8, "1-8月")
    projects = stage_page("projects", year)
    assert not projects.region_filter.isVisible() and not projects.region_filter.caption.isVisible()
    assert not shows_region(projects) and projects.model.rowCount() == 2
    monitoring = stage_page("monitoring", year)
    assert not monitoring.region_filter.isVisible() and not shows_region(monitoring)
    monitoring.tabs.setCurrentIndex(1)
    assert not monitoring.region_view.isVisible() and monitoring.dept_model.rowCount() == 2  # a department, 合计
