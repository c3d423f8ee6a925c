"""The 区划 filter and column every stage list shares: shown only when the county holds townships'
records (app.services.regions.RegionChoices.shown). Rows carry `region_code` and `region` (its name).

    self.region_filter = RegionFilter(QLabel("区划："), on_change=self.refilter)  # 全部区划 / 示范县（本级）/ 青石镇 …
    self.region_filter.hide_columns_of(self.view)      # the views whose 区划 column it shows or hides
    self.region_filter.fill(choices)                   # after a load: keeps the choice, shows itself and the columns
    self.region_filter.keeps(row)                      # True when the row passes the filter
    self.region_filter.code(), .label()                # the region chosen: its code, and as a title names it
    show_region_column(view, choices)                  # hides the 区划 column (attr "region") if unused
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from PySide6.QtWidgets import QComboBox, QLabel, QTableView

from app.services.regions import NONE, RegionChoices

ALL_REGIONS = "全部区划"


class RegionFilter(QComboBox):
    def __init__(self, caption: Optional[QLabel] = None, parent=None, *,
                 on_change: Optional[Callable[[], Any]] = None):
        super().__init__(parent)
        self.setObjectName("region_filter")
        self.caption = caption or QLabel("区划")
        self.choices: RegionChoices = NONE  # the 区划 the last load found
        self._views: tuple[QTableView, ...] = ()
        self.addItem(ALL_REGIONS, None)
        self.setToolTip("按区划（本级或乡镇）筛选")
        self._set_visible(False)
        if on_change is not None:
            self.currentIndexChanged.connect(lambda _index: on_change())

    def _set_visible(self, on: bool) -> None:
        self.setVisible(on)
        self.caption.setVisible(on)

    def hide_columns_of(self, *views: QTableView) -> None:
        """The views whose 区划 column follows the choices: hidden now, shown by a fill that finds townships."""
        self._views = views
        self.show_columns()

    def show_columns(self) -> None:
        """The 区划 column of the views as the last choices say (again after a view gets a new model)."""
        for view in self._views:
            show_region_column(view, self.choices)

    def fill(self, choices: RegionChoices) -> None:
        current = self.currentData()
        self.choices = choices
        self.blockSignals(True)
        self.clear()
        self.addItem(ALL_REGIONS, None)
        self.addItem(f"{choices.home_name}（本级）", choices.home_code)
        for code, name in choices.townships:
            self.addItem(name, code)
        index = self.findData(current)
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)
        self._set_visible(choices.shown)
        self.show_columns()
        if self.currentData() != current:
            self.currentIndexChanged.emit(self.currentIndex())

    def code(self) -> Optional[str]:
        return self.currentData()

    def label(self) -> str:
        """The region chosen as a title names it ("" for 全部区划)."""
        return self.choices.label_of(self.code())

    def keeps(self, row: Any) -> bool:
        code = self.currentData()
        return code is None or getattr(row, "region_code", None) == code


def show_region_column(view: QTableView, choices: RegionChoices, attr: str = "region") -> None:
    """Hide the view's 区划 column when the database holds no township records to tell apart."""
    model = view.model()
    for i, column in enumerate(getattr(model, "columns", ())):
        if column.attr == attr:
            view.setColumnHidden(i, not choices.shown)
