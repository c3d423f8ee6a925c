"""重点评价: screenshots of the page on the demo year 2023, the 净水厂 evaluation (德惠's 15/15/50/20
dimension table), a new evaluation on the 德惠 preset part-scored (a deduction still without its
reason, so a need shows), and the form's second tab, at 1366x768."""

from __future__ import annotations

from pathlib import Path

from ui.checks.common import settle, snap


def _open(page, row: int):
    page.open_evaluation(row)
    settle()
    return page.form


def screenshots(win, out: Path) -> None:
    win.set_year(2023)
    page = win.show_page("key_eval")
    settle()
    snap(win, out / "key_eval_list.png")
    rows = page.model.rows()
    water = next((n for n, r in enumerate(rows) if "净水厂" in r.object_name), 0 if rows else None)
    if water is not None:
        form = _open(page, water)
        form.resize(1320, 700)
        snap(form, out / "key_eval_form.png")
        form.tabs.setCurrentIndex(1)
        snap(form, out / "key_eval_form_texts.png")
        form.done(0)
    from app.services import key_eval as svc
    from ui.dialogs.key_eval_form import KeyEvalForm

    draft = svc.new_evaluation(win.ws, 2023, "政策", object_name="城乡居民基本养老保险政策")
    form = KeyEvalForm(win.ws, svc.with_preset(win.ws, draft, "德惠 15/15/50/20"), page)
    form.resize(1320, 700)
    model = form.model
    for n, line in enumerate(model.lines):  # every leaf at full points, two below (one reason typed)
        score = line.points
        if n in (1, 4):
            score = str(max(int(float(line.points)) - 1, 0))
        model.setData(model.index(n, model.column_of("score")), score)
    model.setData(model.index(1, model.column_of("deduction")), "立项程序缺少专家论证环节")
    snap(form, out / "key_eval_new.png")
    form.done(0)  # the screenshot's typing is not kept
