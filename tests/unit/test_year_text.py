"""The 年度预算绩效工作开展情况说明 drafted from the demo county's 2023 figures: the seeds' sentences, every
percentage and amount exactly as the 数据 sheet holds it, the 上报数 marked; the docx, PDF and xlsx, with
the charts (pictures) when given: after the part each illustrates, or under 附图."""

import re
from decimal import Decimal

import docx
from openpyxl import load_workbook

from app import cli
from app.domain.year_report import MONITORING, RECTIFICATION, TARGETS, ChartImage
from app.domain.year_text import compare
from app.io.year_report_io import DATA_SHEET, HEADER_ROW
from app.io.year_text_io import CHART_SHEET, TEXT_SHEET
from app.services import year_text

AMOUNT_OR_PERCENT = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?=%|万元)")


def test_demo_2023_text_and_files(demo_copy, tmp_path, capsys):
    text, found = year_text.draft(demo_copy, 2023)
    body = "\n".join(text.paragraphs())
    assert text.title == "2023年度示范县本级预算绩效工作开展情况说明"  # its townships report to it, not in it
    assert [p.heading[:2] for p in text.parts] == [f"{n}、" for n in "一二三四五六七八九"]
    assert ("本次24个绩效自评表中，自评等级为“优”的17份，占70.83%；自评等级为“良”的3份，占12.50%；"
            "自评等级为“中”的4份，占16.67%，无“差”等级。") in body
    assert "经评价9个项目评价结果为“优”，2个项目评价结果为“良”。" in body
    assert "通过绩效管理结果应用调减预算资金8,955.34万元（其中根据事前绩效评估结论调减8,825.34万元）。" in body
    assert "培训8次，参训730人次" in body
    assert ("2023年，对2024年度新增及增加预算的2个项目开展事前绩效评估，评估金额17,969.78万元，"
            "根据评估结论建议调减预算资金8,825.34万元。") in body
    assert "8月项目绩效监控30个99,458.50万元，总体进度57.40%，低于序时进度（66.67%）" in body
    # the demo has no draws: the county's 上报数 in its own words, said to be such, each once
    assert ("据上报数，2023年各股室随机抽取20个项目对核心指标完成情况辅助资料进行核查；协助自治区对4个项目真实性核查提供"
            "印证资料；选取7个部门整体和17个项目支出开展自评核查；核查金额196,579.94万元。") in body

    sheet_values = {f.text for f in found}
    written = AMOUNT_OR_PERCENT.findall(body)
    assert written and set(written) <= sheet_values  # every % and 万元 as the 数据 sheet writes it

    out = tmp_path / "说明.docx"
    if demo_copy.db_file:  # as the command line does it
        assert cli.run(["export", "summary", "--year", "2023", "--format", "docx", "--out", str(out),
                        "--db", str(demo_copy.db_file)]) == 0
        assert f"已导出2023年度预算绩效工作开展情况说明，数据项{len(found)}个" in capsys.readouterr().out
    else:  # a PostgreSQL copy: through the service
        year_text.export(demo_copy, 2023, out, "docx")
    lines = [p.text for p in docx.Document(str(out)).paragraphs if p.text]
    assert lines == text.paragraphs()
    section = docx.Document(str(out)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)

    xlsx = tmp_path / "说明.xlsx"
    assert year_text.export(demo_copy, 2023, xlsx, "xlsx") == len(found)
    book = load_workbook(xlsx)
    assert [r[0] for r in book[TEXT_SHEET].iter_rows(values_only=True)] == text.paragraphs()
    assert book[DATA_SHEET].max_row == HEADER_ROW + len(found)
    pdf = tmp_path / "说明.pdf"
    year_text.export(demo_copy, 2023, pdf, "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_progress_against_schedule():
    slight = Decimal("5")
    assert compare(Decimal("68.00"), Decimal("66.67"), slight) == "略高于序时进度"
    assert compare(Decimal("57.40"), Decimal("66.67"), slight) == "低于序时进度"
    assert compare(Decimal("66.90"), Decimal("66.67"), slight) == "与序时进度基本持平"
    assert compare(Decimal("63.00"), Decimal("66.67"), slight) == "略低于序时进度"


def _png(colour: str) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (360, 190), colour).save(out, "PNG")
    return out.getvalue()


