"""Grades from scores, by the rule pack's bands (lower bound included)."""

from __future__ import annotations

from decimal import Decimal
from typing import Sequence


def grade_for(score: Decimal, bands: Sequence[tuple[str, Decimal]]) -> str:
    """bands: (grade, lower bound) from best to worst, e.g. (优, 90), (良, 80), (中, 60), (差, 0)."""
    for grade, lower in bands:
        if score >= lower:
            return grade
    return bands[-1][0]


def grade_for_ratio(score: Decimal, points: Decimal, bands: Sequence[tuple[str, Decimal]]) -> str:
    """A dimension's grade: the same bands on score ÷ points, as a percentage (exact, no rounding)."""
    if points <= 0:
        raise ValueError("points must be positive")
    return grade_for(score * 100 / points, bands)
