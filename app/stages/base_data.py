"""基础数据: 区划 → 部门 → 单位 and the 归口科室."""

from __future__ import annotations

from app.stages.descriptor import Stage

STAGE = Stage(
    key="base_data", title="基础数据", page="ui.pages.base_data_page:BaseDataPage", refresh_on=frozenset({"base_data"}),
    screenshots=("ui.checks.base_data:screenshots",),
)
