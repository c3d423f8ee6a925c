"""The stage registry is the one list of stages: the command line's kinds and commands come from
it, so a new stage's descriptor is all the CLI needs."""

import sys
import types

import pytest

from app import cli, stages
from app.stages import FileKind, Stage


def choices(parser, command: str) -> list[str]:
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    return list(next(a for a in sub._actions if a.dest == "kind").choices)


def test_the_cli_lists_exactly_the_registered_kinds():
    parser = cli.build_parser()
    kinds = stages.file_kinds()
    assert choices(parser, "template") == [k for k, v in kinds.items() if v.template]
    assert choices(parser, "import") == ["projects", "targets", "monitoring", "selfeval", "evaluations", "exante",
                                             "rectification", "training", "reported", "library"]
    assert choices(parser, "review") == ["targets"]
    assert choices(parser, "check") == ["selfeval", "evaluations"]
    assert [s.key for s in stages.all_stages()] == ["workbench", "projects", "targets", "monitoring", "self_eval", "key_eval",
                                                    "exante", "rectification", "results", "training", "reported", "township",
                                                    "agencies", "library", "base_data"]


@pytest.fixture
def seventh_stage(monkeypatch, tmp_path):
    """A stage that exists only as a descriptor module, added to the registry."""
    written = []
    module = types.ModuleType("fake_stage")
    module.STAGE = Stage(
        key="key_eval", title="重点评价", page="fake_stage_ui:FakePage",
        kinds=(FileKind("key_eval", "重点评价", "key_eval：重点评价", template=lambda path: written.append(path)),))
    monkeypatch.setitem(sys.modules, "fake_stage", module)
    monkeypatch.setattr(stages, "STAGE_MODULES", (*stages.STAGE_MODULES, "fake_stage"))
    return written


def test_a_new_stage_needs_only_its_descriptor_for_the_cli(seventh_stage, tmp_path, capsys):
    out = tmp_path / "重点评价模板.xlsx"
    assert cli.run(["template", "key_eval", "--out", str(out)]) == 0
    assert seventh_stage == [str(out)] and "已生成导入模板" in capsys.readouterr().out
    assert "key_eval" not in choices(cli.build_parser(), "import")  # it has no import


def test_the_ui_parts_of_every_descriptor_are_named_in_ui():
    """app/ names its pages and check steps and never imports them: ui/ resolves the names."""
    for s in stages.all_stages():
        named = [s.page, *(ref for _, ref in s.selftest), *s.screenshots]
        assert named and all(ref.startswith("ui.") and ":" in ref for ref in named), s.key
