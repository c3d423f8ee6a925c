"""事前绩效评估 driven as a user would: the needing list, a new assessment for a project, items rated
(the total and grade follow), the conclusion and 建议安排金额 (调减 follows), 提交, 审核通过, 定稿, and
the report printed."""

from decimal import Decimal

import pytest

from tests.support import project_raw


@pytest.fixture
def ex_ws(county):
    from app.services import projects

    projects.save_project(county, project_raw(code="C2023001", name="智慧城管平台", category="新增",
                                              annual_budget="150", initial_budget="150"))
    return county


@pytest.fixture
def page(qtbot, ex_ws, page_ctx, settle):
    from ui.pages.exante_page import ExAntePage

    built = ExAntePage(page_ctx(ex_ws))
    qtbot.addWidget(built)
    built.resize(1300, 700)
    built.show()
    built.set_year(2023)
    settle()
    return built


def _answers(monkeypatch):
    from ui import messages

    asked = []
    monkeypatch.setattr(messages, "confirm_step", lambda parent, title, sentence: asked.append(title) or True)
    monkeypatch.setattr(messages, "ask_unsaved", lambda parent, what: asked.append("尚未保存") or "discard")
    return asked


def test_assess_a_project_from_the_needing_list_to_the_printed_report(page, settle, monkeypatch, tmp_path):
    from ui.dialogs import exante_form

    asked = _answers(monkeypatch)
    assert page.needing_model.rowCount() == 1 and page.needing_model.row_at(0).code == "C2023001"
    assert "需要事前评估" in page.needing_label.text()
    page.start_needing(0)
    settle()
    form = page.form
    assert form is not None and form.requested.text() == "150.00"
    model = form.model
    for row in range(model.rowCount()):
        assert model.setData(model.index(row, model.column_of("grade")), "良")
        model.setData(model.index(row, model.column_of("self_grade")), "优")
    assert model.index(0, model.column_of("score")).data() == "4"  # 良 = 80% of 5
    assert "审核评估：80分 等级：良" in form.totals.text() and "部门自评估：100分" in form.totals.text()
    assert "调整后支持" in form.suggestion.text()
    model.setData(model.index(0, model.column_of("score")), "6")  # beyond 分值
    assert "超出了0到5分" in form.needs.text()
    model.setData(model.index(0, model.column_of("score")), "")
    form.conclusion.setCurrentText("调整后支持")
    form.recommended.setText("100")
    assert form.cut.text() == "50.00"
    assert form.submit() and form.draft.status == "已提交"
    assert form.review(True, "") and form.draft.status == "审核通过"
    assert form.finalize() and form.draft.status == "已定稿"
    assert asked == ["提交", "审核通过", "定稿"]
    assert not form.buttons["save"].isEnabled() and form.buttons["reopen"].isEnabled()
    settle()
    assert page.model.rowCount() == 1 and page.needing_model.rowCount() == 0
    row = page.model.row_at(0)
    assert (row.total, row.grade, row.conclusion, row.cut_fen) == (Decimal("80.00"), "良", "调整后支持", 50_000_000)

    written = tmp_path / "report.pdf"
    monkeypatch.setattr("ui.print_preview.print_report",
                        lambda parent, title, write_pdf: write_pdf(str(written), None) or title)
    assert "事前绩效评估报告" in form.print_report()
    assert written.read_bytes().startswith(b"%PDF")
    monkeypatch.setattr(exante_form, "ask_reason", lambda parent, title, label: "金额需复核")
    assert form.reopen() and form.draft.status == "退回修改"
    form.reject()


def test_unsaved_typing_asks_before_closing(page, settle, monkeypatch):
    asked = _answers(monkeypatch)
    page.new_assessment(name="农村供水保障政策")
    settle()
    form = page.form
    assert form.object_name.text() == "农村供水保障政策" and not form.object_name.isReadOnly()
    form.requested.setText("abc")
    assert "申报金额" in form.needs.text()
    form.reject()
    assert asked == ["尚未保存"]
    settle()
    assert page.model.rowCount() == 0  # 不保存: nothing written
