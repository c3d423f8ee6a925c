"""Finding a project by its 项目编码 when a county also holds its townships' projects: codes are
unique within a region (本级 or one township), and townships may reuse each other's codes and the
county's.

The county's files for the stages (targets, monitoring, self-evaluation, evaluations, 整改) are the
county's own: a code the county itself uses means the county's project; a code only one township
uses means that township's project; a code several townships use and the county does not is
ambiguous, and the row is refused with a sentence (township records arrive by exchange package, where
references are by UUID). The project list import itself takes an optional 区划代码 column
(app.services.project_import) and refuses an ambiguous code without it.

    found, shared = project_codes.index(rows, home)   # rows: (key, region_code, value)
    found[(2023, "2023001")]                           # the value for that key, by the rule above
    project_codes.not_found(2023, "2023001", shared, session)   # the cell's sentence
"""

from __future__ import annotations

from typing import Any, Hashable, Iterable, Mapping

from sqlalchemy import select

from db.models import Region

ANY_YEAR = "应为{year}年度已有的项目编码"


def index(rows: Iterable[tuple[Hashable, str, Any]], home: str) -> tuple[dict, dict[Hashable, list[str]]]:
    """(key → value, key → the regions sharing it when it cannot be decided). A key held by the home
    region resolves to the home region's value; a key held by one region only to that one."""
    found: dict[Hashable, Any] = {}
    regions: dict[Hashable, dict[str, Any]] = {}
    for key, region, value in rows:
        regions.setdefault(key, {})[region] = value
    shared: dict[Hashable, list[str]] = {}
    for key, held in regions.items():
        if home in held:
            found[key] = held[home]
        elif len(held) == 1:
            found[key] = next(iter(held.values()))
        else:
            shared[key] = sorted(held)
    return found, shared


BY_PACKAGE = "乡镇的项目请由乡镇填报后通过数据交换上报"
BY_COLUMN = "请在“区划代码”列写明是哪个区划的项目"


def not_found(year: int, code: str, shared: Mapping[Hashable, list[str]], s, key: Hashable = None,
              expected: str = ANY_YEAR, hint: str = BY_PACKAGE) -> str:
    """The sentence for a code not found: unknown in the year, or used by several townships (their
    names read in the session `s` only then)."""
    regions = shared.get(key if key is not None else (year, code))
    if regions:
        names = region_names(s)
        said = "、".join(f"{names.get(r, r)}（{r}）" for r in regions)
        return f"在{year}年度由{said}共用，本级没有这个编码，不能确定是哪个乡镇的项目；{hint}"
    return expected.format(year=year)


def region_names(s) -> dict[str, str]:
    """{区划代码: name} read in the caller's session (for the sentences above)."""
    r = Region.__table__
    return dict(s.execute(select(r.c.code, r.c.name)).all())
