"""The rule pack (规则方案): every number the rules use, read from JSON, never constants in code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Any

from app.paths import resource_path
from app.rules.grades import grade_for, grade_for_ratio


@dataclass(frozen=True)
class RulePackData:
    name: str
    version: int
    content: dict[str, Any]

    @classmethod
    def from_json(cls, text: str) -> "RulePackData":
        data = json.loads(text)
        return cls(name=data["name"], version=int(data["version"]), content=data)

    def section(self, key: str) -> dict[str, Any]:
        return self.content.get(key, {})

    @property
    def grade_bands(self) -> list[tuple[str, Decimal]]:
        return [(band["grade"], Decimal(band["min"])) for band in self.content["grades"]]

    def grade(self, score: Decimal) -> str:
        return grade_for(score, self.grade_bands)

    def dimension_grade(self, score: Decimal, points: Decimal) -> str:
        return grade_for_ratio(score, points, self.grade_bands)


@lru_cache(maxsize=1)
def default_pack_text() -> str:
    """Read once: the target check asks for the default pack on every keystroke of the form."""
    return resource_path("rules", "default_pack.json").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def default_pack() -> RulePackData:
    """Shared and cached: callers copy what they change (content is a plain dict)."""
    return RulePackData.from_json(default_pack_text())
