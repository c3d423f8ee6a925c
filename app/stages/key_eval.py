"""重点评价: evaluations of projects, departments, policies and townships on weighted scoring trees,
the year's 附件 tables, the 报告摘要, and the check over printed reports."""

from __future__ import annotations

from app.stages.descriptor import Stage

STAGE = Stage(
    key="key_eval", title="重点评价", page="ui.pages.key_eval_page:KeyEvalPage",
    refresh_on=frozenset({"key_eval", "projects", "base_data", "agencies", "rectification"}),
    screenshots=("ui.checks.key_eval:screenshots",),
)
