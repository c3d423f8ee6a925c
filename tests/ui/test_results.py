"""结果应用 page as a bureau uses it: a key evaluation graded 中 chosen as the 依据 shows the pack's
suggestion 压缩 (the officer decides), the measure is saved and the table shows it with its 小计 and
the 合计; a money measure without 金额 and a 通报 with one are refused with a sentence."""

import pytest

from app.domain.results import ResultDraft
from app.services import results as svc
from app.stages.results import STAGE
from db.models import KeyEvaluation
from ui import messages


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text: True)
    monkeypatch.setattr(messages, "ask_unsaved", lambda parent, what: "discard")


@pytest.fixture
def page(qtbot, county, page_ctx, settle):
    from ui.stage_ui import build_page

    with county.session() as s:
        s.add(KeyEvaluation(region_code="370117", year=2023, object_name="城乡居民养老保险专项资金", grade="中"))
    built = build_page(STAGE, page_ctx(county))  # the registry entry is the lead's
    qtbot.addWidget(built)
    built.resize(1300, 700)
    built.show()
    built.set_year(2023)
    settle()
    return built


def _choose(combo, text: str) -> None:
    combo.setCurrentIndex(next(n for n in range(combo.count()) if text in combo.itemText(n)))


def test_a_measure_from_a_key_evaluation_graded_zhong(qtbot, page, settle):
    assert [line.measure for line in page.model.rows()] == ["合计"]
    form = page.add()
    qtbot.addWidget(form)
    _choose(form.widgets["basis"], "城乡居民养老保险专项资金（中）")
    assert form.suggestion.text().startswith("压缩") and "由您决定" in form.suggestion.text()
    assert form.widgets["measure"].currentText() == ""  # suggested, never chosen for the officer
    assert form.widgets["object"].currentText() == "城乡居民养老保险专项资金"
    form.widgets["measure"].setCurrentText("压缩")
    form.widgets["amount"].setText("35.5")
    form.widgets["execution"].setPlainText("已在2024年预算中压缩")
    form.try_save()
    settle()
    assert not form.isVisible()
    lines = page.model.rows()
    assert [(l.measure, l.object_name, l.amount_fen) for l in lines] == [
        ("压缩", "城乡居民养老保险专项资金", 35_500_000), ("压缩小计", "1项", 35_500_000), ("合计", "1项", 35_500_000)]
    assert lines[0].basis_text == "2023年重点评价：城乡居民养老保险专项资金（中）" and lines[0].affect_year == 2024
    assert "压减预算金额35.50万元" in page.counts.text()

    svc.save(page.ws, ResultDraft(year=2023, measure="调减", object_name="和硕县某项目", amount="130"))
    settle()
    assert [(l.measure, l.amount_fen) for l in page.model.rows()] == [
        ("调减", 130_000_000), ("调减小计", 130_000_000), ("压缩", 35_500_000), ("压缩小计", 35_500_000),
        ("合计", 165_500_000)]

    page.view.selectRow(2)
    form = page.edit(page._selected())
    qtbot.addWidget(form)
    assert form.widgets["amount"].text() == "35.50" and "（中）" in form.widgets["basis"].currentText()
    form.done(0)


def test_money_and_no_money_measures_are_refused_with_a_sentence(qtbot, page, settle):
    form = page.add()
    qtbot.addWidget(form)
    form.widgets["object"].setEditText("低效项目")
    form.widgets["measure"].setCurrentText("收回")
    form.try_save()
    assert form.isVisible() and "“收回”须填写金额（万元）" in form.error_text("amount")
    form.widgets["measure"].setCurrentText("通报")
    form.widgets["amount"].setText("5")
    form.try_save()
    assert form.isVisible() and "“通报”不涉及金额，请清空金额" in form.error_text("amount")
    assert svc.list_year(page.ws, 2023) == []
    form.widgets["amount"].clear()
    form.try_save()
    settle()
    assert not form.isVisible()
    assert [(l.measure, l.amount_fen) for l in page.model.rows()] == [("通报", None), ("通报小计", None), ("合计", 0)]


def test_subtotal_rows_cannot_be_edited_and_a_measure_is_deleted(qtbot, page, settle, monkeypatch):
    svc.save(page.ws, ResultDraft(year=2023, measure="收回", object_name="闲置资金", amount="45.6"))
    settle()
    told = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error, title="": told.append(error.summary))
    page.view.selectRow(1)
    assert page.edit(page._selected()) is None and "小计、合计行不能编辑" in told[0]
    page.view.selectRow(0)
    assert page.delete_selected()
    settle()
    assert [l.measure for l in page.model.rows()] == ["合计"]


def test_export_the_years_table(qtbot, page, settle, tmp_path):
    svc.save(page.ws, ResultDraft(year=2023, measure="调减", object_name="教育综合改革专项资金", amount="8825.34"))
    settle()
    path = tmp_path / "结果应用.pdf"
    page.export(str(path))
    settle()
    assert path.exists() and path.stat().st_size > 0


def test_editing_keeps_next_years_project_and_a_basis_naming_no_record(qtbot, page, settle):
    """澄江's cut decided in 2023 on the 2024 project, and 潜江's 12 published reports (依据 重点评价,
    naming no evaluation): changing only 执行情况 keeps the project link and the 依据."""
    from app.services import projects
    from tests.support import project_raw

    nxt = projects.save_project(page.ws, project_raw(code="CJ2024031", name="教育综合改革专项资金", year="2024"))
    form = page.add()
    qtbot.addWidget(form)
    _choose(form.widgets["object"], "教育综合改革专项资金（2024年）")  # next year's project is offered
    form.widgets["measure"].setCurrentText("调减")
    form.widgets["amount"].setText("8825.34")
    form.try_save()
    settle()
    assert not form.isVisible(), form.error_text("object")
    assert [r.measure for r in svc.measures_for(page.ws, nxt)] == ["调减"]
    published = svc.save(page.ws, ResultDraft(year=2023, measure="公开", object_name="12个重点项目绩效评价报告",
                                              count="12", basis="重点评价"))
    settle()
    for n, row in enumerate(page.model.rows()):
        if row.measure in ("调减", "公开"):
            page.view.selectRow(n)
            form = page.edit(page._selected())
            qtbot.addWidget(form)
            form.widgets["execution"].setPlainText("已执行")
            form.try_save()
            settle()
    assert [r.execution for r in svc.measures_for(page.ws, nxt)] == ["已执行"]  # still on the 2024 project
    kept = svc.open_measure(page.ws, published.measure_id)
    assert (kept.basis, kept.basis_id, kept.count, kept.execution) == ("重点评价", None, "12", "已执行")


def test_the_page_shows_the_exported_tables_lines_with_its_columns(qtbot, page, settle):
    from app.io.results_reports import columns, table_rows

    svc.save(page.ws, ResultDraft(year=2023, measure="公开", object_name="重点评价报告", count="12"))
    svc.save(page.ws, ResultDraft(year=2023, measure="调减", object_name="和硕县某项目", amount="130"))
    settle()
    view = svc.year_table(page.ws, 2023)
    assert [line.cells() for line in page.model.rows()] == table_rows(view)
    assert [c.header for c in page.model.columns] == [c.header for c in columns(view)]
    assert [page.model.index(0, 3).data(), page.model.index(2, 3).data()] == ["", "12"]  # 数量（份）
