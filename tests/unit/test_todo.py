"""工作台 (issue 16): what waits on the user on a given day, from the demo county's records — 钢城's
整改 items due 2023-10-15 are 17 days overdue on 2023-11-01, the 1-8月 round (due 2023-09-15) still
has records not handed in; a 预算单位 sees only its own; `todo` prints the same lines."""

from datetime import date

from app import cli
from app.rules.roles import Rights
from app.services import access
from app.services.actor import Actor
from app.services.todo import todo

LATER, BEFORE = date(2023, 11, 1), date(2023, 10, 10)


def by_kind(lines):
    return {line.kind: line for line in lines}


def actor(ws, role, code=None) -> Actor:
    with ws.session() as s:
        scope = access.resolve(s, role, code)
    return Actor("测试", role, scope, Rights.from_pack(ws.rule_pack()))


def test_the_bureau_sees_overdue_items_with_their_days_and_the_rounds_not_handed_in(demo_copy):
    lines = todo(demo_copy, at=LATER)
    found = by_kind(lines)
    late = found["整改事项逾期"]
    assert (late.count, late.due, late.overdue_days, late.cells()[-1]) == (3, date(2023, 10, 15), 17, "逾期17天")
    assert (late.target.stage, late.target.year, late.target.filter) == ("rectification", 2023, "逾期")
    round_ = found["监控批次报送"]
    assert (round_.what, round_.due, round_.overdue_days) == ("2023年1-8月：未报送21条", date(2023, 9, 15), 47)
    assert lines[0].overdue_days == 47 and "监控红灯待说明原因" not in found  # the demo's red lights all say why
    approve = found["待批复的绩效目标"]  # without users the local user takes every step
    assert approve.count == 1 and approve.target.record_id is not None
    assert found["待提交的绩效目标"].count == 3 and found["被退回修改的绩效目标"].count == 1
    soon = by_kind(todo(demo_copy, at=BEFORE))["整改事项即将到期"]  # five days before the deadline
    assert (soon.count, soon.due, soon.overdue_days, soon.target.filter) == (3, date(2023, 10, 15), None, "即将到期")


def test_a_unit_sees_only_its_own_and_a_read_only_user_nothing(demo_copy):
    unit = by_kind(todo(demo_copy, actor(demo_copy, "预算单位", "208001"), LATER))  # 住房和城乡建设局
    assert unit["整改事项逾期"].count == 2 and unit["整改事项逾期"].overdue_days == 17
    assert unit["监控批次报送"].what == "2023年1-8月：未报送3条"
    assert unit["待提交的绩效目标"].count == 2
    assert not {"待批复的绩效目标", "乡镇数据包逾期未报", "待审核的绩效目标（主管部门审核）"} & set(unit)
    bureau = by_kind(todo(demo_copy, actor(demo_copy, "绩效科"), LATER))
    assert "待批复的绩效目标" in bureau and "待提交的绩效目标" not in bureau  # units submit; the bureau approves
    assert todo(demo_copy, actor(demo_copy, "只读"), LATER) == []


def test_the_command_prints_one_line_per_item(demo_copy, capsys):
    where = str(demo_copy.db_file or demo_copy.url)
    assert cli.run(["todo", "--at", "2023-11-01", "--db", where]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "整改事项逾期\t2023年度3项\t2023-10-15\t逾期17天" in out
    assert "待批复的绩效目标\t2023年度1个" in out
