"""Reading an import sheet's cells: a cell as the text the user sees, and one sheet's cells turned
into values with every bad cell noted (the import names them all, then lands nothing)."""

from __future__ import annotations

from typing import Any, Callable

from app.rules import fields as F
from app.rules.validation import CellProblem


def cell_text(raw: Any) -> str:
    """A cell as the text the user sees: Excel's 0.985000000001 float noise rounded to 15 digits."""
    if raw.__class__ is float:
        return format(raw, ".15g")
    return F.as_text(raw)


class SheetCells:
    """One sheet's cells turned into values, each bad cell noted as a CellProblem; `row` is the
    sheet row being read."""

    def __init__(self, sheet: str, problems: list[CellProblem]):
        self.sheet, self.problems = sheet, problems
        self.row = 0

    def bad(self, header: str, expected: str, raw: Any) -> None:
        self.problems.append(CellProblem(self.sheet, self.row, header, expected, cell_text(raw)))

    def parse(self, cells: dict, header: str, parser: Callable[[Any], Any]) -> Any:
        """The cell parsed, or None with the cell noted when the parser refuses it (FieldInvalid)."""
        raw = cells.get(header)
        try:
            return parser(raw)
        except F.FieldInvalid as exc:
            self.bad(header, exc.expected, raw)
            return None
