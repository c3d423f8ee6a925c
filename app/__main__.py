"""The one composition root: the command line, or the main window."""

from __future__ import annotations

import gc
import os
import sys

from app.logs import setup_logging


def main(argv: list[str] | None = None) -> int:
    try:
        setup_logging()
    except OSError as exc:  # e.g. a data folder that cannot be created: say so, keep going
        from app.errors import user_sentence

        print(f"无法在数据文件夹写日志：{user_sentence(exc)}", file=sys.stderr)
    from app.cli import build_parser, run

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--selftest"]:
        from ui.selftest import run_selftest

        return run_selftest(argv[1] if len(argv) > 1 else None)
    code = run(argv, chart_painter=paint_charts)
    if code != -1:
        return code
    args = build_parser().parse_args(argv)
    # Start-up allocates many long-lived objects (modules, mappers, widgets); collecting them
    # over and over only slows the first window. Automatic collection stays off for the
    # program's life (ui.app.collect_on_gui_thread: the GUI thread collects on a timer); run_gui
    # freezes what start-up built once the window shows.
    gc.disable()
    from ui.app import run_gui  # only here does Qt enter the program

    return run_gui(db_path=args.db)


def paint_charts(ws, year: int, region=None) -> list:
    """The year's charts as pictures for `export summary` (the ui draws them; app/ never imports
    Qt). On Linux Qt draws offscreen unless told otherwise: the command line shows no window, and a
    display that is set but unreachable (ssh, cron) would abort the process."""
    if sys.platform.startswith("linux") and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from ui.chart_images import year_chart_images

    return year_chart_images(ws, year, region)


if __name__ == "__main__":
    sys.exit(main())
