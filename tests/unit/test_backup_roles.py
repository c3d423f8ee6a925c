"""Backing up and restoring the whole database, once it has users, is 绩效科's alone: a backup holds
every record and the users' password hashes; a restore replaces them all."""

import pytest

from app.rules.validation import RejectedError
from app.services import maintenance, users
from app.services.projects import list_projects, save_project
from tests.support import project_raw


@pytest.mark.parametrize("name,said", [("赵交通", "备份数据库需由绩效科办理，您的角色是主管部门，不能备份。"),
                                       ("李单位", "备份数据库需由绩效科办理，您的角色是预算单位，不能备份。"),
                                       ("领导", "您是只读用户，只能查看，不能修改或办理任何事项。")])
def test_only_the_performance_office_may_back_up(bureau, tmp_path, name, said):
    bureau.actor = users.login(bureau, name, "secret-1")
    out = tmp_path / "copy.sqlite3"
    with pytest.raises(RejectedError) as refused:
        maintenance.backup_to(bureau, out)
    assert str(refused.value) == said and not out.exists()
    bureau.actor = users.login(bureau, "刘绩效", "secret-1")
    assert maintenance.backup_to(bureau, out) == out and out.stat().st_size > 0


def test_only_the_performance_office_may_restore(bureau, tmp_path):
    backup = maintenance.backup_to(bureau, tmp_path / "copy.sqlite3")
    save_project(bureau, project_raw(code="LATER", name="备份之后新增"))
    bureau.actor = users.login(bureau, "张主管", "secret-1")
    with pytest.raises(RejectedError) as refused:
        maintenance.restore_from(bureau, backup)
    assert str(refused.value) == "恢复数据库需由绩效科办理，您的角色是主管部门，不能恢复。"
    bureau.actor = users.login(bureau, "刘绩效", "secret-1")
    assert "LATER" in [p.code for p in list_projects(bureau, 2023)]  # nothing was replaced
    maintenance.restore_from(bureau, backup)
    assert "LATER" not in [p.code for p in list_projects(bureau, 2023)]


def test_a_database_without_users_backs_up_as_before(county, tmp_path):
    assert maintenance.backup_to(county, tmp_path / "copy.sqlite3").exists()
