"""DESIGN.md §4, enforced: arrows run one way, ui → app → db.

Walks every .py file under app/, db/ and ui/ with the ``ast`` module (nothing is imported, no Qt)
and fails naming file and line when:

(a) a module under db/ imports app or ui (or Qt: nothing but ui/ imports PySide6);
(b) a module under app/ other than app/__main__.py (the one composition root) imports
    PySide6, shiboken6 (or any other Qt binding) or ui;
(c) a module under ui/ imports sqlalchemy or QtSql (ui never builds SQL, it calls app services),
    calls select()/insert()/update()/delete()/text() from sqlalchemy, or runs SQL through a
    session (session.execute / .scalars / .scalar / .query);
(f) a module under ui/ uses QTableWidget (DESIGN.md §4: one QAbstractTableModel per list);
(g) a module under app/io imports db, sqlalchemy or what opens a session (app.services, app.stages,
    app.cli, app.errors): io only converts — parse(file) → drafts and cell problems, render(view,
    file) — and every write goes through the stage's service (docs/ARCHITECTURE.md);
(h) the project's modules import each other in a cycle (function-level imports included): the
    import graph of app/, db/ and ui/ is acyclic;
(i) a module under app/ imports a module whose name it computes (importlib.import_module with a
    non-literal name) — only the registry (app/stages/__init__.py) may, and only its own
    STAGE_MODULES, which count as imports in the cycle check;
(j) SQL that only SQLite understands appears outside db/ (the program also runs on a shared
    PostgreSQL database): in app/ or ui/ no string holds PRAGMA, sqlite_master, julianday(,
    strftime(, GLOB, ifnull(, group_concat(, typeof(, last_insert_rowid, INSERT OR REPLACE/IGNORE,
    datetime('now') or AUTOINCREMENT; no func.<one of those functions>(); no import of sqlite3 or
    sqlalchemy.dialects.sqlite (docstrings may name them);
(e) anything under ui/ calls .sort() on a QSortFilterProxyModel: the proxy sorts by calling back
    into the Python model O(n log n) times and is pathologically slow here; sort in the source
    model (ORDER BY in the service) instead.

Imports are caught wherever they are (module level, inside functions, under TYPE_CHECKING) and
also when spelled importlib.import_module("...") or __import__("...") with a literal name.
Relative imports cannot leave their top-level package, so they are never a layering breach.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("app", "db", "ui")
COMPOSITION_ROOT = "app/__main__.py"

QT_BINDINGS = frozenset({"PySide6", "shiboken6", "PySide2", "shiboken2", "PyQt5", "PyQt6"})
SQL_BUILDERS = frozenset({"select", "insert", "update", "delete", "text"})
SESSION_SQL_METHODS = frozenset({"execute", "scalars", "scalar", "query"})
PROXY_BASE = "QSortFilterProxyModel"
ITEM_WIDGETS = frozenset({"QTableWidget", "QTableWidgetItem"})
DYNAMIC_IMPORTERS = frozenset({"app/stages/__init__.py"})
IO_FORBIDDEN_TOPS = frozenset({"db", "sqlalchemy", "alembic"})
IO_FORBIDDEN_MODULES = ("app.services", "app.stages", "app.cli", "app.errors")
SQLITE_ONLY_SQL = re.compile(
    r"\bPRAGMA\s|sqlite_master|\bjulianday\s*\(|\bstrftime\s*\(|\bGLOB\s|\bifnull\s*\(|\bgroup_concat\s*\("
    r"|\btypeof\s*\(|last_insert_rowid|\bINSERT\s+OR\s+(REPLACE|IGNORE)\b|datetime\s*\(\s*'now'|\bAUTOINCREMENT\b",
    re.IGNORECASE)
SQLITE_ONLY_FUNCS = frozenset({"julianday", "strftime", "ifnull", "group_concat", "typeof", "last_insert_rowid",
                               "printf", "glob", "instr"})
SQLITE_ONLY_MODULES = ("sqlite3", "sqlalchemy.dialects.sqlite")


@dataclass(frozen=True, order=True)
class Violation:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


# --- helpers ---------------------------------------------------------------------------------------


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in the tree, including names pulled from a
    package (``from PySide6 import QtSql`` yields PySide6 and PySide6.QtSql)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level or not node.module:
                continue  # relative: stays inside its own top-level package
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            func = node.func
            if (isinstance(func, ast.Name) and func.id in {"__import__", "import_module"}) or (
                isinstance(func, ast.Attribute)
                and func.attr == "import_module"
                and isinstance(func.value, ast.Name)
                and func.value.id == "importlib"
            ):
                found.append((node.lineno, first.value))
    return found


def _sqlalchemy_bindings(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names bound by sqlalchemy imports: (module aliases, imported SQL builder names)."""
    modules: set[str] = set()
    builders: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _top(alias.name) == "sqlalchemy":
                    modules.add(alias.asname or "sqlalchemy")
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            if _top(node.module) == "sqlalchemy":
                for alias in node.names:
                    if alias.name in SQL_BUILDERS:
                        builders.add(alias.asname or alias.name)
                    else:
                        modules.add(alias.asname or alias.name)  # e.g. from sqlalchemy import sql
    return modules, builders


