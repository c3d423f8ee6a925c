"""The signed exchange package file (app/io/package.py) and the public key file (app/io/package_keys.py),
tested on real files: each bad package is made by really altering a good one."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import zipfile
from decimal import Decimal

import pytest

from app.io.package import (FORMAT_VERSION, MANIFEST, SIGNATURE, PackageRefused, package_file_name, read_package,
                            write_package)
from app.io.package_json import canonical
from app.io.package_keys import (KeyFileRefused, fingerprint, new_key_pair, public_from_private, read_key_file, sign,
                                 write_key_file)

TOWN = ("429005101", "熊口镇")
COUNTY = "429005"
EVIDENCE = b"%PDF-1.4 scanned contract\x00\xff" * 50
RECORDS = {
    "project": [
        {"uuid": "7d3c9c1e-0000-4000-8000-000000000001", "code": "XK-001", "name": "农村道路硬化",
         "budget_fen": 123456789, "rate": Decimal("0.8500"), "start": dt.date(2023, 3, 1),
         "updated_at": dt.datetime(2023, 10, 15, 9, 30, 5, 120000), "approved": True, "note": None,
         "tags": ["道路", "民生"], "meta": {"$date": "not a tag", "n": 1}},
        {"uuid": "7d3c9c1e-0000-4000-8000-000000000002", "code": "XK-002", "name": "饮水安全\n巩固",
         "budget_fen": 0, "rate": Decimal("1E+2"), "start": None,
         "updated_at": dt.datetime(2023, 10, 15, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
         "approved": False, "note": "含“引号”和\\反斜杠", "tags": [], "meta": {"$decimal": "1.5"}},
    ],
    "target": [{"project_uuid": "7d3c9c1e-0000-4000-8000-000000000001", "indicator": "完成率",
                "value": Decimal("95.00"), "score": 9.5, "evidence_sha256": hashlib.sha256(EVIDENCE).hexdigest()}],
    "monitoring": [],
}


@pytest.fixture(scope="module")
def keys():
    return new_key_pair()


@pytest.fixture
def good(tmp_path, keys):
    path = tmp_path / package_file_name(TOWN[1], [2023], dt.date(2023, 10, 15))
    manifest = write_package(path, producer_code=TOWN[0], producer_name=TOWN[1], target_code=COUNTY,
                             target_name="潜江市", years=[2023], program_version="0.1.0", records=RECORDS,
                             files={hashlib.sha256(EVIDENCE).hexdigest(): EVIDENCE}, private_key=keys[0],
                             extra={"since": "2023-09-01T00:00:00"})
    return path, manifest


def trusted(keys):
    return {fingerprint(keys[1]): keys[1]}


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rezip(path, content: dict[str, bytes]) -> None:
    path.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in content.items():
            zf.writestr(name, data)


def refusal(path, keys) -> PackageRefused:
    with pytest.raises(PackageRefused) as caught:
        read_package(path, trusted(keys))
    return caught.value


def test_good_package_round_trips_records_and_files_exactly(good, keys):
    path, written = good
    assert path.name == "熊口镇-2023-20231015.pdx"
    package = read_package(path, trusted(keys))
    assert package.records == RECORDS
    assert type(package.records["project"][0]["rate"]) is Decimal and str(package.records["project"][1]["rate"]) == "1E+2"
    assert package.records["project"][0]["meta"] == {"$date": "not a tag", "n": 1}
    assert package.records["project"][1]["meta"] == {"$decimal": "1.5"}
    assert package.files == {hashlib.sha256(EVIDENCE).hexdigest(): EVIDENCE}
    assert package.manifest == written
    m = package.manifest
    assert (m.producer_code, m.producer_name, m.target_code, m.years) == (*TOWN, COUNTY, (2023,))
    assert m.counts == {"project": 2, "target": 1, "monitoring": 0}
    assert m.signer == fingerprint(keys[1]) and m.format_version == FORMAT_VERSION
    assert m.extra == {"since": "2023-09-01T00:00:00"} and m.created.tzinfo is not None
    assert package.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    # the trust may also be a function of the fingerprint
    assert read_package(path, lambda fp: keys[1] if fp == m.signer else None).records == RECORDS


def test_manifest_lists_every_member_with_its_hash(good):
    path, _ = good
    content = members(path)
    manifest = json.loads(content[MANIFEST])
    listed = manifest["members"]
    assert set(listed) | {MANIFEST, SIGNATURE} == set(content)
    for name, entry in listed.items():
        assert entry == {"sha256": hashlib.sha256(content[name]).hexdigest(), "size": len(content[name])}
    assert manifest["producer"] == {"code": TOWN[0], "name": TOWN[1]} and manifest["program_version"] == "0.1.0"
    assert b"\\u" not in content[MANIFEST]  # readable Chinese in the manifest


def test_a_record_changed_after_signing_is_refused_as_damaged(good, keys):
    path, _ = good
    content = members(path)
    record = content["records/project.jsonl"]
    at = record.index(b"123456789")
    content["records/project.jsonl"] = record[:at] + b"9" + record[at + 1:]  # one byte; old manifest and signature
    rezip(path, content)
    refused = refusal(path, keys)
    assert refused.reason == "damaged"
    assert refused.summary == (f"数据交换包“{path.name}”已损坏（「records/project.jsonl」的内容与清单不符），不能导入："
                               "请重新复制，或请对方重新导出后再导入。")


def test_a_manifest_changed_under_its_signature_is_refused_as_altered(good, keys):
    path, _ = good
    content = members(path)
    content[MANIFEST] = content[MANIFEST].replace("潜江市".encode(), "天门市".encode())
    rezip(path, content)
    refused = refusal(path, keys)
    assert refused.reason == "altered"
    assert "在签名后被改动过（签名不符），不能导入" in refused.summary and path.name in refused.summary


def test_a_truncated_file_is_refused(good, keys):
    path, _ = good
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    refused = refusal(path, keys)
    assert refused.reason == "truncated"
    assert refused.summary == (f"数据交换包“{path.name}”不完整或已损坏（可能没有复制完）：请重新复制，或请对方重新导出后再导入。")


def test_a_file_that_is_not_a_zip_is_refused(tmp_path, keys):
    path = tmp_path / "项目.xlsx.pdx"
    path.write_text("这不是压缩包", encoding="utf-8")
    refused = refusal(path, keys)
    assert (refused.reason, refused.summary) == ("not_package", f"“{path.name}”不是数据交换包：请选择本程序导出的 .pdx 文件。")


def test_a_zip_without_manifest_is_refused(tmp_path, keys):
    path = tmp_path / "照片.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("photo.jpg", b"jpeg")
    refused = refusal(path, keys)
    assert refused.reason == "no_manifest" and "没有清单（manifest.json），不是完整的数据交换包" in refused.summary


def test_an_unsigned_package_is_refused(good, keys):
    path, _ = good
    content = members(path)
    del content[SIGNATURE]
    rezip(path, content)
    refused = refusal(path, keys)
    assert refused.reason == "unsigned"
    assert refused.summary == f"数据交换包“{path.name}”没有签名，无法确认来源，不能导入：请对方用本程序重新导出。"


def test_a_package_signed_by_an_unknown_key_names_its_fingerprint_and_claimed_region(tmp_path, keys):
    other = new_key_pair()
    path = tmp_path / "熊口镇-2023-20231015.pdx"
    write_package(path, producer_code=TOWN[0], producer_name=TOWN[1], target_code=COUNTY, years=[2023],
                  program_version="0.1.0", records=RECORDS, private_key=other[0])
    refused = refusal(path, keys)
    assert refused.reason == "unknown_key"
    assert (refused.signer, refused.producer_code, refused.producer_name) == (fingerprint(other[1]), *TOWN)
    assert refused.summary == (f"数据交换包“{path.name}”自称来自熊口镇（429005101），但它的签名密钥（指纹 "
                               f"{fingerprint(other[1])}）未登记，不能导入：请先登记熊口镇的公钥文件，并与对方核对指纹。")


def test_a_newer_format_is_refused_even_when_properly_signed(good, keys):
    path, _ = good
    content = members(path)
    manifest = json.loads(content[MANIFEST])
    manifest["format_version"] = FORMAT_VERSION + 1
    content[MANIFEST] = canonical(manifest)
    content[SIGNATURE] = json.dumps({"algorithm": "Ed25519", "signature": __import__("base64").b64encode(
        sign(keys[0], content[MANIFEST])).decode()}).encode()
    rezip(path, content)
    refused = refusal(path, keys)
    assert refused.reason == "newer"
    assert "由更新版本的程序生成" in refused.summary and "请先升级本程序再导入" in refused.summary


def test_a_missing_or_extra_member_is_refused_as_damaged(good, keys):
    path, _ = good
    content = members(path)
    evidence = content.pop(f"files/{hashlib.sha256(EVIDENCE).hexdigest()}")
    rezip(path, content)
    refused = refusal(path, keys)
    assert refused.reason == "damaged" and f"缺少「files/{hashlib.sha256(EVIDENCE).hexdigest()}」" in refused.summary
    content[f"files/{hashlib.sha256(EVIDENCE).hexdigest()}"] = evidence
    content["../../etc/cron.d/evil"] = b"* * * * * root rm -rf /"
    rezip(path, content)
    refused = refusal(path, keys)
    assert refused.reason == "damaged" and "含有清单之外的「../../etc/cron.d/evil」" in refused.summary


def test_reading_writes_nothing_to_disk(good, keys, tmp_path, monkeypatch):
    path, _ = good
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    read_package(path, trusted(keys))
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_key_file_round_trips(tmp_path):
    private, public = new_key_pair()
    assert len(private) == len(public) == 32 and public_from_private(private) == public
    path = tmp_path / "熊口镇公钥.pdkey"
    written = write_key_file(path, *TOWN, public)
    read = read_key_file(path)
    assert read == written and (read.region_code, read.region_name, read.public) == (*TOWN, public)
    assert read.fingerprint == fingerprint(public) and len(read.fingerprint) == 16
    assert "熊口镇" in path.read_text(encoding="utf-8")


def test_damaged_or_foreign_key_files_are_refused(tmp_path, good):
    _, public = new_key_pair()
    path = tmp_path / "熊口镇公钥.pdkey"
    write_key_file(path, *TOWN, public)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("熊口镇", "浩口镇"), encoding="utf-8")
    with pytest.raises(KeyFileRefused) as caught:
        read_key_file(path)
    assert caught.value.summary == f"公钥文件“{path.name}”已损坏（内容与校验值不符）：请对方重新导出公钥文件后再登记。"
    for foreign in (good[0], tmp_path / "note.txt"):
        if foreign.suffix == ".txt":
            foreign.write_text('{"region_code": "429005101"}', encoding="utf-8")
        with pytest.raises(KeyFileRefused) as caught:
            read_key_file(foreign)
        assert caught.value.summary.startswith(f"“{foreign.name}”不是绩效管理程序的公钥文件")


def test_benchmark_300_projects(tmp_path, keys, capsys):
    """300 projects' worth: ~20k rows across kinds. Prints the times (for the report)."""
    rows = {"project": [], "target": [], "monitoring": [], "self_eval": []}
    for p in range(300):
        pid = f"00000000-0000-4000-8000-{p:012d}"
        rows["project"].append({"uuid": pid, "code": f"XK-{p:04d}", "name": f"项目{p}", "budget_fen": 100000 * p,
                                "updated_at": dt.datetime(2023, 10, 1, 8, p % 60), "version": 3})
        for i in range(25):
            rows["target"].append({"uuid": f"{pid}-t{i}", "project_uuid": pid, "indicator": f"指标{i}",
                                   "value": Decimal("12.50"), "unit": "%", "weight": Decimal("10")})
            rows["monitoring"].append({"uuid": f"{pid}-m{i}", "project_uuid": pid, "actual": Decimal("11.0"),
                                       "deviation": "无", "on": dt.date(2023, 8, 31)})
        for i in range(15):
            rows["self_eval"].append({"uuid": f"{pid}-s{i}", "project_uuid": pid, "score": Decimal("8.5"),
                                      "points": 10, "reason": "按计划完成"})
    total = sum(map(len, rows.values()))
    path = tmp_path / "bench.pdx"
    start = time.perf_counter()
    write_package(path, producer_code=TOWN[0], producer_name=TOWN[1], target_code=COUNTY, years=[2023],
                  program_version="0.1.0", records=rows, private_key=keys[0])
    wrote = time.perf_counter() - start
    start = time.perf_counter()
    package = read_package(path, trusted(keys))
    read = time.perf_counter() - start
    assert package.records == rows
    with capsys.disabled():
        print(f"\npackage benchmark: {total} rows, {path.stat().st_size // 1024} KiB, write {wrote:.2f}s, read {read:.2f}s")
    assert wrote < 2 and read < 2
