"""第三方机构 page as a bureau uses it: add an institution (a bad 统一社会信用代码 named under the field),
open it, add a contract, score the year's 执业质量考核 and watch the total and the result follow the
typing, and the list shows the contract and the result; deleting one that evaluations name is refused."""

from decimal import Decimal

import pytest

from app.services import agencies as svc
from db.models import KeyEvaluation
from ui import messages

SCORES = {"基础管理": "19", "评价服务质量": "27", "档案管理": "14", "分支机构管理": "9", "资料完整性": "14", "报送及时性": "9"}


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text: True)
    monkeypatch.setattr(messages, "ask_unsaved", lambda parent, what: "discard")


@pytest.fixture
def page(county, stage_page):
    return stage_page("agencies", county, 2023)


def test_add_contract_assess_and_the_list_follows(qtbot, page, settle):
    assert page.model.rowCount() == 0
    form = page.add()
    qtbot.addWidget(form)
    assert not form.tabs.isTabEnabled(1)  # contracts wait for the 基本信息 to be saved
    form.widgets["name"].setText("天健会计师事务所（特殊普通合伙）")
    form.widgets["credit_code"].setText("91330000579342121")
    assert "应为18位" in form.error_text("credit_code")
    form.widgets["credit_code"].setText("913300005793421213")
    assert form.error_text("credit_code") == ""
    form.widgets["contact"].setText("张敏")
    form.try_save()
    settle()
    assert not form.isVisible()
    [row] = page.model.rows()
    assert (row.name, row.credit_code, row.contact, row.contracts, row.latest_result) == \
        ("天健会计师事务所（特殊普通合伙）", "913300005793421213", "张敏", 0, "")

    page.view.selectRow(0)
    form = page.edit(page._selected())
    qtbot.addWidget(form)
    form.tabs.setCurrentIndex(1)
    contract = form.add_contract()
    qtbot.addWidget(contract)
    for key, text in (("name", "2023年重点项目绩效评价服务"), ("amount", "28.6"), ("start", "2023-05-01"),
                      ("finish", "2023-12-31")):
        contract.widgets[key].setText(text)
    contract.try_save()
    settle()
    assert not contract.isVisible()
    assert [(c.name, c.amount_fen) for c in form.contracts.rows()] == [("2023年重点项目绩效评价服务", 28_600_000)]

    form.tabs.setCurrentIndex(3)
    assert form.year.value() == 2023
    for aspect, score in SCORES.items():
        form.scores[aspect].setText(score)
    assert form.total.text() == "92分" and "优秀" in form.result.text()
    form.scores["评价服务质量"].setText("24")
    assert form.total.text() == "89分" and "良好" in form.result.text()
    form.scores["基础管理"].setText("25")
    assert "应在0～20分之间" in form.score_errors["基础管理"].text() and "填齐" in form.result.text()
    form.scores["基础管理"].setText("19")
    assert form.save_assessment()
    assert "已保存2023年度" in form.assessment_note.text()
    settle()
    [row] = page.model.rows()
    assert (row.contracts, row.latest_result) == (1, "良好（2023年）")
    form.widgets["phone"].setText("0571-88216888")  # the assessment moved the record's version: 基本信息 still saves
    form.try_save()
    settle()
    assert not form.isVisible() and page.model.rows()[0].phone == "0571-88216888"

    form = page.assess(0)  # 执业质量考核… opens the form on its tab, the year's scores read back
    qtbot.addWidget(form)
    assert form.tabs.currentIndex() == 3 and form.scores["评价服务质量"].text() == "24"
    form.done(0)


def test_search_and_a_refused_deletion(qtbot, county, page, settle, monkeypatch):
    svc.save_agency(county, {"name": "湖北省衡平楚天会计师事务有限公司", "role": "评估"})
    busy = svc.save_agency(county, {"name": "天健会计师事务所（特殊普通合伙）云南分所", "role": "评价", "contact": "李华"})
    with county.session() as s:
        s.add(KeyEvaluation(region_code="370117", year=2023, object_name="城市发展专项资金", agency_id=busy,
                            total_score=Decimal("85"), grade="良"))
    settle()
    assert page.model.rowCount() == 2
    page.search.setText("李华")
    assert [r.name for r in page.model.rows()] == ["天健会计师事务所（特殊普通合伙）云南分所"]
    told = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error, title="": told.append(error.summary))
    page.view.selectRow(0)
    assert not page.delete_selected()
    assert "承担了1项重点评价，不能删除" in told[0]
    page.search.clear()
    page.select_name("湖北省衡平楚天会计师事务有限公司")
    assert page.delete_selected()
    settle()
    assert [r.name for r in page.model.rows()] == ["天健会计师事务所（特殊普通合伙）云南分所"]
