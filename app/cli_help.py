"""`help --pdf OUT.pdf`: the whole 使用手册 (resources/help, the same pages and screenshots as 帮助 →
使用手册) as an A4 PDF; no database is opened. Without --pdf it lists the manual's pages."""

from __future__ import annotations

import argparse
from typing import Callable


def _help(args) -> int:
    from app.io import help_text

    if not args.pdf:
        for n, page in enumerate(help_text.PAGES, 1):
            print(f"{n}. {page.title}")
        print("导出整本使用手册：help --pdf 文件.pdf")
        return 0
    from app.io.help_pdf import write_manual_pdf

    write_manual_pdf(args.pdf)
    print(f"使用手册已导出到 {args.pdf}")
    return 0


def add_help_command(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("help", "使用手册：列出各页标题，或用 --pdf 导出整本手册（文字和截图，A4）", _help)
    p.add_argument("--pdf", metavar="文件.pdf", help="整本使用手册的保存位置")
