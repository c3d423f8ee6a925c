"""绩效目标: screenshots."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ui.checks.common import settle, snap


def _open(page, row: int):
    """The row's target form, once its target is read in the background."""
    page.open_target(row)
    settle()
    return page.form


def _row_of(page, project_id: int) -> int:
    return next(i for i in range(page.model.rowCount()) if page.model.row_at(i).project_id == project_id)


def screenshots(win, out: Path) -> None:
    """The 2023 list, a project target part-filled (findings showing), the picker, a reopened
    target's versions, and the department list and form."""
    from dataclasses import replace

    from app.domain.targets import IndicatorDraft, TaskDraft
    from app.services import targets

    win.set_year(2023)
    page = win.show_targets()
    snap(win, out / "main_targets.png")
    # the demo's targets are in every state: type into one no one has started
    home = win.ws.home_region()  # a county project (a township's is far smaller than the 50万 cost line below)
    blank = next(page.model.row_at(i).project_id for i in range(page.model.rowCount())
                 if page.model.row_at(i).status == targets.NOT_STARTED and page.model.row_at(i).region_code == home)
    form = _open(page, _row_of(page, blank))
    form.resize(1300, 700)
    rows = [IndicatorDraft("产出", "数量", "城区道路清扫保洁面积", "≥", "320", "万平方米", "20", "按合同面积计", "300"),
            IndicatorDraft("产出", "质量", "保洁质量", "定性", "明显提高", "", "20"),
            IndicatorDraft("产出", "时效", "垃圾日产日清率", "=", "100", "%", "20"),
            IndicatorDraft("效益", "社会效益", "环境卫生投诉办结率", "≥", "98", "%", "20"),
            IndicatorDraft("满意度", "服务对象满意度", "居民满意度", "≥", "90", "%", "20")]
    form.show_draft(replace(form.draft, annual_goal="完成全年既定目标", indicators=rows))
    snap(form, out / "target_form.png")
    picker = form.pick_from_library()
    picker.browser.choose_branch("城乡社区", "产出", "数量")
    snap(picker, out / "library_picker.png")
    picker.close()
    form.close()
    ws = win.ws
    draft = targets.open_target(ws, blank)
    goal = "全年完成城区320万平方米道路清扫保洁和公厕运行，垃圾日产日清，保洁考核达标率95%以上，居民满意度90%以上。"
    good = [replace(r, value=v) for r, v in zip(rows, ["320", "95", "100", "98", "90"])]
    good[1] = replace(good[1], level3="保洁质量考核达标率", direction="≥", unit="%")
    good.append(IndicatorDraft("产出", "成本", "保洁服务合同金额", "≤", "50", "万元", "0"))
    draft = targets.submit(ws, replace(draft, annual_goal=goal, indicators=good))
    draft = targets.review(ws, draft, {k: Decimal(90) for k in ("完整性", "相关性", "合理性", "可衡量性")}, True, "同意")
    draft = targets.approve(ws, draft)
    targets.reopen(ws, draft, "年中追加预算，调整保洁面积")
    settle()  # the page reads the list again on the change notification
    reopened = _open(page, _row_of(page, blank))
    reopened.resize(1300, 700)
    versions = reopened.open_versions()
    snap(versions, out / "target_versions.png")
    versions.close()
    reopened.close()
    page.kind.setCurrentText("部门整体支出")
    snap(win, out / "main_targets_departments.png")
    dept = _open(page, 0)
    dept.resize(1300, 700)
    dept.functions.setPlainText("负责城区市容环境卫生、城市道路和公共设施的管理与维护。")
    for task in (TaskDraft("城区环卫一体化保洁", "3201.18"), TaskDraft("路灯及公厕运行维护", "1350.93")):
        dept.add_task(task)
    dept.model.append(good[:4])
    snap(dept, out / "department_form.png")
    dept.done(0)  # the screenshot's typing is not kept (close() would ask whether to save it)
    page.kind.setCurrentText("项目支出")
