"""The text of the 年度预算绩效工作开展情况说明, drafted from the year's figures (app.domain.year_report):
a title, an opening paragraph, then one part per section in the seeds' order (一、事前绩效评估情况 …
九、预算绩效管理培训情况), each written in the seeds' sentences — 和硕's “8月项目绩效监控307个36905.00万元，
总体进度68.00%，略高于序时进度”, 澄江's “本次24个绩效自评表中，自评等级为“优”的17份，占70.83%；…”,
钢城's “经评价9个项目评价结果为“优”，2个项目评价结果为“良””, 和硕's “通过绩效管理结果应用调减预算资金
130.00万元”. Every number is a figure's `text`, exactly as the 数据 sheet holds it; a section told from
the county's 上报数 opens “据上报数，” and uses their words where their numbers are the figures'; a section with no figures says so in one sentence, for the officer to
fill in or strike out."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Sequence

from app.domain.year_report import (
    EXANTE, KEY_EVAL, MONITORING, RECTIFICATION, RESULTS, SECTIONS, SELF_EVAL, TARGETS, TRAINING, VERIFICATION,
    Figure, by_key,
)

NUMERALS = "一二三四五六七八九十"
HEADINGS = {EXANTE: "事前绩效评估情况", TARGETS: "绩效目标管理情况", MONITORING: "绩效运行监控情况",
            SELF_EVAL: "绩效自评情况", KEY_EVAL: "重点绩效评价情况", VERIFICATION: "绩效自评真实性核查情况",
            RESULTS: "绩效结果应用情况", RECTIFICATION: "问题整改情况", TRAINING: "预算绩效管理培训情况"}
GRADES = ("优", "良", "中", "差")
LEVEL_POINTS = Decimal("0.5")  # 总体进度 within half a point of 序时进度: 基本持平
SPACED = re.compile(r"(?<=[\d\u4e00-\u9fff])\s+(?=[\d\u4e00-\u9fff])")
NUMBER = re.compile(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?(?![\d年月日号])")


@dataclass(frozen=True)
class Part:
    heading: str  # 一、事前绩效评估情况
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class YearText:
    title: str
    opening: str
    parts: tuple[Part, ...]

    def paragraphs(self) -> list[str]:
        """Every line in reading order: title, opening, each heading and its paragraphs."""
        out = [self.title, self.opening]
        for part in self.parts:
            out += [part.heading, *part.paragraphs]
        return out


def write(year: int, place: str, figures: Sequence[Figure], slight_points: Decimal, at: date) -> YearText:
    """The text of work `year` for `place` (示范县). `slight_points`: the rule pack's 略高/略低 margin
    (monitoring.slight_points); `at`: the day 整改 is counted to."""
    parts = []
    for n, section in enumerate(SECTIONS):
        mine = [f for f in figures if f.section == section]
        paragraphs = _paragraphs(section, year, mine, slight_points, at) if mine else [_nothing(section, year)]
        parts.append(Part(f"{NUMERALS[n]}、{HEADINGS[section]}", tuple(paragraphs)))
    opening = (f"{year}年，{place}围绕全面实施预算绩效管理，推进事前绩效评估、绩效目标管理、运行监控、绩效评价、"
               f"结果应用和问题整改等各环节工作。现将{year}年度预算绩效工作开展情况说明如下：")
    return YearText(f"{year}年度{place}预算绩效工作开展情况说明", opening, tuple(parts))


def _nothing(section: str, year: int) -> str:
    return f"（{year}年系统中没有{section}的记录，也未录入上报数，请补充或删去本部分。）"


def _paragraphs(section: str, year: int, figures: list[Figure], slight: Decimal, at: date) -> list[str]:
    own = [f for f in figures if not f.reported]
    reported = [f for f in figures if f.reported]
    out = []
    if own:
        out.append(WRITERS[section](year, by_key(own), slight, at))
    if reported:
        out.append(_reported(reported, year))
    return out


def _reported(figures: list[Figure], year: int) -> str:
    """上报数 in the county's own words where every number in them is one of their figures, as the 数据
    sheet writes it: 据上报数，选取7个部门整体和17个项目支出开展自评核查；核查金额196,579.94万元 (two entries
    sharing one sentence are said once). Words writing a number otherwise (9463.5万元 for 9,463.50; 20个
    for 24) give way to the figures: 重点评价项目8个，重点评价项目金额9,463.50万元. Words alone (no
    number entered) whose numbers cannot be traced stay in the 数据 sheet only."""
    by_words: dict[str, list[Figure]] = {}
    for stat in _by_stat(figures):
        by_words.setdefault(_words(stat[0].wording, year), []).extend(stat)
    said: list[str] = []
    for words, group in by_words.items():
        if words and set(_numbers(words)) <= {f.text for f in group if f.text}:
            lines = [words]
        else:
            lines = [f"{f.item.replace('：', '')}{f.text}{f.unit}" for f in group if f.text]
        said += [line for line in lines if line not in said]
    if not said:
        return f"（{year}年录入的上报数只有文字说明，见“数据”表，请据以补充本部分。）"
    return "据上报数，" + "；".join(said) + "。"


def _by_stat(figures: list[Figure]) -> list[list[Figure]]:
    """A 上报数's figures together (count, amount, rate of one entry), in order."""
    groups: dict[str, list[Figure]] = {}
    for f in figures:
        groups.setdefault(f.key.rsplit(".", 1)[0], []).append(f)
    return list(groups.values())


