"""What makes an import template easy to fill: a drop-down list (data validation) on every
closed column, money columns formatted as numbers with two decimals. Applied to the workbook
XlsxWriter wrote (templates are small: it is opened, finished and saved again atomically)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

MONEY_FORMAT = "#,##0.00"
YES_NO = ("是", "否")
LIST_ROWS = 5000  # rows below the header that carry the drop-downs
_MAX_LIST = 255  # Excel's limit on an inline list ("a,b,c")


@dataclass(frozen=True)
class TemplateSheet:
    """One table sheet of a template: `choices` header → the closed list (a stop on anything
    else), `suggestions` header → a list offered but not enforced (a county may use its own
    words, e.g. 二级指标), `money` the headers holding 万元 amounts."""

    name: str
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)
    suggestions: Mapping[str, Sequence[str]] = field(default_factory=dict)
    money: Sequence[str] = ()


def _validation(header: str, options: Sequence[str], strict: bool):
    from openpyxl.worksheet.datavalidation import DataValidation

    formula = '"' + ",".join(options) + '"'
    if len(formula) > _MAX_LIST or any("," in o or '"' in o for o in options):
        raise ValueError(f"drop-down list for {header} cannot be inline: {options}")
    listed = "、".join(options)
    return DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                          showErrorMessage=True, errorStyle="stop" if strict else "information",
                          errorTitle=header, error=f"「{header}」应为{listed}之一，请从下拉列表中选择。" if strict
                          else f"「{header}」常用的有{listed}，也可以填写其他内容。",
                          showInputMessage=True, promptTitle=header, prompt=f"请从下拉列表中选择：{listed}"[:255])


def finish_template(path, sheets: Sequence[TemplateSheet]) -> None:
    """Adds the drop-downs and money formats to the template at `path` (header on row 3)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from app.io.xlsx import HEADER_ROW, atomic_output

    wb = load_workbook(path)
    for spec in sheets:
        ws = wb[spec.name]
        column = {cell.value: get_column_letter(cell.column) for cell in ws[HEADER_ROW] if cell.value}
        first, last = HEADER_ROW + 1, HEADER_ROW + LIST_ROWS
        for strict, lists in ((True, spec.choices), (False, spec.suggestions)):
            for header, options in lists.items():
                dv = _validation(header, options, strict)
                dv.add(f"{column[header]}{first}:{column[header]}{last}")
                ws.add_data_validation(dv)
        for header in spec.money:
            letter = column[header]
            ws.column_dimensions[letter].number_format = MONEY_FORMAT
            for row in ws.iter_rows(min_row=first, min_col=ws[f"{letter}1"].column, max_col=ws[f"{letter}1"].column):
                for cell in row:
                    cell.number_format = MONEY_FORMAT
    with atomic_output(path) as tmp:
        wb.save(tmp)
