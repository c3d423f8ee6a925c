"""重点评价 in Excel: the two-sheet template and the parse, every malformed cell named.

- sheet 评价项目: one row per evaluation — 评价编号, 年度 (the budget year it covers), 评价对象类型,
  项目编码, 项目名称, 实施单位, 归口科室, 资金性质, 预算批复金额 and 实际支出 in 万元 (a header saying
  （元） is read in 元), 评价机构, and as printed 综合得分, 评价等级, 执行率;
- sheet 评分: one row per leaf of the scoring tree (一级, 二级, 三级指标, 分值, 得分, 等级, 扣分原因),
  or one row per dimension on a dimension-only table (二级/三级 blank); an evaluation may have none.

Parse only: what is malformed on its own is named here — text where a number is needed, a missing
评价编号, a 评价编号 given twice, a 评分 row whose 评价编号 is not on the 评价项目 sheet, an unknown
评价对象类型 / 资金性质 / 等级, a tree row given twice. A past report is taken as printed: a score above
its points or weights not adding to 100 are not refused (the check flags them). Whether an
evaluation may still change is app.services.key_eval_import's to judge."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping, Optional, Sequence

from app.domain.key_eval import SUBJECT_TYPES, ImportedEvaluation, ImportedEvaluations, ImportedScore
from app.io.cells import SheetCells, cell_text
from app.jobs import JobControl, control
from app.money import MoneyError, to_decimal
from app.rules import fields as F
from app.rules.validation import CellProblem, RejectedError

EVAL_SHEET, SCORE_SHEET = "评价项目", "评分"
MONEY_HEADERS = ["预算批复金额（万元）", "实际支出（万元）"]
EVAL_HEADERS = ["评价编号", "年度", "评价对象类型", "项目编码", "项目名称", "实施单位", "归口科室", "资金性质",
                *MONEY_HEADERS, "评价机构", "综合得分", "评价等级", "执行率"]
EVAL_REQUIRED = ["评价编号", "年度", "项目名称", "预算批复金额（万元）"]
SCORE_HEADERS = ["评价编号", "一级指标", "二级指标", "三级指标", "分值", "得分", "等级", "扣分原因"]
SCORE_REQUIRED = ["评价编号", "一级指标", "分值", "得分"]
GRADES = ("优", "良", "中", "差")
GRADE_WORDS = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "中等": "中", "差": "差", "较差": "差"}
DIMENSIONS = ("决策", "过程", "产出", "效益")
DEFAULT_FUND_TYPES: Mapping[str, Sequence[str]] = {
    "一般公共预算": ("一般公共预算资金", "公共预算"), "政府性基金": ("政府性基金预算", "基金预算"),
    "社会保险基金": ("社会保险基金预算", "社保基金"), "国有资本经营": ("国有资本经营预算",), "专项债券": ("专项债券资金", "政府专项债券")}

_money = F.money_wan(required=False)
_code = F.code(20)
_project_code = F.code(32, required=False)
_name = F.text(200)
_unit = F.text(200, required=False)
_office = F.text(50, required=False)
_MOST, _CENT = Decimal(1000), Decimal("0.01")


def fund_words(fund_types: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Every accepted way of writing a 资金性质 → its canonical name (政府性基金预算 → 政府性基金)."""
    words = {}
    for name, forms in fund_types.items():
        for form in (name, *forms):
            words["".join(str(form).split())] = name
    return words


