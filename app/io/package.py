"""The signed exchange package (issue 15): one `.pdx` file, a zip holding

    records/<kind>.jsonl   the records of one kind, one JSON object a line (app/io/package_json.py)
    files/<sha256>         an attached evidence file, named by the SHA-256 of its bytes
    manifest.json          what the package is and the SHA-256 and size of every member above
    signature.json         {"algorithm": "Ed25519", "signature": base64} over manifest.json's bytes

The signature covers the manifest, and the manifest every other member's hash, so one signature
vouches for every byte. `read_package` never extracts to disk and never uses a member's name as a
path: it reads members by exactly the names the (verified) manifest lists, within size caps, and
refuses the whole package (PackageRefused, a RejectedError with a `reason` and a Chinese `summary`)
when it is not a package, truncated, unsigned, signed by an unknown key, altered after signing,
damaged, or from a newer format. Whether the producer is a township of this county is the caller's
check (it needs the database): `Manifest.producer_code` / `target_code` are there for it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import hashlib
import json
import os
import re
import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Union

from app.io.package_json import canonical, dump_rows, load_rows
from app.io.package_keys import ALGORITHM, fingerprint, public_from_private, sign, verifies
from app.io.xlsx import atomic_output
from app.jobs import JobControl, control
from app.rules.validation import RejectedError

PACKAGE_FORMAT = "perfdesk-package"
FORMAT_VERSION = 1
SUFFIX = ".pdx"
MANIFEST, SIGNATURE = "manifest.json", "signature.json"
KIND_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
MEMBER_RE = re.compile(r"records/[a-z][a-z0-9_]{0,39}\.jsonl|files/[0-9a-f]{64}")
MAX_MANIFEST = 32 * 1024 * 1024
MAX_SIGNATURE = 16 * 1024
MAX_MEMBER = 512 * 1024 * 1024  # one record file or one evidence file
MAX_TOTAL = 2 * 1024 * 1024 * 1024  # everything a package holds, unpacked
MAX_MEMBERS = 200_000

Trusted = Union[Mapping[str, bytes], Callable[[str], Optional[bytes]]]


class PackageRefused(RejectedError):
    """The whole package is refused. `reason` is one of: unreadable, not_package, truncated,
    no_manifest, unsigned, unknown_key, altered, damaged, newer, too_large. What the (unverified)
    manifest claims is kept when it could be read: `producer_code`, `producer_name`, `signer`."""

    def __init__(self, reason: str, summary: str, claimed: Optional[dict] = None):
        super().__init__(summary)
        self.reason = reason
        self.producer_code = _said(claimed, "producer", "code")
        self.producer_name = _said(claimed, "producer", "name")
        self.signer = _said(claimed, "signer")


@dataclass(frozen=True)
class Member:
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    format_version: int
    package_id: str
    producer_code: str
    producer_name: str
    target_code: str
    target_name: str
    years: tuple[int, ...]
    created: _dt.datetime
    program_version: str
    signer: str  # the signing key's fingerprint
    counts: dict[str, int]  # records per kind
    members: dict[str, Member]  # every member but manifest.json and signature.json
    extra: dict[str, Any] = field(default_factory=dict)  # the caller's own signed notes (plain JSON)


@dataclass(frozen=True)
class Package:
    manifest: Manifest
    records: dict[str, list[dict]]
    files: dict[str, bytes]  # sha256 hex → bytes
    sha256: str  # of the whole .pdx file, for the exchange log


def package_file_name(producer_name: str, years, created: Optional[_dt.date] = None) -> str:
    """`熊口镇-2023-20231015.pdx` (several years: `熊口镇-2022_2023-…`)."""
    day = (created or _dt.date.today()).strftime("%Y%m%d")
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", producer_name).strip("._") or "数据交换包"
    return f"{safe}-{'_'.join(str(y) for y in sorted(set(years)))}-{day}{SUFFIX}"


def write_package(path: str | os.PathLike, *, producer_code: str, producer_name: str, target_code: str,
                  target_name: str = "", years, program_version: str, records: Mapping[str, list[dict]],
                  files: Optional[Mapping[str, bytes]] = None, private_key: bytes,
                  created: Optional[_dt.datetime] = None, package_id: Optional[str] = None,
                  extra: Optional[dict] = None, job: Optional[JobControl] = None) -> Manifest:
    """Write a signed package at `path` (atomically: a failure leaves no file) and return its manifest.
    `records` maps a kind (lowercase ascii, e.g. "project") to its rows; `files` maps the SHA-256 hex
    of each evidence file to its bytes; `private_key` is raw (app.io.package_keys)."""
    job = control(job)
    files = dict(files or {})
    created = created or _dt.datetime.now().astimezone()
    signer = fingerprint(public_from_private(private_key))
    members: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for kind in sorted(records):
        if not KIND_RE.fullmatch(kind):
            raise ValueError(f"record kind {kind!r}: lowercase ascii letters, digits and _ only")
        members[f"records/{kind}.jsonl"], counts[kind] = dump_rows(records[kind])
        job.step(len(members), len(records) + len(files))
    for digest in sorted(files):
        content = bytes(files[digest])
        if digest != hashlib.sha256(content).hexdigest():
            raise ValueError(f"files are keyed by the SHA-256 of their bytes; {digest!r} is not")
        members[f"files/{digest}"] = content
    manifest = Manifest(FORMAT_VERSION, package_id or str(uuid.uuid4()), str(producer_code), str(producer_name),
                        str(target_code), str(target_name), tuple(sorted({int(y) for y in years})), created,
                        str(program_version), signer, counts,
                        {name: Member(hashlib.sha256(data).hexdigest(), len(data)) for name, data in members.items()},
                        dict(extra or {}))
    manifest_bytes = canonical(_manifest_json(manifest))
    signature = json.dumps({"algorithm": ALGORITHM, "signature": _b64(sign(private_key, manifest_bytes))}).encode()
    stamp = max(created.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    with atomic_output(path) as tmp, zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
        for index, (name, data) in enumerate(members.items()):
            stored = name.startswith("files/")  # evidence is mostly compressed already (jpg, pdf, docx)
            _put(zf, name, data, stamp, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
            if stored:
                job.step(len(records) + index, len(records) + len(files))
        _put(zf, MANIFEST, manifest_bytes, stamp, zipfile.ZIP_DEFLATED)
        _put(zf, SIGNATURE, signature, stamp, zipfile.ZIP_STORED)
    return manifest


def _put(zf: zipfile.ZipFile, name: str, data: bytes, stamp, compress: int) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    zf.writestr(info, data, compresslevel=6 if compress == zipfile.ZIP_DEFLATED else None)


def read_package(path: str | os.PathLike, trusted: Trusted, job: Optional[JobControl] = None) -> Package:
    """The package at `path`, verified: signed by a key `trusted` knows (a mapping or a function from a
    fingerprint to a raw public key, None when unknown), every member present, unaltered and listed.
    Anything else raises PackageRefused; nothing is written anywhere."""
    job = control(job)
    name = Path(path).name
    lookup = trusted.get if isinstance(trusted, Mapping) else trusted
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        raise PackageRefused("unreadable", f"找不到文件“{name}”，请重新选择。") from None
    except IsADirectoryError:
        raise PackageRefused("not_package", f"“{name}”是一个文件夹，不是数据交换包，请重新选择。") from None
    except OSError as exc:
        raise PackageRefused("unreadable", f"无法读取“{name}”（{exc.strerror or exc}）：可能正被其他程序占用，请关闭后重试。") from exc
    with fh:
        head = fh.read(4)
        digest, size = hashlib.sha256(head), len(head)
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
        if size > MAX_TOTAL + MAX_MANIFEST:
            raise PackageRefused("too_large", f"“{name}”超过了数据交换包的大小上限，不能导入：请对方按年度分开导出。")
        fh.seek(0)
        try:
            zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
            if head.startswith(b"PK") or (size == 0 and name.lower().endswith(SUFFIX)):
                raise PackageRefused("truncated", f"数据交换包“{name}”不完整或已损坏（可能没有复制完）："
                                                  "请重新复制，或请对方重新导出后再导入。") from None
            raise PackageRefused("not_package", f"“{name}”不是数据交换包：请选择本程序导出的 {SUFFIX} 文件。") from None
        with zf:
            try:
                manifest, records, files = _read(zf, name, lookup, job)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
                raise _damaged(name, "有成员无法解压") from exc
    return Package(manifest, records, files, digest.hexdigest())


def _read(zf: zipfile.ZipFile, name: str, lookup, job: JobControl):
    infos = zf.infolist()
    by_name = {info.filename: info for info in infos}
    if len(infos) > MAX_MEMBERS + 2:
        raise PackageRefused("too_large", f"“{name}”中的文件太多，不是本程序导出的数据交换包。")
    if len(by_name) != len(infos):
        raise _damaged(name, "有重名的成员")
    if MANIFEST not in by_name:
        raise PackageRefused("no_manifest", f"“{name}”中没有清单（{MANIFEST}），不是完整的数据交换包：请选择本程序导出的 "
                                            f"{SUFFIX} 文件，或请对方重新导出。")
    manifest_bytes = _member(zf, by_name[MANIFEST], MAX_MANIFEST, name)
    try:
        claimed = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _damaged(name, "清单无法读取") from None
    if not isinstance(claimed, dict) or claimed.get("format") != PACKAGE_FORMAT:
        raise PackageRefused("not_package", f"“{name}”不是本程序的数据交换包：请选择本程序导出的 {SUFFIX} 文件。")
    version = claimed.get("format_version")
    if type(version) is int and version > FORMAT_VERSION:
        raise PackageRefused("newer", f"数据交换包“{name}”由更新版本的程序生成（格式版本 {version}，本程序能读到版本 "
                                      f"{FORMAT_VERSION}），请先升级本程序再导入。", claimed)
    if SIGNATURE not in by_name:
        raise PackageRefused("unsigned", f"数据交换包“{name}”没有签名，无法确认来源，不能导入：请对方用本程序重新导出。", claimed)
    signature = _signature(_member(zf, by_name[SIGNATURE], MAX_SIGNATURE, name), name, claimed)
    signer, region = _said(claimed, "signer"), _said(claimed, "producer", "name")
    public = lookup(signer) if signer else None
    if public is None:
        who = f"{region}（{_said(claimed, 'producer', 'code')}）" if region else "一个未写明的地区"
        raise PackageRefused("unknown_key", f"数据交换包“{name}”自称来自{who}，但它的签名密钥（指纹 {signer or '空'}）"
                                            f"未登记，不能导入：请先登记{region or '对方'}的公钥文件，并与对方核对指纹。", claimed)
    if not verifies(public, manifest_bytes, signature):
        raise PackageRefused("altered", f"数据交换包“{name}”在签名后被改动过（签名不符），不能导入：请对方重新导出后再导入。",
                             claimed)
    try:
        manifest = _manifest_from(claimed)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _damaged(name, "清单内容不完整", claimed) from None
    return manifest, *_members(zf, name, by_name, manifest, claimed, job)


def _members(zf, name, by_name, manifest: Manifest, claimed, job):
    listed = set(manifest.members)
    extra = sorted(set(by_name) - listed - {MANIFEST, SIGNATURE})
    missing = sorted(listed - set(by_name))
    if missing:
        raise _damaged(name, f"缺少「{missing[0]}」" + (f"等 {len(missing)} 个成员" if len(missing) > 1 else ""), claimed)
    if extra:
        raise _damaged(name, f"含有清单之外的「{extra[0]}」" + (f"等 {len(extra)} 个成员" if len(extra) > 1 else ""), claimed)
    if sum(m.size for m in manifest.members.values()) > MAX_TOTAL:
        raise PackageRefused("too_large", f"“{name}”超过了数据交换包的大小上限，不能导入：请对方按年度分开导出。", claimed)
    records: dict[str, list[dict]] = {}
    files: dict[str, bytes] = {}
    for index, (member, expected) in enumerate(sorted(manifest.members.items())):
        job.step(index, len(manifest.members))
        info = by_name[member]
        if info.file_size != expected.size:
            raise _damaged(name, f"「{member}」的内容与清单不符", claimed)
        data = _member(zf, info, expected.size, name)
        if hashlib.sha256(data).hexdigest() != expected.sha256:
            raise _damaged(name, f"「{member}」的内容与清单不符", claimed)
        if member.startswith("files/"):
            if member[len("files/"):] != expected.sha256:
                raise _damaged(name, f"「{member}」的名称与内容不符", claimed)
            files[expected.sha256] = data
            continue
        kind = member[len("records/"):-len(".jsonl")]
        try:
            records[kind] = load_rows(data)
        except (UnicodeDecodeError, ValueError, TypeError):
            raise _damaged(name, f"「{member}」中有无法读取的记录", claimed) from None
    if {k: len(v) for k, v in records.items()} != manifest.counts:
        raise _damaged(name, "记录条数与清单不符", claimed)
    return records, files


def _member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, name: str) -> bytes:
    if info.file_size > cap or info.flag_bits & 0x1:  # too big, or encrypted
        raise _damaged(name, f"「{info.filename}」不是本程序写的内容")
    with zf.open(info) as fh:
        data = fh.read(cap + 1)
    if len(data) != info.file_size:
        raise _damaged(name, f"「{info.filename}」不完整")
    return data


def _signature(raw: bytes, name: str, claimed: dict) -> bytes:
    try:
        data = json.loads(raw.decode("utf-8"))
        if data.get("algorithm") != ALGORITHM:
            raise ValueError(data.get("algorithm"))
        return base64.b64decode(str(data["signature"]), validate=True)
    except (UnicodeDecodeError, ValueError, KeyError, AttributeError, binascii.Error):
        raise PackageRefused("altered", f"数据交换包“{name}”的签名无法读取（签名文件被改动或损坏），不能导入："
                                        "请对方重新导出后再导入。", claimed) from None


def _damaged(name: str, detail: str, claimed: Optional[dict] = None) -> PackageRefused:
    return PackageRefused("damaged", f"数据交换包“{name}”已损坏（{detail}），不能导入：请重新复制，或请对方重新导出后再导入。",
                          claimed)


def _manifest_json(m: Manifest) -> dict:
    return {"format": PACKAGE_FORMAT, "format_version": m.format_version, "package_id": m.package_id,
            "producer": {"code": m.producer_code, "name": m.producer_name},
            "target": {"code": m.target_code, "name": m.target_name}, "years": list(m.years),
            "created": m.created.isoformat(), "program_version": m.program_version, "signer": m.signer,
            "counts": dict(m.counts), "extra": m.extra,
            "members": {name: {"sha256": mb.sha256, "size": mb.size} for name, mb in m.members.items()}}


def _manifest_from(d: dict) -> Manifest:
    members = {}
    for member, entry in d["members"].items():
        if not MEMBER_RE.fullmatch(member) or type(entry["size"]) is not int or entry["size"] < 0:
            raise ValueError(member)
        members[member] = Member(_hex(entry["sha256"]), entry["size"])
    counts = {str(k): v for k, v in d["counts"].items()}
    if any(type(v) is not int for v in counts.values()) or len(members) > MAX_MEMBERS:
        raise ValueError("counts")
    if {f"records/{k}.jsonl" for k in counts} != {m for m in members if m.startswith("records/")}:
        raise ValueError("counts")
    years = tuple(d["years"])
    if any(type(y) is not int for y in years) or type(d["format_version"]) is not int:
        raise ValueError("years")
    return Manifest(d["format_version"], _text(d["package_id"]), _text(d["producer"]["code"]),
                    _text(d["producer"]["name"]), _text(d["target"]["code"]), _text(d["target"]["name"]), years,
                    _dt.datetime.fromisoformat(d["created"]), _text(d["program_version"]), _text(d["signer"]),
                    counts, members, dict(d.get("extra") or {}))


def _hex(value) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{64}", value):
        raise ValueError(value)
    return value


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(value) if value is not None else ValueError(value)
    return value


def _said(claimed: Optional[dict], *keys: str) -> str:
    """What an unverified manifest says at `keys`, as text ("" when it says nothing usable)."""
    value: Any = claimed
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else ""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
