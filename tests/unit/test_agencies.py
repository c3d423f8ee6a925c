"""第三方机构 through its service: institutions (unique name, 统一社会信用代码, a stale form refused,
deletion refused while evaluations name it), contracts in fen, and the yearly 执业质量考核 scored from
the pack's six aspects and graded by its bands, one per institution and year."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.agencies import credit_check_char
from app.rules.validation import RejectedError
from app.services import agencies as svc
from db.models import AgencyContract, AuditLog, ExAnteAssessment, KeyEvaluation

TIANJIAN = "913300005793421213"  # 天健会计师事务所（特殊普通合伙）, as published
FULL = {"基础管理": "20", "评价服务质量": "30", "档案管理": "15", "分支机构管理": "10", "资料完整性": "15", "报送及时性": "10"}


def agency(**kw):
    return {"name": "云南某某会计师事务所", "credit_code": "", "contact": "张敏", "phone": "0871-63123456", "role": "评价",
            "note": "", **kw}


def test_create_edit_and_the_list(county):
    ident = svc.save_agency(county, agency(credit_code=TIANJIAN))
    [row] = svc.list_agencies(county)
    assert (row.name, row.credit_code, row.contact, row.contracts, row.works, row.latest_result) == \
        ("云南某某会计师事务所", TIANJIAN, "张敏", 0, 0, "")
    view = svc.agency_view(county, ident)
    svc.save_agency(county, agency(name="云南某某会计师事务所（改）", contact="李华"), ident, version=view.version)
    [row] = svc.list_agencies(county)
    assert (row.name, row.contact, row.credit_code) == ("云南某某会计师事务所（改）", "李华", "")
    with county.session() as s:
        actions = [a for a, in s.execute(select(AuditLog.action).where(AuditLog.entity == "第三方机构"))]
    assert actions == ["新增", "修改"]


def test_a_second_institution_with_the_same_name_is_refused(county):
    svc.save_agency(county, agency())
    with pytest.raises(RejectedError) as refused:
        svc.save_agency(county, agency(contact="别人"))
    assert "已有名为“云南某某会计师事务所”的第三方机构" in refused.value.summary
    assert len(svc.list_agencies(county)) == 1


@pytest.mark.parametrize("code", ["91330000579342121", "9133000057934212I3", "91330000579342121O", "ABC"])
def test_a_malformed_credit_code_is_refused_naming_the_form(county, code):
    with pytest.raises(RejectedError) as refused:
        svc.save_agency(county, agency(credit_code=code))
    [message] = refused.value.report.for_field("credit_code")
    assert "应为18位" in message and "不含I、O、Z、S、V" in message


def test_the_check_digit_of_gb_32100(county):
    assert credit_check_char(TIANJIAN[:17]) == TIANJIAN[17]
    with pytest.raises(RejectedError) as refused:
        svc.save_agency(county, agency(credit_code=TIANJIAN[:17] + "4"))
    assert "第18位应为“3”" in refused.value.report.for_field("credit_code")[0]
    ident = svc.save_agency(county, agency(credit_code=TIANJIAN.lower()[:17] + "3"))  # typed in lower case: taken
    assert svc.agency_view(county, ident).values["credit_code"] == TIANJIAN


def test_a_stale_form_is_refused(county):
    ident = svc.save_agency(county, agency())
    old = svc.agency_view(county, ident).version
    svc.save_agency(county, agency(phone="13800000000"), ident, version=old)
    with pytest.raises(RejectedError) as refused:
        svc.save_agency(county, agency(contact="晚到的修改"), ident, version=old)
    assert "已被修改" in refused.value.summary
    assert svc.agency_view(county, ident).values["contact"] == "张敏"


def test_delete_is_refused_while_evaluations_name_it(county):
    ident = svc.save_agency(county, agency())
    with county.session() as s:
        for name in ("净水厂原水水费", "救灾物资"):
            s.add(KeyEvaluation(region_code="370117", year=2022, object_name=name, agency_id=ident,
                                total_score=Decimal("91.5"), grade="优"))
        s.add(ExAnteAssessment(region_code="370117", year=2024, object_name="教育综合改革", agency_id=ident))
    [row] = svc.list_agencies(county)
    assert row.works == 3
    works = svc.agency_view(county, ident).works
    assert [(w.kind, w.year, w.object_name) for w in works][0] == ("事前绩效评估", 2024, "教育综合改革")
    with pytest.raises(RejectedError) as refused:
        svc.delete_agency(county, ident)
    assert "承担了2项重点评价、1项事前绩效评估，不能删除" in refused.value.summary
    with county.session() as s:
        for model in (KeyEvaluation, ExAnteAssessment):
            for obj in s.scalars(select(model)):
                s.delete(obj)
    svc.delete_agency(county, ident)
    assert svc.list_agencies(county) == []


def test_contracts_keep_money_in_fen(county):
    ident = svc.save_agency(county, agency())
    cid = svc.save_contract(county, ident, {"name": "2023年重点项目绩效评价服务", "amount": "12.345678",
                                            "start": "2023-04-01", "finish": "2023年12月31日", "scope": "10个重点项目"})
    with county.session() as s:
        assert s.get(AgencyContract, cid).amount_fen == 123456_78
    [contract] = svc.agency_view(county, ident).contracts
    assert contract.period == "2023-04-01至2023-12-31"
    with pytest.raises(RejectedError) as refused:
        svc.save_contract(county, ident, {"name": "x", "amount": "1.0000001"})
    assert refused.value.report.for_field("amount")
    with pytest.raises(RejectedError) as refused:
        svc.save_contract(county, ident, {"name": "x", "start": "2023-05-01", "finish": "2023-04-01"})
    assert refused.value.report.for_field("finish") == ["结束日期应不早于开始日期"]
    svc.save_contract(county, ident, {"name": "改名", "amount": "20"}, cid, version=contract.version)
    with pytest.raises(RejectedError):
        svc.save_contract(county, ident, {"name": "又改", "amount": "20"}, cid, version=contract.version)
    assert svc.list_agencies(county)[0].contracts == 1
    svc.delete_contract(county, cid)
    assert svc.agency_view(county, ident).contracts == ()


def test_assessment_total_and_result_from_the_bands(county):
    ident = svc.save_agency(county, agency())
    scores = {**FULL, "基础管理": "18.5", "评价服务质量": "26", "档案管理": "14.5", "资料完整性": "11"}  # 90.00 exactly: 优秀
    svc.save_assessment(county, ident, 2022, scores, "六个方面综合评价")
    [a] = svc.agency_view(county, ident).assessments
    assert (a.total, a.result, a.scores["基础管理"]) == (Decimal("90.00"), "优秀", Decimal("18.5"))
    svc.save_assessment(county, ident, 2022, {**scores, "报送及时性": "9.99"})  # the same year edits the first
    view = svc.agency_view(county, ident)
    assert [(a.year, a.total, a.result) for a in view.assessments] == [(2022, Decimal("89.99"), "良好")]
    assert svc.list_agencies(county)[0].latest_result == "良好（2022年）"
    svc.save_assessment(county, ident, 2023, {**FULL, "评价服务质量": "12", "档案管理": "7"})  # 74: 合格
    assert svc.list_agencies(county)[0].latest_result == "合格（2023年）"


@pytest.mark.parametrize("aspect,score,expected", [("基础管理", "21", "应在0～20分之间"), ("档案管理", "-1", "应在0～15分之间"),
                                                   ("资料完整性", "10.005", "最多保留2位小数"), ("报送及时性", "十", "应为0～10之间的数字"),
                                                   ("分支机构管理", "", "请填写")])
def test_assessment_scores_out_of_range_are_refused(county, aspect, score, expected):
    ident = svc.save_agency(county, agency())
    with pytest.raises(RejectedError) as refused:
        svc.save_assessment(county, ident, 2022, {**FULL, aspect: score})
    assert expected in refused.value.report.for_field(aspect)[0]
    assert svc.agency_view(county, ident).assessments == ()
