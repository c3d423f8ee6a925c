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


def read_checked_rows(path, sheet: str, specs, check: Callable[[dict], tuple], make: Callable[[int, dict], Any],
                      job=None) -> tuple[list, list[CellProblem]]:
    """A one-sheet import read by its field specs (each with .label, .key, .required): every non-blank
    row's values checked by `check(values) → (values, report)` — a report's problems name their field
    —, each good row made by `make(row number, values)`; returns (good rows, every bad cell). 培训 and
    上报数 read this way."""
    from app.io.xlsx import read_table

    required = [s.label for s in specs if s.required]
    table = read_table(path, sheet=sheet, required=required,
                       optional=[s.label for s in specs if not s.required], job=job)
    key_of = {s.label: s.key for s in specs}
    label_of = {s.key: s.label for s in specs}
    parsed, problems = [], []
    for row_no, cells in table.rows:
        if all(F.is_blank(v) for v in cells.values()):
            continue
        values, report = check({key_of[h]: v for h, v in cells.items()})
        for p in report.problems:
            label = label_of[p.field]
            problems.append(CellProblem(table.sheet, row_no, label, p.message, F.as_text(cells.get(label))))
        if report.ok:
            parsed.append(make(row_no, values))
    return parsed, problems
