"""Screenshots of every page and dialog at 1366x768 for a human to look at — each stage's own steps,
from the registry (app.stages). Run under Xvfb:
    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py OUT_DIR"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.services.demo import load_demo  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.stages import all_stages  # noqa: E402
from ui.app import make_application  # noqa: E402
from ui.checks.common import snap  # noqa: E402
from ui.dialogs.first_run import FirstRunDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.stage_ui import resolve  # noqa: E402


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = make_application()
    tmp = Path(tempfile.mkdtemp())
    empty = Workspace.open(tmp / "empty.sqlite3")
    snap(FirstRunDialog(empty), out / "first_run.png")
    ws = Workspace.open(tmp / "demo.sqlite3")
    load_demo(ws)
    win = MainWindow(ws)
    win.resize(1366, 738)
    for stage in all_stages():  # each stage's own screens (app.stages)
        for reference in stage.screenshots:
            resolve(reference)(win, out)
    for widget in QApplication.topLevelWidgets():  # widgets go before the application does
        widget.close()
        widget.deleteLater()
    app.processEvents()
    ws.close()
    empty.close()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "out/screens"))
