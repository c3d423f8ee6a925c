"""A county holding one township's records, made the cheap way (not a test module): the township
under the county in the base data, its 财政所 as a department of the township's region, and its
projects saved through the service — what the county holds once a township's package is imported."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace

TOWN, TOWN_NAME = "370117101", "青石镇"


def add_township(ws, code: str = TOWN, name: str = TOWN_NAME, dept: str = "901001") -> str:
    """The township in `ws` (a county) with its 财政所; returns the department as a form names it."""
    from app.services.base_data import save_region
    from db.models import Department

    save_region(ws, {"code": code, "name": name, "level": "乡镇"}, parent_code=ws.home_region())
    with ws.session() as s:
        s.add(Department(code=dept, name=f"{name}财政所", kind="部门", region_code=code))
    return f"[{dept}]{name}财政所"


def township_projects(ws, approved: bool = True) -> list[int]:
    """青石镇 with two 2023 projects (100万 and 40万); the first with an approved target when `approved`."""
    from decimal import Decimal

    from app.services import projects, targets
    from tests.support import GOAL, GOOD_ROWS, project_raw

    ref = add_township(ws)
    ids = [projects.save_project(ws, project_raw(code=code, name=name, department=ref, unit=ref, annual_budget=wan,
                                                 initial_budget=wan, is_key="否"))
           for code, name, wan in (("QS2023001", "青石镇道路养护", "100"), ("QS2023002", "青石镇文化站运行", "40"))]
    if approved:
        draft = targets.submit(ws, replace(targets.open_target(ws, ids[0]), annual_goal=GOAL, indicators=[
            replace(r, value="50" if r.level2 == "成本" else r.value) for r in GOOD_ROWS]))
        scores = {k: Decimal(90) for k in ("完整性", "相关性", "合理性", "可衡量性")}
        targets.approve(ws, targets.review(ws, draft, scores, True, "同意"))
    return ids


@contextmanager
def in_township(ws, code: str = TOWN):
    """Make records as the township would in its own database (where it is 本级): what the county
    holds of them once its package is imported. The county itself makes records only for its own."""
    home = ws.home_region()
    ws.set_setting("home_region", code)
    try:
        yield ws
    finally:
        ws.set_setting("home_region", home)
