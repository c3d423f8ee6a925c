"""Users on the real command line: the first (绩效科) user added with its password from a pipe, the
list (names, roles, scopes — never a password), --user on every command once users exist (its
password from PERFDESK_PASSWORD), refusals exiting 2 with a sentence and writing nothing, and a
绩效科 user resetting a password."""

import pytest
from sqlalchemy import func, select

from app.rules.validation import RejectedError
from app.services import projects, users
from db.models import Project
from tests.support import project_raw, run_cli, write_sheet


def cli(tmp_path, db, *args, password=None, input=None):
    env = {"PERFDESK_PASSWORD": password} if password is not None else None
    return run_cli(tmp_path / "perfdesk-home", *args, "--db", db, input=input, env=env)


def project_count(ws) -> int:
    with ws.session() as s:
        return s.scalar(select(func.count()).select_from(Project))


def test_the_first_user_comes_from_a_pipe_and_the_list_never_shows_a_password(county, db_path, tmp_path):
    first = cli(tmp_path, db_path, "user", "add", "领导", "--role", "只读", input="secret-1\n")
    assert first.returncode == 2 and "第一个用户须为绩效科用户" in first.stderr
    added = cli(tmp_path, db_path, "user", "add", "刘绩效", "--role", "绩效科", input="secret-1\n")
    assert added.returncode == 0, added.stderr
    assert "已添加用户“刘绩效”（绩效科）" in added.stdout
    second = cli(tmp_path, db_path, "user", "add", "张主管", "--role", "主管部门", "--scope", "213001", input="secret-2\n")
    assert second.returncode == 2 and "请用 --user 用户名" in second.stderr  # users exist now: who adds?
    second = cli(tmp_path, db_path, "--user", "刘绩效", "user", "add", "张主管", "--role", "主管部门", "--scope", "213001",
                 input="secret-2\n", password="secret-1")
    assert second.returncode == 0, second.stderr
    assert "已添加用户“张主管”（主管部门，范围：钢城区城市管理局）" in second.stdout

    listed = cli(tmp_path, db_path, "user", "list", "--user", "张主管", password="secret-2")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert "刘绩效\t绩效科\t全县" in lines and "张主管\t主管部门\t213001（钢城区城市管理局）" in lines
    assert "scrypt" not in listed.stdout and "secret" not in listed.stdout
    assert users.login(county, "张主管", "secret-2").scope.label == "钢城区城市管理局"  # the piped password is kept


def test_once_users_exist_every_command_names_its_user_and_its_password(bureau, db_path, tmp_path):
    out = tmp_path / "项目.xlsx"
    export = ("export", "projects", "--year", "2023", "--out", out)
    missing = cli(tmp_path, db_path, *export)
    assert missing.returncode == 2 and "这个数据库已建立用户，请用 --user 用户名" in missing.stderr
    wrong = cli(tmp_path, db_path, *export, "--user", "张主管", password="wrong-pass")
    assert wrong.returncode == 2 and "用户名或密码不正确" in wrong.stderr
    unsaid = cli(tmp_path, db_path, *export, "--user", "张主管")  # no PERFDESK_PASSWORD and no terminal to ask at
    assert unsaid.returncode == 2 and "请在环境变量 PERFDESK_PASSWORD 中提供用户“张主管”的密码" in unsaid.stderr
    assert not out.exists()

    done = cli(tmp_path, db_path, *export, "--user", "张主管", password="secret-1")
    assert done.returncode == 0, done.stderr
    assert "已导出2023年度项目1个" in done.stdout and out.exists()
    other = cli(tmp_path, db_path, *export, "--user", "赵交通", password="secret-1")  # another 主管部门's export
    assert other.returncode == 0 and "已导出2023年度项目0个" in other.stdout


def test_an_import_the_user_may_not_make_exits_2_and_lands_nothing(bureau, db_path, tmp_path):
    labels = [spec.label for spec in projects.PROJECT_FIELDS]
    raw = project_raw(code="3701172023009", name="公交车辆运行补贴费用", department="[207001]钢城区城乡交通运输局",
                      unit="[207001]钢城区城乡交通运输局", annual_budget="500", initial_budget="500")
    path = write_sheet(tmp_path / "项目.xlsx", "项目", labels, [[raw[spec.key] for spec in projects.PROJECT_FIELDS]])
    before = project_count(bureau)
    unit = cli(tmp_path, db_path, "import", "projects", path, "--user", "李单位", password="secret-1")
    assert unit.returncode == 2, (unit.stdout, unit.stderr)
    assert "名下无此项目" in unit.stderr and "导入完成" not in unit.stdout
    reader = cli(tmp_path, db_path, "import", "projects", path, "--user", "领导", password="secret-1")
    assert reader.returncode == 2 and "您是只读用户，只能查看" in reader.stderr
    backup = cli(tmp_path, db_path, "backup", "--out", tmp_path / "备份.sqlite3", "--user", "领导", password="secret-1")
    assert backup.returncode == 2 and "须由绩效科用户办理" in backup.stderr
    assert project_count(bureau) == before and not (tmp_path / "备份.sqlite3").exists()


def test_a_performance_user_resets_a_password_and_others_change_only_their_own(bureau, db_path, tmp_path):
    refused = cli(tmp_path, db_path, "user", "passwd", "张主管", "--user", "李单位", input="new-pass-1\n",
                  password="secret-1")
    assert refused.returncode == 2 and "只有绩效科用户可以管理用户和重置密码" in refused.stderr
    users.login(bureau, "张主管", "secret-1")  # unchanged

    reset = cli(tmp_path, db_path, "user", "passwd", "李单位", "--user", "刘绩效", input="new-pass-1\n",
                password="secret-1")
    assert reset.returncode == 0, reset.stderr
    assert "已重置用户“李单位”的密码" in reset.stdout
    with pytest.raises(RejectedError, match="用户名或密码不正确"):
        users.login(bureau, "李单位", "secret-1")
    own = cli(tmp_path, db_path, "user", "passwd", "李单位", "--user", "李单位", input="new-pass-2\n",
              password="new-pass-1")
    assert own.returncode == 0 and "已修改您的密码" in own.stdout
    assert users.login(bureau, "李单位", "new-pass-2").role == "预算单位"
