"""`export rectification --year Y --at D` writes the 整改台账 as it stands on that date: each item's
状态, 整改期限 and 逾期天数 counted to D (0 when not overdue), and the 汇总 by 责任单位."""

from datetime import date

import pytest
from openpyxl import load_workbook

from app import cli
from app.services import rectification as svc


def item(ws, description: str, unit: str, deadline: date):
    draft = svc.new_item(ws, 2023)
    draft.description, draft.responsible, draft.deadline = description, unit, deadline
    return svc.save(ws, draft)


def test_export_counts_the_overdue_days_to_the_date_asked(county, db_path, tmp_path, capsys):
    item(county, "专项资金未按规定用途使用", "钢城区城市管理局", date(2023, 10, 15))
    done = item(county, "绩效目标不够细化", "钢城区城乡交通运输局", date(2023, 10, 15))
    done.measures, done.completed_on = "已细化绩效目标", date(2023, 10, 12)
    svc.report(county, svc.save(county, done))
    out = tmp_path / "台账.xlsx"
    argv = ["export", "rectification", "--year", "2023", "--at", "2023-10-20", "--format", "xlsx", "--out", str(out),
            "--db", str(db_path)]
    assert cli.run(argv) == 0
    assert "已导出2023年度整改事项2个" in capsys.readouterr().out
    book = load_workbook(out)
    rows = [r for r in book["整改台账"].iter_rows(values_only=True) if isinstance(r[0], int)]
    by_text = {r[5]: r for r in rows}
    assert by_text["专项资金未按规定用途使用"][-3:] == ("待整改", "逾期", 5)
    assert by_text["绩效目标不够细化"][-3:] == ("已整改待核验", None, 0)
    summary = [r for r in book["汇总"].iter_rows(values_only=True) if r[0] in ("钢城区城市管理局", "合计")]
    assert summary == [("钢城区城市管理局", 1, 0, 1), ("合计", 2, 0, 1)]

    pdf = tmp_path / "台账.pdf"
    assert cli.run(["export", "rectification", "--year", "2023", "--at", "2023-10-10", "--format", "pdf", "--out",
                    str(pdf), "--db", str(db_path)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(SystemExit):  # argparse refuses a date that is not one, in Chinese
        cli.run(["export", "rectification", "--year", "2023", "--at", "2023-13-01", "--out", str(out), "--db", str(db_path)])
    assert "日期应写成年-月-日" in capsys.readouterr().err
