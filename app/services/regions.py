"""区划 for lists and summaries: which region a record belongs to, by name, and the townships a
county holds records of. Every stage's list carries `region_code` on its rows; the page's 区划 filter
and the summaries' 按乡镇 grouping read these.

    regions.choices(ws)          # → RegionChoices: home (本级) and its townships, in code order
    regions.names(ws)            # → {code: name} of every region in the database
    regions.clause(Model, code)  # → [] for 全部, else [Model.region_code == code] for a query
    regions.of_owner(s, project_id, department_id, home)  # → the region of a record made on them
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy import select

from app.services.workspace import Workspace
from db.models import Department, Project, Region

TOWNSHIP = "乡镇"
WHOLE = "全县"  # every 区划 of the county, said where "all" is not what a command does when none is named


@dataclass(frozen=True)
class RegionChoices:
    """This database's own region and the townships under it (empty in a township's database and in
    a county with no townships: then no 区划 column or filter is shown)."""

    home_code: str
    home_name: str
    townships: tuple[tuple[str, str], ...] = ()

    @property
    def shown(self) -> bool:
        return bool(self.townships)

    def name_of(self, code: Optional[str]) -> str:
        if code == self.home_code:
            return self.home_name
        return dict(self.townships).get(code or "", code or "")

    def label_of(self, code: Optional[str]) -> str:
        """How a title names a chosen region: a township's name, the county's as 「<name>本级」; "" for 全部."""
        if not code:
            return ""
        return f"{self.home_name}本级" if code == self.home_code else self.name_of(code)


NONE = RegionChoices("", "")  # before a list is read: no 区划 column or filter shown


def names(ws: Workspace) -> dict[str, str]:
    r = Region.__table__
    with ws.read() as conn:
        return dict(conn.execute(select(r.c.code, r.c.name)).all())


def choices(ws: Workspace) -> RegionChoices:
    home = ws.home_region()
    r = Region.__table__
    with ws.read() as conn:
        home_name = conn.execute(select(r.c.name).where(r.c.code == home)).scalar() or home
        townships = conn.execute(select(r.c.code, r.c.name).where(r.c.parent_code == home, r.c.level == TOWNSHIP)
                                 .order_by(r.c.code)).all()
    return RegionChoices(home, home_name, tuple((c, n) for c, n in townships))


def clause(model, code: Optional[str]) -> list:
    """The where-clause of a region filter over a table with region_code (a model or a Core table)."""
    if not code:
        return []
    column = model.c.region_code if hasattr(model, "c") else model.region_code
    return [column == code]


def of_owner(s, project_id: Optional[int], department_id: Optional[int], home: str) -> str:
    """The 区划 of a record made on a project (else on a department): its owner's — a township's
    project makes a township's record; a record on neither, or on one no longer held, is `home`'s."""
    owner = (s.get(Project, project_id) if project_id is not None
             else s.get(Department, department_id) if department_id is not None else None)
    return owner.region_code if owner is not None else home
