"""项目支出绩效目标申报表 for one target, laid out like the paper form: the project block, the
goals, the indicator table and the signature line (单位负责人 / 财务负责人 / 填报人 / 日期)."""

from __future__ import annotations

from app.io.forms import FormContent, write_pdf, write_xlsx
from app.money import fmt_wan
from app.services import targets as svc
from app.services.workspace import Workspace

TITLES = {svc.PROJECT: "项目支出绩效目标申报表", svc.DEPARTMENT: "部门整体支出绩效目标申报表"}
GRID_HEADERS = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位", "分值", "指标解释"]


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


def _content(ws: Workspace, draft: svc.TargetDraft) -> FormContent:
    c = form_content(ws, draft)
    return FormContent(c["title"], f"（{c['year']}年度）", c["fields"], c["texts"], GRID_HEADERS,
                       [0.07, 0.10, 0.23, 0.07, 0.10, 0.08, 0.06, 0.29], c["rows"], sheet="申报表")


def write_form_xlsx(ws: Workspace, draft: svc.TargetDraft, path) -> None:
    write_xlsx(_content(ws, draft), path)


def write_form_pdf(ws: Workspace, draft: svc.TargetDraft, path) -> None:
    write_pdf(_content(ws, draft), path)
