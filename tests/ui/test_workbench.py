"""工作台 (issue 16): the window opens on what waits on the user — on the demo county on 2023-11-01
the overdue 整改 items first, in red, 逾期17天; a double-click opens the 整改台账 showing only the
overdue items; the navigation entries carry their counts; the year's charts exist and export PNGs."""

from datetime import date

from PySide6.QtCore import Qt

from ui.main_window import MainWindow

DAY = date(2023, 11, 1)


def _workbench(qtbot, ws, settle, at: date = DAY):
    """The window on the demo's 2023 at 1366x768, its 工作台 counted on `at`: (window, 工作台)."""
    win = MainWindow(ws)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.set_year(2023)
    page = win.built["workbench"]
    page.at = at
    win.show()
    page.reload()
    settle()
    return win, page


def test_the_workbench_lists_what_waits_and_opens_the_overdue_items(qtbot, demo_copy, settle, tmp_path):
    win, page = _workbench(qtbot, demo_copy, settle)
    assert win.pages.currentWidget().layout().itemAt(0).widget() is page  # the window opens on it

    cells = [line.cells() for line in page.lines]
    row = next(n for n, c in enumerate(cells) if c[0] == "整改事项逾期")
    assert cells[row] == ("整改事项逾期", "2023年度3项", "2023-10-15", "逾期17天")
    assert all(line.overdue_days for line in page.lines[:row])  # overdue lines first
    assert page.model.data(page.model.index(row, 0), Qt.ForegroundRole) is not None  # in red
    assert win.nav.item(list(win.stages).index("rectification")).text() == "整改台账(3)"

    ledger = page.open_line(row)
    settle()
    assert win.pages.currentWidget().layout().itemAt(0).widget() is ledger is win.built["rectification"]
    assert ledger.overdue.isChecked() and ledger.at_date == DAY
    assert ledger.model.rowCount() == 3 and all(r.overdue_days == 17 for r in ledger.model.rows())

    win.show_page("workbench")
    settle()
    charts = page.charts.boxes
    assert set(charts) == {"targets", "monitoring", "self_eval", "rectification"}
    assert all(box.view.chart().series() for box in charts.values())  # the demo has every one
    written = page.export_charts(str(tmp_path / "图表"))
    assert len(written) == 4 and all(p.stat().st_size > 1000 and p.suffix == ".png" for p in written)
    [series] = charts["rectification"].view.chart().series()  # 整改: each state its own colour, overdue red
    colours = {bars.label(): bars.color().name() for bars in series.barSets()}
    assert set(colours) == {"待整改", "整改中", "已整改待核验", "已销号", "逾期"}
    assert colours["逾期"] == "#c00000" and len(set(colours.values())) == 5
    assert [bars.sum() for bars in series.barSets() if bars.label() in ("整改中", "逾期")] == [4, 3]


def test_a_late_township_package_opens_the_township_assessment_on_that_township(qtbot, demo_copy, settle):
    win, page = _workbench(qtbot, demo_copy, settle)  # the seeds' county: its townships have sent nothing yet
    cells = [line.cells() for line in page.lines]
    late = [n for n, c in enumerate(cells) if c[0] == "乡镇数据包逾期未报"]
    assert [cells[n][1] for n in late] == [f"[{code}]{name} 2023年度上报数据包" for code, name in
                                           (("990101100", "青石镇"), ("990101101", "白沙镇"), ("990101102", "红岩乡"))]
    assert all(cells[n][2:] == ("2023-09-15", "逾期47天") for n in late)

    township = page.open_line(late[1])
    settle()
    assert township is win.built["township"] and win.pages.currentWidget().layout().itemAt(0).widget() is township
    def chosen() -> str:  # the page shows its first township until the list the line waits for has arrived
        current = township.view.currentIndex()
        return township.model.row_at(current.row()).code if current.isValid() else ""
    qtbot.waitUntil(lambda: chosen() == "990101101")  # 白沙镇 chosen
    assert township.basis_heading.text().startswith("计分依据：白沙镇")  # its reasons shown beneath


def test_items_due_within_a_week_open_the_ledger_with_those_items_selected(qtbot, demo_copy, settle):
    win, page = _workbench(qtbot, demo_copy, settle, at=date(2023, 10, 10))  # 钢城's three items due 10月15日
    cells = [line.cells() for line in page.lines]
    row = cells.index(("整改事项即将到期", "2023年度3项", "2023-10-15", ""))
    win.show_page("rectification").overdue.setChecked(True)  # left on 只看逾期 from an earlier visit
    win.show_page("workbench")
    ledger = page.open_line(row)
    settle()
    qtbot.waitUntil(lambda: bool(ledger.view.selectionModel().selectedRows()))  # picked once the list has arrived
    chosen = {i.row() for i in ledger.view.selectionModel().selectedRows()}
    assert len(chosen) == 3 and all(ledger.model.row_at(n).deadline == date(2023, 10, 15) for n in chosen)
    assert ledger.model.rowCount() > 3  # the year's whole ledger, the three picked out in it
