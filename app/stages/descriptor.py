"""What a stage descriptor holds (app.stages lists the stages; each app/stages/<stage>.py makes one)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

if TYPE_CHECKING:
    from app.services.workspace import Workspace


@dataclass(frozen=True)
class FileKind:
    """One `类别` of the command line: `template KIND`, `import KIND FILE`, `export KIND`,
    `review KIND`, `check KIND`. Each function gets the open workspace and the parsed arguments and returns
    the sentence (import, review) or the count (export) to print."""

    name: str  # the word typed: projects, targets, …
    label: str  # what a count is of, in a sentence: 项目, 绩效目标, …
    help: str  # projects：项目清单
    template: Optional[Callable[[str], None]] = None  # write the import template to a path
    do_import: Optional[Callable[["Workspace", argparse.Namespace], str]] = None
    do_export: Optional[Callable[["Workspace", argparse.Namespace], int]] = None
    do_review: Optional[Callable[["Workspace", argparse.Namespace], str]] = None
    do_check: Optional[Callable[["Workspace", argparse.Namespace], str]] = None  # `check KIND --year --out`
    by_year: bool = True  # export needs --year
    by_region: bool = False  # export takes --region CODE (args.region: one 区划's records; None: all)
    formats: tuple[str, ...] = ("xlsx", "pdf")


# An extra subcommand: given `add(name, help, func) -> ArgumentParser`, it adds its parser.
CommandAdder = Callable[[Callable[..., argparse.ArgumentParser]], None]


@dataclass(frozen=True)
class Stage:
    key: str  # the change-notification key (app.changes)
    title: str  # the navigation entry
    page: str  # "ui.pages.x_page:XPage", built with (PageContext, refresh_on)
    refresh_on: frozenset[str] = frozenset()  # stages whose changes this page shows
    kinds: tuple[FileKind, ...] = ()
    commands: tuple[CommandAdder, ...] = ()
    selftest: tuple[tuple[str, str], ...] = ()  # (what it proves, "module:function(state)")
    screenshots: tuple[str, ...] = ()  # "module:function(window, out_dir)"
    page_lazy: bool = True  # built on first view (the first window does not pay for it)
