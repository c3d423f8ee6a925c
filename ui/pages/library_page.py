"""指标库: browse by tree (行业 → 一级 → 二级), search as you type; import a county's own library
from Excel, export it, get the template. The same browser serves the target form's picker.

The library is read in the background (ui.ops.Loader); the page reads it again when the library
changes (an import here or from the command line's workspace: the ChangeHub tells the page)."""

from __future__ import annotations

from typing import Iterable, Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QLineEdit, QMessageBox, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
    QWidget,
)

from app.domain.library import LibraryRow, LibraryView
from app.io.library_io import render_library, write_template
from app.services import guard, library
from app.services.workspace import Workspace
from app.stages.library import STAGE
from ui.context import PageContext
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import Loader, Op
from ui.pages.base import StagePage
from ui.widgets import button, table_view
from ui import files
from ui.workers import export_to, run_import

LOADING = "正在读取…"
COLUMNS = [ModelColumn("行业", "industry", width=90), ModelColumn("一级", "level1", width=60),
           ModelColumn("二级", "level2", width=90), ModelColumn("三级指标", "level3", width=260),
           ModelColumn("性质", "direction", width=50), ModelColumn("参考值", "ref_value", width=90),
           ModelColumn("单位", "unit", width=70), ModelColumn("指标解释", "explanation", width=260),
           ModelColumn("适用范围", "scope", width=70)]
BRANCH_ROLE = Qt.UserRole + 1


class LibraryBrowser(QWidget):
    """Tree on the left, search and the indicators on the right; double-click emits the rows.
    Reads the library (in the background) when built and on reload(); the branch chosen and the
    words typed meanwhile apply when it arrives."""

    activated = Signal(list)  # list[LibraryRow]

    def __init__(self, ws: Workspace, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws = ws
        self.library = LibraryView(())
        self.branch: tuple[str, ...] = ()
        self.loader = Loader(self, self._arrived, self._failed)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["行业 / 一级 / 二级"])
        self.tree.currentItemChanged.connect(self._branch_chosen)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索指标：名称、解释、计算方法（多个词用空格分开）")
        self.search.textChanged.connect(self.refilter)
        self.model = RowTableModel(COLUMNS, self)
        self.view = table_view(self.model, single=False, sort_column=None)
        self.view.doubleClicked.connect(lambda index: self.activated.emit([self.model.row_at(index.row())]))
        self.count = QLabel()
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        column.addWidget(self.view, 1)
        column.addWidget(self.count)
        split = QSplitter()
        split.addWidget(self.tree)
        split.addWidget(right)
        split.setSizes([220, 880])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.reload()

    @property
    def loading(self) -> bool:
        return self.loader.loading

    def reload(self) -> Op:
        ws = self.ws
        self.count.setText(LOADING)
        return self.loader.load(lambda job: library.library_view(ws))

    def _failed(self, error: BaseException) -> None:
        from ui.messages import show_error

        self.count.setText("")
        show_error(self, error)

    def _arrived(self, view: LibraryView) -> None:
        self.library = view
        wanted = self.branch
        self.tree.blockSignals(True)
        self.tree.clear()
        root = QTreeWidgetItem(self.tree, [f"全部（{len(view.rows)}）"])
        root.setData(0, BRANCH_ROLE, ())
        for industry, level1s in view.tree.items():
            total = sum(n for level2s in level1s.values() for n in level2s.values())
            node = QTreeWidgetItem(root, [f"{industry}（{total}）"])
            node.setData(0, BRANCH_ROLE, (industry,))
            for level1, level2s in level1s.items():
                child = QTreeWidgetItem(node, [f"{level1}（{sum(level2s.values())}）"])
                child.setData(0, BRANCH_ROLE, (industry, level1))
                for level2, n in level2s.items():
                    QTreeWidgetItem(child, [f"{level2}（{n}）"]).setData(0, BRANCH_ROLE, (industry, level1, level2))
        root.setExpanded(True)
        self.tree.setCurrentItem(root)
        self.tree.blockSignals(False)
        self.branch = ()
        if not (wanted and self.choose_branch(*wanted)):  # the branch shown before stays chosen
            self.refilter()

    def _branch_chosen(self, item: Optional[QTreeWidgetItem], _previous=None) -> None:
        self.branch = tuple(item.data(0, BRANCH_ROLE)) if item is not None else ()
        self.refilter()

    def choose_branch(self, *names: str) -> bool:
        """Select the tree node for 行业 [→ 一级 [→ 二级]] (as a click would). While the library is
        still being read the choice is kept and applied when it arrives."""
        if self.loader.loading:
            self.branch = names
            return True
        found = [i for i in self._items() if tuple(i.data(0, BRANCH_ROLE) or ()) == names]
        if found:
            self.tree.setCurrentItem(found[0])
        return bool(found)

    def _items(self):
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            yield item
            stack.extend(item.child(i) for i in range(item.childCount()))

    def refilter(self) -> None:
        if self.loader.loading:
            return  # the words typed and the branch chosen apply when the library arrives
        rows = self.library.search(self.search.text(), self.branch)
        self.model.set_rows(rows)
        where = "／".join(self.branch) or "全部"
        self.count.setText(f"{where}：共{len(rows)}条（指标库{len(self.library.rows)}条）")

    def selected(self) -> list[LibraryRow]:
        return [self.model.row_at(i.row()) for i in sorted(self.view.selectionModel().selectedRows(), key=lambda i: i.row())]


