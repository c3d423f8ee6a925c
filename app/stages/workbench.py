"""工作台: the page the program opens on — what waits on the user today (app.services.todo, the
`todo` command's lines), counts beside the navigation entries, and the year at a glance in charts
(from app.services.year_report.figures and the stages' lists). No files of its own to import or
export; its charts are exported as PNG from the page."""

from __future__ import annotations

from app.stages.descriptor import Stage

# every change a waiting line or a chart may follow (the change-notification keys)
WATCHED = frozenset({"projects", "targets", "monitoring", "self_eval", "key_eval", "exante", "rectification",
                     "results", "training", "reported", "township", "exchange", "base_data"})

STAGE = Stage(key="workbench", title="工作台", page="ui.pages.workbench_page:WorkbenchPage", refresh_on=WATCHED,
              page_lazy=False, screenshots=("ui.checks.workbench:screenshots",))
