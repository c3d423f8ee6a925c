"""Bundled resources are found from source and frozen alike; user data never goes to the install folder."""

import sys
from pathlib import Path

from app import paths
from app.version import _read_version

ROOT = Path(__file__).resolve().parents[2]


def test_resources_from_source():
    assert paths.resource_path("fonts", "wqy-microhei.ttc") == ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
    assert paths.resource_path("fonts", "wqy-microhei.ttc").is_file()


def test_resources_when_frozen(monkeypatch, tmp_path):
    (tmp_path / "resources" / "rules").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "perfdesk"\nversion = "9.8.7"\n', encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resource_path("rules", "default_pack.json") == tmp_path / "resources" / "rules" / "default_pack.json"
    assert _read_version() == "9.8.7"  # the bundle carries pyproject.toml: one place for the version


def test_version_comes_from_pyproject():
    import re

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert _read_version() == re.search(r'^version = "(.+)"', text, re.M).group(1)


def test_user_data_lives_outside_the_install_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("PERFDESK_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(sys, "platform", "linux")
    assert paths.default_db_path() == tmp_path / "xdg" / "perfdesk" / "perfdesk.sqlite3"
    assert ROOT not in paths.default_db_path().parents
    monkeypatch.setenv("PERFDESK_DB", str(tmp_path / "其他.sqlite3"))
    assert paths.default_db_path() == tmp_path / "其他.sqlite3"