# -- the template -----------------------------------------------------------------------------------------
def write_template(path, subject_types: Sequence[str] = SUBJECT_TYPES,
                   fund_types: Optional[Mapping[str, Sequence[str]]] = None) -> None:
    """The empty import template: both sheets, the 填报说明 and the drop-down lists (the pack's
    评价对象类型 and 资金性质; the default pack's when none are given)."""
    from app.io.columns import Column
    from app.io.templates import TemplateSheet, finish_template
    from app.io.xlsx import XlsxWriter

    fund_types = fund_types if fund_types is not None else _default_fund_types()
    writer = XlsxWriter()
    writer.add_table(EVAL_SHEET, title="重点绩效评价项目", unit_line="单位：万元　一项评价一行",
                     columns=[Column(h) for h in EVAL_HEADERS], rows=[])
    writer.add_table(SCORE_SHEET, title="重点绩效评价评分表", unit_line="一行一个末级指标；只有一级指标得分的表，一行一个一级指标",
                     columns=[Column(h) for h in SCORE_HEADERS], rows=[])
    writer.add_text_sheet("填报说明", instructions(subject_types, fund_types))
    writer.save(path)
    finish_template(path, [
        TemplateSheet(EVAL_SHEET, choices={"评价对象类型": tuple(subject_types), "评价等级": GRADES},
                      suggestions={"资金性质": tuple(fund_types)}, money=MONEY_HEADERS),
        TemplateSheet(SCORE_SHEET, choices={"等级": GRADES}, suggestions={"一级指标": DIMENSIONS})])


def _default_fund_types() -> Mapping[str, Sequence[str]]:
    try:
        from app.rules.pack import default_pack

        return default_pack().section("key_evaluation")["fund_types"]
    except (KeyError, OSError):
        return DEFAULT_FUND_TYPES


def instructions(subject_types: Sequence[str], fund_types: Mapping[str, Sequence[str]]) -> list[str]:
    forms = "；".join(f"{name}（也可写{'、'.join(short)}）" if short else name for name, short in fund_types.items())
    return [
        "填报说明", "",
        "1. 本文件有两张表：“评价项目”一项评价一行，“评分”一行一个评分指标；两张表按评价编号对应。两张表都要保留"
        "（没有评分内容时保留表头即可）。",
        "2. 往年已发布的评价报告按原表导入：分值、得分、综合得分、等级和执行率按表上所印保存，得分超出分值、权重合计"
        "不是100分、综合得分或等级与得分不一致的，导入后由“检查”逐项指出。",
        "3. 只公布综合得分和等级的评价（没有评分表），“评分”表不填该评价的行即可；实际支出可以不填。",
        "4. 金额按万元填写数字（显示两位小数）；表头写成“（元）”时按元读入并换算为万元。",
        "5. 导入的评价状态为“已定稿”。该年度已有同一评价编号的评价时，导入的内容替换原有内容（评分表整体替换）；"
        "已提交、审核通过或已定稿的评价须先退回才能用导入修改。",
        "6. 任何一个单元格有误，整个文件都不导入，并列出每个错误单元格。",
        "7. 表头上方可以有标题行（表头须在前10行内）；也可以导入Excel 97-2003格式（.xls）的文件。",
        "", "“评价项目”表各列：",
        "评价编号（必填）：如A-01，同一文件中不能重复；附件中的序号按评价编号排列",
        "年度（必填）：评价所针对的预算年度，四位年份，如2022（2023年评价2022年预算的，填2022）",
        f"评价对象类型：{'、'.join(subject_types)}之一，不填视为项目",
        "项目编码：该年度项目库中的项目编码，按文本填写；项目库中没有的也可导入（以项目名称和实施单位为准）",
        "项目名称（必填）：评价对象的名称（项目、部门、政策或乡镇）",
        "实施单位、归口科室：按报告所写填写",
        f"资金性质：{forms}，可不填",
        "预算批复金额（万元）：可不填",
        "实际支出（万元）：可不填",
        "评价机构：财政部门或第三方机构的名称",
        "综合得分：数字，可不填（不填则留空，不代为计算）；填写时按原样保存并由检查核对",
        f"评价等级：{'、'.join(GRADES)}之一，可不填（不填则留空）",
        "执行率：可不填；填写时按原样保存（如88.5%），并按实际支出÷预算批复金额核对",
        "", "“评分”表各列：",
        "评价编号（必填）：“评价项目”表中的评价编号",
        f"一级指标（必填）：如{'、'.join(DIMENSIONS)}",
        "二级指标、三级指标：末级指标的名称；只有一级指标得分的表（如各维度得分表）两列都不填",
        "分值（必填）：该指标的分值（权重），数字",
        "得分（必填）：数字，按表上所印填写",
        f"等级：{'、'.join(GRADES)}之一，按表上所印填写，可不填",
        "扣分原因：扣分的指标填写扣分原因",
    ]


