"""The user manual (使用手册): one Markdown page per area under resources/help/, with screenshots in
resources/help/img (made by scripts/screenshots.py, scaled by scripts/help_images.py). The help
window (ui/help_window.py) shows a page, F1 opens the one for the page on screen (PAGE_FOR), the
search box lists the pages holding every word typed; app/io/help_pdf.py prints the whole manual.

A page is plain Markdown of a small kind, so the PDF can read it too: "# " title (the first line),
"## " / "### " headings, paragraphs, "- " and "1. " lists, **bold**, `code`, "> " notes, and images
on a line of their own: ![说明](img/name.png)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from app.paths import resource_path


@dataclass(frozen=True)
class HelpPage:
    key: str
    title: str


# The manual's order: a finance officer's year, then the system's pages.
PAGES: tuple[HelpPage, ...] = (
    HelpPage("start", "开始使用与演示数据"),
    HelpPage("todo", "工作台"),
    HelpPage("projects", "项目库"),
    HelpPage("targets", "绩效目标"),
    HelpPage("monitoring", "运行监控"),
    HelpPage("self_eval", "绩效自评"),
    HelpPage("key_eval", "重点评价"),
    HelpPage("exante", "事前绩效评估"),
    HelpPage("rectification", "整改台账"),
    HelpPage("results", "结果应用"),
    HelpPage("township", "乡镇考核与数据交换"),
    HelpPage("training", "培训"),
    HelpPage("reported", "上报数"),
    HelpPage("rules", "规则方案"),
    HelpPage("users", "用户与权限"),
    HelpPage("backup", "备份与恢复"),
    HelpPage("cli", "命令行"),
)
KEYS = tuple(p.key for p in PAGES)

# The main window's page keys (app.stages and the fixed 系统 pages) → the help page that explains it.
PAGE_FOR: dict[str, str] = {
    "projects": "projects", "base_data": "start", "library": "targets", "targets": "targets",
    "monitoring": "monitoring", "self_eval": "self_eval", "key_eval": "key_eval", "agencies": "key_eval",
    "exante": "exante", "rectification": "rectification", "results": "results", "township": "township",
    "exchange_page": "township", "training": "training", "reported": "reported",
    "audit": "users", "workbench": "todo",
    "year_summary": "results", "rule_pack_page": "rules",
}


def help_dir() -> Path:
    return resource_path("help")


def page_for(window_key: str | None) -> str:
    """The help page for a window page key; the first page when there is none."""
    return PAGE_FOR.get(window_key or "", KEYS[0])


def title(key: str) -> str:
    return next(p.title for p in PAGES if p.key == key)


def text(key: str) -> str:
    """The page's Markdown (its images relative to help_dir())."""
    return (help_dir() / f"{key}.md").read_text(encoding="utf-8")


_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|[*`#>]")


def plain(markdown: str) -> str:
    """The words of a page without its markup (images dropped): what search looks through."""
    return _MARKUP.sub("", markdown)


def search(words: str) -> list[str]:
    """The keys of the pages holding every word typed (spaces separate words; case ignored),
    in the manual's order; the title counts as text of the page."""
    wanted = [w.casefold() for w in words.split()]
    if not wanted:
        return list(KEYS)
    found = []
    for page in PAGES:
        body = (page.title + "\n" + plain(text(page.key))).casefold()
        if all(w in body for w in wanted):
            found.append(page.key)
    return found


def images(markdown: str) -> list[str]:
    """The image paths a page shows, as written (img/…)."""
    return re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
