"""What every 重点评价 service module shares: the workflow declaration, the scoring tree as stored
(KeyEvalItem nodes: dimension → 二级 → leaf by parent_id) and as the form edits it, a stored
evaluation as the form's draft, and the pack's presets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Optional

from sqlalchemy import delete

from app.domain.key_eval import BUREAU, KeyEvalDraft, ProblemItem, TreeLine
from app.money import wan_text
from app.rules.pack import RulePackData
from app.rules.scoring_tree import Leaf, TreeScore, scaled_tree, score_tree
from app.rules.self_eval import decimal_of
from app.services.pack_versions import pack_at
from app.services.workflow import FINALIZE, PASS, REOPEN_FINALIZED, RETURN, SUBMIT, Workflow
from db.models import KeyEvalItem, KeyEvaluation

WORKFLOW = Workflow(KeyEvaluation, "重点评价", "这项重点评价", (SUBMIT, PASS, RETURN, FINALIZE, REOPEN_FINALIZED))
STAGE = "key_eval"  # the change-notification key
SOURCE = "重点评价"  # Rectification.source


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _number(value: Optional[Decimal]) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(fen: Optional[int]) -> str:
    return "" if fen is None else wan_text(fen)


# -- the pack's presets ----------------------------------------------------------------------------------
def presets(pack: RulePackData) -> tuple[str, list[str]]:
    section = pack.section("key_evaluation")
    return section["default_preset"], list(section["weight_presets"])


def preset_lines(pack: RulePackData, name: str) -> list[TreeLine]:
    """The pack's national tree with the preset's dimension weights (leaves scaled to add up)."""
    section = pack.section("key_evaluation")
    weights = {k: Decimal(v) for k, v in section["weight_presets"][name].items()}
    standards = {(leaf["level2"], leaf["level3"]): leaf.get("standard", "") for node in section["national_tree"]
                 for leaf in node["items"]}
    return [TreeLine(leaf.level1, leaf.level2, leaf.level3, _number(leaf.points),
                     standard=standards.get((leaf.level2, leaf.level3), ""))
            for leaf in scaled_tree(section["national_tree"], weights)]


# -- the version it is judged by ------------------------------------------------------------------------
def editing(draft: KeyEvalDraft) -> bool:
    """Whether the draft is being worked on (not saved yet, or editable by who opened it): its next
    save scores it afresh under the active pack."""
    may = draft.editable if draft.editable is not None else WORKFLOW.can_edit(draft.status)
    return not draft.saved or (may and not draft.as_printed)


def judging_pack(ws, draft: KeyEvalDraft) -> RulePackData:
    """The 规则方案 a draft's grades come from: the active one while it is being edited, else the
    version its stored score was computed with (pack_at; the active one when that is not known)."""
    return ws.rule_pack() if editing(draft) else pack_at(ws, draft.pack_version)


def pack_words(version) -> str:
    """按规则方案第N版计分 ("" for a report taken as printed)."""
    return f"按规则方案第{version}版计分" if version else ""


# -- the tree -----------------------------------------------------------------------------------------------
def leaves_of(lines: Iterable[TreeLine]) -> list[Leaf]:
    return [Leaf(t.level1.strip(), t.level2.strip(), t.level3.strip(), decimal_of(t.points), decimal_of(t.score),
                 t.deduction, t.printed_grade) for t in lines]


def score_lines(lines: Iterable[TreeLine], bands) -> TreeScore:
    return score_tree(leaves_of(lines), bands)


def stored_lines(items: Iterable[Any]) -> list[TreeLine]:
    """The stored nodes (ORM objects or Core rows) as the form's leaves, in tree order."""
    nodes = sorted(items, key=lambda i: (i.seq, i.id))
    children: dict[Optional[int], list[Any]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    out: list[TreeLine] = []

    def walk(node, path: tuple[str, ...]) -> None:
        below = children.get(node.id, [])
        names = (*path, node.name)
        if not below:
            if len(names) == 1:  # a dimension-only table
                level1, level2, level3 = names[0], "", ""
            elif len(names) == 2:
                level1, level2, level3 = names[0], "", names[1]
            else:
                level1, level2, level3 = names[0], names[1], names[-1]
            out.append(TreeLine(level1, level2, level3, _number(node.points), _number(node.score),
                                _text(node.standard), _text(node.deduction), _text(node.evidence),
                                _text(node.grade) if node.parent_id is None or not below else "", node.id))
        for child in below:
            walk(child, names)

    for root in children.get(None, []):
        walk(root, ())
    return out


def write_tree(s, ev: KeyEvaluation, lines: list[TreeLine], score: TreeScore, printed: bool) -> None:
    """Replace the evaluation's nodes: a dimension node per 一级 (its 分值, 得分 and grade derived), a
    二级 node where the lines name one, the leaves under them."""
    s.execute(delete(KeyEvalItem).where(KeyEvalItem.evaluation_id == ev.id))  # the tree, in one statement
    s.expire(ev, ["items"])
    region = ev.region_code
    dims = {d.name: d for d in score.dimensions}
    made: dict[tuple[str, ...], KeyEvalItem] = {}
    seq = 0

    def node(key: tuple[str, ...], parent: Optional[KeyEvalItem], leaf: bool = False, **values) -> KeyEvalItem:
        nonlocal seq
        if leaf and key in made:
            raise ValueError(f"tree row {key} given twice")  # validate() names these before a save
        if key not in made:
            seq += 1
            made[key] = KeyEvalItem(evaluation_id=ev.id, seq=seq, name=key[-1], region_code=region, **values)
            s.add(made[key])
            s.flush()
            if parent is not None:
                made[key].parent_id = parent.id
        return made[key]

    for line in lines:
        level1, level2, level3 = line.level1.strip(), line.level2.strip(), line.level3.strip()
        dim = dims.get(level1)
        leaf_values = dict(points=decimal_of(line.points), score=decimal_of(line.score), standard=line.standard or None,
                           deduction=line.deduction or None, evidence=line.evidence or None)
        if not level2 and not level3:  # a dimension-only table: the dimension is the leaf
            node((level1,), None, True, **leaf_values, weight_pct=decimal_of(line.points),
                 grade=(line.printed_grade or None) if printed else (dim.grade if dim else None) or None)
            continue
        top = node((level1,), None, points=dim.points if dim else None, weight_pct=dim.points if dim else None,
                   score=dim.score if dim else None, grade=(dim.grade or None) if dim else None)
        grade = (line.printed_grade or None) if printed else None
        if not level3:  # a 二级 row scored itself
            node((level1, level2), top, True, **leaf_values, grade=grade)
            continue
        middle = node((level1, level2), top) if level2 else top
        node((level1, level2, level3), middle, True, **leaf_values, grade=grade)


# -- a stored evaluation as the form's draft -----------------------------------------------------------------
def as_draft(ev: Any, items: Iterable[Any], rectifications: Iterable[Any] = ()) -> KeyEvalDraft:
    return KeyEvalDraft(
        eval_id=ev.id, year=ev.year, status=ev.status, version=ev.version, code=_text(ev.seq),
        object_type=ev.object_type, object_name=ev.object_name, project_id=ev.project_id,
        department_id=ev.department_id, unit_name=_text(ev.unit_name), office=_text(ev.office),
        fund_type=_text(ev.fund_type), budget=money(ev.approved_budget_fen), spend=money(ev.actual_spend_fen),
        printed_rate=_text(ev.printed_rate), evaluator_kind=ev.evaluator_kind or BUREAU, agency_id=ev.agency_id,
        evaluator_name=_text(ev.evaluator_name), methods=_text(ev.methods), preset=_text(ev.preset),
        leaves=stored_lines(items), main_performance=_text(ev.main_performance), problems=_text(ev.problems),
        suggestions=_text(ev.suggestions), summary_funds=_text(ev.summary_funds),
        summary_conclusion=_text(ev.summary_conclusion), summary_problems=_text(ev.summary_problems),
        summary_suggestions=_text(ev.summary_suggestions), review_opinion=_text(ev.review_opinion),
        as_printed=bool(ev.as_printed), printed_total=ev.total_score if ev.as_printed or not list(items) else None,
        printed_grade=_text(ev.grade) if ev.as_printed or not list(items) else "", published=bool(ev.published),
        reported_to_congress=bool(ev.reported_to_congress),
        rectifications=tuple(ProblemItem(r.id, r.description, r.status) for r in rectifications), uuid=ev.uuid,
        pack_version=ev.rule_pack_version)


def head_values(draft: KeyEvalDraft, score: TreeScore) -> dict[str, Any]:
    from app.rules.self_eval_draft import fen

    values = dict(
        seq=draft.code or None, object_type=draft.object_type, object_name=draft.object_name.strip(),
        project_id=draft.project_id, department_id=draft.department_id, unit_name=draft.unit_name or None,
        office=draft.office or None, fund_type=draft.fund_type or None, approved_budget_fen=fen(draft.budget),
        actual_spend_fen=fen(draft.spend), printed_rate=draft.printed_rate or None,
        evaluator_kind=draft.evaluator_kind or BUREAU, agency_id=draft.agency_id,
        evaluator_name=draft.evaluator_name or None, methods=draft.methods or None, preset=draft.preset or None,
        main_performance=draft.main_performance or None, problems=draft.problems or None,
        suggestions=draft.suggestions or None, summary_funds=draft.summary_funds or None,
        summary_conclusion=draft.summary_conclusion or None, summary_problems=draft.summary_problems or None,
        summary_suggestions=draft.summary_suggestions or None, published=draft.published,
        reported_to_congress=draft.reported_to_congress, as_printed=draft.as_printed)
    if draft.as_printed or not draft.leaves:  # a past report: its 综合得分 and 等级 as printed
        values.update(total_score=draft.printed_total, grade=draft.printed_grade or None)
    else:
        values.update(total_score=score.total, grade=score.grade or None)
    return values
