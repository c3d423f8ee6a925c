"""One field's text parsed: the one date parser the 第三方机构 contract, the 整改事项 form and the 整改台账
import share (app.rules.fields.day)."""

from datetime import date, datetime

import pytest

from app.rules import fields as F


@pytest.mark.parametrize("raw", ["2023-10-15", "2023/10/15", "2023.10.15", "2023年10月15日", " 2023 - 10 - 15 ",
                                 date(2023, 10, 15), datetime(2023, 10, 15, 8, 30)])
def test_a_day_is_read_from_text_or_a_date_cell(raw):
    assert F.day(raw) == date(2023, 10, 15) and type(F.day(raw)) is date


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_a_blank_day_is_none(raw):
    assert F.day(raw) is None


@pytest.mark.parametrize("raw", ["9月15日", "2023-02-30", "2023-13-01", 20231015.0, "20231015"])
def test_anything_else_says_what_a_date_looks_like(raw):
    with pytest.raises(F.FieldInvalid) as refused:
        F.day(raw)
    assert refused.value.expected == F.DAY_EXPECTED == "应为日期，如2023-10-15（可不填）"
