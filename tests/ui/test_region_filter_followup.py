"""The 区划 column and filter on the 重点评价, 事前评估, 整改台账 and 结果应用 pages: a county holding its
townships' records shows whose each row is and narrows the list (and its export) to one region; a
county without townships shows neither."""

from datetime import date

import pytest
from openpyxl import load_workbook

from app.services.base_data import save_region
from db.models import ExAnteAssessment, KeyEvaluation, Rectification, ResultApplication

HOME, QS = "370117", "370117101"


def _add(ws, *records) -> None:
    with ws.session() as s:
        s.add_all(records)


def _item(region: str, text: str) -> Rectification:
    return Rectification(year=2023, region_code=region, source="审计", responsible="财政所", description=text,
                         deadline=date(2023, 3, 1))


@pytest.fixture
def towns(county):
    save_region(county, {"code": QS, "name": "青石镇", "level": "乡镇"}, parent_code=HOME)
    return county


def _column(page, attr: str = "region") -> int:
    return next(i for i, c in enumerate(page.model.columns) if c.attr == attr)


def test_the_ledger_is_narrowed_to_a_township_and_exported_so(qtbot, stage_page, towns, settle, tmp_path):
    _add(towns, _item(HOME, "本级问题"), _item(QS, "镇问题一"), _item(QS, "镇问题二"))
    page = stage_page("rectification", towns, 2023)
    choose = page.region_filter
    assert choose.isVisible() and not page.view.isColumnHidden(_column(page))
    assert [choose.itemText(i) for i in range(choose.count())] == ["全部区划", "钢城区（本级）", "青石镇"]
    shown = {page.model.index(n, _column(page)).data() for n in range(page.model.rowCount())}
    assert shown == {"钢城区", "青石镇"} and "整改事项3项" in page.counts.text()

    choose.setCurrentIndex(choose.findText("青石镇"))
    assert {r.description for r in page.model.rows()} == {"镇问题一", "镇问题二"}
    assert "2023年度青石镇整改事项2项" in page.counts.text()
    path = tmp_path / "台账.xlsx"
    page.export_ledger(str(path))
    settle()
    cells = [str(v) for row in load_workbook(path)["整改台账"].iter_rows(values_only=True) for v in row if v]
    assert "镇问题一" in cells and "本级问题" not in cells and any("青石镇" in c for c in cells[:1])

    _add(towns, _item(QS, "镇问题三"))  # a reload keeps the region chosen
    page.reload()
    settle()
    assert choose.currentText() == "青石镇" and page.model.rowCount() == 3
    choose.setCurrentIndex(0)
    assert page.model.rowCount() == 4


def test_the_other_pages_name_and_narrow_to_a_township(stage_page, towns, settle):
    _add(towns, KeyEvaluation(year=2023, region_code=QS, object_name="青石镇财政运行", seq="A-01"),
         KeyEvaluation(year=2023, region_code=HOME, object_name="城区保洁", seq="A-02"),
         ExAnteAssessment(year=2023, region_code=QS, object_name="青石镇污水管网"),
         ResultApplication(year=2023, region_code=QS, object_name="青石镇道路", measure="调减", amount_fen=100_000,
                           source="其他"),
         _item(QS, "镇问题"))
    for key, total in (("key_eval", 2), ("exante", 1)):
        page = stage_page(key, towns, 2023)
        assert page.region_filter.isVisible() and not page.view.isColumnHidden(_column(page))
        assert page.model.rowCount() == total
        page.region_filter.setCurrentIndex(page.region_filter.findData(HOME))
        assert [r.region for r in page.model.rows()] == ["钢城区"] * (total - 1)
    page = stage_page("results", towns, 2023)
    assert page.model.rows()[0].region == "青石镇" and "问题数1个" in page.counts.text()
    page.region_filter.setCurrentIndex(page.region_filter.findData(HOME))
    settle()
    assert "本级" in page.heading.text() and "问题数0个" in page.counts.text()


def test_a_county_without_townships_shows_no_region(stage_page, county):
    _add(county, _item(HOME, "本级问题"))
    for key in ("rectification", "key_eval", "exante", "results"):
        page = stage_page(key, county, 2023)
        assert not page.region_filter.isVisible() and not page.region_filter.caption.isVisible()
        assert all(page.view.isColumnHidden(i) for i, c in enumerate(page.model.columns) if c.attr == "region")
    assert "区划" not in [c.header for c in page.model.columns]  # the results table: as the export prints it