CHARTS = (ChartImage("2023年度绩效目标审核情况", _png("blue"), TARGETS),
          ChartImage("2023年度绩效运行监控总体进度与序时进度", _png("orange"), MONITORING),
          ChartImage("2023年度问题整改情况", _png("green"), RECTIFICATION),
          ChartImage("2023年度另一张图", _png("grey")))  # no section: 附图 at the end


def test_the_charts_go_into_every_format(demo_copy, tmp_path):
    text, _ = year_text.draft(demo_copy, 2023)
    out = tmp_path / "说明.docx"
    year_text.export(demo_copy, 2023, out, "docx", charts=CHARTS)
    document = docx.Document(str(out))
    assert len(document.inline_shapes) == 4
    assert all(round(shape.width.cm) == 15 for shape in document.inline_shapes)
    lines = [p.text for p in document.paragraphs if p.text]
    assert [line for line in lines if line.startswith("图")] == [
        "图1  2023年度绩效目标审核情况", "图2  2023年度绩效运行监控总体进度与序时进度", "图3  2023年度问题整改情况",
        "图4  2023年度另一张图"]
    # each after its part's paragraphs, before the next heading; the one without a section under 附图
    assert lines[lines.index("图1  2023年度绩效目标审核情况") + 1] == "三、绩效运行监控情况"
    assert lines[lines.index("图3  2023年度问题整改情况") + 1] == "九、预算绩效管理培训情况"
    assert lines[-2:] == ["附图", "图4  2023年度另一张图"]
    assert [line for line in lines if not line.startswith("图") and line != "附图"] == text.paragraphs()

    pdf, plain = tmp_path / "说明.pdf", tmp_path / "无图.pdf"
    year_text.export(demo_copy, 2023, pdf, "pdf", charts=CHARTS)
    year_text.export(demo_copy, 2023, plain, "pdf")
    assert pdf.read_bytes().count(b"/Subtype /Image") == 4 and b"/Subtype /Image" not in plain.read_bytes()

    xlsx = tmp_path / "说明.xlsx"
    year_text.export(demo_copy, 2023, xlsx, "xlsx", charts=CHARTS)
    book = load_workbook(xlsx)
    assert book.sheetnames == [TEXT_SHEET, DATA_SHEET, CHART_SHEET]
    sheet = book[CHART_SHEET]
    assert len(sheet._images) == 4
    assert [c.value for c in sheet["A"] if c.value][0] == "图1  2023年度绩效目标审核情况"


def test_a_reported_figures_own_words_are_printed_only_where_every_number_in_them_is_its_figure():
    from datetime import date

    from app.domain.year_report import Figure
    from app.domain.year_text import write

    def entry(n, kind, value, unit, item, words):
        return Figure(f"reported.{n}.{kind}", item, value, unit, "上报数", True, "真实性核查", words)

    both = "选取7个部门整体和17个项目支出开展自评核查"  # two entries, one sentence: said once
    figures = [entry(1, "count", 7, "个", "自评核查：部门整体", both), entry(2, "count", 17, "个", "自评核查：项目支出", both),
               entry(3, "count", 24, "个", "核查自评表", "本次20个自评表"),  # the words say another count
               entry(4, "rate", Decimal("88.50"), "%", "执行率", "执行率９０％"),  # full-width, another rate
               entry(5, "words", None, "", "补贴标准", "补贴标准为每人每月80元"),  # words alone, a number untraced
               entry(6, "words", None, "", "拨付时间", "2023年分春、秋两季于2月、9月份及时拨付资金")]
    text = write(2023, "示范县", figures, Decimal("5"), date(2023, 12, 31))
    [part] = [p for p in text.parts if p.heading.endswith("真实性核查情况")]
    assert part.paragraphs == ("据上报数，选取7个部门整体和17个项目支出开展自评核查；核查自评表24个；执行率88.50%；"
                               "2023年分春、秋两季于2月、9月份及时拨付资金。",)

