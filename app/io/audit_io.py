"""审计日志 as an xlsx: one sheet, newest first, the filters in the unit line. Every cell a user's
text reaches is written as text (app.io.xlsx: "=…" never becomes a formula)."""

from __future__ import annotations

from typing import Iterable

from app.io.columns import INT, Column
from app.io.xlsx import XlsxWriter

COLUMNS = [Column("序号", INT, width=7), Column("时间", width=20), Column("用户", width=12), Column("操作", width=10),
           Column("记录类型", width=12), Column("记录", width=60), Column("写入内容", width=60),
           Column("记录编号", width=38)]
SHEET = "审计日志"


def render_audit(entries: Iterable, path, *, filters: str = "全部记录", total: int = 0, job=None) -> int:
    """`entries`: the service's AuditEntry rows (at, user, action, entity, summary, values, uuid).
    Returns the number of rows written."""
    rows = ((n, f"{e.at:%Y-%m-%d %H:%M:%S}", e.user, e.action, e.entity, e.summary, e.values, e.uuid)
            for n, e in enumerate(entries, 1))
    writer = XlsxWriter()
    done = writer.add_table(SHEET, title="审计日志", unit_line=f"筛选：{filters}（最新的在前）", columns=COLUMNS,
                            rows=rows, job=job, total=total)
    writer.save(path)
    return done
