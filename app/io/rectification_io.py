"""整改台账 in Excel: the import template and the parse, every bad cell named.

One sheet 整改事项, one row per item: 来源, 来源编号, 年度, 项目编码, 问题类别, 问题描述, 整改要求,
责任单位, 反馈日期, 整改期限, 整改措施, 完成日期, 状态. Parse only: a date that is not a date, an
unknown 来源 / 问题类别 / 状态 word, a missing 问题描述 are named here; whether the 项目编码 exists in
that 年度 is app.services.rectification_import's to judge."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Optional

from app.domain.rectification import (
    AUDIT, CATEGORIES, CLOSED, SOURCES, STATES, TO_DO, TO_VERIFY, ImportedRectification,
)
from app.jobs import JobControl, control
from app.rules import fields as F
from app.rules.validation import CellProblem, RejectedError

SHEET = "整改事项"
HEADERS = ["来源", "来源编号", "年度", "项目编码", "问题类别", "问题描述", "整改要求", "责任单位", "反馈日期", "整改期限",
           "整改措施", "完成日期", "状态"]
REQUIRED = ["年度", "问题描述"]
DATE_HEADERS = ("反馈日期", "整改期限", "完成日期")
DATE_EXPECTED = "应为日期，如2023-10-15（可不填）"

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
    "4. 项目编码：该年度项目库中的项目编码；问题不针对某个项目时不填。",
    f"5. 问题类别：{'、'.join(CATEGORIES)}之一，可不填。问题描述（必填）、整改要求、责任单位按文字填写。",
    "6. 反馈日期、整改期限、完成日期填日期，如2023-10-15；只填反馈日期时，整改期限按反馈日期后30天计算；"
    "填了整改期限的按所填保存。",
    f"7. 状态：{'、'.join(STATES)}之一，不填视为{TO_DO}；{TO_VERIFY}的事项须填写整改措施和完成日期；"
    f"{CLOSED}的事项不需要核验信息。逾期由系统按日期计算，不在表中填写。",
    "8. 表头上方可以有标题行（表头须在前10行内）；也可以导入Excel 97-2003格式（.xls）的文件。",
]


def parse_date(raw) -> Optional[date]:
    """A date cell, or text such as 2023-10-15, 2023/10/15, 2023.10.15, 2023年10月15日; None when blank.
    Raises FieldInvalid."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = F.as_text(raw)
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?", text)
    if not m:
        raise F.FieldInvalid(DATE_EXPECTED)
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise F.FieldInvalid(DATE_EXPECTED) from None


def _word(options, default: str, listed_default: bool = True):
    listed = "、".join(options)

    def parse(raw) -> str:
        value = "".join(F.as_text(raw).split())
        if not value:
            return default
        if value not in options:
            raise F.FieldInvalid(f"应为{listed}之一" + ("，或不填" if listed_default else ""))
        return value
    return parse


def _text(limit: int):
    def parse(raw) -> str:
        value = F.as_text(raw)
        if len(value) > limit:
            raise F.FieldInvalid(f"应不超过{limit}个字")
        return value
    return parse


def parse_rectifications(path, job: Optional[JobControl] = None) -> tuple[list[ImportedRectification], list[CellProblem]]:
    """The rows (bad cells left as None) and the bad cells in row order."""
    from app.io.xlsx import SheetSpec, read_tables

    job = control(job)
    (table,) = read_tables(path, [SheetSpec(SHEET, REQUIRED, [h for h in HEADERS if h not in REQUIRED], needed=False)], job)
    if table is None:
        raise RejectedError(f"工作簿中没有「{SHEET}」工作表，这不是整改台账导入文件。请先导出整改台账导入模板，按模板填写后再导入。")
    problems: list[CellProblem] = []
    parsers = {"来源": _word(SOURCES, AUDIT), "年度": F.year, "项目编码": _code, "问题类别": _word(CATEGORIES, ""),
               "状态": _word(STATES, TO_DO), "整改要求": _text(4000), **{h: parse_date for h in DATE_HEADERS},
               **{h: _text(n) for h, n in _TEXT_LIMITS.items()}}
    rows = []
    for row_no, cells in table.rows:
        values = {}
        for header in HEADERS:
            raw = cells.get(header)
            try:
                values[header] = parsers[header](raw)
            except F.FieldInvalid as exc:
                problems.append(CellProblem(table.sheet, row_no, header, exc.expected, F.as_text(raw)))
                values[header] = None
        if values["问题描述"] == "":
            problems.append(CellProblem(table.sheet, row_no, "问题描述", "为必填项"))
        status = values["状态"]
        if status == TO_VERIFY:
            for header in ("整改措施", "完成日期"):
                if values[header] in ("", None) and not any(p.row == row_no and p.header == header for p in problems):
                    problems.append(CellProblem(table.sheet, row_no, header, f"状态为{TO_VERIFY}的事项须填写{header}"))
        if values["反馈日期"] and values["整改期限"] and values["整改期限"] < values["反馈日期"]:
            problems.append(CellProblem(table.sheet, row_no, "整改期限", "不能早于反馈日期", values["整改期限"].isoformat()))
        rows.append(ImportedRectification(
            row_no, values["来源"] or "", values["来源编号"] or "", values["年度"], values["项目编码"] or "",
            values["问题类别"] or "", values["问题描述"] or "", values["整改要求"] or "", values["责任单位"] or "",
            values["反馈日期"], values["整改期限"], values["整改措施"] or "", values["完成日期"], status or ""))
    return rows, problems
