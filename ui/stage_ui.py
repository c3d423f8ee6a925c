"""The ui half of the stage registry (app.stages): the descriptors name their page, self-test steps
and screenshot steps as "module:attribute" strings, resolved here (app/ never imports Qt)."""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtWidgets import QWidget

from app.stages import Stage
from ui.context import PageContext


def resolve(reference: str) -> Any:
    """"module:attribute" → the attribute."""
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)


def build_page(stage: Stage, ctx: PageContext) -> QWidget:
    return resolve(stage.page)(ctx, stage.refresh_on)
