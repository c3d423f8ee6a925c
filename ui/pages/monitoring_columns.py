"""The 运行监控 page's tables: the round's projects (a coloured dot and the word for the light),
the summary by 主管部门, its 按区划 lines, and the year-end projection with the key candidates."""

from __future__ import annotations

from app.rules import monitoring as rules
from ui.models.row_table import ModelColumn

DOTS = ((rules.RED, "#E53935"), (rules.YELLOW, "#FBC02D"), (rules.GREEN, "#43A047"), (rules.NOT_FILLED, "#BDBDBD"))
COLUMNS = [ModelColumn("预警", "light", width=70, dots=DOTS, sort_attr="light_order"),
           ModelColumn("区划", "region", width=70),  # hidden unless the county holds townships' records
           ModelColumn("项目编码", "code", width=120),
           ModelColumn("项目名称", "name", width=250), ModelColumn("主管部门", "department", width=170),
           ModelColumn("全年预算数（万元）", "budget_fen", "money", width=100),
           ModelColumn("截至执行数（万元）", "executed_fen", "money", width=100),
           ModelColumn("执行率", "rate", "rate", width=70), ModelColumn("偏差（百分点）", "deviation", "points", width=80),
           ModelColumn("绩效目标", "target_state", width=80), ModelColumn("未达目标指标", "missed", "int", width=70),
           ModelColumn("填报状态", "status", width=70), ModelColumn("填报后变更", "changed_since", width=220)]
_TOTALS = [ModelColumn("项目数", "projects", "int", width=50),
           ModelColumn("全年预算数（万元）", "budget_fen", "money", width=92),
           ModelColumn("已填报预算数（万元）", "filled_budget_fen", "money", width=92),
           ModelColumn("截至执行数（万元）", "reported_fen", "money", width=92),
           ModelColumn("执行率", "rate", "rate", width=66), ModelColumn("红灯", "red", "int", width=42),
           ModelColumn("黄灯", "yellow", "int", width=42), ModelColumn("绿灯", "green", "int", width=42)]
DEPT_COLUMNS = [ModelColumn("主管部门", "department", width=170), *_TOTALS]
REGION_COLUMNS = [ModelColumn("区划", "department", width=170), *_TOTALS]  # the summary's lines by region
PROJECTION_COLUMNS = [ModelColumn("项目编码", "code", width=120), ModelColumn("项目名称", "name", width=250),
                      ModelColumn("全年预算数（万元）", "budget_fen", "money", width=100),
                      ModelColumn("预计年末执行率", "year_end_rate", "rate", width=100),
                      ModelColumn("建议可调减（万元）", "cut_fen", "money", width=110),
                      ModelColumn("重点监控候选理由", "reason_text", width=300), ModelColumn("已定为重点监控", "key", width=100)]
