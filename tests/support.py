"""Data and helpers the tests share (not a test module, not fixtures): a valid project's form
text, a user-filled sheet, a good indicator grid, a library row. Fixtures are in conftest.py."""

from __future__ import annotations

from decimal import Decimal

from app.domain.targets import IndicatorDraft

def project_raw(**overrides) -> dict:
    """Form text for a valid project; override any field (the 实施期 follows an overridden 年度)."""
    year = overrides.get("year", "2023")
    raw = {
        "code": "3701172023001", "name": "城区环卫一体化保洁费", "year": "2023",
        "department": "[213001]钢城区城市管理局", "unit": "[213001]钢城区城市管理局",
        "fund_type": "一般公共预算", "category": "延续", "initial_budget": "3201.18", "annual_budget": "3201.18",
        "office": "经建科", "fiscal": "", "other": "", "is_key": "是", "parent_code": "",
        "period_start": f"{year}-01", "period_end": f"{year}-12",
    }
    raw.update(overrides)
    return raw


def write_sheet(path, title: str, headers: list, rows: list):
    """A one-sheet workbook as a user would fill it: header on row 1, then the rows."""
    import openpyxl

    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    wb.save(path)
    return path


GOOD_ROWS = [
    IndicatorDraft("产出", "数量", "城区道路清扫保洁面积", "≥", "320", "万平方米", "20", last_year="300"),
    IndicatorDraft("产出", "质量", "道路保洁质量考核达标率", "≥", "95", "%", "15"),
    IndicatorDraft("产出", "时效", "垃圾日产日清率", "=", "100", "%", "15"),
    IndicatorDraft("产出", "成本", "保洁服务合同金额", "≤", "3201.18", "万元", "10"),
    IndicatorDraft("效益", "社会效益", "城区环境卫生群众投诉办结率", "≥", "98", "%", "20"),
    IndicatorDraft("满意度", "服务对象满意度", "城区居民对环境卫生满意度", "≥", "90", "%", "20"),
]
GOAL = "全年完成城区及莱钢大道320万平方米道路清扫保洁和公厕运行，垃圾日产日清，保洁考核达标率95%以上，居民满意度90%以上。"
SCORES = {"完整性": Decimal(90), "相关性": Decimal(85), "合理性": Decimal(80), "可衡量性": Decimal(88)}
LIBRARY_ROW = ["CJ-JY-001", "教育", "项目", "产出", "数量", "资助家庭经济困难学生人数", "≥", "人", "1200", "历史",
       "当年资助的建档立卡等家庭经济困难学生人数", "按资助系统名单统计", "澄江县指标库"]


def rows_by_code(ws, round_id):
    """A monitoring round's table by 项目编码."""
    from app.services import monitoring as mon

    return {r.code: r for r in mon.round_rows(ws, round_id)}


class Answers:
    """What the user answers: each step's confirmation (yes), 保存 / 不保存 / 取消 on closing, the
    退回 reason; every question kept in `asked`, every warning shown in `told`."""

    def __init__(self):
        self.asked, self.told, self.reason, self.unsaved, self.opinion = [], [], "", "discard", ""

    def confirm_step(self, parent, title, sentence):
        self.asked.append(title)
        return True

    def ask_unsaved(self, parent, what):
        self.asked.append("尚未保存")
        return self.unsaved


def install_answers(monkeypatch) -> "Answers":
    """The 自评表 form's questions answered as `Answers` says (Qt parts imported only here)."""
    from PySide6.QtWidgets import QMessageBox

    from ui import messages
    from ui.dialogs import self_eval_parts as parts

    given = Answers()
    monkeypatch.setattr(messages, "confirm_step", given.confirm_step)
    monkeypatch.setattr(messages, "ask_unsaved", given.ask_unsaved)
    monkeypatch.setattr(parts, "ask_reason", lambda parent, title, label: given.reason)
    monkeypatch.setattr(parts, "ask_opinion", lambda parent: given.opinion)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: given.told.append(text))
    return given


DEMO_PROJECTS = 101  # the demo county's projects, all years


def run_cli(home, *args: str, input: str | None = None, env: dict[str, str] | None = None):
    """The real command line in a subprocess with its own data folder; no run may show a traceback.
    `input`: what is piped to its standard input (else none: never the terminal); `env`: variables
    to add (PERFDESK_PASSWORD for --user)."""
    import os
    import re
    import subprocess
    import sys
    from pathlib import Path

    base = {k: v for k, v in os.environ.items() if k not in ("PERFDESK_DB", "PERFDESK_PASSWORD")}
    base.update(PERFDESK_HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8", **(env or {}))
    result = subprocess.run([sys.executable, "-m", "app", *map(str, args)], cwd=Path(__file__).resolve().parents[1],
                            env=base, capture_output=True, text=True, encoding="utf-8", timeout=180, input=input,
                            stdin=subprocess.DEVNULL if input is None else None)
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, stream
        assert not re.search(r"\b(Error|Exception)\b", stream), stream
    return result


def cell(model, row, attr):
    """The index of a grid model's cell by row and column attribute (the 自评表 grids)."""
    return model.index(row, model.column_of(attr))


def edit(model, row, attr, text):
    """Type into a grid model's cell as the delegate would; it must be editable."""
    assert model.setData(cell(model, row, attr), text), f"{attr} of row {row} is not editable"


def migrate_to(engine, revision: str, up: bool) -> None:
    """Run Alembic up or down to `revision` on an open engine (migration tests)."""
    from alembic import command

    import db.migrate as migrate

    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # as db.migrate's own connection: SQLite rebuilds a table others refer to
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                cfg = migrate._config()
                cfg.attributes["connection"] = conn
                (command.upgrade if up else command.downgrade)(cfg, revision)
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def township_ws(path, code: str, name: str, county: tuple[str, str] = ("370117", "钢城区")):
    """A township's database opened at `path`: its county and itself in the base data, the township
    as 本级区划 (what `new --parent` makes)."""
    from app.services.base_data import save_region
    from app.services.workspace import Workspace

    ws = Workspace.open(path)
    save_region(ws, {"code": county[0], "name": county[1], "level": "县级"})
    save_region(ws, {"code": code, "name": name, "level": "乡镇"}, parent_code=county[0])
    ws.set_setting("home_region", code)
    return ws


def township_with_projects(tmp_path, code: str, name: str, dept: str):
    """A township with its 财政所 (department `dept`) and two 2023 projects, the first with a
    submitted target — what the exchange tests send to the county."""
    from dataclasses import replace

    from app.services import projects, targets
    from app.services.base_data import save_department, save_office

    ws = township_ws(tmp_path / f"{name}.sqlite3", code, name)
    save_department(ws, {"code": dept, "name": f"{name}财政所", "kind": "部门"})
    save_office(ws, {"name": "经建科"})
    for n in (1, 2):
        pid = projects.save_project(ws, project_raw(code=f"{code}{n:03d}", name=f"{name}项目{n}",
                                                    department=f"[{dept}]{name}财政所", unit=f"[{dept}]{name}财政所"))
        if n == 1:
            targets.submit(ws, replace(targets.open_target(ws, pid), annual_goal=GOAL, indicators=[
                replace(r, value="50" if r.level2 == "成本" else r.value) for r in GOOD_ROWS]))
    return ws
