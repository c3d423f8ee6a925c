"""绩效自评 in Excel: the two-sheet template and the import, all or nothing with every bad cell named.

- sheet 预算执行: one row per project and 预算行 (总额 / 财政资金 / 其他资金, blank meaning 总额) with
  年初预算数, 全年预算数, 全年执行数 in 万元 (a header saying （元） is read in 元), 执行率 as printed,
  分值, 得分, 原因, and the table's 总分, 评价等级 and 状态 as printed;
- sheet 指标: one row per 三级指标 with its 指标性质, 年度指标值, 实际完成值 (free text: 98%, ≥266米,
  按时完成), 分值, 得分, 评分说明, 偏差原因分析及改进措施.

Parse only: the cells malformed on their own are named here (text in a money or score column, a
bad 年度, an unknown 预算行 / 状态 / 评价等级 word, a missing 项目编码, a row given twice). Whether
the project exists, whether its 自评表 may still change and whether a 三级指标 matches its
approved target are app.services.self_eval's to judge."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from app.domain import levels
from app.domain.self_eval import (
    BUDGET_ROWS, GRADES, ImportedBudgetRow, ImportedIndicatorRow, ImportedSelfEvals,
)
from app.domain.targets import DIRECTIONS, canonical_direction
from app.io.cells import SheetCells, cell_text
from app.jobs import JobControl, control
from app.money import MoneyError, to_decimal
from app.rules import fields as F
from app.rules.validation import CellProblem, RejectedError

BUDGET_SHEET, INDICATOR_SHEET = "预算执行", "指标"
MONEY_HEADERS = ["年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）"]
BUDGET_HEADERS = ["项目编码", "年度", "预算行", *MONEY_HEADERS, "执行率", "分值", "得分", "原因", "总分", "评价等级", "状态"]
BUDGET_REQUIRED = ["项目编码", "年度", "全年预算数（万元）", "全年执行数（万元）"]
INDICATOR_HEADERS = ["项目编码", "年度", "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位",
                     "实际完成值", "分值", "得分", "评分说明", "偏差原因分析及改进措施"]
INDICATOR_REQUIRED = ["项目编码", "年度", "三级指标", "实际完成值", "得分"]

DRAFT, SUBMITTED, PASSED = "草稿", "已提交", "审核通过"
STATUS_WORDS = {"填报": DRAFT, "草稿": DRAFT, "已提交": SUBMITTED, "审核通过": PASSED}
TEMPLATE_STATUSES = ("填报", "已提交", "审核通过")
# the ways printed tables name the 预算行 (年度资金总额, 其中：财政拨款 …)
BUDGET_LINE_WORDS = {"总额": "总额", "年度资金总额": "总额", "资金总额": "总额", "合计": "总额", "总计": "总额",
                     "财政资金": "财政资金", "财政拨款": "财政资金", "当年财政拨款": "财政资金",
                     "其他资金": "其他资金"}
GRADE_WORDS = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "中等": "中",
               "差": "差", "较差": "差"}

_money = F.money_wan(required=False)
_code = F.code(32)
_NUMBER_EXPECTED = "应为0到1000之间的数字（可不填）"
_MOST, _CENT = Decimal(1000), Decimal("0.01")


def write_template(path) -> None:
    """The empty import template: both table sheets, the 填报说明 and the drop-down lists."""
    from app.io.columns import Column
    from app.io.templates import TemplateSheet, finish_template
    from app.io.xlsx import XlsxWriter

    writer = XlsxWriter()
    writer.add_table(BUDGET_SHEET, title="项目支出绩效自评表——预算执行", unit_line="单位：万元　每个项目一行总额，可另加财政资金、其他资金行",
                     columns=[Column(h) for h in BUDGET_HEADERS], rows=[])
    writer.add_table(INDICATOR_SHEET, title="项目支出绩效自评表——绩效指标", unit_line="一行一个三级指标",
                     columns=[Column(h) for h in INDICATOR_HEADERS], rows=[])
    writer.add_text_sheet("填报说明", INSTRUCTIONS)
    writer.save(path)
    finish_template(path, [
        TemplateSheet(BUDGET_SHEET, choices={"预算行": BUDGET_ROWS, "评价等级": GRADES, "状态": TEMPLATE_STATUSES},
                      money=MONEY_HEADERS),
        TemplateSheet(INDICATOR_SHEET, suggestions={"一级指标": levels.LEVEL1, "二级指标": levels.LEVEL2,
                                                    "指标性质": DIRECTIONS})])


INSTRUCTIONS = [
    "填报说明", "",
    "1. 本文件有两张表：“预算执行”和“指标”，两张表都要保留（没有内容的表保留表头即可）。一个项目的自评表由两张表中"
    "项目编码和年度相同的各行组成。",
    "2. 该年度已有批复绩效目标的项目：导入的内容填入它的自评表，“指标”表按三级指标与批复的绩效目标逐条对应，"
    "三级指标须与绩效目标中的写法一致，对应不上的行会被指出。",
    "3. 没有批复绩效目标的项目（如往年在系统外填好的自评表）：按表中所填原样保存，分值、指标性质、年初预算数、原因"
    "可以空着，一级、二级指标可以使用本地的名称；导入后由一致性检查逐项核对。",
    "4. 金额按万元填写数字（显示两位小数）；表头写成“（元）”时按元读入并换算为万元。",
    "5. 执行率、总分、评价等级可以不填，由系统计算；填写时按原样保存并核对是否与计算结果一致。",
    "6. 状态填“填报”“已提交”或“审核通过”，不填视为已提交；填“填报”的自评表导入后仍可修改。",
    "7. 任何一个单元格有误，整个文件都不导入，并列出每个错误单元格；项目是否存在、自评表能否修改在导入时核对。",
    "8. 表头上方可以有标题行（表头须在前10行内）；也可以导入Excel 97-2003格式（.xls）的文件。",
    "", "“预算执行”表各列：",
    "项目编码（必填）：该年度项目库中的项目编码，按文本填写",
    "年度（必填）：四位年份，如2023",
    f"预算行：{'、'.join(BUDGET_ROWS)}之一，不填视为总额；同一项目同一年度每种预算行只填一行",
    "年初预算数（万元）：年初批复的预算数，可不填",
    "全年预算数（万元）（必填列）：调整后的全年预算数",
    "全年执行数（万元）（必填列）：全年实际支出",
    "执行率：可不填（由系统按全年执行数÷全年预算数计算）；填写时按原样保存，如98.5%",
    "分值、得分：预算执行的分值和得分，数字",
    "原因：执行率偏低或预算调整的原因",
    "总分：可不填（由系统计算）；填写时为数字，只需填在总额行",
    f"评价等级：{'、'.join(GRADES)}之一，可不填（由系统按总分确定）",
    f"状态：{'、'.join(TEMPLATE_STATUSES)}之一，不填视为已提交",
    "", "“指标”表各列：",
    "项目编码、年度（必填）：同“预算执行”表",
    f"一级指标、二级指标：如{'、'.join(levels.LEVEL1[:3])}；{'、'.join(levels.LEVEL2)}等，"
    "“产出指标”“数量指标”等写法自动按产出、数量保存",
    "三级指标（必填）：指标名称；同一项目同一年度不能重复",
    f"指标性质：{'、'.join(DIRECTIONS)}之一，也可写正向、反向、大于等于等，可不填",
    "年度指标值、计量单位：绩效目标中的指标值和单位",
    "实际完成值：按实际情况填写，如5896、98%、≥266米、按时完成",
    "分值：该指标的分值，数字，可不填（不填时该指标不计算参考得分）",
    "得分：数字；已有批复绩效目标的项目可不填，按参考得分计",
    "评分说明：得分与参考得分不一致时说明理由",
    "偏差原因分析及改进措施：未完成目标的指标须填写",
]


# -- reading --------------------------------------------------------------------------------------------


def _number(raw) -> Optional[Decimal]:
    """分值 / 得分 / 总分 as a Decimal ("18.5分" too), rounded half-up to the two places a table
    prints (a cell holding =50/3 reads 16.67); None when blank. Raises FieldInvalid."""
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = raw.strip().removesuffix("分").strip()
        if not raw:
            return None
    try:
        value = to_decimal(raw)
    except MoneyError:
        raise F.FieldInvalid(_NUMBER_EXPECTED) from None
    if value < 0 or value > _MOST:
        raise F.FieldInvalid(_NUMBER_EXPECTED)
    return value.quantize(_CENT, rounding=ROUND_HALF_UP) if value != value.quantize(_CENT) else value


def _word(raw, words: dict[str, str]) -> Optional[str]:
    """A closed-list word in its stored form; None when the text is none of them."""
    key = "".join(F.as_text(raw).split()).removeprefix("其中：").removeprefix("其中:")
    return words.get(key)


class _Rows(SheetCells):
    """A 自评表 sheet's cells; each row is keyed by 项目编码 and 年度."""

    def key(self, cells: dict) -> tuple[Optional[str], Optional[int]]:
        return self.parse(cells, "项目编码", _code), self.parse(cells, "年度", F.year)


