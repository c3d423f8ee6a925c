"""Fixtures the command-line tests share: a data folder, and the demo county built once through the
command line (tests work on copies)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import DEMO_PROJECTS, run_cli


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "perfdesk-home"


@pytest.fixture(scope="session")
def cli_demo_template(tmp_path_factory) -> Path:
    """The demo county built once through the command line; tests work on copies."""
    folder = tmp_path_factory.mktemp("cli-demo")
    path = folder / "演示县.sqlite3"
    result = run_cli(folder / "home", "demo", "--county-only", "--db", path)
    assert result.returncode == 0, result.stderr
    assert "已载入演示县数据" in result.stdout and f"项目{DEMO_PROJECTS}个" in result.stdout
    return path


@pytest.fixture
def demo_db(tmp_path, cli_demo_template) -> Path:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(cli_demo_template, path)
    return path
