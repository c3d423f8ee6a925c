"""绩效目标申报表 for one target (项目支出 or 部门整体支出), laid out like the paper form: the header
block, the goals, the indicator table and the signature line (单位负责人 / 财务负责人 / 填报人 /
日期). Rendered from the service's view (app.services.target_reports.form_view): no database here."""

from __future__ import annotations

from app.domain.targets import DEPARTMENT, PROJECT, TargetFormView
from app.io.forms import FormContent, write_pdf, write_xlsx

TITLES = {PROJECT: "项目支出绩效目标申报表", DEPARTMENT: "部门整体支出绩效目标申报表"}
GRID_HEADERS = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位", "分值", "指标解释"]
GRID_WIDTHS = [0.07, 0.10, 0.23, 0.07, 0.10, 0.08, 0.06, 0.29]


def _content(view: TargetFormView) -> FormContent:
    return FormContent(TITLES[view.kind], f"（{view.year}年度）", list(view.fields), list(view.texts), GRID_HEADERS,
                       GRID_WIDTHS, [list(r) for r in view.rows], sheet="申报表")


def render_form_xlsx(view: TargetFormView, path) -> None:
    write_xlsx(_content(view), path)


def render_form_pdf(view: TargetFormView, path) -> None:
    write_pdf(_content(view), path)