def parse_self_eval(path, job: Optional[JobControl] = None) -> tuple[ImportedSelfEvals, list[CellProblem]]:
    """Both sheets as parsed rows (money in fen, scores as Decimal, words in their stored form),
    and the bad cells in sheet and row order. The rows come back with the bad cells (a row's bad
    cell left as None) so that the service can name what only the database can tell — an unknown
    project, a 三级指标 the target lacks — in the same refusal; it writes nothing while any remain."""
    from app.io.xlsx import SheetSpec, read_tables

    job = control(job)
    budget, indicators = read_tables(path, [
        SheetSpec(BUDGET_SHEET, BUDGET_REQUIRED, [h for h in BUDGET_HEADERS if h not in BUDGET_REQUIRED], needed=False),
        SheetSpec(INDICATOR_SHEET, INDICATOR_REQUIRED, [h for h in INDICATOR_HEADERS if h not in INDICATOR_REQUIRED],
                  needed=False)], job)
    _require_sheets(budget, indicators)
    problems: list[CellProblem] = []
    found = ImportedSelfEvals(_budget_rows(budget, problems), _indicator_rows(indicators, problems),
                              budget.sheet, indicators.sheet)
    return found, problems


def _require_sheets(budget, indicators) -> None:
    """Both sheets must be there: a workbook without them is not a 自评表 file."""
    missing = [name for name, table in ((BUDGET_SHEET, budget), (INDICATOR_SHEET, indicators)) if table is None]
    if len(missing) == 2:
        raise RejectedError(f"工作簿中没有「{BUDGET_SHEET}」和「{INDICATOR_SHEET}」两张工作表，这不是绩效自评导入文件。"
                            f"请先导出绩效自评导入模板，按模板填写后再导入。")
    if missing:
        raise RejectedError(f"工作簿中没有「{missing[0]}」工作表。绩效自评导入文件须有「{BUDGET_SHEET}」和「{INDICATOR_SHEET}」"
                            f"两张表，没有内容的表保留表头即可；请使用绩效自评导入模板。")


