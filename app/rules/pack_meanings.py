"""What each setting of the rule pack (规则方案) means, in a sentence, and how a person may change it.

`settings(content)` lists the settings the 规则方案 page shows, section by section (a list in the
pack — grades, township items, review levels — gives a setting per entry); a setting's meaning is
the pack's own (`meaning` of a township item) where it has one, else the sentence here.
`apply(content, edits)` returns a changed copy (values as typed; a bad one refused in a sentence),
`problems(content)` says in sentences what makes a whole pack unusable (each section read by the
stage's own `from_pack`, each number within its range), `diff_words(old, new)` says what changed:
"监控：红灯偏差由20调整为15"."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Optional

from app.rules.exante import ExAnteRules
from app.rules.monitoring import MonitorSettings
from app.rules.pack import RulePackData
from app.rules.rectification import RectificationRules
from app.rules.results import ResultUseRules
from app.rules.roles import Rights
from app.rules.self_eval import SelfEvalRules
from app.rules.target_check import CheckSettings
from app.rules.township_assessment import TownshipRules, section_problems

NUMBER, INT, BOOL, WORDS = "数值", "整数", "是否", "词语"
YES, NO = "是", "否"
SECTIONS: dict[str, tuple[str, str]] = {  # pack key → (title, what the section is)
    "grades": ("等级", "评价等级线：总分达到某等级的最低分（含）即评为该等级，从高到低对照。"),
    "self_evaluation": ("自评", "绩效自评表的分值、计分口径和提示条件。"),
    "monitoring": ("监控", "运行监控的红黄绿灯、全年预计和重点监控候选的条件。"),
    "exante": ("事前评估", "哪些项目须做事前绩效评估，评级折算和评估结论的分数线。"),
    "target_review": ("目标审核", "财政审核绩效目标时的打分权重和通过线。"),
    "target_check": ("目标检查", "绩效目标自动检查的扣分和词表。"),
    "roles": ("审核流程", "各类记录逐级审核的层级和每级可审核的角色。"),
    "rectification": ("整改", "整改通知后的反馈和整改期限（自然日）。"),
    "township_assessment": ("乡镇考核", "乡镇预算绩效管理工作考核的项目分值和等级线。"),
}
OTHER_TITLES = {"result_use": "结果应用", "key_evaluation": "重点评价", "department_self_evaluation": "部门整体自评",
                "agency_assessment": "第三方机构考核"}


def section_title(key: str) -> str:
    return SECTIONS[key][0] if key in SECTIONS else OTHER_TITLES.get(key, key)


@dataclass(frozen=True)
class Setting:
    section: str  # pack key
    path: tuple  # keys and list indexes into the pack
    label: str
    meaning: str
    kind: str = NUMBER
    low: Optional[Decimal] = Decimal(0)
    high: Optional[Decimal] = None

    @property
    def key(self) -> str:
        return "/".join(str(p) for p in self.path)

    @property
    def title(self) -> str:
        return SECTIONS[self.section][0]


def _s(path: tuple, label: str, meaning: str, kind: str = NUMBER, low: Any = 0, high: Any = None) -> Setting:
    return Setting(path[0], path, label, meaning, kind, None if low is None else Decimal(low),
                   None if high is None else Decimal(high))


HUNDRED, ONE = 100, 1
FIXED = (
    _s(("self_evaluation", "budget_points"), "预算执行分值", "绩效自评表中“预算执行率”一项的分值（通常10分）。", high=HUNDRED),
    _s(("self_evaluation", "target_too_low_ratio"), "目标偏低倍数",
       "实际完成值超过年度指标值的这个倍数时，提示目标可能定得偏低并要求说明。", low=1),
    _s(("self_evaluation", "cause_required_below_rate"), "须说明原因的执行率",
       "预算执行率低于此比率（0.90即90%）时，须填写未完成原因。", high=ONE),
    _s(("self_evaluation", "score_tolerance"), "评分差容许值", "自评得分与参考得分相差超过此分值时，须写评分说明。"),
    _s(("self_evaluation", "inflation_margin"), "虚高提示幅度",
       "指标得分率高于预算执行得分率超过此比例（0.05即5%）时，提示自评虚高。", high=ONE),
    _s(("self_evaluation", "total_counts_budget_points"), "总分含预算执行分",
       "是：总分=预算执行得分+指标得分（满分100）；否：只计指标得分，等级按得分占满分的比例评定。", BOOL, None),
    _s(("self_evaluation", "round_rate_first"), "执行率先四舍五入",
       "是：预算执行参考得分先把执行率按计算精度四舍五入再乘分值；否：直接相乘。", BOOL, None),
    _s(("monitoring", "red_below_schedule_points"), "红灯偏差",
       "执行率低于序时进度超过这么多个百分点亮红灯（如20：8月序时进度66.67%，执行率低于46.67%为红灯），低于序时进度为黄灯。",
       high=HUNDRED),
    _s(("monitoring", "red_when_nothing_spent"), "未支出即红灯", "是：截至监控月份一分未支出的项目一律亮红灯。", BOOL, None),
    _s(("monitoring", "projection_line"), "全年预计执行率警戒线",
       "按目前进度推算的全年执行率低于此比率（0.90即90%）的项目列入“全年预计”清单。", high=2),
    _s(("monitoring", "key_candidate_min_budget_wan"), "重点监控预算下限（万元）",
       "全年预算达到此金额（万元）且执行偏慢的项目列为重点监控候选。"),
    _s(("monitoring", "key_candidate_max_rate"), "重点监控执行率上限",
       "到重点监控月份执行率仍低于此比率（0.60即60%）的大额项目列为重点监控候选。", high=ONE),
    _s(("monitoring", "key_candidate_month"), "重点监控月份", "按哪个月的执行情况挑选重点监控候选（1-12）。", INT, 1, 12),
    _s(("monitoring", "slight_points"), "略高略低幅度",
       "执行率与序时进度相差在此百分点以内时，汇总说明写“略高/略低于序时进度”。", high=HUNDRED),
    _s(("exante", "new_project_threshold_wan"), "新增项目评估门槛（万元）",
       "新增项目全年预算达到此金额（万元）须做事前绩效评估。"),
    _s(("exante", "continuing_increase_ratio"), "延续项目增幅门槛",
       "延续项目预算比上年增加超过此比例（0.20即20%）须做事前绩效评估。"),
    _s(("target_review", "pass_line"), "通过线", "财政审核绩效目标的得分达到此分才能审核通过，低于的应退回修改。", high=HUNDRED),
    _s(("target_check", "min_annual_goal_chars"), "年度目标最少字数", "年度绩效目标少于此字数时提示写得过于简略。", INT),
    _s(("target_check", "vague_words"), "模糊用语", "指标值或目标中出现这些词（不可衡量）时提示改为具体数值。", WORDS, None),
    _s(("target_check", "empty_goal_phrases"), "空泛目标用语", "年度目标只写这些套话时提示写明具体产出和效益。", WORDS, None),
    _s(("target_check", "timely_words"), "时效用语", "时效指标只写这些词而无具体时限时提示写明完成时间。", WORDS, None),
    _s(("rectification", "feedback_days"), "反馈期限（天）", "整改通知日期后多少天内反馈整改计划（自然日）。", INT, 1, 365),
    _s(("rectification", "measures_days"), "整改期限（天）", "反馈日期后多少天内完成整改（自然日）。", INT, 1, 730),
)


def _listed(content: dict) -> list[Setting]:
    """The settings a list or table in the pack gives, one per entry."""
    out: list[Setting] = []
    for i, g in enumerate(content.get("grades", [])):
        out.append(_s(("grades", i, "min"), f"“{g.get('grade', '')}”最低分",
                      f"总分达到此分（含）即评为“{g.get('grade', '')}”（高一等级的分数线以下）。", high=HUNDRED))
    se = content.get("self_evaluation", {})
    for k in se.get("indicator_points", {}):
        out.append(_s(("self_evaluation", "indicator_points", k), f"{k}指标分值", f"绩效自评表中{k}指标合计的分值。", high=HUNDRED))
    for k in se.get("qualitative_reference", {}):
        out.append(_s(("self_evaluation", "qualitative_reference", k), f"定性“{k}”参考得分率",
                      f"定性指标评为“{k}”时参考得分 = 分值 × 此比率。", high=ONE))
    ex = content.get("exante", {})
    for k in ex.get("ratings", {}):
        out.append(_s(("exante", "ratings", k), f"评级“{k}”得分率", f"评估项评为“{k}”时得分 = 分值 × 此比率。", high=ONE))
    for i, c in enumerate(ex.get("conclusions", [])):
        out.append(_s(("exante", "conclusions", i, "min"), f"“{c.get('conclusion', '')}”最低分",
                      f"事前评估总分达到此分（含）即结论为“{c.get('conclusion', '')}”。", high=HUNDRED))
    for k in content.get("target_review", {}).get("weights", {}):
        out.append(_s(("target_review", "weights", k), f"{k}权重", f"财政审核绩效目标时“{k}”一项的分值（各项合计100）。",
                      high=HUNDRED))
    for k in content.get("target_check", {}).get("deductions", {}):
        out.append(_s(("target_check", "deductions", k), f"“{k}”扣分", f"自动检查每发现一处“{k}”扣的分数。", high=HUNDRED))
    for noun, levels in content.get("roles", {}).get("chains", {}).items():
        for i, level in enumerate(levels):
            out.append(_s(("roles", "chains", noun, i, "roles"), f"{noun}第{i + 1}级“{level.get('level', '')}”",
                          f"{noun}提交后第{i + 1}级审核（{level.get('level', '')}）可由这些角色办理（绩效科可办理任何一级）。",
                          WORDS, None))
    ta = content.get("township_assessment", {})
    for i, item in enumerate(ta.get("items", [])):
        out.append(_s(("township_assessment", "items", i, "points"), f"“{item.get('name', '')}”分值",
                      item.get("meaning") or f"乡镇考核“{item.get('name', '')}”一项的分值。", high=HUNDRED))
    for i, g in enumerate(ta.get("grades", [])):
        out.append(_s(("township_assessment", "grades", i, "min"), f"等级“{g.get('grade', '')}”最低百分比",
                      f"总分占满分的百分比达到此数（含）即为“{g.get('grade', '')}”。", high=HUNDRED))
    return out


def settings(content: dict) -> list[Setting]:
    """Every setting the page shows, in the sections' order."""
    found = [s for s in FIXED + tuple(_listed(content)) if value_of(content, s.path) is not _MISSING]
    order = list(SECTIONS)
    return sorted(found, key=lambda s: order.index(s.section))


