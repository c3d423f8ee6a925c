"""事前绩效评估 scoring, one reading for the form (every keystroke), the save and the report: the
pack's five dimensions and their sub-items (分值), a rating's suggested points (exante.ratings: the
share of 分值 an 优/良/中/差 earns), the points typed (0..分值) or the rating's, dimension and total
scores and grades through app.rules.scoring_tree (never typed), the conclusion the pack's bands
suggest (exante.conclusions), and 调减金额 = 申报金额 − 建议安排金额 (never typed).

Both the 部门自评估 and the 审核评估 are scored the same way side by side; only the 审核评估 must be
complete to submit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Optional, Sequence

from app.domain.exante import CONCLUSIONS, EVALUATOR_KINDS, RATINGS, ExAnteDraft, ExAnteLine
from app.rules import fields as F
from app.rules.scoring_tree import Leaf, TreeNeed, TreeScore, fmt, score_tree
from app.rules.validation import Report

CENT = Decimal("0.01")
ZERO = Decimal(0)
_money = F.money_wan(required=False)


@dataclass(frozen=True)
class ExAnteRules:
    version: int
    threshold_fen: int  # a new project at or above this 全年预算数 needs an assessment
    increase_ratio: Decimal  # a continuing project rising by more than this share needs one
    dimensions: tuple[tuple[str, tuple[tuple[str, Decimal, str], ...]], ...]  # (name, ((item, 分值, 评分标准), …))
    ratings: dict[str, Decimal]  # 优 → 1.00 …
    conclusions: tuple[tuple[str, Decimal], ...]  # (予以支持, 85), … best first
    bands: tuple[tuple[str, Decimal], ...]

    @classmethod
    def from_pack(cls, pack: Any) -> "ExAnteRules":
        section = pack.section("exante")
        dims = tuple((d["name"], tuple((i["name"], Decimal(i["points"]), i.get("standard", "")) for i in d["items"]))
                     for d in section["dimensions"])
        conclusions = sorted(((c["conclusion"], Decimal(c["min"])) for c in section["conclusions"]),
                             key=lambda c: c[1], reverse=True)
        return cls(version=pack.version,
                   threshold_fen=int(Decimal(section["new_project_threshold_wan"]) * 1_000_000),
                   increase_ratio=Decimal(section["continuing_increase_ratio"]), dimensions=dims,
                   ratings={k: Decimal(v) for k, v in section["ratings"].items()},
                   conclusions=tuple(conclusions), bands=tuple(pack.grade_bands))


def pack_lines(rules: ExAnteRules) -> list[ExAnteLine]:
    """A new assessment's items: every sub-item of the pack's five dimensions, unrated."""
    return [ExAnteLine(dimension=name, name=item, points=fmt(points), standard=standard)
            for name, items in rules.dimensions for item, points, standard in items]


def decimal_of(text: str) -> Optional[Decimal]:
    """A score as typed ("4", "4.5分"); None when blank or not a number (validate names that)."""
    text = (text or "").strip().removesuffix("分").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def rating_points(grade: str, points: Optional[Decimal], rules: ExAnteRules) -> Optional[Decimal]:
    """The points a rating suggests: its share of the item's 分值, to the cent."""
    share = rules.ratings.get(grade)
    if share is None or points is None:
        return None
    return (points * share).quantize(CENT, rounding=ROUND_HALF_UP)


def line_score(line: ExAnteLine, own: bool, rules: ExAnteRules) -> Optional[Decimal]:
    """A line's points: typed, else the rating's share (`own`: the 部门自评估 column)."""
    typed, grade = (line.self_score, line.self_grade) if own else (line.score, line.grade)
    value = decimal_of(typed)
    return value if value is not None else rating_points(grade, decimal_of(line.points), rules)


def suggest_conclusion(total: Optional[Decimal], rules: ExAnteRules) -> str:
    """The conclusion the pack's bands suggest for a total (lower bound included)."""
    if total is None:
        return ""
    return next((word for word, least in rules.conclusions if total >= least), rules.conclusions[-1][0])


def cut_fen(requested: Optional[int], recommended: Optional[int]) -> Optional[int]:
    """调减金额 = 申报金额 − 建议安排金额 (None until both are known)."""
    return None if requested is None or recommended is None else requested - recommended


@dataclass(frozen=True)
class ExAnteScore:
    self_points: tuple[Optional[Decimal], ...]  # per line, as counted
    points: tuple[Optional[Decimal], ...]
    own: TreeScore  # 部门自评估
    review: TreeScore  # 审核评估
    total: Optional[Decimal]  # the 审核评估 total (as printed on a past one)
    grade: str
    self_total: Optional[Decimal]
    self_grade: str
    suggestion: str
    requested_fen: Optional[int]
    recommended_fen: Optional[int]
    cut_fen: Optional[int]
    needs: tuple[TreeNeed, ...]  # what must be settled before 提交 (blocking) or is worth a look

    @property
    def blocking(self) -> list[TreeNeed]:
        return [n for n in self.needs if n.blocking]