def _words(wording: str, year: int) -> str:
    words = SPACED.sub("", wording.strip().rstrip("。；;，,"))  # “抽取 20 个” as typed from a PDF
    return words.replace("今年", f"{year}年").replace("去年", f"{year - 1}年")  # the report names its years


def _numbers(words: str) -> list[str]:
    """Every number the words write (full-width digits and ％ read as such), but a date's (2023年, 4月)."""
    return NUMBER.findall(unicodedata.normalize("NFKC", words))


def _money(f: Figure) -> str:
    return f"{f.text}万元"


def _pct(f: Figure) -> str:
    return f"{f.text}%"


# -- one writer per section: (year, figures by key, slight points, at) → one paragraph --------------
def _exante(year: int, f: dict, slight: Decimal, at: date) -> str:
    text = f"{year}年，对{year + 1}年度新增及增加预算的{f['exante.count'].text}个项目开展事前绩效评估"
    if "exante.requested" in f:
        text += f"，评估金额{_money(f['exante.requested'])}"
    cut = f.get("exante.cut")
    if cut is not None and cut.value:
        text += f"，根据评估结论建议调减预算资金{_money(cut)}"
    return text + "。"


def _targets(year: int, f: dict, slight: Decimal, at: date) -> str:
    depts = f.get("targets.departments")
    text = "完成"
    if depts is not None and depts.value:
        text += f"{depts.text}个部门整体绩效目标及"
    text += f"{year}年度预算{f['targets.projects'].text}个项目"
    if "targets.amount" in f:
        text += _money(f["targets.amount"])
    text += "绩效目标审核工作"
    if "targets.coverage" in f:
        text += f"，项目绩效目标审核覆盖率{_pct(f['targets.coverage'])}"
    return text + "。"


def _monitoring(year: int, f: dict, slight: Decimal, at: date) -> str:
    months = sorted({int(k.split(".")[1]) for k in f if k.count(".") == 2})
    rounds = f.get("monitoring.rounds")
    text = f"{year}年开展绩效运行监控{rounds.text if rounds else len(months)}批次"
    clauses = []
    for m in months:
        get = lambda what: f.get(f"monitoring.{m}.{what}")  # noqa: E731
        clause = f"{m}月项目绩效监控{get('projects').text}个{_money(get('amount'))}"
        progress, schedule = get("progress"), get("schedule")
        if progress is None:
            clause += "，尚未填报执行数"
        else:
            clause += f"，总体进度{_pct(progress)}，{compare(progress.value, schedule.value, slight)}（{_pct(schedule)}）"
            if "未填报执行数" in progress.basis:
                clause += "，部分项目未填报执行数，未计入总体进度"
        clauses.append(clause)
    return text + ("。其中：" + "；".join(clauses) if clauses else "") + "。"


def compare(progress: Decimal, schedule: Decimal, slight: Decimal) -> str:
    """略高于/略低于序时进度 within the pack's points, 高于/低于 beyond, 与序时进度基本持平 within half a point."""
    gap = progress - schedule
    if abs(gap) < LEVEL_POINTS:
        return "与序时进度基本持平"
    word = "高于" if gap > 0 else "低于"
    return ("略" if abs(gap) <= slight else "") + word + "序时进度"


