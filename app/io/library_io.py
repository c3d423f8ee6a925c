"""指标库 in Excel: a county's own library in (澄江 built 2,496 indicators), the library out, and a
template. The export re-imports unchanged. All or nothing, every bad cell named.

An indicator in the file replaces the library's one with the same 指标编码 — or, without a code,
the one with the same 行业领域 and 一级/二级/三级 names; anything else is added."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy import insert, select, update

from app.io.columns import Column
from app.jobs import JobControl, control
from app.rules import fields as F
from app.rules.validation import CellProblem, RejectedError
from app.services import audit
from app.services.base_data import parse_fields
from app.services.targets import DIRECTIONS, LEVEL1
from app.services.workspace import Workspace
from db.models import LibraryIndicator

SHEET = "指标库"
SCOPES = ("项目", "部门整体")
BASES = ("历史", "行业", "计划标准")
SPECS = [
    F.FieldSpec("code", "指标编码", F.code(40, required=False), hint="可不填；填写时在库中唯一，导入时按编码更新"),
    F.FieldSpec("industry", "行业领域", F.text(30), True, "如 教育、农林水、城乡社区；通用指标填“共性”"),
    F.FieldSpec("scope", "适用范围", F.choice(SCOPES, required=False), hint="项目或部门整体，不填为项目"),
    F.FieldSpec("level1", "一级指标", F.choice(LEVEL1), True),
    F.FieldSpec("level2", "二级指标", F.text(30), True, "如 数量、质量、时效、成本、社会效益、服务对象满意度"),
    F.FieldSpec("level3", "三级指标", F.text(200), True),
    F.FieldSpec("direction", "指标性质", F.choice(DIRECTIONS), True),
    F.FieldSpec("unit", "计量单位", F.text(30, required=False)),
    F.FieldSpec("ref_value", "参考值", F.text(100, required=False)),
    F.FieldSpec("ref_basis", "参考值依据", F.choice(BASES, required=False)),
    F.FieldSpec("explanation", "指标解释", F.text(2000, required=False)),
    F.FieldSpec("method", "计算方法或评分标准", F.text(2000, required=False)),
    F.FieldSpec("source", "来源", F.text(200, required=False)),
]
HEADERS = [s.label for s in SPECS]
COLUMNS = [Column(s.label, width=60 if s.key in ("explanation", "method") else 0) for s in SPECS]


def write_template(path) -> None:
    from app.io.xlsx import XlsxWriter

    writer = XlsxWriter()
    writer.add_table(SHEET, title="指标库导入模板", unit_line="一行一个指标", columns=COLUMNS, rows=[])
    writer.add_text_sheet("填报说明", ["填报说明", ""] + [
        f"{n}. {s.label}{'（必填）' if s.required else ''}：{s.hint or '按实际填写'}" for n, s in enumerate(SPECS, 1)] + [
        "", f"一级指标填{'、'.join(LEVEL1)}之一；指标性质填{'、'.join(DIRECTIONS)}之一；参考值依据填{'、'.join(BASES)}之一。",
        "有指标编码的行按编码更新库中同编码指标；没有编码的行按“行业领域＋一级＋二级＋三级指标”更新，其余新增。",
        "任何一个单元格有误，整个文件都不导入，并列出每个错误单元格。"])
    writer.save(path)


def export_library(ws: Workspace, path, job: Optional[JobControl] = None) -> int:
    """The whole library (the starter library loaded first, as the picker shows it)."""
    from app.io.xlsx import XlsxWriter
    from app.services.library import ensure_starter_library

    ensure_starter_library(ws)
    t = LibraryIndicator.__table__
    with ws.read() as conn:
        rows = conn.execute(select(*(t.c[s.key] for s in SPECS)).order_by(t.c.industry, t.c.code, t.c.id)).all()
    writer = XlsxWriter()
    writer.add_table(SHEET, title="绩效指标库", unit_line=f"共{len(rows)}个指标", columns=COLUMNS, rows=rows, job=job)
    writer.save(path)
    return len(rows)


def _names(values: dict) -> tuple:
    return values["industry"], values["level1"], values["level2"], values["level3"]


@dataclass
class _Held:
    """The library as the import matches it: entries by 指标编码 and by 行业 + 一级/二级/三级 names."""

    by_code: dict[str, tuple[int, int]]  # code → (id, version)
    by_names: dict[tuple, tuple[int, int, Optional[str]]]  # names → (id, version, code)

    def target(self, values: dict) -> tuple[Optional[tuple[int, int]], str]:
        """(id, version) the row updates — None: a new entry — and, when the row cannot be placed,
        why (the row's code and names point at two different entries)."""
        named = self.by_names.get(_names(values))
        code = values["code"]
        if code and code in self.by_code:
            coded = self.by_code[code]
            if named is not None and named[0] != coded[0]:
                return None, f"编码{code}的指标与库中另一指标（{named[2] or '无编码'}）同类同名，请核对编码或名称"
            return coded, ""
        if named is not None:
            if code and named[2]:
                return None, f"库中已有同类同名指标，编码为{named[2]}，与本行编码不同，请核对"
            return named[:2], ""
        return None, ""


def import_library(ws: Workspace, path, job: Optional[JobControl] = None) -> str:
    """Adds and updates indicators from the file (on top of the starter library)."""
    from app.io.xlsx import read_table
    from app.services.library import ensure_starter_library

    job = control(job)
    required = [s.label for s in SPECS if s.required]
    table = read_table(path, sheet=SHEET, required=required, optional=[h for h in HEADERS if h not in required], job=job)
    by_label = {s.label: s.key for s in SPECS}
    problems: list[CellProblem] = []
    parsed: list[tuple[int, dict]] = []
    for row_no, cells in table.rows:
        values, report = parse_fields(SPECS, {by_label[h]: v for h, v in cells.items()})
        for p in report.problems:
            label = next(s.label for s in SPECS if s.key == p.field)
            problems.append(CellProblem(table.sheet, row_no, label, p.message, F.as_text(cells.get(label))))
        if report.ok:
            values["scope"] = values["scope"] or "项目"
            parsed.append((row_no, values))
    if not parsed and not problems:
        raise RejectedError("文件中没有指标数据行，未导入任何数据。")
    ensure_starter_library(ws)
    region = ws.home_region()
    with ws.session() as s:
        held = _Held({}, {})
        for id_, version, code, industry, l1, l2, l3 in s.execute(select(
                LibraryIndicator.id, LibraryIndicator.version, LibraryIndicator.code, LibraryIndicator.industry,
                LibraryIndicator.level1, LibraryIndicator.level2, LibraryIndicator.level3).order_by(LibraryIndicator.id)):
            if code:
                held.by_code[code] = (id_, version)
            held.by_names.setdefault((industry, l1, l2, l3), (id_, version, code))
        inserts, updates = [], []
        claimed: dict[object, int] = {}  # library id, or the new row's code/names → the file row that has it
        for row_no, values in parsed:
            found, clash = held.target(values)
            if clash:
                problems.append(CellProblem(table.sheet, row_no, "指标编码" if values["code"] else "三级指标", clash,
                                            values["code"] or values["level3"]))
                continue
            keys = [found[0]] if found else [("code", values["code"])] * bool(values["code"]) + [_names(values)]
            earlier = next((claimed[k] for k in keys if k in claimed), None)
            if earlier is not None:
                header = "指标编码" if values["code"] else "三级指标"
                problems.append(CellProblem(table.sheet, row_no, header, f"与第{earlier}行是库中同一个指标，文件中应只出现一次",
                                            values["code"] or values["level3"]))
                continue
            claimed.update({k: row_no for k in keys})
            if found is None:
                inserts.append({**values, "region_code": region})
            else:  # matched by names without a code: the entry keeps its code
                changes = values if values["code"] else {k: v for k, v in values.items() if k != "code"}
                updates.append({**changes, "id": found[0], "version": found[1]})
        if problems:
            problems.sort(key=lambda c: c.row)
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        job.step(len(parsed) // 2, len(parsed))
        if inserts:
            s.execute(insert(LibraryIndicator), inserts)
        if updates:
            s.execute(update(LibraryIndicator), updates)
        sentence = f"导入完成：新增指标{len(inserts)}个，更新指标{len(updates)}个。"
        audit.record(s, "导入", LibraryIndicator.label, sentence, changes={"file": str(path)})
    return sentence
