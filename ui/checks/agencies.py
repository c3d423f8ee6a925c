"""第三方机构: screenshots of the list, an institution's form on each tab (a contract added, the 执业
质量考核 scored) at 1366x768. The steps write into the screenshot script's throw-away demo copy."""

from __future__ import annotations

from pathlib import Path

from ui.checks.common import settle, snap

SCORES = {"基础管理": "19", "评价服务质量": "28", "档案管理": "14", "分支机构管理": "9", "资料完整性": "14", "报送及时性": "10"}


def screenshots(win, out: Path) -> None:
    from app.services import agencies as svc

    win.set_year(2023)
    page = win.show_page("agencies")
    settle()
    snap(win, out / "agencies_list.png")
    rows = page.model.rows()
    if not rows:
        return
    busy = max(range(len(rows)), key=lambda n: rows[n].works)
    agency_id = rows[busy].id
    if not svc.agency_view(win.ws, agency_id).contracts:
        svc.save_contract(win.ws, agency_id, {"name": "2023年度重点项目绩效评价服务", "amount": "28.6",
                                               "start": "2023-05-01", "finish": "2023-12-31",
                                               "scope": "1个部门整体支出和4个重点项目财政绩效评价（演示金额）"})
    settle()
    page.view.selectRow(next(n for n, r in enumerate(page.model.rows()) if r.id == agency_id))
    form = page.edit(page._selected())
    form.resize(1000, 640)
    for n, name in enumerate(("agency_form_basic", "agency_form_contracts", "agency_form_works")):
        form.tabs.setCurrentIndex(n)
        snap(form, out / f"{name}.png")
    form.tabs.setCurrentIndex(3)
    for aspect, score in SCORES.items():
        form.scores[aspect].setText(score)
    form.opinion.setPlainText("从基础管理、评价服务质量、档案管理、分支机构管理、资料完整性、报送及时性六个方面综合评价。")
    snap(form, out / "agency_form_assessment.png")
    form.done(0)
    settle()
