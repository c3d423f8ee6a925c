"""The demo county's 整改台账 and 结果应用, inserted as loaded with their links back to the source:

- 钢城's seven problem categories of its 2022 key evaluations (A-01…A-11, evaluated in 2023: items of
  2023), each given to one evaluated project (the report lists no project per problem — said in the
  note), all due 2023-10-15 as the report required; four 已销号 before the deadline (完成日期, 财政核验
  通过), three still 整改中, so overdue on any later date. The other reports' summary items stay unlinked.
- 和硕's 调减130万元 (依据 其他: the report names no evaluation) and 澄江's 调减8825.34万元 linked to
  its 事前评估 of 教育综合改革专项资金; the 通报 / 公开 / 报人大 the reports describe.

潜江's "12 reports published, 8 to the 人大" are measures with their 数量 (12 and 8): the report does not
say which evaluations they were. 和硕's five published reports and 澄江's five sent to the 人大 are the
flags on those evaluations, so the year's counts are 17 公开 and 13 报人大, each report counted once."""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.money import fen_from_wan
from db.models import ExAnteAssessment, KeyEvaluation, Rectification, ResultApplication

DEMO_YEAR = 2023
Find = Callable[[str, Optional[str]], Any]  # (region, code) → the loaded Project, or None


def _date(value: Optional[str]) -> Optional[date]:
    return date.fromisoformat(value) if value else None


def _key_eval(s: Session, region: str, ref: Optional[dict]) -> Optional[KeyEvaluation]:
    if not ref:
        return None
    found = s.scalars(select(KeyEvaluation).where(KeyEvaluation.region_code == region,
                                                  KeyEvaluation.year == ref["year"],
                                                  KeyEvaluation.seq == ref["seq"])).first()
    if found is None:
        raise ValueError(f"demo key evaluation not found: {ref}")
    return found


def _exante(s: Session, project) -> Optional[int]:
    if project is None:
        return None
    return s.scalars(select(ExAnteAssessment.id).where(ExAnteAssessment.project_id == project.id)).first()


def load_followups(s: Session, data: dict[str, Any], project: Find) -> None:
    """The demo's 整改事项 and 结果应用措施 (the evaluations they point at are already in the session)."""
    s.flush()
    for r in data.get("result_applications", []):
        region = r["region"]
        target = project(region, r.get("project_code"))
        basis_project = project(region, r.get("basis_exante"))
        s.add(ResultApplication(
            region_code=region, year=r["year"], object_name=r["object_name"], source=r.get("basis") or "重点评价",
            project_id=target.id if target else None, exante_id=_exante(s, basis_project),
            measure=r["measure"], amount_fen=fen_from_wan(r["amount_wan"]) if r.get("amount_wan") else None,
            count=r.get("count"), affect_year=r.get("affect_year"), explanation=r.get("explanation"),
            execution=r.get("execution"), note=r.get("note")))
    for r in data.get("rectifications", []):
        region, deadline = r["region"], _date(r.get("deadline"))
        ev = _key_eval(s, region, r.get("key_evaluation"))
        status = r.get("status") or "待整改"
        s.add(Rectification(
            region_code=region, year=r.get("year") or (deadline.year if deadline else DEMO_YEAR),
            source=r.get("source") or "重点评价", category=r.get("category"), description=r["description"],
            requirement=r.get("requirement"), responsible=r.get("responsible"), deadline=deadline,
            feedback_date=_date(r.get("feedback_date")), measures=r.get("measures"), progress=r.get("progress"),
            completed_on=_date(r.get("completed_on")), verify_result=r.get("verify_result"),
            verifier=r.get("verifier"), verified_on=_date(r.get("verified_on")), closed=status == "已销号",
            status=status, note=r.get("note"), key_evaluation_id=ev.id if ev else None,
            project_id=ev.project_id if ev else None, department_id=ev.department_id if ev else None))