# -- reading -------------------------------------------------------------------------------------------------


def _number(least: Decimal, expected: str):
    """A score cell as a Decimal ("18.5分" too), rounded half-up to the two places a table prints;
    None when blank. Raises FieldInvalid."""

    def parse(raw) -> Optional[Decimal]:
        if raw is None or isinstance(raw, bool):
            if raw is None:
                return None
            raise F.FieldInvalid(expected)
        if isinstance(raw, str):
            raw = raw.strip().removesuffix("分").strip()
            if not raw:
                return None
        try:
            value = to_decimal(raw)
        except MoneyError:
            raise F.FieldInvalid(expected) from None
        if not least <= value <= _MOST:
            raise F.FieldInvalid(expected)
        return value.quantize(_CENT, rounding=ROUND_HALF_UP) if value != value.quantize(_CENT) else value

    return parse


_points = _number(Decimal(0), "应为0到1000之间的数字")
_score = _number(-_MOST, "应为数字（按表上所印填写）")
_total = _number(Decimal(0), "应为0到1000之间的数字（可不填）")


def _required(parser):
    def parse(raw):
        value = parser(raw)
        if value is None:
            raise F.FieldInvalid("为必填项，应为数字")
        return value

    return parse


class _Rows(SheetCells):
    """An evaluations sheet's cells; closed-list words read in their stored form."""

    def word(self, cells: dict, header: str, words: Mapping[str, str], listed: Sequence[str], blank: str = ""):
        raw = cells.get(header)
        if F.is_blank(raw):
            return blank
        found = words.get("".join(F.as_text(raw).split()))
        if found is None:
            self.bad(header, f"应为{'、'.join(listed)}之一" + ("，或不填" if blank == "" else f"（不填视为{blank}）"), raw)
        return found


def parse_evaluations(path, job: Optional[JobControl] = None, *, subject_types: Sequence[str] = SUBJECT_TYPES,
                      fund_types: Optional[Mapping[str, Sequence[str]]] = None
                      ) -> tuple[ImportedEvaluations, list[CellProblem]]:
    """Both sheets as parsed rows (money in fen, scores as Decimal, words in their stored form —
    资金性质 by its canonical name), and the bad cells in sheet and row order. Rows with a bad cell
    come back with it left as None, so the service can add what only the database can tell to the
    same refusal; it writes nothing while any remain."""
    from app.io.xlsx import SheetSpec, read_tables

    job = control(job)
    fund_types = fund_types if fund_types is not None else _default_fund_types()
    evals, scores = read_tables(path, [
        SheetSpec(EVAL_SHEET, EVAL_REQUIRED, [h for h in EVAL_HEADERS if h not in EVAL_REQUIRED], needed=False),
        SheetSpec(SCORE_SHEET, SCORE_REQUIRED, [h for h in SCORE_HEADERS if h not in SCORE_REQUIRED], needed=False)],
        job)
    _require_sheets(evals, scores)
    problems: list[CellProblem] = []
    found = ImportedEvaluations(evaluation_sheet=evals.sheet, score_sheet=scores.sheet)
    found.evaluations = _evaluation_rows(evals, problems, subject_types, fund_types)
    found.scores = _score_rows(scores, problems, {e.code for e in found.evaluations}, _codes(evals))
    problems.sort(key=lambda c: (c.sheet != evals.sheet, c.row))
    return found, problems


def _require_sheets(evals, scores) -> None:
    missing = [name for name, table in ((EVAL_SHEET, evals), (SCORE_SHEET, scores)) if table is None]
    if len(missing) == 2:
        raise RejectedError(f"工作簿中没有「{EVAL_SHEET}」和「{SCORE_SHEET}」两张工作表，这不是重点评价导入文件。"
                            f"请先导出重点评价导入模板，按模板填写后再导入。")
    if missing:
        raise RejectedError(f"工作簿中没有「{missing[0]}」工作表。重点评价导入文件须有「{EVAL_SHEET}」和「{SCORE_SHEET}」"
                            f"两张表，没有内容的表保留表头即可；请使用重点评价导入模板。")


