"""规则方案 as a page (issue 16): the diff in words, edits and whole-pack checks, versions, import/export."""

import copy
import json

import pytest

from app.rules import pack_meanings as M
from app.rules.pack import default_pack
from app.rules.validation import RejectedError
from app.services import rule_packs


def test_diff_words_say_each_change_in_the_users_terms():
    old = default_pack().content
    new = M.apply(old, {"monitoring/red_below_schedule_points": "15", "rectification/feedback_days": "15",
                        "target_check/timely_words": "及时、按时、如期、准时", "grades/0/min": "85"})
    assert M.diff_words(old, new) == ["等级：“优”最低分由90调整为85", "监控：红灯偏差由20调整为15",
                                      "目标检查：时效用语增加“准时”", "整改：反馈期限（天）由20调整为15"]
    other = copy.deepcopy(old)
    other["result_use"]["by_grade"]["优"] = "保障"
    assert M.diff_words(old, other) == ["结果应用：其他设置有修改"]
    assert M.diff_words(old, copy.deepcopy(old)) == []


def test_bad_values_are_refused_in_sentences():
    content = default_pack().content
    with pytest.raises(ValueError) as bad:
        M.apply(content, {"monitoring/red_below_schedule_points": "二十", "monitoring/key_candidate_month": "13",
                          "monitoring/red_when_nothing_spent": "对"})
    said = str(bad.value)
    assert "“监控：红灯偏差”应为数字，“二十”不是数字。" in said
    assert "“监控：重点监控月份”应在1到12之间，不能是13。" in said
    assert "请填“是”或“否”" in said
    assert M.problems(content) == []
    assert all(s.meaning for s in M.settings(content))


def test_import_is_validated_whole_and_nothing_saves(ws, tmp_path):
    broken = copy.deepcopy(default_pack().content)
    broken["monitoring"]["projection_line"] = "九成"
    del broken["exante"]["dimensions"]
    broken["target_review"]["weights"]["完整性"] = "30"
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RejectedError) as refused:
        rule_packs.import_file(ws, path)
    assert "“监控：全年预计执行率警戒线”应为数字" in refused.value.summary
    assert "各项权重之和应为100" in refused.value.summary
    (tmp_path / "not.json").write_text("{name: 1", encoding="utf-8")
    with pytest.raises(RejectedError, match="第1行"):
        rule_packs.import_file(ws, tmp_path / "not.json")
    assert [v.version for v in rule_packs.versions(ws)] == [1]


def test_save_makes_a_version_and_export_import_round_trips(ws, tmp_path):
    assert rule_packs.save(ws, {"monitoring/red_below_schedule_points": "15"}, "县里下调红灯线", based_on=1) == 2
    assert ws.rule_pack().version == 2 and ws.rule_pack().section("monitoring")["red_below_schedule_points"] == "15"
    with pytest.raises(RejectedError, match="已被另存为第2版"):
        rule_packs.save(ws, {"monitoring/slight_points": "3"}, "", based_on=1)
    with pytest.raises(RejectedError, match="没有保存"):
        rule_packs.save(ws, {"monitoring/slight_points": "-3"}, "", based_on=2)
    out = rule_packs.export_active(ws, tmp_path / "县规则方案.json")
    assert rule_packs.import_file(ws, out) == 3
    newest, second, first = rule_packs.versions(ws)
    assert (newest.active, newest.changes, newest.note) == (True, ("与上一版相同",), "导入自县规则方案.json")
    assert second.changes == ("监控：红灯偏差由20调整为15",) and second.note == "县里下调红灯线" and not second.active
    assert first.changes == ("最初的规则方案",)
    view = rule_packs.view(ws)
    assert view.version == 3 and view.sections[0].title == "等级"
