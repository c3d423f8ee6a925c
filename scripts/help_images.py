"""The screenshots the 使用手册 shows (resources/help/img), from the current program: runs
scripts/screenshots.py (every stage's own screens) into a temporary folder, adds the pages it does not
take (培训, 数据交换, 工作台, 规则方案), then scales each picked PNG to at most 1000 px wide as a 256-colour PNG so the
manual stays small (about 3 MB in all). Run under Xvfb after changing a page:
    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/help_images.py"""

from __future__ import annotations

import shutil
from datetime import date
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

OUT = ROOT / "resources" / "help" / "img"
WIDTH = 1000
# help image ← screenshots.py file
PICKS = {
    "first_run": "first_run", "base_data": "main_base_data", "projects": "main_projects",
    "project_form": "project_form", "targets": "main_targets", "target_form": "target_form",
    "monitoring": "monitoring_projects", "monitoring_record": "monitoring_record", "self_eval": "self_eval_list",
    "self_eval_form": "self_eval_form", "key_eval": "key_eval_list", "key_eval_form": "key_eval_form",
    "exante": "exante_list", "exante_form": "exante_form", "rectification": "rectification_list",
    "rectification_form": "rectification_form", "results": "results_table", "result_form": "result_form",
    "township": "main_township", "training": "main_training", "reported": "main_reported",
    "reported_form": "reported_form", "exchange": "main_exchange",
    "workbench": "main_workbench", "rules": "main_rule_pack",
}


def extra_pages(shots: Path) -> None:
    """The pages scripts/screenshots.py does not take, on the demo county."""
    from PySide6.QtWidgets import QApplication

    from app.services.demo import load_demo
    from app.services.workspace import Workspace
    from ui.app import make_application
    from ui.checks.common import snap
    from ui.main_window import MainWindow

    app = QApplication.instance() or make_application()
    tmp = Path(tempfile.mkdtemp())
    ws = Workspace.open(tmp / "demo.sqlite3")
    load_demo(ws)
    win = MainWindow(ws)
    win.resize(1366, 738)
    win.set_year(2023)
    for key, name in (("training", "main_training"), ("exchange_page", "main_exchange"), ("workbench", "main_workbench"),
                      ("rule_pack_page", "main_rule_pack")):
        if key not in win.stages and key not in ("exchange_page", "rule_pack_page"):
            continue
        page = win.show_page(key)
        if key == "workbench":  # counted on a day in the demo's year, as the check step does
            page.at = date(2023, 11, 1)
            page.reload()
        snap(win, shots / f"{name}.png")
    win.close()
    win.deleteLater()
    app.processEvents()
    ws.close()
    shutil.rmtree(tmp, ignore_errors=True)


def shrink(source: Path, target: Path) -> None:
    image = Image.open(source).convert("RGB")
    if image.width > WIDTH:
        image = image.resize((WIDTH, round(image.height * WIDTH / image.width)), Image.LANCZOS)
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(target, optimize=True)


def main(shots: Path | None = None) -> None:
    made = shots is None
    if made:
        import screenshots

        shots = Path(tempfile.mkdtemp())
        screenshots.main(shots)
    extra_pages(shots)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, source in PICKS.items():
        if not (shots / f"{source}.png").exists():
            print(f"no {source}.png: {name} kept as it was")
            continue
        shrink(shots / f"{source}.png", OUT / f"{name}.png")
    total = sum(p.stat().st_size for p in OUT.glob("*.png"))
    print(f"{len(PICKS)} images, {total / 1e6:.1f} MB in {OUT}")
    if made:
        shutil.rmtree(shots, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
