"""项目 list: the import template and the xlsx / PDF export of the list's view rows
(app.services.projects.list_projects, or what the page shows). Reading a file is projects_import."""

from __future__ import annotations

from typing import Iterable, Optional

from app.domain.projects import PROJECT_FIELDS, REGION_FIELD, ProjectRow
from app.io.columns import Column
from app.io.projects_import import SHEET, TOTAL_MARK
from app.jobs import JobControl

# openpyxl and reportlab are imported where they are used: the main window opens without them.


def write_template(path) -> None:
    from app.domain.projects import CATEGORIES, FUND_TYPES
    from app.io.templates import YES_NO, TemplateSheet, finish_template
    from app.io.xlsx import XlsxWriter

    writer = XlsxWriter()
    columns = [Column(spec.label, "text") for spec in (*PROJECT_FIELDS, REGION_FIELD)]
    writer.add_table(SHEET, title="项目清单导入模板", unit_line="金额单位：万元", columns=columns, rows=[])
    example = "、".join(f"{spec.label}={value}" for spec, value in zip(PROJECT_FIELDS, TEMPLATE_EXAMPLE) if value)
    lines = ["填报说明", "", "1. 在“项目”工作表第3行表头下逐行填写，一行一个项目；请勿修改表头文字，列的先后可以调整。",
             "2. 标“（必填）”的列必须填写；金额单位为万元，最多保留6位小数（精确到分）。",
             "3. 主管部门、实施单位填“[编码]名称”，如[213001]钢城区城市管理局；系统中没有的部门会自动建立，导入结果会列出。",
             "4. 同一年度内项目编码不能重复；已存在的项目（年度+编码相同）将被更新。各乡镇的项目编码可以与本级或其他乡镇相同，"
             "这时请在“区划代码”列写明是哪个区划的项目（没有乡镇数据时不用填）。",
             "5. 文件中任何一个单元格有误，整个文件都不导入，并列出每个错误单元格（工作表、行号、列名、应填什么）。",
             "", f"填写示例：{example}", "", "各列说明："]
    lines += [f"{spec.label}{'（必填）' if spec.required else ''}：{spec.hint}" for spec in (*PROJECT_FIELDS, REGION_FIELD)]
    lines += ["", "其他说明：",
              "资金性质、项目类别、重点项目三列可从下拉列表中选择；金额列按数字填写，显示两位小数。",
              "金额列的表头写成“（元）”时（如“年初预算数（元）”），按元读入并换算为万元（最多保留2位小数）；"
              "表头不写单位时按万元读入。表头上方可以有标题行，表头须在前10行内。",
              "也可以导入Excel 97-2003格式（.xls，WPS默认格式）的文件。"]
    writer.add_text_sheet("填报说明", lines)
    writer.save(path)
    finish_template(path, [TemplateSheet(SHEET, choices={"资金性质": FUND_TYPES, "项目类别": CATEGORIES, "重点项目": YES_NO},
                                         money=[s.label for s in PROJECT_FIELDS if s.label.endswith("（万元）")])])


TEMPLATE_EXAMPLE = ["3701172023001", "城区环卫一体化保洁费", "2023", "[213001]钢城区城市管理局", "[213001]钢城区城市管理局",
                    "一般公共预算", "延续", "3201.18", "3201.18", "经建科", "3201.18", "0", "是", "", "2023-01", "2023-12"]


# -- export --------------------------------------------------------------------------------
# The export carries every field of the import, in the template's order, so it re-imports as is;
# a list holding townships' projects adds the file's 区划代码 column (so each goes back to its
# region) and, in the PDF, the 区划 by name.
_ROW_ATTR = {"initial_budget": "initial_fen", "annual_budget": "annual_fen", "fiscal": "fiscal_fen",
             "other": "other_fen"}
_KIND = {"year": "int", "is_key": "bool", "initial_budget": "money", "annual_budget": "money", "fiscal": "money",
         "other": "money"}
XLSX_COLUMNS = [(Column(spec.label, _KIND.get(spec.key, "text")), _ROW_ATTR.get(spec.key, spec.key))
                for spec in PROJECT_FIELDS]
REGION_COLUMNS = {"xlsx": [(Column(REGION_FIELD.label), "region_code")], "pdf": [(Column("区划"), "region")]}
PDF_COLUMNS = ["项目编码", "项目名称", "主管部门", "实施单位", "资金性质", "项目类别", "年初预算数（万元）", "全年预算数（万元）"]


def _table(rows: list[ProjectRow], headers: Optional[list[str]] = None, extra=()):
    chosen = [(c, attr) for c, attr in XLSX_COLUMNS if headers is None or c.header in headers]
    chosen = [*chosen, *extra] if headers is None else [*extra, *chosen]
    columns = [c for c, _ in chosen]
    body = ([getattr(r, attr) for _, attr in chosen] for r in rows)
    totals = [TOTAL_MARK if i == 0 else (sum(getattr(r, attr) for r in rows) if c.kind == "money" else None)
              for i, (c, attr) in enumerate(chosen)]
    return columns, body, totals


def render_projects(rows: Iterable[ProjectRow], year: int, fmt: str, path, job: Optional[JobControl] = None,
                    region: str = "", with_regions: bool = False) -> int:
    """Writes the rows (the year's list, or the page's filtered and sorted view) as the year's
    项目清单 in xlsx or pdf, with a 合计 line; `region` names the one region they are of in the
    title (青石镇: 2023年度项目清单（青石镇）), `with_regions` adds the 区划 columns (a county
    holding townships' projects). Returns the row count."""
    rows = list(rows)
    title = f"{year}年度项目清单" + (f"（{region}）" if region else "")
    # the 区划 code goes back in with a re-import; in print, one region's list has its name in the title
    extra = REGION_COLUMNS.get(fmt, []) if with_regions and (fmt == "xlsx" or not region) else []
    if fmt == "xlsx":
        from app.io.xlsx import XlsxWriter

        columns, body, totals = _table(rows, extra=extra)
        writer = XlsxWriter()
        writer.add_table(SHEET, title=title, unit_line="单位：万元", columns=columns,
                         rows=_with_total(body, totals), job=job, total=len(rows) + 1)
        writer.save(path)
    elif fmt == "pdf":
        from app.io.pdf import write_table_pdf

        columns, body, totals = _table(rows, PDF_COLUMNS, extra)
        write_table_pdf(path, title=title, unit_line="单位：万元", columns=columns,
                        rows=_with_total(body, totals), landscape=True, job=job, total=len(rows) + 1)
    else:
        raise ValueError(f"unknown format {fmt}")
    return len(rows)


def _with_total(body, totals):
    yield from body
    yield totals
