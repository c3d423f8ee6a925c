"""`export township`: the year's 乡镇预算绩效管理工作考核表 rendered from the service's view (no database).

The table as a county office prints it — 名次, 乡镇, each item's 得分 with its points in the header,
总分, 等级 (and the latest 财政运行综合绩效评价 for reference when a township has one) — then the
计分依据: each township's figures per item (分值, 分子, 分母, 比率, 得分, 自动 or 手工, and 说明: what cost
points, 未申报：… / 逾期报送：… — or the hand score's reason) and every item's 口径 with the due dates
counted against. xlsx: two sheets; PDF: the table on the first page, the 计分依据 after a page break.
The page shows the same columns and lines (columns, table_rows, basis_rows; dates_line under its heading)."""

from __future__ import annotations

from app.domain.township_assessment import Measure, TownshipTable
from app.io.columns import INT, RATE, SCORE, Column
from app.rules.scoring_tree import fmt

TABLE_SHEET, BASIS_SHEET = "考核表", "计分依据"
FISCAL_EVAL = "财政运行综合绩效评价"
NO_TOWNSHIPS = "本县还没有乡镇"


def title(table: TownshipTable) -> str:
    return f"{table.year}年度乡镇预算绩效管理工作考核表"


def basis_title(table: TownshipTable) -> str:
    return f"{table.year}年度乡镇预算绩效管理工作考核计分依据"


def unit_line(table: TownshipTable) -> str:
    return f"统计日期：{table.at.isoformat()}　满分{fmt(table.full)}分　{pack_words(table)}"


def pack_words(table: TownshipTable) -> str:
    """按规则方案第2版计分: the version the table counted with (hand scores given under another say their own)."""
    return f"按规则方案第{table.pack_version}版计分"


def hand_words(table: TownshipTable, m: Measure) -> str:
    """手工评分（按规则方案第1版评分）：乡镇以纸质材料报送 — the version only when it is not the table's."""
    if m.hand is None:
        return ""
    other = m.hand_version is not None and m.hand_version != table.pack_version
    said = "手工评分" + (f"（按规则方案第{m.hand_version}版评分）" if other else "")
    return f"{said}：{m.note}" if m.note else said if other else ""


def item_header(name: str, points) -> str:
    return f"{name}得分（{fmt(points)}分）"


def columns(table: TownshipTable) -> list[Column]:
    cols = [Column("名次", INT, width=6), Column("乡镇", width=12)]
    cols += [Column(item_header(i.name, i.points), SCORE, width=max(12, 2 * len(i.name) + 4)) for i in table.items]
    cols += [Column(f"总分（{fmt(table.full)}分）", SCORE, width=10), Column("等级", width=6)]
    if table.show_fiscal_eval:
        cols.append(Column(FISCAL_EVAL, width=14))
    return cols


def table_rows(table: TownshipTable) -> list[list]:
    rows = []
    for r in table.rows:
        line = [r.rank, r.name, *(m.score for m in r.measures), r.total, r.grade]
        rows.append(line + [r.fiscal_eval or None] if table.show_fiscal_eval else line)
    return rows


BASIS_COLUMNS = [Column("乡镇", width=14), Column("考核项目", width=16), Column("分值", INT, width=6),
                 Column("分子", INT, width=7), Column("分母", INT, width=7), Column("比率", RATE, width=9),
                 Column("得分", SCORE, width=8), Column("评分方式", width=8), Column("说明", width=36)]


def basis_rows(table: TownshipTable, code: str | None = None) -> list[list]:
    """A line per township and item (only the township `code` when given)."""
    lines = []
    for r in table.rows:
        if code is not None and r.code != code:
            continue
        for m in r.measures:
            said = "；".join(t for t in (m.reason, hand_words(table, m),
                                         "未评分" if m.unscored else "") if t)
            lines.append([r.name, m.item, points_cell(m.points), m.numerator, m.denominator, m.rate, m.score, m.way,
                          said or None])
    return lines