def _looks_like_session(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        name = node.id
    elif isinstance(node, ast.Attribute):
        name = node.attr
    else:
        return False
    return name.lower().lstrip("_").endswith("session")


def _base_names(cls: ast.ClassDef) -> set[str]:
    names = set()
    for base in cls.bases:
        if isinstance(base, ast.Name):
            names.add(base.id)
        elif isinstance(base, ast.Attribute):
            names.add(base.attr)
    return names


def proxy_classes(trees: list[ast.AST]) -> set[str]:
    """QSortFilterProxyModel and every class (by name, across all given modules) deriving from it."""
    known = {PROXY_BASE}
    classes = [node for tree in trees for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if cls.name not in known and _base_names(cls) & known:
                known.add(cls.name)
                changed = True
    return known


def _callee_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            return node.func.id
        if isinstance(node.func, ast.Attribute):
            return node.func.attr
    return None


def _proxy_sort_calls(tree: ast.AST, proxies: set[str]) -> list[int]:
    """Lines of .sort( calls whose receiver is (very probably) a QSortFilterProxyModel."""
    # expressions (as source text) assigned a proxy instance anywhere in the module
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value_is_proxy = _callee_name(node.value) in proxies
            annotation = getattr(node, "annotation", None)
            annotated_proxy = annotation is not None and any(
                isinstance(n, (ast.Name, ast.Attribute))
                and (n.id if isinstance(n, ast.Name) else n.attr) in proxies
                for n in ast.walk(annotation)
            )
            if value_is_proxy or annotated_proxy:
                bound.update(ast.unparse(t) for t in targets)

    lines: list[int] = []

    def visit(node: ast.AST, in_proxy_class: bool) -> None:
        if isinstance(node, ast.ClassDef):
            in_proxy_class = bool(_base_names(node) & proxies) or node.name in proxies - {PROXY_BASE}
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "sort"
        ):
            receiver = node.func.value
            text = ast.unparse(receiver)
            if isinstance(receiver, ast.Name):
                last = receiver.id
            elif isinstance(receiver, ast.Attribute):
                last = receiver.attr
            else:
                last = ""
            if (
                text in bound
                or "proxy" in last.lower()
                or _callee_name(receiver) in proxies
                or (in_proxy_class and (text == "self" or text.startswith("super(")))
            ):
                lines.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, in_proxy_class)

    visit(tree, False)
    return lines


# --- the checker -----------------------------------------------------------------------------------


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _sqlite_only(tree: ast.AST, imports: list[tuple[int, str]], path: str) -> list[Violation]:
    """(j) SQL only SQLite understands, outside db/."""
    found = [Violation(path, line, f"{path.split('/')[0]}/ imports {module} (SQLite only; the program also runs on "
                                   "PostgreSQL — keep engine set-up in db/)")
             for line, module in imports if module == "sqlite3" or module.startswith(SQLITE_ONLY_MODULES)]
    docs = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            hit = SQLITE_ONLY_SQL.search(node.value)
            if hit:
                found.append(Violation(path, node.lineno, f"SQLite-only SQL {hit.group(0).strip()!r} outside db/ "
                                                          "(write it with SQLAlchemy constructs both backends know)"))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr.lower() in SQLITE_ONLY_FUNCS and isinstance(node.func.value, ast.Name)
              and node.func.value.id == "func"):
            found.append(Violation(path, node.lineno, f"func.{node.func.attr}() is SQLite-only (outside db/)"))
    return found