_MISSING = object()


def value_of(content: Any, path: tuple) -> Any:
    """The value at `path` (a marker object when the pack lacks it)."""
    for p in path:
        try:
            content = content[p]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return content


def shown(value: Any, kind: str) -> str:
    """A value as the page shows and takes it."""
    if value is _MISSING or value is None:
        return "（无）"
    if kind == BOOL:
        return YES if value else NO
    if kind == WORDS:
        return "、".join(str(v) for v in value)
    return str(value)


def parse(setting: Setting, text: str) -> Any:
    """The stored value of `text` typed for `setting`; ValueError with a sentence when it is not one."""
    text = (text or "").strip()
    name = f"{setting.title}：{setting.label}"
    if setting.kind == BOOL:
        if text not in (YES, NO):
            raise ValueError(f"“{name}”请填“是”或“否”，“{text}”不是。")
        return text == YES
    if setting.kind == WORDS:
        words = [w for w in re.split(r"[、，,；;\s]+", text) if w]
        if not words:
            raise ValueError(f"“{name}”至少要有一个词，词与词之间用顿号隔开。")
        return words
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or (setting.kind == INT and number != number.to_integral_value()):
        what = "整数" if setting.kind == INT else "数字"
        raise ValueError(f"“{name}”应为{what}，“{text}”不是{what}。")
    if setting.low is not None and number < setting.low or setting.high is not None and number > setting.high:
        span = f"{setting.low}到{setting.high}之间" if setting.high is not None else f"不小于{setting.low}"
        raise ValueError(f"“{name}”应在{span}，不能是{text}。")
    return int(number) if setting.kind == INT else text