def _codes(table) -> set[str]:
    """Every 评价编号 written on the 评价项目 sheet, good or bad row (a 评分 row is not blamed twice)."""
    return {F.as_text(cells.get("评价编号")) for _, cells in table.rows if not F.is_blank(cells.get("评价编号"))}


def _evaluation_rows(table, problems, subject_types, fund_types) -> list[ImportedEvaluation]:
    rows, seen, out = [], {}, _Rows(table.sheet, problems)
    funds = fund_words(fund_types)
    kinds = {"".join(t.split()): t for t in subject_types}
    for row_no, cells in table.rows:
        out.row = row_no
        code, year = out.parse(cells, "评价编号", _code), out.parse(cells, "年度", F.year)
        if code is not None and code in seen:
            out.bad("评价编号", f"同一文件中评价编号不能重复（与第{seen[code]}行重复）", code)
            code = None
        elif code is not None:
            seen[code] = row_no
        object_type = out.word(cells, "评价对象类型", kinds, subject_types, blank=subject_types[0])
        project_code = out.parse(cells, "项目编码", _project_code)
        name, unit, office = (out.parse(cells, "项目名称", _name), out.parse(cells, "实施单位", _unit),
                              out.parse(cells, "归口科室", _office))
        fund = out.word(cells, "资金性质", funds, list(fund_types))
        budget, spend = (out.parse(cells, h, _money) for h in MONEY_HEADERS)
        evaluator = out.parse(cells, "评价机构", _unit)
        total = out.parse(cells, "综合得分", _total)
        grade = out.word(cells, "评价等级", GRADE_WORDS, GRADES)
        rate = cell_text(cells.get("执行率"))
        if None in (code, year, object_type, name, fund, grade) or len(rate) > 20:
            if len(rate) > 20:
                out.bad("执行率", "应不超过20个字（如88.5%）", rate)
            continue
        rows.append(ImportedEvaluation(row_no, code, year, object_type, project_code or "", name, unit or "",
                                       office or "", fund, budget, spend, evaluator or "", total, grade, rate))
    return rows


def _path(level1: str, level2: str, level3: str) -> tuple[str, ...]:
    return tuple(n for n in (level1, level2, level3) if n)


def _score_rows(table, problems, good_codes: set[str], written_codes: set[str]) -> list[ImportedScore]:
    rows, out = [], _Rows(table.sheet, problems)
    held: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for row_no, cells in table.rows:
        out.row = row_no
        code = out.parse(cells, "评价编号", _code)
        if code is not None and code not in written_codes:
            out.bad("评价编号", f"应为「{EVAL_SHEET}」表中的评价编号", code)
            code = None
        level1 = cell_text(cells.get("一级指标"))
        if not level1:
            out.bad("一级指标", "为必填项（如决策、过程、产出、效益）", None)
        level2, level3 = cell_text(cells.get("二级指标")), cell_text(cells.get("三级指标"))
        for header, value in (("一级指标", level1), ("二级指标", level2), ("三级指标", level3)):
            if len(value) > 100:
                out.bad(header, "应不超过100个字", value)
        points = out.parse(cells, "分值", _required(_points))
        score = out.parse(cells, "得分", _required(_score))
        grade = out.word(cells, "等级", GRADE_WORDS, GRADES)
        if code is None or not level1:
            continue
        path = _path(level1, level2, level3)
        clash = next(((other, row) for other, row in held.get(code, []) if other[:len(path)] == path[:len(other)]), None)
        if clash is not None:
            said = (f"同一评价的评分指标不能重复（与第{clash[1]}行重复）" if clash[0] == path else
                    f"与第{clash[1]}行冲突：一个指标不能既有自己的得分又有下级指标")
            out.bad("三级指标" if level3 else ("二级指标" if level2 else "一级指标"), said, level3 or level2 or level1)
            continue
        held.setdefault(code, []).append((path, row_no))
        if code in good_codes and None not in (points, score, grade) and max(map(len, path)) <= 100:
            rows.append(ImportedScore(row_no, code, level1, level2, level3, points, score, grade,
                                      cell_text(cells.get("扣分原因"))))
    return rows
