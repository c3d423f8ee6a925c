"""结果应用 rules, read from the pack's "result_use" section (a county's pack overrides key by key):
the measures, the measure a grade suggests (the officer decides; nothing is applied), which
measures carry an amount, the check of a draft, the year's grouping and its counts. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from app.domain.results import (BASIS_KEY_EVAL, BASIS_OTHER, BASIS_WORDS, ResultCounts, ResultDraft,
                                ResultGroup, ResultRow)
from app.rules.fields import FieldInvalid, as_text, is_blank, money_wan, whole_number, year as parse_year
from app.rules.validation import Report

DEFAULT_MEASURES = ("调减", "取消", "收回", "暂停拨付", "优先保障", "保障", "压缩", "通报", "公开", "报人大")
DEFAULT_BY_GRADE = {"优": "优先保障", "良": "保障", "中": "压缩", "差": "取消"}
DEFAULT_MONEY = ("调减", "取消", "收回", "压缩")
DEFAULT_NO_MONEY = ("通报", "公开", "报人大")
CUT, SQUEEZE, RECOVER, CANCEL, PUBLISH, TO_CONGRESS = "调减", "压缩", "收回", "取消", "公开", "报人大"
MAX_TEXT = 2000


@dataclass(frozen=True)
class ResultUseRules:
    measures: tuple[str, ...] = DEFAULT_MEASURES
    by_grade: tuple[tuple[str, str], ...] = tuple(DEFAULT_BY_GRADE.items())
    money_measures: tuple[str, ...] = DEFAULT_MONEY  # an amount is required
    no_money_measures: tuple[str, ...] = DEFAULT_NO_MONEY  # an amount is refused

    @classmethod
    def from_pack(cls, pack) -> "ResultUseRules":
        section = pack.section("result_use") if pack is not None else {}
        return cls(measures=tuple(section.get("measures", DEFAULT_MEASURES)),
                   by_grade=tuple(dict(section.get("by_grade", DEFAULT_BY_GRADE)).items()),
                   money_measures=tuple(section.get("money_measures", DEFAULT_MONEY)),
                   no_money_measures=tuple(section.get("no_money_measures", DEFAULT_NO_MONEY)))

    def suggest(self, grade: Optional[str]) -> Optional[str]:
        """The measure the pack suggests for a grade (优 优先保障 … 差 取消); None for no grade."""
        return dict(self.by_grade).get((grade or "").strip())


@dataclass(frozen=True)
class CheckedResult:
    """A draft's values ready to store."""

    measure: str
    object_name: str
    affect_year: int
    amount_fen: Optional[int]
    basis: str
    count: Optional[int]
    explanation: Optional[str]
    execution: Optional[str]
    note: Optional[str]


def check_draft(draft: ResultDraft, rules: ResultUseRules, object_name: str = "") -> tuple[Optional[CheckedResult], Report]:
    """The draft's values, or the report naming every field to fix. `object_name`: the chosen
    project's or department's name (the draft's own text is used when none is chosen)."""
    report = Report()
    measure = as_text(draft.measure)
    if not measure:
        report.add("measure", "请选择措施。")
    elif measure not in rules.measures:
        report.add("measure", f"措施应为{'、'.join(rules.measures)}之一。")
    name = (object_name or as_text(draft.object_name))
    if not name:
        report.add("object", "请选择项目或部门，或填写对象名称。")
    elif len(name) > 200:
        report.add("object", "对象名称应不超过200个字。")
    affect = draft.year + 1
    if not is_blank(draft.affect_year):
        try:
            affect = parse_year(draft.affect_year)
        except FieldInvalid as exc:
            report.add("affect_year", f"影响年度{exc.expected}。")
    amount = None
    if not is_blank(draft.amount):
        try:
            amount = money_wan(required=False)(draft.amount)
        except FieldInvalid as exc:
            report.add("amount", f"金额{exc.expected}。")
    if measure in rules.no_money_measures and not is_blank(draft.amount):
        report.add("amount", f"“{measure}”不涉及金额，请清空金额。")
    elif measure in rules.money_measures and is_blank(draft.amount):
        report.add("amount", f"“{measure}”须填写金额（万元）。")
    count, wrong = None, "数量应为1到100000之间的整数（份或个），不填按1计。"
    try:
        count = whole_number(draft.count, wrong, most_digits=6)
    except FieldInvalid:
        report.add("count", wrong)
    else:
        if count is not None and not 1 <= count <= 100000:
            report.add("count", wrong)
            count = None
    basis = as_text(draft.basis) or BASIS_OTHER
    if basis not in BASIS_WORDS:
        report.add("basis", f"依据应为{'、'.join(BASIS_WORDS)}之一。")
    texts = {}
    for key, label in (("explanation", "说明"), ("execution", "执行情况"), ("note", "备注")):
        value = as_text(getattr(draft, key))
        if len(value) > MAX_TEXT:
            report.add(key, f"{label}应不超过{MAX_TEXT}个字。")
        texts[key] = value or None
    if not report.ok:
        return None, report
    return CheckedResult(measure, name, affect, amount, basis, count, **texts), report


def group_rows(rows: Iterable[ResultRow], rules: ResultUseRules) -> tuple[ResultGroup, ...]:
    """Rows grouped by 措施 in the pack's order (a measure the pack no longer lists goes last),
    each with its 小计; within a group the rows keep their order."""
    order = {m: i for i, m in enumerate(rules.measures)}
    grouped: dict[str, list[ResultRow]] = {}
    for row in rows:
        grouped.setdefault(row.measure, []).append(row)
    ordered = sorted(grouped, key=lambda m: (order.get(m, len(order)), m))
    return tuple(ResultGroup(m, tuple(grouped[m]), sum(r.amount_fen or 0 for r in grouped[m])) for m in ordered)


def _object_key(row: ResultRow):
    if row.project_id is not None:
        return ("项目", row.project_id)
    if row.department_id is not None:
        return ("部门", row.department_id)
    return ("名称", row.object_name)


def _reports(rows: list[ResultRow], measure: str, flagged: Iterable[int]) -> int:
    """Reports 公开 or 报人大: each such measure's 数量 (one when blank), and each evaluation flagged so
    that no such measure names as its basis (a report is never counted twice)."""
    named = {r.basis_id for r in rows if r.measure == measure and r.basis == BASIS_KEY_EVAL}
    return sum(r.reports for r in rows if r.measure == measure) + len(set(flagged) - named)


def count_measures(rows: Iterable[ResultRow], *, problems: int = 0, rectified: int = 0,
                   published: Iterable[int] = (), to_congress: Iterable[int] = ()) -> ResultCounts:
    """压减预算金额 = 调减 + 压缩; 收回资金 = 收回; 取消项目数 / 调整项目数 count distinct objects
    (调整: 调减 or 压缩); 公开 and 报人大 count reports (`published` / `to_congress`: the ids of the
    year's 重点评价 flagged so). 问题数 and 已整改数 are counted by the caller from the ledger."""
    rows = list(rows)
    return ResultCounts(
        problems=problems, rectified=rectified,
        cut_fen=sum(r.amount_fen or 0 for r in rows if r.measure in (CUT, SQUEEZE)),
        recovered_fen=sum(r.amount_fen or 0 for r in rows if r.measure == RECOVER),
        cancelled_projects=len({_object_key(r) for r in rows if r.measure == CANCEL}),
        adjusted_projects=len({_object_key(r) for r in rows if r.measure in (CUT, SQUEEZE)}),
        published=_reports(rows, PUBLISH, published), to_congress=_reports(rows, TO_CONGRESS, to_congress))