def apply(content: dict, edits: dict[str, str]) -> dict:
    """A copy of `content` with each edited setting (by `Setting.key`) set as typed; ValueError
    naming every bad value (nothing is changed then)."""
    changed = copy.deepcopy(content)
    known = {s.key: s for s in settings(content)}
    bad: list[str] = []
    for key, text in edits.items():
        setting = known.get(key)
        if setting is None:
            bad.append(f"规则方案中没有“{key}”这项设置。")
            continue
        try:
            value = parse(setting, text)
        except ValueError as exc:
            bad.append(str(exc))
            continue
        target = changed
        for p in setting.path[:-1]:
            target = target[p]
        target[setting.path[-1]] = value
    if bad:
        raise ValueError("".join(bad))
    return changed


def problems(content: Any) -> list[str]:
    """What makes a whole pack unusable, in sentences (empty when every stage can read it)."""
    if not isinstance(content, dict) or not str(content.get("name", "")).strip():
        return ["文件不是规则方案：缺少方案名称（name）。"]
    out: list[str] = []
    for s in settings(content):
        value = value_of(content, s.path)
        if s.kind == WORDS and not (isinstance(value, list) and value):
            out.append(f"“{s.title}：{s.label}”至少要有一个词。")
        elif s.kind != WORDS:
            try:
                parse(s, shown(value, s.kind))
            except ValueError as exc:
                out.append(str(exc))
    weights = content.get("target_review", {}).get("weights", {})
    try:
        if weights and sum(Decimal(str(v)) for v in weights.values()) != 100:
            out.append("“目标审核”各项权重之和应为100。")
    except InvalidOperation:
        pass  # named above
    pack = RulePackData(str(content["name"]), int(content.get("version") or 1), content)
    readers = (("grades", lambda: pack.grade_bands), ("self_evaluation", lambda: SelfEvalRules.from_pack(pack)),
               ("monitoring", lambda: MonitorSettings.from_pack(pack)), ("exante", lambda: ExAnteRules.from_pack(pack)),
               ("target_check", lambda: CheckSettings.from_pack(pack).deduction("错误")),
               ("roles", lambda: Rights.from_pack(pack)), ("rectification", lambda: RectificationRules.from_pack(pack)),
               ("result_use", lambda: ResultUseRules.from_pack(pack)))
    if not out:  # a stage reads the pack only once every value is a number where one is wanted
        for key, read in readers:
            try:
                read()
            except Exception as exc:  # noqa: BLE001 - any fault reading a section is the pack's
                why = f"缺少“{exc.args[0]}”" if isinstance(exc, KeyError) else str(exc)
                out.append(f"“{section_title(key)}”一节不完整或写法不对（{why}），请对照导出的规则方案改正。")
    if content.get("township_assessment"):
        out.extend(f"乡镇考核：{p}。" for p in section_problems(content["township_assessment"]))
        if not out:
            TownshipRules.from_pack(pack)
    return out


