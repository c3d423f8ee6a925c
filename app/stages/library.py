"""指标库: the indicator library the target forms pick from."""

from __future__ import annotations

from app.rules.validation import RejectedError
from app.stages.descriptor import FileKind, Stage


def _template(path: str) -> None:
    from app.io.library_io import write_template

    write_template(path)


def _import(ws, args) -> str:
    from app.services.library import import_file

    return import_file(ws, args.file)


def _export(ws, args) -> int:
    from app.io.library_io import render_library
    from app.services.library import library_view

    if args.format != "xlsx":
        raise RejectedError("指标库只导出为Excel（xlsx），请用 --format xlsx。")
    return render_library(library_view(ws).rows, args.out)


STAGE = Stage(
    key="library", title="指标库", page="ui.pages.library_page:LibraryPage", refresh_on=frozenset({"library"}),
    kinds=(FileKind("library", "指标库指标", "library：指标库", _template, _import, _export, by_year=False,
                    formats=("xlsx",)),),
    screenshots=("ui.checks.library:screenshots",),
)
