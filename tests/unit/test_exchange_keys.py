"""The county and a township each make their key pair the first time it is needed and give each
other their public key file; the county registers only its own townships' keys (a township not yet
in its base data is added under the county), a township only its county's; a foreign, damaged or
repeated key file is refused with a sentence; on the command line: `new --parent`, `exchange key`,
`exchange trust`."""

import pytest
from sqlalchemy import select

from app.io import package_keys as K
from app.rules.validation import RejectedError
from app.services import exchange_keys as X
from db.models import Region
from tests.support import run_cli, township_ws


@pytest.fixture
def township(tmp_path):
    ws = township_ws(tmp_path / "熊口镇.sqlite3", "370117101", "艾山街道", ("370117", "370117"))  # as `new --parent`
    yield ws
    ws.close()


def test_the_county_and_its_township_register_each_others_keys(county, township, tmp_path):
    private, public, print_ = X.own_key(county)
    assert K.public_from_private(private) == public and X.own_key(county)[2] == print_  # made once, kept
    county_file = X.write_own(county, tmp_path / "钢城区.pdkey")
    township_file = X.write_own(township, tmp_path / "艾山街道.pdkey")
    assert (county_file.region_code, township_file.region_name) == ("370117", "艾山街道")

    row = X.trust(county, tmp_path / "艾山街道.pdkey")
    assert (row.region_code, row.region_name) == ("370117101", "艾山街道")
    assert X.trusted(county) == {township_file.fingerprint: township_file.public}
    with county.session() as s:  # the township was not in the county's base data: added under it
        added = s.scalars(select(Region).where(Region.code == "370117101")).one()
        assert (added.level, added.parent_code) == ("乡镇", "370117")
    with pytest.raises(RejectedError, match="已于.*登记过"):
        X.trust(county, tmp_path / "艾山街道.pdkey")

    X.trust(township, tmp_path / "钢城区.pdkey")
    with township.session() as s:  # the county, named by its code at `new --parent`, now has its name
        assert s.scalars(select(Region.name).where(Region.code == "370117")).one() == "钢城区"


def test_keys_of_other_regions_and_damaged_files_are_refused(county, township, tmp_path):
    stranger = tmp_path / "外县.pdkey"
    K.write_key_file(stranger, "420100", "外县", K.new_key_pair()[1])
    with pytest.raises(RejectedError, match="既不是本县的乡镇，也不是本乡镇的上级县"):
        X.trust(county, stranger)
    other_town = tmp_path / "外县乡镇.pdkey"
    K.write_key_file(other_town, "420100101", "外县某镇", K.new_key_pair()[1])
    with pytest.raises(RejectedError, match="既不是本县的乡镇"):
        X.trust(township, other_town)
    own = X.write_own(county, tmp_path / "own.pdkey")
    with pytest.raises(RejectedError, match="本数据库自己的公钥"):
        X.trust(county, tmp_path / "own.pdkey")
    damaged = tmp_path / "坏.pdkey"
    damaged.write_bytes((tmp_path / "own.pdkey").read_bytes().replace(own.region_code.encode(), b"370118", 1))
    with pytest.raises(RejectedError):
        X.trust(county, damaged)
    assert X.list_trusted(county) == []


def test_the_command_line_sets_up_a_township_and_exchanges_keys(tmp_path):
    county, town = tmp_path / "county.sqlite3", tmp_path / "town.sqlite3"
    assert run_cli(tmp_path, "new", "--region-code", "370117", "--region-name", "钢城区", "--db", county).returncode == 0
    bad = run_cli(tmp_path, "new", "--region-code", "420100101", "--region-name", "某镇", "--parent", "370117",
                  "--db", town)
    assert bad.returncode == 2 and "以上级县代码370117开头" in bad.stderr and not town.exists()
    made = run_cli(tmp_path, "new", "--region-code", "370117101", "--region-name", "艾山街道", "--parent", "370117",
                   "--db", town)
    assert made.returncode == 0, made.stderr
    for db, name in ((county, "钢城区"), (town, "艾山街道")):
        out = run_cli(tmp_path, "exchange", "key", "--out", tmp_path / f"{name}.pdkey", "--db", db)
        assert out.returncode == 0 and "指纹" in out.stdout, out.stderr
    done = run_cli(tmp_path, "exchange", "trust", tmp_path / "艾山街道.pdkey", "--db", county)
    assert done.returncode == 0 and "已登记[370117101]艾山街道的公钥" in done.stdout, done.stderr
    again = run_cli(tmp_path, "exchange", "trust", tmp_path / "艾山街道.pdkey", "--db", county)
    assert again.returncode == 2 and "登记过" in again.stderr
    assert run_cli(tmp_path, "exchange", "trust", tmp_path / "钢城区.pdkey", "--db", town).returncode == 0


def test_the_command_line_exchanges_a_package_and_lists_the_conflicts(tmp_path):
    from openpyxl import load_workbook

    county, town = tmp_path / "county.sqlite3", tmp_path / "town.sqlite3"
    run_cli(tmp_path, "new", "--region-code", "370117", "--region-name", "钢城区", "--db", county)
    run_cli(tmp_path, "new", "--region-code", "370117101", "--region-name", "艾山街道", "--parent", "370117", "--db", town)
    for db, name in ((county, "county"), (town, "town")):
        run_cli(tmp_path, "exchange", "key", "--out", tmp_path / f"{name}.pdkey", "--db", db)
    run_cli(tmp_path, "exchange", "trust", tmp_path / "town.pdkey", "--db", county)
    run_cli(tmp_path, "exchange", "trust", tmp_path / "county.pdkey", "--db", town)
    out = run_cli(tmp_path, "exchange", "export", "--to", "370117", "--year", "2023", "--out", tmp_path / "up.pdx",
                  "--db", town)
    assert out.returncode == 0 and "上报数据包" in out.stdout, out.stderr
    preview = run_cli(tmp_path, "exchange", "import", tmp_path / "up.pdx", "--dry-run", "--db", county)
    assert preview.returncode == 0 and preview.stdout.startswith("预览（未写入）"), preview.stderr
    merged = run_cli(tmp_path, "exchange", "import", tmp_path / "up.pdx", "--db", county)
    assert merged.returncode == 0 and "已导入[370117101]艾山街道的数据包" in merged.stdout
    wrong = run_cli(tmp_path, "exchange", "import", tmp_path / "up.pdx", "--db", town)
    assert wrong.returncode == 2 and "不能导入" in wrong.stderr
    listed = run_cli(tmp_path, "exchange", "conflicts", "--out", tmp_path / "c.xlsx", "--db", county)
    assert listed.returncode == 0 and "没有等待处理的冲突" in listed.stdout
    sheet = load_workbook(tmp_path / "c.xlsx").active
    assert [c.value for c in sheet[3]][:4] == ["区划", "数据类别", "记录", "字段"]