def diff_words(old: dict, new: dict) -> list[str]:
    """What changed from `old` to `new`, a sentence per setting ("监控：红灯偏差由20调整为15"); a
    section changed elsewhere than the settings shown is named once."""
    words: list[str] = []
    seen: dict[tuple, Setting] = {}
    for s in settings(old) + settings(new):
        seen.setdefault(s.path, s)
    for path, s in seen.items():
        before, after = value_of(old, path), value_of(new, path)
        if before == after:
            continue
        name = f"{s.title}：{s.label}"
        if before is _MISSING:
            words.append(f"{name}新增为{shown(after, s.kind)}")
        elif after is _MISSING:
            words.append(f"{name}删除（原为{shown(before, s.kind)}）")
        elif s.kind == WORDS:
            added = [w for w in after if w not in before]
            dropped = [w for w in before if w not in after]
            said = [f"增加“{'、'.join(added)}”"] * bool(added) + [f"删去“{'、'.join(dropped)}”"] * bool(dropped)
            words.append(name + ("，".join(said) or f"改为{shown(after, s.kind)}"))
        else:
            words.append(f"{name}由{shown(before, s.kind)}调整为{shown(after, s.kind)}")
    for key in [k for k in dict.fromkeys(list(old) + list(new)) if k not in ("version", "name")]:
        if old.get(key) != new.get(key) and not _only_shown(old.get(key), new.get(key), key, seen):
            words.append(f"{section_title(key)}：其他设置有修改")
    if old.get("name") != new.get("name"):
        words.append(f"方案名称由“{old.get('name')}”改为“{new.get('name')}”")
    return words


def _only_shown(before: Any, after: Any, key: str, seen: dict[tuple, Setting]) -> bool:
    """Whether the section differs only in settings already described."""
    a, b = copy.deepcopy({key: before}), copy.deepcopy({key: after})
    for path in seen:
        if path[0] != key:
            continue
        for doc in (a, b):
            parent = value_of(doc, path[:-1])
            if parent is not _MISSING and value_of(doc, path) is not _MISSING:
                parent[path[-1]] = None
    return a == b
