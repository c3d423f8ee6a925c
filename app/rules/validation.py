"""Qt-free validation: rule objects return problems; forms show them next to the field, imports
name the cell (DESIGN.md §4, Picard's pattern)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field. `field` is the field's key (the form widget or the import
    column it belongs to); `message` is a Chinese sentence saying what is expected."""

    field: str
    message: str


@dataclass(frozen=True)
class CellProblem:
    """A bad cell in an imported workbook: where it is, and what was expected."""

    sheet: str
    row: int
    header: str
    expected: str
    actual: str = ""

    def message(self) -> str:
        shown = f"，实际为“{self.actual}”" if self.actual != "" else "，实际为空"
        return f"工作表「{self.sheet}」第{self.row}行「{self.header}」{self.expected}{shown}"


@dataclass
class Report:
    """What a validation found; empty means the input may be saved."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, field_key: str, message: str) -> None:
        self.problems.append(Problem(field_key, message))

    def extend(self, other: "Report") -> None:
        self.problems.extend(other.problems)

    @property
    def ok(self) -> bool:
        return not self.problems

    def for_field(self, field_key: str) -> list[str]:
        return [p.message for p in self.problems if p.field == field_key]

    def fields(self) -> set[str]:
        return {p.field for p in self.problems}


class RejectedError(Exception):
    """A change refused as a whole; `report` (or `cells`, for imports) says why, in Chinese."""

    def __init__(self, summary: str, report: Report | None = None, cells: list[CellProblem] | None = None):
        super().__init__(summary)
        self.summary = summary
        self.report = report or Report()
        self.cells = cells or []
