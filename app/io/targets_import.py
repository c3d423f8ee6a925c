"""Targets in Excel in the flat layout of the 一体化 systems: one row per indicator; 总体目标 and
年度目标 may stand on a project's first row only. This module only converts: the template out, and
a file in as one draft per (年度, 项目编码) with the rows it stands on, and every bad cell it can see
on its own — by the same grid validation the target form uses. What the database says (does the
project exist, may its target still be changed) and the write are app.services.target_import's."""

from __future__ import annotations

from typing import Optional

from app.domain import levels
from app.domain.targets import (
    DIRECTIONS, LEVEL1, ImportedTarget, IndicatorDraft, TargetDraft, canonical_direction, validate_grid,
)
from app.jobs import JobControl, control
from app.rules.fields import as_text
from app.rules.validation import CellProblem

SHEET = "绩效目标"
HEADERS = ["项目编码", "年度", "总体目标", "年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值",
           "计量单位", "分值", "指标解释"]
REQUIRED = ["项目编码", "年度", "一级指标", "二级指标", "三级指标", "指标性质", "指标值"]
_GRID_KEYS = {"一级指标": "level1", "二级指标": "level2", "三级指标": "level3", "指标性质": "direction", "指标值": "value",
              "计量单位": "unit", "分值": "points", "指标解释": "explanation"}
_HEADER_OF = {attr: header for header, attr in _GRID_KEYS.items()}


def write_template(path) -> None:
    from app.io.columns import Column
    from app.io.xlsx import XlsxWriter

    from app.io.templates import TemplateSheet, finish_template

    writer = XlsxWriter()
    writer.add_table(SHEET, title="项目绩效目标导入模板", unit_line="一行一个指标", columns=[Column(h) for h in HEADERS], rows=[])
    writer.add_text_sheet("填报说明", [
        "填报说明", "",
        "1. 一行一个指标；同一项目的各行项目编码、年度相同。总体目标、年度目标只需填在该项目的第一行。",
        "2. 项目编码须是该年度项目库中已有的项目；已提交或已批复的目标不能用导入修改。",
        f"3. 一级指标填{'、'.join(LEVEL1)}之一；指标性质填{'、'.join(DIRECTIONS[:3])}或{DIRECTIONS[3]}；分值可不填，填写时为不小于0的数字。",
        "4. 文件中的每个项目，其指标以文件为准整体替换；任何一个单元格有误，整个文件都不导入，并列出每个错误单元格。",
        "5. 一级指标、二级指标、指标性质可从下拉列表中选择；二级指标也可填写本地使用的其他名称。"
        "一体化系统的写法（产出指标、数量指标、服务对象满意度指标等）导入时自动按产出、数量、服务对象满意度保存。",
        "6. 表头上方可以有标题行（表头须在前10行内）；也可以导入Excel 97-2003格式（.xls）的文件。",
        "", "各列说明：",
        "项目编码（必填）：该年度项目库中的项目编码，按文本填写",
        "年度（必填）：四位年份，如2023",
        "总体目标、年度目标：只填在该项目的第一行；年度目标写出本年度的具体产出和效果",
        f"一级指标（必填）：{'、'.join(LEVEL1)}之一",
        f"二级指标（必填）：如{'、'.join(levels.LEVEL2)}",
        "三级指标（必填）：具体、可衡量的指标名称",
        f"指标性质（必填）：{'、'.join(DIRECTIONS)}之一",
        "指标值（必填）：定量指标填数字，定性指标填文字描述",
        "计量单位：如 %、人、万元、万平方米",
        "分值：不小于0的数字，可不填",
        "指标解释：指标的含义和取数口径",
        "", "填写示例：3701172023001｜2023｜｜全年完成城区道路清扫保洁320万平方米……｜产出｜数量｜城区道路清扫保洁面积｜≥｜320｜万平方米｜20｜"])
    writer.save(path)
    finish_template(path, [TemplateSheet(SHEET, choices={"一级指标": LEVEL1},
                                         suggestions={"二级指标": levels.LEVEL2, "指标性质": DIRECTIONS})])


def parse_targets(path, job: Optional[JobControl] = None) -> tuple[list[ImportedTarget], list[CellProblem]]:
    """The file's targets in file order, and its bad cells in row order."""
    from app.io.xlsx import read_table

    job = control(job)
    table = read_table(path, sheet=SHEET, required=REQUIRED, optional=[h for h in HEADERS if h not in REQUIRED], job=job)
    problems: list[CellProblem] = []
    found: dict[tuple[int, str], ImportedTarget] = {}
    for row_no, cells in table.rows:
        text = {h: as_text(cells.get(h)) for h in HEADERS}
        if not (text["年度"].isascii() and text["年度"].isdigit()) or len(text["年度"]) != 4:  # not ①②③④
            problems.append(CellProblem(table.sheet, row_no, "年度", "应为四位年份，如2023", text["年度"]))
            continue
        if not text["项目编码"]:
            problems.append(CellProblem(table.sheet, row_no, "项目编码", "为必填项", text["项目编码"]))
            continue
        key = (int(text["年度"]), text["项目编码"])
        target = found.setdefault(key, ImportedTarget(row_no, *key, sheet=table.sheet))
        target.overall = target.overall or text["总体目标"]
        target.annual = target.annual or text["年度目标"]
        indicator = IndicatorDraft(**{attr: text[h] for h, attr in _GRID_KEYS.items()})
        indicator.level1, indicator.level2 = levels.level1(indicator.level1), levels.level2(indicator.level2)
        indicator.direction = canonical_direction(indicator.direction)  # >=, ＞＝, 大于等于, 正向 … → ≥
        target.indicators.append(indicator)
        target.rows.append(row_no)
    for target in found.values():
        problems.extend(_grid_problems(table.sheet, target))
    problems.sort(key=lambda c: c.row)  # stable: a row's problems keep their column order
    return list(found.values()), problems


def _grid_problems(sheet: str, target: ImportedTarget) -> list[CellProblem]:
    """The form's grid validation over the target's rows, each problem named by its cell; then the
    cells the flat layout requires (二级指标 is the grid's own)."""
    by_row: dict[int, list[tuple[str, str]]] = {}
    draft = TargetDraft(0, None, target.year, "", 0, indicators=target.indicators)
    for p in validate_grid(draft).problems:
        row, attr = p.field.split(":")
        by_row.setdefault(int(row), []).append((attr, p.message))
    out = []
    for n, (ind, row_no) in enumerate(zip(target.indicators, target.rows)):
        for attr, message in by_row.get(n, ()):
            out.append(CellProblem(sheet, row_no, _HEADER_OF[attr], message, getattr(ind, attr)))
        for attr in ("level3", "value"):
            if not getattr(ind, attr):
                out.append(CellProblem(sheet, row_no, _HEADER_OF[attr], "为必填项", ""))
    return out