def _budget_rows(table, problems: list[CellProblem]) -> list[ImportedBudgetRow]:
    rows, seen, out = [], {}, _Rows(table.sheet, problems)
    for row_no, cells in table.rows:
        out.row = row_no
        code, year = out.key(cells)
        line = "总额" if cells.get("预算行") is None else _word(cells.get("预算行"), BUDGET_LINE_WORDS)
        if line is None:
            out.bad("预算行", f"应为{'、'.join(BUDGET_ROWS)}之一（不填视为总额）", cells.get("预算行"))
        money = [out.parse(cells, h, _money) for h in MONEY_HEADERS]
        points, score, total = (out.parse(cells, h, _number) for h in ("分值", "得分", "总分"))
        grade = "" if cells.get("评价等级") is None else _word(cells.get("评价等级"), GRADE_WORDS)
        if grade is None:
            out.bad("评价等级", f"应为{'、'.join(GRADES)}之一，或不填", cells.get("评价等级"))
        status = SUBMITTED if cells.get("状态") is None else _word(cells.get("状态"), STATUS_WORDS)
        if status is None:
            out.bad("状态", f"应为{'、'.join(TEMPLATE_STATUSES)}之一，或不填（视为已提交）", cells.get("状态"))
        if code and year and line:
            if (code, year, line) in seen:
                out.bad("预算行", f"同一项目同一年度的{line}行只能有一行（与第{seen[code, year, line]}行重复）",
                        cells.get("预算行") or line)
                continue
            seen[code, year, line] = row_no
            rows.append(ImportedBudgetRow(row_no, code, year, line, *money, cell_text(cells.get("执行率")), points, score,
                                          cell_text(cells.get("原因")), total, grade or "", status or SUBMITTED))
    return rows


def _indicator_rows(table, problems: list[CellProblem]) -> list[ImportedIndicatorRow]:
    rows, seen, out = [], {}, _Rows(table.sheet, problems)
    for row_no, cells in table.rows:
        out.row = row_no
        code, year = out.key(cells)
        text = {h: cell_text(cells.get(h)) for h in INDICATOR_HEADERS}
        if not text["三级指标"]:
            out.bad("三级指标", "为必填项", None)
        points, score = out.parse(cells, "分值", _number), out.parse(cells, "得分", _number)
        if not (code and year and text["三级指标"]):
            continue
        key = (code, year, text["三级指标"])
        if key in seen:
            out.bad("三级指标", f"同一项目同一年度的三级指标不能重复（与第{seen[key]}行重复）", text["三级指标"])
            continue
        seen[key] = row_no
        rows.append(ImportedIndicatorRow(
            row_no, code, year, levels.level1(text["一级指标"]), levels.level2(text["二级指标"]), text["三级指标"],
            canonical_direction(text["指标性质"]), text["年度指标值"], text["计量单位"], text["实际完成值"], points, score,
            text["评分说明"], text["偏差原因分析及改进措施"]))
    return rows
