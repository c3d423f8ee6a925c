"""项目支出绩效目标申报表 for one target, laid out like the paper form: the project block, the
goals, the indicator table and the signature line (单位负责人 / 财务负责人 / 填报人 / 日期)."""

from __future__ import annotations

from app.money import fmt_wan
from app.services import targets as svc
from app.services.workspace import Workspace

TITLES = {svc.PROJECT: "项目支出绩效目标申报表", svc.DEPARTMENT: "部门整体支出绩效目标申报表"}
GRID_HEADERS = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位", "分值", "指标解释"]
SIGNATURES = "单位负责人：__________    财务负责人：__________    填报人：__________    填报日期：______年___月___日"


def form_content(ws: Workspace, draft: svc.TargetDraft) -> dict:
    """Everything the form prints, as text (shared by the xlsx and the PDF): pairs of header fields,
    full-width text blocks, and the indicator rows."""
    if draft.kind == svc.DEPARTMENT:
        from app.services.base_data import department_values

        dept = department_values(ws, draft.department_id)
        fields = [("部门（单位）名称", dept["name"]), ("预算编码", dept["code"]),
                  ("年度资金总额（万元）", fmt_wan(draft.funds_fen)), ("年度", str(draft.year))]
        tasks = "\n".join(f"{n}. {t.content}" + (f"（预算数{t.budget}万元）" if t.budget else "")
                          for n, t in enumerate(draft.tasks, 1))
        texts = [("部门职能", draft.functions), ("年度主要任务", tasks), ("整体目标", draft.overall_goal),
                 ("年度目标", draft.annual_goal)]
    else:
        from app.services.projects import form_values

        project = form_values(ws, draft.project_id)
        fields = [("项目名称", project["name"]), ("项目编码", project["code"]),
                  ("主管部门", project["department"]), ("实施单位", project["unit"]),
                  ("项目类别", project["category"]), ("资金性质", project["fund_type"]),
                  ("年度资金总额（万元）", fmt_wan(draft.funds_fen)), ("其中：财政拨款（万元）", fmt_wan(_fen(project["fiscal"]))),
                  ("其他资金（万元）", fmt_wan(_fen(project["other"]))),
                  ("项目期限", f"{project['period_start']}至{project['period_end']}")]
        texts = [("总体目标", draft.overall_goal), ("年度目标", draft.annual_goal)]
    rows = [[i.level1, i.level2, i.level3, i.direction, i.value, i.unit, i.points, i.explanation] for i in draft.indicators]
    return {"title": TITLES[draft.kind], "year": draft.year, "status": draft.status, "fields": fields,
            "texts": texts, "rows": rows}


def _fen(wan_text: str) -> int:
    from app.money import fen_from_wan

    return fen_from_wan(wan_text or "0")


# -- xlsx ------------------------------------------------------------------------------------------
def write_form_xlsx(ws: Workspace, draft: svc.TargetDraft, path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    from app.io.xlsx import atomic_output

    c = form_content(ws, draft)
    wb = Workbook()
    sheet = wb.active
    sheet.title = "申报表"
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")

    def put(row: int, col: int, value, bold: bool = False, merge_to: int = 0) -> None:
        cell = sheet.cell(row=row, column=col)
        cell.value = "" if value is None else str(value)
        cell.data_type = "s"  # user text is text, never a formula
        cell.alignment, cell.border = wrap, box
        if bold:
            cell.font = Font(bold=True)
        if merge_to:
            sheet.merge_cells(start_row=row, start_column=col, end_row=row, end_column=merge_to)

    sheet.merge_cells("A1:H1")
    sheet["A1"] = c["title"]
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells("A2:H2")
    sheet["A2"] = f"（{c['year']}年度）"
    sheet["A2"].alignment = Alignment(horizontal="center")
    row = 3
    for n in range(0, len(c["fields"]), 2):
        (l1, v1), (l2, v2) = c["fields"][n], c["fields"][n + 1]
        put(row, 1, l1, True, 2)
        put(row, 3, v1, merge_to=4)
        put(row, 5, l2, True, 6)
        put(row, 7, v2, merge_to=8)
        row += 1
    for label, text in c["texts"]:
        put(row, 1, label, True, 2)
        put(row, 3, text, merge_to=8)
        sheet.row_dimensions[row].height = 48
        row += 1
    for col, header in enumerate(GRID_HEADERS, 1):
        put(row, col, header, True)
    row += 1
    for grid_row in c["rows"]:
        for col, value in enumerate(grid_row, 1):
            put(row, col, value)
        row += 1
    sheet.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=8)
    sheet.cell(row=row + 1, column=1).value = SIGNATURES
    for col, width in zip("ABCDEFGH", (10, 12, 30, 8, 12, 10, 8, 30)):
        sheet.column_dimensions[col].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    with atomic_output(path) as tmp:
        wb.save(tmp)


# -- pdf -------------------------------------------------------------------------------------------
def write_form_pdf(ws: Workspace, draft: svc.TargetDraft, path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import LongTable, SimpleDocTemplate, Spacer, TableStyle

    from app.io import pdf

    pdf.register_font()
    c = form_content(ws, draft)
    cell, head = pdf._CELL, pdf._HEADER
    p = lambda text, style=cell: pdf._para(str(text or ""), style)  # noqa: E731
    pagesize = landscape(A4)
    avail = pagesize[0] - 2 * pdf.MARGIN
    info = []
    for n in range(0, len(c["fields"]), 2):
        (l1, v1), (l2, v2) = c["fields"][n], c["fields"][n + 1]
        info.append([p(l1, head), p(v1), p(l2, head), p(v2)])
    for label, text in c["texts"]:
        info.append([p(label, head), p(text), "", ""])
    block = LongTable(info, colWidths=[avail * 0.15, avail * 0.35, avail * 0.15, avail * 0.35])
    block.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F2F2")),
        ("BACKGROUND", (2, 0), (2, -len(c["texts"]) - 1), colors.HexColor("#F2F2F2")),
        *[("SPAN", (1, n), (3, n)) for n in range(len(info) - len(c["texts"]), len(info))],
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    widths = [0.07, 0.10, 0.23, 0.07, 0.10, 0.08, 0.06, 0.29]
    grid = LongTable([[p(h, head) for h in GRID_HEADERS]] + [[p(v) for v in r] for r in c["rows"]],
                     colWidths=[avail * w for w in widths], repeatRows=1)
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E1F2")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story = [p(c["title"], pdf._TITLE), p(f"（{c['year']}年度）", head), Spacer(1, 4), block, Spacer(1, 6), grid,
             Spacer(1, 14), p(SIGNATURES)]

    def build(out) -> None:
        doc = SimpleDocTemplate(out, pagesize=pagesize, leftMargin=pdf.MARGIN, rightMargin=pdf.MARGIN,
                                topMargin=pdf.MARGIN, bottomMargin=pdf.MARGIN + 12, title=c["title"], creator="perfdesk")
        doc.build(story, canvasmaker=pdf.footer_canvas())

    pdf.write_out(path, build)
