"""`exchange conflicts`: what waits for a person after a merge, one row per field changed on both
sides — 区划, 数据类别, 记录 (its code and name), 字段, 本地值, 来件值, 来件文件 — rendered from the
service's rows (no database here)."""

from __future__ import annotations

from typing import Sequence

from app.io.columns import Column

COLUMNS = [Column("区划", width=22), Column("数据类别", width=12), Column("记录", width=40), Column("字段", width=16),
           Column("本地值", width=30), Column("来件值", width=30), Column("来件文件", width=32)]
NONE_WAITING = "没有等待处理的冲突。"


def render_conflicts(rows: Sequence, path) -> int:
    """The conflicts as an xlsx (user text stays text); returns how many rows."""
    from app.io.xlsx import NotesWriter

    writer = NotesWriter()
    writer.add_table("交换冲突", title="数据交换冲突（待处理）", unit_line="", columns=COLUMNS,
                     rows=[[r.region, r.kind, r.record, r.field, r.local_value, r.incoming_value, r.package_file]
                           for r in rows])
    if not rows:
        writer.add_lines_below([NONE_WAITING], len(COLUMNS), sum(c.width or 0 for c in COLUMNS))
    writer.save(path)
    return len(rows)