def check_source(source: str, path: str, proxies: set[str] | None = None) -> list[Violation]:
    """Layering violations in one module. ``path`` is relative to the repository root with
    forward slashes (e.g. "ui/pages/targets.py"); it decides which rules apply."""
    layer = path.split("/", 1)[0]
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        return [Violation(path, exc.lineno or 0, f"cannot parse: {exc.msg}")]
    if proxies is None:
        proxies = proxy_classes([tree])

    found: list[Violation] = []
    imports = _imports(tree)

    if layer == "db":  # (a)
        for line, module in imports:
            top = _top(module)
            if top in {"app", "ui"}:
                found.append(Violation(path, line, f"db/ imports {module} (db must not import app or ui)"))
            elif top in QT_BINDINGS:
                found.append(Violation(path, line, f"db/ imports {module} (only ui/ imports Qt)"))

    elif layer == "app" and path != COMPOSITION_ROOT:  # (b)
        for line, module in imports:
            top = _top(module)
            if top in QT_BINDINGS:
                found.append(
                    Violation(path, line, f"app/ imports {module} (app is Qt-free; only {COMPOSITION_ROOT} may)")
                )
            elif top == "ui":
                found.append(
                    Violation(path, line, f"app/ imports {module} (app must not import ui; only {COMPOSITION_ROOT} may)")
                )

        if path not in DYNAMIC_IMPORTERS:  # (i)
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and _callee_name(node) in {"import_module", "__import__"}
                        and node.args and not isinstance(node.args[0], ast.Constant)):
                    found.append(Violation(path, node.lineno, "app/ imports a computed module name (only the "
                                                              "registry's STAGE_MODULES may be imported by name)"))
        if path.startswith("app/io/"):  # (g)
            for line, module in imports:
                if _top(module) in IO_FORBIDDEN_TOPS or module.startswith(IO_FORBIDDEN_MODULES):
                    found.append(Violation(path, line, f"app/io imports {module} (io only converts; the stage's "
                                                       "service reads and writes the database)"))

    elif layer == "ui":  # (c), (e)
        for line, module in imports:
            if _top(module) == "sqlalchemy":
                found.append(Violation(path, line, f"ui/ imports {module} (ui never builds SQL; call an app service)"))
            elif _top(module) in QT_BINDINGS and module.split(".")[1:2] == ["QtSql"]:
                found.append(Violation(path, line, f"ui/ imports {module} (ui never builds SQL; call an app service)"))
            elif _top(module) in QT_BINDINGS and module.rsplit(".", 1)[-1] in ITEM_WIDGETS:
                found.append(Violation(path, line, f"ui/ imports {module} (a list is a QAbstractTableModel in a view)"))
        sa_modules, sa_builders = _sqlalchemy_bindings(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in sa_builders:
                found.append(Violation(path, node.lineno, f"ui/ calls sqlalchemy {func.id}() (call an app service)"))
            elif isinstance(func, ast.Attribute):
                if (
                    func.attr in SQL_BUILDERS
                    and isinstance(func.value, ast.Name)
                    and func.value.id in sa_modules
                ):
                    found.append(
                        Violation(path, node.lineno, f"ui/ calls {ast.unparse(func)}() (call an app service)")
                    )
                elif func.attr in SESSION_SQL_METHODS and _looks_like_session(func.value):
                    found.append(
                        Violation(path, node.lineno, f"ui/ calls {ast.unparse(func)}() (ui never runs SQL; call an app service)")
                    )
        for line in _proxy_sort_calls(tree, proxies):
            found.append(
                Violation(
                    path,
                    line,
                    "ui/ calls .sort() on a QSortFilterProxyModel (pathologically slow over Python models; "
                    "sort in the source model / the service)",
                )
            )

    if layer in ("app", "ui"):  # (j)
        found.extend(_sqlite_only(tree, imports, path))

    # one report per line (``from app import money`` yields both app and app.money)
    first_per_line: dict[int, Violation] = {}
    for v in found:
        first_per_line.setdefault(v.line, v)
    return sorted(first_per_line.values())


def source_files() -> list[Path]:
    files: list[Path] = []
    for layer in LAYERS:
        base = ROOT / layer
        if base.is_dir():
            files.extend(p for p in base.rglob("*.py") if "__pycache__" not in p.parts)
    return sorted(files)


def check_tree() -> list[Violation]:
    files = source_files()
    sources = {p: p.read_text(encoding="utf-8") for p in files}
    ui_trees = []
    for p, src in sources.items():
        if p.relative_to(ROOT).parts[0] == "ui":
            try:
                ui_trees.append(ast.parse(src))
            except SyntaxError:
                pass  # reported by check_source
    proxies = proxy_classes(ui_trees)
    found: list[Violation] = []
    for p, src in sources.items():
        found.extend(check_source(src, p.relative_to(ROOT).as_posix(), proxies))
    return sorted(found)


# --- the tree --------------------------------------------------------------------------------------


def test_the_tree_is_layered():
    files = source_files()
    assert any(p.relative_to(ROOT).as_posix() == "app/__init__.py" for p in files), (
        f"no source files found under {ROOT}; the layering check would pass vacuously"
    )
    violations = check_tree()
    assert not violations, "layering violations (DESIGN.md §4: ui → app → db):\n" + "\n".join(
        f"  {v}" for v in violations
    )


# --- (h) no import cycles ---------------------------------------------------------------------------


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    """module → the project modules it imports (anywhere in the file). `from a.b import c` is an
    edge to a.b.c when that is a module, else to a.b."""
    known = set(sources)
    graph: dict[str, set[str]] = {name: set() for name in sources}
    for name, src in sources.items():
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        named = [m for _, m in _imports(tree)] + _registry_modules(tree)
        for module in named:
            target = module
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].add(target)
    return graph