def _self_eval(year: int, f: dict, slight: Decimal, at: date) -> str:
    count = f["self_eval.count"]
    text = f"组织各部门单位对{year - 1}年度预算开展绩效自评，完成自评表{count.text}份"
    kinds = [(f.get("self_eval.departments"), "部门整体支出"), (f.get("self_eval.projects"), "项目支出")]
    named = [f"{label}{x.text}份" for x, label in kinds if x is not None and x.value]
    if named:
        text += f"（{'、'.join(named)}）"
    if "self_eval.amount" in f:
        text += f"，涉及资金{_money(f['self_eval.amount'])}"
    text += "。"
    graded = [(g, f[f"self_eval.grade.{g}"], f.get(f"self_eval.grade.{g}.share")) for g in GRADES
              if f"self_eval.grade.{g}" in f]
    total = sum(x.value for _, x, _ in graded)
    if not total:
        return text
    said = [f"自评等级为“{g}”的{x.text}份" + (f"，占{_pct(s)}" if s is not None else "") for g, x, s in graded if x.value]
    none = [f"“{g}”" for g, x, _ in graded if not x.value]
    head = f"本次{count.text}个绩效自评表中" if total == count.value else f"已评定等级的{total}个绩效自评表中"
    return text + head + "，" + "；".join(said) + (f"，无{'、'.join(none)}等级" if none else "") + "。"


def _key_eval(year: int, f: dict, slight: Decimal, at: date) -> str:
    text = f"对{year - 1}年度{f['key_eval.count'].text}个项目开展重点绩效评价"
    if "key_eval.amount" in f:
        text += f"，涉及预算金额{_money(f['key_eval.amount'])}"
    text += "。"
    said = [f"{x.text}个项目评价结果为“{g}”" for g in GRADES if (x := f.get(f"key_eval.grade.{g}")) is not None and x.value]
    if said:
        text += "经评价" + "，".join(said) + "。"
    if "key_eval.grade.none" in f:
        text += f"另有{f['key_eval.grade.none'].text}个项目尚未评定等级。"
    return text


def _verification(year: int, f: dict, slight: Decimal, at: date) -> str:
    text = f"对{year - 1}年度预算绩效自评表开展真实性核查"
    if "verification.draws" in f:
        text += f"，随机抽取{f['verification.draws'].text}批次"
    if "verification.drawn" in f:
        text += f"共{f['verification.drawn'].text}个项目，对核心指标完成情况辅助资料进行核查"
    return text + "。"


def _results(year: int, f: dict, slight: Decimal, at: date) -> str:
    text = f"{year}年确定绩效结果应用措施{f['results.measures'].text}项" if "results.measures" in f else ""
    cut, recovered = f.get("results.cut"), f.get("results.recovered")
    if cut is not None and cut.value:
        text += f"{'。' if text else ''}通过绩效管理结果应用调减预算资金{_money(cut)}"
        exante = f.get("results.cut.exante")
        if exante is not None and exante.value:
            whole = exante.value == cut.value
            text += f"（{'均为' if whole else '其中'}根据事前绩效评估结论调减{'' if whole else _money(exante)}）"
    if recovered is not None and recovered.value:
        text += f"，收回资金{_money(recovered)}"
    return text + "。"


def _rectification(year: int, f: dict, slight: Decimal, at: date) -> str:
    text = f"{year}年共有整改问题{f['rectification.count'].text}个，截至{at.year}年{at.month}月{at.day}日"
    closed = f.get("rectification.closed")
    text += f"已整改销号{closed.text}个" if closed is not None else "尚无销号记录"
    if "rectification.closed.share" in f:
        text += f"，销号率{_pct(f['rectification.closed.share'])}"
    overdue = f.get("rectification.overdue")
    if overdue is not None:
        text += f"；逾期未销号{overdue.text}个" if overdue.value else "，无逾期未销号问题"
    return text + "。"


def _training(year: int, f: dict, slight: Decimal, at: date) -> str:
    sessions, attendees = f.get("training.sessions"), f.get("training.attendees")
    text = f"{year}年共举办预算绩效管理业务培训"
    text += f"{sessions.text}次" if sessions is not None else ""
    if attendees is not None:
        text += f"，参训{attendees.text}人次"
    return text + "。"


WRITERS = {EXANTE: _exante, TARGETS: _targets, MONITORING: _monitoring, SELF_EVAL: _self_eval, KEY_EVAL: _key_eval,
           VERIFICATION: _verification, RESULTS: _results, RECTIFICATION: _rectification, TRAINING: _training}
