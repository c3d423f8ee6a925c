"""事前绩效评估 in Excel: the one-sheet template and the import of past assessments as printed.

Sheet 事前评估, one row per assessment: 年度, 项目编码 (optional: a new project or policy is named by
评估对象 alone), 评估对象, 申报金额, 建议安排金额 (万元; a header saying （元） is read in 元), 评估得分,
评估等级, 评估结论, 评估机构. Parse only: the cells malformed on their own are named here (money,
score, an unknown grade or conclusion word, a missing 评估对象, a row given twice); whether the year
holds a 项目编码 is app.services.exante_import's to judge."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from app.domain.exante import CONCLUSIONS, GRADES, ImportedExAnte
from app.io.cells import cell_text
from app.jobs import JobControl, control
from app.money import MoneyError, to_decimal
from app.rules import fields as F
from app.rules.validation import CellProblem

SHEET = "事前评估"
MONEY_HEADERS = ["申报金额（万元）", "建议安排金额（万元）"]
HEADERS = ["年度", "项目编码", "评估对象", *MONEY_HEADERS, "评估得分", "评估等级", "评估结论", "评估机构"]
REQUIRED = ["年度", "评估对象", "申报金额（万元）"]
GRADE_WORDS = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "中等": "中", "差": "差", "较差": "差"}
CONCLUSION_WORDS = {**{c: c for c in CONCLUSIONS}, "支持": "予以支持", "通过": "予以支持", "予以通过": "予以支持",
                    "调整后再申报": "调整后支持", "不予通过": "不予支持", "不支持": "不予支持"}

_money = F.money_wan(required=False)
_code = F.code(32, required=False)
_CENT = Decimal("0.01")

INSTRUCTIONS = [
    "填报说明", "",
    "1. 一行一份事前绩效评估，按往年评估报告所印原样填写：评估得分、评估等级、评估结论照录，调减金额由系统按"
    "申报金额减建议安排金额计算，不必填写。",
    "2. 年度（必填）：评估所针对的预算年度，四位年份，如2024。",
    "3. 项目编码：该年度项目库中的项目编码（按文本填写）；新项目或政策不在项目库中时不填，按评估对象名称保存。",
    "4. 评估对象（必填）：项目或政策的名称。",
    "5. 申报金额（必填）、建议安排金额：按万元填写数字；表头写成“（元）”时按元读入。建议安排金额不能大于申报金额。",
    "6. 评估得分：0到100之间的数字，可不填；评估等级：优、良、中、差之一，可不填。",
    f"7. 评估结论：{'、'.join(CONCLUSIONS)}之一，可不填（报告中的“调整后再申报”按调整后支持保存）。",
    "8. 评估机构：开展审核评估的第三方机构名称，财政自行评估时填“财政”。",
    "9. 任何一个单元格有误，整个文件都不导入，并列出每个错误单元格。",
]


def write_template(path) -> None:
    """The empty import template: the sheet, the 填报说明 and the drop-down lists."""
    from app.io.columns import Column
    from app.io.templates import TemplateSheet, finish_template
    from app.io.xlsx import XlsxWriter

    writer = XlsxWriter()
    writer.add_table(SHEET, title="事前绩效评估结果", unit_line="单位：万元　一行一份评估", columns=[Column(h) for h in HEADERS],
                     rows=[])
    writer.add_text_sheet("填报说明", INSTRUCTIONS)
    writer.save(path)
    finish_template(path, [TemplateSheet(SHEET, choices={"评估等级": GRADES, "评估结论": CONCLUSIONS},
                                         money=MONEY_HEADERS)])




def _score(raw) -> Optional[Decimal]:
    if F.is_blank(raw):
        return None
    if isinstance(raw, str):
        raw = raw.strip().removesuffix("分").strip()
    try:
        value = to_decimal(raw)
    except MoneyError:
        raise F.FieldInvalid("应为0到100之间的数字（可不填）") from None
    if not Decimal(0) <= value <= Decimal(100):
        raise F.FieldInvalid("应为0到100之间的数字（可不填）")
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _word(words: dict[str, str], expected: str):
    def parse(raw) -> str:
        if F.is_blank(raw):
            return ""
        found = words.get("".join(F.as_text(raw).split()))
        if found is None:
            raise F.FieldInvalid(expected)
        return found

    return parse


_grade = _word(GRADE_WORDS, f"应为{'、'.join(GRADES)}之一，或不填")
_conclusion = _word(CONCLUSION_WORDS, f"应为{'、'.join(CONCLUSIONS)}之一，或不填")


def parse_exante(path, job: Optional[JobControl] = None) -> tuple[list[ImportedExAnte], list[CellProblem]]:
    """The sheet's rows (money in fen, scores as Decimal, words in their stored form) and its bad
    cells. A row with a bad cell comes back too (that cell None) so that the service can name what
    only the database can tell in the same refusal; it writes nothing while any problem remains."""
    from app.io.xlsx import read_table

    job = control(job)
    table = read_table(path, sheet=SHEET, required=REQUIRED, optional=[h for h in HEADERS if h not in REQUIRED], job=job)
    problems: list[CellProblem] = []
    rows: list[ImportedExAnte] = []
    seen: dict[tuple, int] = {}
    for row_no, cells in table.rows:
        values = {}
        for header, parser in (("年度", F.year), ("项目编码", _code), (MONEY_HEADERS[0], F.money_wan()),
                               (MONEY_HEADERS[1], _money), ("评估得分", _score), ("评估等级", _grade),
                               ("评估结论", _conclusion)):
            try:
                values[header] = parser(cells.get(header))
            except F.FieldInvalid as exc:
                problems.append(CellProblem(table.sheet, row_no, header, exc.expected, cell_text(cells.get(header))))
        name = cell_text(cells.get("评估对象"))
        if not name:
            problems.append(CellProblem(table.sheet, row_no, "评估对象", "为必填项（项目或政策的名称）", ""))
        requested, recommended = values.get(MONEY_HEADERS[0]), values.get(MONEY_HEADERS[1])
        if requested is not None and recommended is not None and recommended > requested:
            problems.append(CellProblem(table.sheet, row_no, MONEY_HEADERS[1], "不能大于申报金额",
                                        cell_text(cells.get(MONEY_HEADERS[1]))))
        if values.get("年度") is None:
            continue  # a row's other bad cells are named; the service names an unknown 项目编码 too
        code = values.get("项目编码") or ""
        key = (values["年度"], code, name if not code else "")
        if key in seen:
            header = "项目编码" if code else "评估对象"
            problems.append(CellProblem(table.sheet, row_no, header, f"同一年度的评估对象不能重复（与第{seen[key]}行重复）",
                                        code or name))
            continue
        seen[key] = row_no
        rows.append(ImportedExAnte(row_no, values["年度"], code, name, requested, recommended, values.get("评估得分"),
                                   values.get("评估等级") or "", values.get("评估结论") or "", cell_text(cells.get("评估机构"))))
    return rows, problems
