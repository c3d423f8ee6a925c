"""Every template and export through a real spreadsheet program: LibreOffice opens each file
headless and saves it as .xlsx and as .xls ("MS Excel 97"), and the import reads it back to the
same data — projects export → import, targets template filled → import, monitoring 填报表 filled →
import, library export → import. Each test converts all its files in one soffice call per format.

Needs LibreOffice (scripts/bootstrap.sh installs libreoffice-calc-nogui). Skipped, with the reason,
only on a machine without it and outside CI; under CI (CI set) a missing soffice fails."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from app.io import library_io, monitoring_import as mon_io, projects_io, targets_import
from app.io.xlsx import read_table
from app.services import library, projects, targets
from app.services.monitoring_import import import_file as import_monitoring, write_fill_sheet
from app.services.project_import import import_file as import_projects
from tests.support import project_raw, rows_by_code

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
FORMATS = {"xlsx": "xlsx", "xls": "xls:MS Excel 97"}


@pytest.fixture(scope="module")
def lo_profile(tmp_path_factory) -> str:
    """A private LibreOffice profile for the module (made once: no clash with a running LibreOffice)."""
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing in CI: scripts/bootstrap.sh installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed: run scripts/bootstrap.sh as root to install it")
    return (tmp_path_factory.mktemp("lo") / "profile").as_uri()


@pytest.fixture
def office(tmp_path, lo_profile):
    """convert(files) → {"xlsx": [...], "xls": [...]}: the files as LibreOffice saves them."""
    profile = lo_profile

    def convert(files: list[Path]) -> dict[str, list[Path]]:
        out = {}
        for ext, target in FORMATS.items():
            folder = tmp_path / f"via-{ext}"
            folder.mkdir(exist_ok=True)
            done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                                   "--convert-to", target, "--outdir", str(folder), *map(str, files)],
                                  capture_output=True, text=True, timeout=180)
            out[ext] = [folder / f"{Path(f).stem}.{ext}" for f in files]
            missing = [p.name for p in out[ext] if not p.is_file()]
            assert not missing, f"LibreOffice did not write {missing}: {done.stdout}{done.stderr}"
        return out

    return convert


def fill(path: Path, sheet: str, rows: list[list], start_column: int = 1, first_row: int | None = None) -> Path:
    """Types rows into a template below its header (or over given rows), as a user would."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    row = first_row or ws.max_row + 1
    for values in rows:
        for n, value in enumerate(values):
            if value is not None:
                ws.cell(row=row, column=start_column + n, value=value)
        row += 1
    wb.save(path)
    return path


def test_projects_export_and_template_come_back_the_same(county, tmp_path, office):
    projects.save_project(county, project_raw())
    projects.save_project(county, project_raw(code="3701172023002", name="城乡公交运营补贴", annual_budget="8000.000001",
                                              initial_budget="5333.5", is_key="否", category="新增", other="0.01",
                                              department="[207001]钢城区城乡交通运输局", unit="[207001]钢城区城乡交通运输局",
                                              period_start="2023-03", period_end="2023-11"))
    before = projects.list_projects(county, 2023)
    src = tmp_path / "src"
    src.mkdir()
    projects_io.render_projects(before, 2023, "xlsx", src / "projects.xlsx")
    projects_io.write_template(src / "projects_template.xlsx")
    converted = office([src / "projects.xlsx", src / "projects_template.xlsx"])
    for ext, (export, template) in converted.items():
        assert import_projects(county, export).sentence() == "导入完成：新增项目0个，更新项目2个。", ext
        assert projects.list_projects(county, 2023) == before, ext
        table = read_table(template, sheet=projects_io.SHEET, required=[s.label for s in projects.PROJECT_FIELDS])
        assert table.rows == [], ext
    kept = openpyxl.load_workbook(converted["xlsx"][1])[projects_io.SHEET].data_validations.dataValidation
    assert {dv.formula1 for dv in kept} >= {'"新增,延续"', '"是,否"'}  # the drop-downs survive LibreOffice


def test_a_filled_targets_template_comes_back_the_same(year, tmp_path, office):
    from tests.support import GOAL, GOOD_ROWS

    src = tmp_path / "src"
    src.mkdir()
    targets_import.write_template(src / "targets.xlsx")
    rows = [["DH2023005", 2023, None, GOAL if n == 0 else None, f"{r.level1}指标", f"{r.level2}指标", r.level3, r.direction,
             r.value, r.unit, float(r.points) if n % 2 else r.points, None] for n, r in enumerate(GOOD_ROWS)]
    fill(src / "targets.xlsx", targets_import.SHEET, rows)
    converted = office([src / "targets.xlsx"])
    project = next(r.project_id for r in targets.list_targets(year, 2023) if r.code == "DH2023005")
    for ext, (path,) in converted.items():
        assert targets.import_file(year, path).startswith("导入完成"), ext
        draft = targets.open_target(year, project)
        assert draft.annual_goal == GOAL, ext
        assert [replace(i, last_year="", library_id=None) for i in draft.indicators] == [
            replace(r, last_year="") for r in GOOD_ROWS], ext