class LibraryPage(StagePage):
    RIGHTS = (("import_library", guard.LIBRARY, "导入"),)

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self.browser = LibraryBrowser(ctx.ws)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("指标库：分行业分领域，双击查看；编制绩效目标时在目标表中“从指标库添加”。"))
        bar.addStretch(1)
        for text, slot, name in (("导入Excel…", self.import_file, "import_library"),
                                 ("导出Excel…", self.export_file, "export_library"),
                                 ("下载导入模板…", self.save_template, "library_template")):
            bar.addWidget(button(text, slot, name))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        self.browser.activated.connect(self.show_details)

    def set_year(self, year: int) -> None:
        self.year = year  # the library belongs to no year: nothing to read again

    def reload(self) -> Op:
        return self.browser.reload()

    def show_details(self, rows: list[LibraryRow]) -> None:
        r = rows[0]
        QMessageBox.information(self, r.level3, f"{r.industry}／{r.level1}／{r.level2}\n\n指标性质：{r.direction}　"
                                f"计量单位：{r.unit or '—'}　参考值：{r.ref_value or '—'}\n\n指标解释：{r.explanation}\n\n"
                                f"计算方法或评分标准：{r.method}")

    def import_file(self, path: Optional[str] = None) -> Optional[Op]:
        """Starts the import and returns its op (its `report` is the error list when cells were
        refused); a landed import is told in a sentence and the library shown afresh."""
        if not path:
            path = files.ask_open_path(self, "导入指标库", "Excel 工作簿 (*.xlsx *.xls)")
        if not path:
            return None
        ws = self.ws
        return run_import(self, "正在导入指标库…", lambda job: library.import_file(ws, path, job),
                          lambda sentence: QMessageBox.information(self, "导入完成", sentence))

    def export_file(self, path: Optional[str] = None) -> Optional[Op]:
        ws = self.ws
        return self._save(path, "绩效指标库.xlsx", lambda p, job: render_library(library.library_view(ws).rows, p, job))

    def save_template(self, path: Optional[str] = None) -> Optional[Op]:
        return self._save(path, "指标库导入模板.xlsx", lambda p, job: write_template(p))

    def _save(self, path: Optional[str], suggested: str, write) -> Optional[Op]:
        return export_to(self, path, suggested, "Excel 工作簿 (*.xlsx)", write)
