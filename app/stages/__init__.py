"""The stage registry: one descriptor per stage, and everything that lists stages loops over it —
the main window's navigation, the command line's template / import / export / review kinds and
extra commands, `--selftest` and scripts/screenshots.py.

Adding a stage means its own files plus one entry in STAGE_MODULES (and a migration if it needs
one); docs/ARCHITECTURE.md has a worked example. The ui parts are named as "module:attribute"
strings, resolved by ui/ (app/ never imports Qt); the frozen build bundles every module of app/,
db/ and ui/ (packaging/perfdesk.spec), so they are found there too."""

from __future__ import annotations

import importlib

from app.stages.descriptor import CommandAdder, FileKind, Stage  # noqa: F401 - the registry's vocabulary

# nav order; each module defines STAGE
STAGE_MODULES = ("app.stages.workbench", "app.stages.projects", "app.stages.targets", "app.stages.monitoring", "app.stages.self_eval",
                 "app.stages.key_eval", "app.stages.exante", "app.stages.rectification", "app.stages.results",
                 "app.stages.training", "app.stages.reported",
                 "app.stages.township", "app.stages.agencies", "app.stages.library",
                 "app.stages.base_data")


def all_stages() -> tuple[Stage, ...]:
    return tuple(importlib.import_module(name).STAGE for name in STAGE_MODULES)


def stage(key: str) -> Stage:
    for s in all_stages():
        if s.key == key:
            return s
    raise KeyError(key)


def file_kinds() -> dict[str, FileKind]:
    """Every stage's kinds, then the kinds of no one stage (export summary: the year's report)."""
    from app.stages.year_summary import KIND as SUMMARY

    return {kind.name: kind for kind in (*(k for s in all_stages() for k in s.kinds), SUMMARY)}