def test_a_filled_monitoring_sheet_comes_back_the_same(year, round_id, tmp_path, office):
    src = tmp_path / "src"
    src.mkdir()
    write_fill_sheet(year, round_id, src / "monitoring.xlsx")
    fill(src / "monitoring.xlsx", mon_io.BUDGET_SHEET, [[9.46, "50"], [123.456789, 480]], start_column=3, first_row=4)
    fill(src / "monitoring.xlsx", mon_io.INDICATOR_SHEET, [["200", "300", "经费保障", "资金到位晚", "有可能", "加快拨付"]],
         start_column=4, first_row=4)
    converted = office([src / "monitoring.xlsx"])
    for ext, (path,) in converted.items():
        assert import_monitoring(year, round_id, path).startswith("导入完成"), ext
        rows = rows_by_code(year, round_id)
        assert (rows["DH2023002"].executed_fen, rows["DH2023002"].projected_fen) == (9_460_000, 50_000_000), ext
        assert (rows["DH2023005"].executed_fen, rows["DH2023005"].projected_fen) == (123_456_789, 480_000_000), ext


def test_the_library_export_and_template_come_back_the_same(ws, tmp_path, office):
    library.ensure_starter_library(ws)
    before = library.list_library(ws)
    src = tmp_path / "src"
    src.mkdir()
    library_io.render_library(before, src / "library.xlsx")
    library_io.write_template(src / "library_template.xlsx")
    converted = office([src / "library.xlsx", src / "library_template.xlsx"])
    for ext, (export, template) in converted.items():
        assert library.import_file(ws, export) == f"导入完成：新增指标0个，更新指标{len(before)}个。", ext
        assert library.list_library(ws) == before, ext
        assert read_table(template, sheet=library_io.SHEET, required=library_io.HEADERS[:6]).rows == [], ext


def cell_values(path: Path) -> dict[str, list[list[str]]]:
    """Every sheet's cells as text, numbers to the cent (what a reader of the report sees), read
    with the program's own readers: openpyxl for .xlsx, calamine for .xls."""
    from decimal import Decimal

    def text(value) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, (int, float, Decimal)):
            return f"{Decimal(str(value)).quantize(Decimal('0.0001')).normalize():f}"
        return str(value)

    def trimmed(rows: list[list]) -> list[list[str]]:
        rows = [[text(v) for v in row] for row in rows]
        rows = [row[: max((n + 1 for n, v in enumerate(row) if v), default=0)] for row in rows]
        while rows and not rows[-1]:
            rows.pop()
        return rows

    if path.suffix == ".xls":
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        return {name: trimmed(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names}
    book = openpyxl.load_workbook(path, data_only=True)
    return {ws.title: trimmed([list(r) for r in ws.iter_rows(values_only=True)]) for ws in book.worksheets}


def test_every_report_comes_back_with_the_same_cells(year, round_id, tmp_path, office):
    """The reports a clerk opens, checks and passes on — 审核汇总表, 自动检查结果, 申报表, 监控汇总表,
    预警清单, 监控表, an import's 错误清单 — saved by LibreOffice as .xlsx and .xls hold the same cells."""
    from app.io import monitoring_reports as reports
    from app.io.xlsx import write_problems
    from app.rules.validation import CellProblem
    from app.services import monitoring as mon, monitoring_records as records

    src = tmp_path / "src"
    src.mkdir()
    targets.export_summary(year, 2023, "xlsx", src / "summary.xlsx")
    targets.export_review(year, 2023, src / "review.xlsx")
    project = next(r.project_id for r in targets.list_targets(year, 2023) if r.code == "DH2023002")
    targets.export_form(year, targets.open_target(year, project), src / "form.xlsx")
    view = mon.round_view(year, round_id)
    reports.render_summary(view, "xlsx", src / "round.xlsx")
    reports.render_warnings(view, "xlsx", src / "warnings.xlsx")
    reports.render_record(records.record_sheet(year, view.rows[0].record_id), src / "record.xlsx")
    write_problems(src / "problems.xlsx", [CellProblem("项目", 7, "全年预算数（万元）", "应为不小于0的数字", "=1+1")])
    originals = sorted(src.iterdir())
    converted = office(originals)
    for ext, paths in converted.items():
        for original, saved in zip(originals, paths):
            cells = cell_values(original)
            assert sum(len(rows) for rows in cells.values()) >= 3, original.name  # a report, not an empty book
            assert cell_values(saved) == cells, f"{original.name} via .{ext}"