def _registry_modules(tree: ast.AST) -> list[str]:
    """STAGE_MODULES = ("app.stages.x", …): the registry imports these by name."""
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "STAGE_MODULES" for t in node.targets)
                and isinstance(node.value, (ast.Tuple, ast.List))):
            return [e.value for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    sources = {module_name(p): p.read_text(encoding="utf-8") for p in source_files()}
    found = cycles(import_graph(sources))
    assert not found, "import cycles (function-level imports included):\n" + "\n".join(
        "  " + " ↔ ".join(c) for c in found)


def test_the_registrys_named_modules_count_as_imports():
    sources = {"app.stages": 'STAGE_MODULES = ("app.stages.x",)\n', "app.stages.x": "from app.stages import Stage\n"}
    assert cycles(import_graph(sources)) == [["app.stages", "app.stages.x"]]


def test_the_cycle_check_finds_a_hidden_cycle():
    sources = {"app.services.a": "from app.services import b\n",
               "app.services.b": "def f():\n    from app.services.a import x\n",
               "app.services": "", "app.io.c": "from app.services.a import y\n"}
    assert cycles(import_graph(sources)) == [["app.services.a", "app.services.b"]]


# --- self-tests: the checker can fail ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path, source, line, fragment",
    [
        ("db/models.py", "import os\nfrom app.money import Money\n", 2, "db/ imports app.money"),
        ("db/session.py", "def f():\n    import ui.main_window\n", 2, "db/ imports ui.main_window"),
        ("db/x.py", "from PySide6.QtCore import QObject\n", 1, "db/ imports PySide6"),
        ("app/services/targets.py", "from PySide6.QtCore import Signal\n", 1, "app/ imports PySide6"),
        ("app/cli.py", "def gui():\n    from ui.main_window import MainWindow\n", 2, "app/ imports ui"),
        ("app/jobs.py", "import shiboken6\n", 1, "app/ imports shiboken6"),
        ("app/io/x_io.py", "from sqlalchemy import select\n", 1, "app/io imports sqlalchemy"),
        ("app/services/x.py", "import importlib\ndef f(n):\n    return importlib.import_module(n)\n", 3, "computed module"),
        ("app/io/x_io.py", "def f():\n    from db.models import Project\n", 2, "app/io imports db.models"),
        ("app/io/x_io.py", "def f():\n    from app.services import targets\n", 2, "app/io imports app.services"),
        ("app/x.py", "import importlib\nm = importlib.import_module('PySide6.QtWidgets')\n", 2, "PySide6.QtWidgets"),
        ("app/x.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import ui\n", 3, "app/ imports ui"),
        ("ui/pages/targets.py", "import sqlalchemy as sa\n", 1, "ui/ imports sqlalchemy"),
        ("ui/pages/targets.py", "from sqlalchemy import select\nq = select(1)\n", 2, "calls sqlalchemy select()"),
        ("ui/pages/targets.py", "import sqlalchemy as sa\nq = sa.delete(t)\n", 2, "calls sa.delete()"),
        ("ui/pages/targets.py", "def f(session):\n    return session.execute(q)\n", 2, "session.execute()"),
        ("ui/pages/targets.py", "def f(self):\n    self._session.scalars(q)\n", 2, "self._session.scalars()"),
        ("ui/models.py", "from PySide6.QtSql import QSqlTableModel\n", 1, "PySide6.QtSql"),
        ("ui/dialogs/form.py", "import os\nfrom PySide6.QtWidgets import QLabel, QTableWidget\n", 2, "QTableWidget"),
        (
            "ui/pages/projects.py",
            "from PySide6.QtCore import QSortFilterProxyModel\n"
            "class Page:\n"
            "    def __init__(self):\n"
            "        self.sorter = QSortFilterProxyModel()\n"
            "    def go(self):\n"
            "        self.sorter.sort(0)\n",
            6,
            "QSortFilterProxyModel",
        ),
        ("ui/pages/projects.py", "def f(view):\n    view.proxy_model.sort(2)\n", 2, "QSortFilterProxyModel"),
        ("ui/pages/projects.py", "def f(self):\n    self._proxy.sort(2)\n", 2, "QSortFilterProxyModel"),
        (
            "ui/models/proxy.py",
            "from PySide6.QtCore import QSortFilterProxyModel\n"
            "class ProjectProxy(QSortFilterProxyModel):\n"
            "    def resort(self):\n"
            "        self.sort(1)\n",
            4,
            "QSortFilterProxyModel",
        ),
        ("ui/broken.py", "def f(:\n", 1, "cannot parse"),
        ("app/services/x.py", "def f(conn):\n    conn.exec_driver_sql('PRAGMA foreign_keys=ON')\n", 2, "PRAGMA"),
        ("app/services/x.py", "q = \"SELECT name FROM sqlite_master\"\n", 1, "sqlite_master"),
        ("app/services/x.py", "from sqlalchemy import func\nq = func.strftime('%Y', t.c.at)\n", 2, "func.strftime"),
        ("app/services/x.py", "from sqlalchemy import text\nq = text(\"julianday('now') - 1\")\n", 2, "julianday"),
        ("ui/pages/x.py", "S = 'select ifnull(a, 0) from t'\n", 1, "ifnull"),
        ("app/services/x.py", "def f():\n    import sqlite3\n", 2, "imports sqlite3"),
        ("app/services/x.py", "from sqlalchemy.dialects.sqlite import insert\n", 1, "sqlalchemy.dialects.sqlite"),
        ("app/services/x.py", "q = 'INSERT OR REPLACE INTO setting VALUES (1)'\n", 1, "INSERT OR REPLACE"),
    ],
)
def test_checker_finds_violation(path, source, line, fragment):
    violations = check_source(source, path)
    assert violations, f"expected a violation in {path}"
    assert any(v.line == line and fragment in str(v) for v in violations), violations
    assert all(str(v).startswith(f"{path}:") for v in violations)