def points_cell(points):
    """分值 as the headers say it: 20, not 20.00 — a whole number stays a number (Excel can add it up),
    12.5 is written as it reads (the column is right-aligned either way)."""
    return int(points) if points == points.to_integral_value() else fmt(points)


def _short(package: str) -> str:
    return package.removesuffix("数据包") or package


def dates_line(table: TownshipTable) -> str:
    """The dates the table counts against: 数据包报送期限：年中2023-09-15，年度2024-04-30　监控报送截止：1-8月2023-09-15."""
    said = []
    if table.dues:
        said.append("数据包报送期限：" + "，".join(f"{_short(name)}{day.isoformat()}" for name, day in table.dues))
    if table.rounds:
        said.append("监控报送截止：" + _round_dates(table))
    return "　".join(said)


def _round_dates(table: TownshipTable) -> str:
    """1-8月2023-09-15，1-11月未设: each monitoring round of the year with its 报送截止日期."""
    return "，".join(f"{name}{day.isoformat() if day else '未设'}" for name, day in table.rounds)


def grade_words(bands) -> str:
    """优≥90，良≥80，中≥60，差低于60 (bands best first; the last one's lower bound 0 said as below the one above)."""
    said = [f"{grade}≥{fmt(low)}" for grade, low in bands if low > 0]
    if len(bands) > 1 and bands[-1][1] <= 0:
        said.append(f"{bands[-1][0]}低于{fmt(bands[-2][1])}")
    return "，".join(said)


def meaning_lines(table: TownshipTable) -> list[str]:
    """Each item's 口径, how the table is scored, the grade bands and the packages' due dates."""
    lines = [f"{i.name}（{fmt(i.points)}分，{i.source_label}）：{i.meaning or '由绩效科评分。'}" for i in table.items]
    said = dict(table.meanings)
    if said.get("section"):
        lines.append(said["section"])
    if table.bands:
        lines.append(f"等级（总分占满分的百分比）：{grade_words(table.bands)}。")
    if table.dues:
        lines.append("上报数据包报送期限：" + "，".join(f"{name}{day.isoformat()}" for name, day in table.dues) + "。")
    if table.rounds:
        lines.append(f"运行监控报送截止日期：{_round_dates(table)}。")
    return ["计分口径："] + lines


def render_xlsx(table: TownshipTable, path) -> int:
    """The table on sheet 考核表, the figures and 口径 on sheet 计分依据; returns the number of townships."""
    from app.io.xlsx import NotesWriter

    writer = NotesWriter()
    cols = columns(table)
    writer.add_table(TABLE_SHEET, title=title(table), unit_line=unit_line(table), columns=cols, rows=table_rows(table))
    if table.empty:
        writer.add_lines_below([f"{NO_TOWNSHIPS}。"], len(cols), sum(c.width or 0 for c in cols))
    writer.add_table(BASIS_SHEET, title=basis_title(table), unit_line=unit_line(table), columns=BASIS_COLUMNS,
                     rows=basis_rows(table))
    writer.add_lines_below(meaning_lines(table), len(BASIS_COLUMNS), sum(c.width or 0 for c in BASIS_COLUMNS))
    writer.save(path)
    return len(table.rows)


def render_pdf(table: TownshipTable, path) -> int:
    """The table (A4 landscape), then on a new page the 计分依据 and the 口径; returns the number of townships."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import PageBreak, Spacer

    from app.io import pdf
    from app.io.key_eval_summary_pdf import grid

    pdf.register_font()
    avail = landscape(A4)[0] - 2 * pdf.MARGIN
    basis = [PageBreak(), pdf._para(basis_title(table), pdf._TITLE), pdf._para(unit_line(table), pdf._UNIT),
             grid(BASIS_COLUMNS, basis_rows(table), avail), Spacer(1, 6)]
    basis += [pdf._para(line, pdf._NOTE) for line in meaning_lines(table)]
    pdf.write_table_pdf(path, title=title(table), unit_line=unit_line(table), columns=columns(table),
                        rows=table_rows(table), landscape=True,
                        notes=[f"{NO_TOWNSHIPS}。"] if table.empty else [], figures=basis)
    return len(table.rows)
