"""整改台账 in Excel: the import template and the parse, every bad cell named.

One sheet 整改事项, one row per item: 来源, 来源编号, 年度, 项目编码, 问题类别, 问题描述, 整改要求,
责任单位, 反馈日期, 整改期限, 整改措施, 完成日期, 状态. Parse only: a date that is not a date, an
unknown 来源 / 问题类别 / 状态 word, a missing 问题描述 are named here; whether the 项目编码 exists in
that 年度 is app.services.rectification_import's to judge."""

from __future__ import annotations

from typing import Optional

from app.domain.rectification import (
    AUDIT, CATEGORIES, CLOSED, SOURCES, STATES, TO_DO, TO_VERIFY, ImportedRectification, RectificationDraft,
)
from app.io.cells import SheetCells
from app.jobs import JobControl, control
from app.rules import fields as F
from app.rules import rectification as R
from app.rules.validation import CellProblem, RejectedError

SHEET = "整改事项"
HEADERS = ["来源", "来源编号", "年度", "项目编码", "问题类别", "问题描述", "整改要求", "责任单位", "反馈日期", "整改期限",
           "整改措施", "完成日期", "状态"]
REQUIRED = ["年度", "问题描述"]
DATE_HEADERS = ("反馈日期", "整改期限", "完成日期")

_code = F.code(32, required=False)
_TEXT_LIMITS = {"来源编号": 50, "问题描述": 4000, "整改要求": 4000, "责任单位": 200, "整改措施": 4000}


def write_template(path) -> None:
    """The empty import template with its 填报说明 and the drop-down lists."""
    from app.io.columns import Column
    from app.io.templates import TemplateSheet, finish_template
    from app.io.xlsx import XlsxWriter

    writer = XlsxWriter()
    writer.add_table(SHEET, title="整改台账导入", unit_line="一行一个整改事项", columns=[Column(h) for h in HEADERS], rows=[])
    writer.add_text_sheet("填报说明", INSTRUCTIONS)
    writer.save(path)
    finish_template(path, [TemplateSheet(SHEET, choices={"来源": SOURCES, "问题类别": CATEGORIES, "状态": STATES})])


INSTRUCTIONS = [
    "填报说明", "",
    "1. 一行一个整改事项；任何一个单元格有误，整个文件都不导入，并列出每个错误单元格。",
    f"2. 来源：{'、'.join(SOURCES)}之一，不填视为{AUDIT}。来源编号：原文件或来源记录的编号，可不填。",
    "3. 年度（必填）：发现问题的年度，四位年份，如2023（2023年评价2022年预算发现的问题填2023）。",
    "4. 项目编码：项目库中的项目编码，该年度或上一年度的（评价发现的问题多针对上一年度的项目）；问题不针对某个项目时不填。",
    f"5. 问题类别：{'、'.join(CATEGORIES)}之一，可不填。问题描述（必填）、整改要求、责任单位按文字填写。",
    "6. 反馈日期、整改期限、完成日期填日期，如2023-10-15；只填反馈日期时，整改期限按反馈日期后30天计算；"
    "填了整改期限的按所填保存。",
    f"7. 状态：{'、'.join(STATES)}之一，不填视为{TO_DO}；{TO_VERIFY}的事项须填写整改措施和完成日期；"
    f"{CLOSED}的事项不需要核验信息。逾期由系统按日期计算，不在表中填写。",
    "8. 表头上方可以有标题行（表头须在前10行内）；也可以导入Excel 97-2003格式（.xls）的文件。",
]


# What the form's rules (app.rules.rectification) refuse, said of the cell: the rule decides, the
# import names the column the field is read from (with the sentence a cell gets where it has its own).
RULE_HEADERS = {"description": "问题描述", "source": "来源", "category": "问题类别", "status": "状态",
                "deadline": "整改期限", "measures": "整改措施", "completed_on": "完成日期"}
RULE_EXPECTED = {"description": "为必填项", "deadline": "不能早于反馈日期",
                 "measures": f"状态为{TO_VERIFY}的事项须填写整改措施", "completed_on": f"状态为{TO_VERIFY}的事项须填写完成日期"}

_source, _category, _status = (F.choice(words, required=False) for words in (SOURCES, CATEGORIES, STATES))
PARSERS = {"来源": _source, "年度": F.year, "项目编码": _code, "问题类别": _category, "状态": _status,
           **{h: F.day for h in DATE_HEADERS}, **{h: F.text(n, required=False) for h, n in _TEXT_LIMITS.items()}}


def parse_rectifications(path, job: Optional[JobControl] = None) -> tuple[list[ImportedRectification], list[CellProblem]]:
    """The rows (a bad cell left blank, or its word's default) and the bad cells in row order."""
    from app.io.xlsx import SheetSpec, read_tables

    job = control(job)
    (table,) = read_tables(path, [SheetSpec(SHEET, REQUIRED, [h for h in HEADERS if h not in REQUIRED], needed=False)], job)
    if table is None:
        raise RejectedError(f"工作簿中没有「{SHEET}」工作表，这不是整改台账导入文件。请先导出整改台账导入模板，按模板填写后再导入。")
    problems: list[CellProblem] = []
    out = SheetCells(table.sheet, problems)
    rows = []
    for row_no, cells in table.rows:
        out.row = row_no
        named = len(problems)
        v = {header: out.parse(cells, header, PARSERS[header]) for header in HEADERS}
        row = ImportedRectification(
            row_no, v["来源"] or AUDIT, v["来源编号"] or "", v["年度"], v["项目编码"] or "", v["问题类别"] or "",
            v["问题描述"] or "", v["整改要求"] or "", v["责任单位"] or "", v["反馈日期"], v["整改期限"], v["整改措施"] or "",
            v["完成日期"], v["状态"] or TO_DO)
        _rule_cells(out, cells, row, {p.header for p in problems[named:]})
        rows.append(row)
    return rows, problems


def _rule_cells(out: SheetCells, cells: dict, row: ImportedRectification, named: set[str]) -> None:
    """The row checked as the form's save checks an item (and 报送核验 one 已整改待核验); a cell
    already named as unreadable is not named again."""
    draft = RectificationDraft(None, row.year or 0, status=row.status, source=row.source, category=row.category,
                               description=row.description, feedback_date=row.feedback_date, deadline=row.deadline,
                               measures=row.measures, completed_on=row.completed_on)
    report = R.validate(draft)
    if row.status == TO_VERIFY:
        report.extend(R.report_needs(row.measures, row.completed_on))
    for problem in report.problems:
        header = RULE_HEADERS.get(problem.field, "问题描述")
        if header not in named:
            named.add(header)
            out.bad(header, RULE_EXPECTED.get(problem.field, problem.message.rstrip("。")), cells.get(header))