def _leaves(lines: Sequence[ExAnteLine], scores: Sequence[Optional[Decimal]], own: bool) -> list[Leaf]:
    out = []
    for line, score in zip(lines, scores):
        said = line.note or (line.self_grade if own else line.grade) or ""
        out.append(Leaf(line.dimension, "", line.name, decimal_of(line.points), score, said))
    return out


def score_draft(draft: ExAnteDraft, rules: ExAnteRules) -> ExAnteScore:
    """Everything the form shows and the save stores, derived from the draft as typed."""
    own_points = tuple(line_score(line, True, rules) for line in draft.lines)
    points = tuple(line_score(line, False, rules) for line in draft.lines)
    own = score_tree(_leaves(draft.lines, own_points, True), rules.bands)
    review = score_tree(_leaves(draft.lines, points, False), rules.bands)
    needs: list[TreeNeed] = []
    if draft.printed:
        total, grade = draft.printed_total, draft.printed_grade
    else:
        total, grade = review.total, review.grade
        needs += [n for n in review.needs if n.field != "deduction"]
        needs += [TreeNeed(n.row, "self_score", n.sentence.replace("得分", "自评估得分"))
                  for n in own.needs if n.field == "score" and "超出" in n.sentence]
        if any(p is not None for p in own_points) and own.total is None:
            needs.append(TreeNeed(None, "self_score", "部门自评估还有未评分的项目（可不填，填写时请填全）。", False))
    requested, recommended = fen_of(draft.requested), fen_of(draft.recommended)
    suggestion = suggest_conclusion(total, rules)
    if requested is None:
        needs.append(TreeNeed(None, "requested", "请填写申报金额。"))
    if not draft.conclusion:
        needs.append(TreeNeed(None, "conclusion", f"请选择评估结论{f'（按得分建议：{suggestion}）' if suggestion else ''}。"))
    elif suggestion and draft.conclusion != suggestion:
        needs.append(TreeNeed(None, "conclusion", f"评估结论“{draft.conclusion}”与按得分建议的“{suggestion}”不同，"
                                                  "请在评估结论中说明理由。", False))
    if recommended is None:
        needs.append(TreeNeed(None, "recommended", "请填写建议安排金额（不予支持时填0）。"))
    return ExAnteScore(own_points, points, own, review, total, grade or "", own.total, own.grade, suggestion,
                       requested, recommended, cut_fen(requested, recommended), tuple(needs))


def fen_of(text: str) -> Optional[int]:
    try:
        return _money(text)
    except F.FieldInvalid:
        return None


def validate(draft: ExAnteDraft) -> Report:
    """What is malformed whatever the state: money, scores, words, the subject."""
    report = Report()
    if not draft.object_name.strip():
        report.add("object_name", "请填写评估对象（项目或政策的名称）。")
    amounts = {}
    for key, label in (("requested", "申报金额"), ("recommended", "建议安排金额")):
        try:
            amounts[key] = _money(getattr(draft, key))
        except F.FieldInvalid as exc:
            report.add(key, f"{label}{exc.expected}（单位万元）。")
    if amounts.get("requested") is not None and amounts.get("recommended") is not None \
            and amounts["recommended"] > amounts["requested"]:
        report.add("recommended", "建议安排金额不能大于申报金额。")
    if draft.conclusion and draft.conclusion not in CONCLUSIONS:
        report.add("conclusion", f"评估结论应为{'、'.join(CONCLUSIONS)}之一。")
    if draft.evaluator_kind not in EVALUATOR_KINDS:
        report.add("evaluator_kind", f"评估主体应为{'、'.join(EVALUATOR_KINDS)}之一。")
    for n, line in enumerate(draft.lines):
        points = decimal_of(line.points)
        for attr, grade_attr, who in (("self_score", "self_grade", "自评估"), ("score", "grade", "审核评估")):
            text, grade = getattr(line, attr).strip(), getattr(line, grade_attr)
            if grade and grade not in RATINGS:
                report.add(f"{n}:{grade_attr}", f"“{line.name}”的{who}评级应为{'、'.join(RATINGS)}之一。")
            if not text:
                continue
            value = decimal_of(text)
            if value is None:
                report.add(f"{n}:{attr}", f"“{line.name}”的{who}得分应为数字。")
            elif points is not None and not ZERO <= value <= points:
                report.add(f"{n}:{attr}", f"“{line.name}”的{who}得分{fmt(value)}超出了0到{fmt(points)}分。")
    return report