def test_proxy_subclass_found_across_modules():
    base = ast.parse(
        "from PySide6.QtCore import QSortFilterProxyModel\n"
        "class BaseProxy(QSortFilterProxyModel): pass\n"
        "class ProjectFilter(BaseProxy): pass\n"
    )
    proxies = proxy_classes([base])
    assert {"BaseProxy", "ProjectFilter"} <= proxies
    source = "from ui.models import ProjectFilter\nf = ProjectFilter()\nf.sort(0)\n"
    assert [v.line for v in check_source(source, "ui/page.py", proxies)] == [3]


@pytest.mark.parametrize(
    "path, source",
    [
        (COMPOSITION_ROOT, "import sys\nfrom PySide6.QtWidgets import QApplication\nfrom ui.main_window import MainWindow\n"),
        ("app/services/targets.py", "from sqlalchemy import select\nfrom db.models import Project\nfrom . import rules\n"),
        ("db/models.py", "from sqlalchemy.orm import Mapped\nfrom .base import Base\n"),
        ("ui/pages/targets.py", "from app.services import targets\nfrom PySide6.QtWidgets import QWidget\n"),
        (
            "ui/pages/targets.py",
            "class Page:\n"
            "    def refresh(self, rows, session):\n"
            "        self.update()\n"  # QWidget.update, not sqlalchemy
            "        rows.sort(key=len)\n"  # a list
            "        self.table.model().sourceModel().sort(0)\n"
            "        self.proxy.sourceModel().sort(0)\n"
            "        with session.begin():\n"
            "            pass\n",
        ),
        (
            "ui/models/proxy.py",
            "from PySide6.QtCore import QSortFilterProxyModel\n"
            "class ProjectProxy(QSortFilterProxyModel):\n"
            "    def sort(self, column, order):\n"
            "        self.sourceModel().sort(column, order)\n",  # delegating to the source model is the fix
        ),
        ("bench/bench_foundation.py", "from PySide6.QtCore import QObject\nimport sqlalchemy\n"),
        ("db/engine.py", "import sqlite3\nQ = 'PRAGMA foreign_keys=ON'\n"),  # engine set-up lives in db/
        ("app/services/x.py", '"""Reads what PRAGMA user_version would, portably."""\nx = d.strftime("%Y")\n'),
    ],
)
def test_checker_accepts_allowed_code(path, source):
    assert check_source(source, path) == []
