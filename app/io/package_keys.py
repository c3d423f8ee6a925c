"""Signing keys of the data exchange (issue 15): Ed25519 key pairs, fingerprints, and the public key
file a township hands the county (and the county its townships) "carried like a package".

Keys are RAW bytes: a private key is its 32-byte Ed25519 seed, a public key its 32-byte encoding
(RFC 8032). That is what the database stores (a LargeBinary column each); nothing here is PEM.
A fingerprint is the first 16 hex digits (64 bits) of the SHA-256 of the public key: what a person
reads aloud over the phone to check a key file, and what a package's manifest names as its signer.

The key file (suggested suffix `.pdkey`) is a small UTF-8 JSON object:

    {"format": "perfdesk-public-key", "version": 1, "algorithm": "Ed25519",
     "region_code": "...", "region_name": "...", "public_key": "<base64 of 32 bytes>",
     "fingerprint": "<16 hex>", "check": "<SHA-256 hex of the fields above, canonical JSON>"}

`read_key_file` refuses (KeyFileRefused, a RejectedError) a file that is not one, a damaged one
(check or fingerprint does not match, a key of the wrong length) and one from a newer program.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from app.io.xlsx import atomic_output
from app.rules.validation import RejectedError

KEY_FILE_FORMAT = "perfdesk-public-key"
KEY_FILE_VERSION = 1
KEY_FILE_SUFFIX = ".pdkey"
ALGORITHM = "Ed25519"
KEY_BYTES = 32
FINGERPRINT_DIGITS = 16
MAX_KEY_FILE = 64 * 1024  # a key file is a few hundred bytes


class KeyFileRefused(RejectedError):
    """A key file that cannot be registered; `summary` says why in a sentence."""


@dataclass(frozen=True)
class KeyFile:
    region_code: str
    region_name: str
    public: bytes  # raw 32 bytes
    fingerprint: str


def new_key_pair() -> tuple[bytes, bytes]:
    """A fresh (private, public) pair, raw 32 bytes each."""
    private = Ed25519PrivateKey.generate()
    return (private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
            private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def public_from_private(private: bytes) -> bytes:
    """The public key (raw) belonging to a stored private key (raw)."""
    return _private_key(private).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def fingerprint(public: bytes) -> str:
    """16 lowercase hex digits of SHA-256(public key)."""
    return hashlib.sha256(bytes(public)).hexdigest()[:FINGERPRINT_DIGITS]


def sign(private: bytes, data: bytes) -> bytes:
    """The 64-byte Ed25519 signature of `data`."""
    return _private_key(private).sign(data)


def verifies(public: bytes, data: bytes, signature: bytes) -> bool:
    """Whether `signature` is `public`'s signature of `data` (False for a malformed key or signature)."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes(public)).verify(bytes(signature), data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _private_key(private: bytes) -> Ed25519PrivateKey:
    if len(private) != KEY_BYTES:
        raise ValueError(f"an Ed25519 private key is {KEY_BYTES} raw bytes, got {len(private)}")
    return Ed25519PrivateKey.from_private_bytes(bytes(private))


def _check(fields: dict) -> str:
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def write_key_file(path: str | os.PathLike, region_code: str, region_name: str, public: bytes) -> KeyFile:
    """Write `public` (raw) as the region's key file at `path` (atomically); return what it holds."""
    public = bytes(public)
    if len(public) != KEY_BYTES:
        raise ValueError(f"an Ed25519 public key is {KEY_BYTES} raw bytes, got {len(public)}")
    fields = {"format": KEY_FILE_FORMAT, "version": KEY_FILE_VERSION, "algorithm": ALGORITHM,
              "region_code": str(region_code), "region_name": str(region_name),
              "public_key": base64.b64encode(public).decode("ascii"), "fingerprint": fingerprint(public)}
    text = json.dumps({**fields, "check": _check(fields)}, ensure_ascii=False, indent=2) + "\n"
    with atomic_output(path) as tmp:
        Path(tmp).write_bytes(text.encode("utf-8"))
    return KeyFile(fields["region_code"], fields["region_name"], public, fields["fingerprint"])


def read_key_file(path: str | os.PathLike) -> KeyFile:
    """The key file at `path`, or KeyFileRefused naming what is wrong with it."""
    name = Path(path).name
    foreign = KeyFileRefused(f"“{name}”不是绩效管理程序的公钥文件：请对方在本程序中导出公钥文件（{KEY_FILE_SUFFIX}）后再登记。")
    damaged = KeyFileRefused(f"公钥文件“{name}”已损坏（内容与校验值不符）：请对方重新导出公钥文件后再登记。")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_KEY_FILE + 1)
    except FileNotFoundError:
        raise KeyFileRefused(f"找不到公钥文件“{name}”，请重新选择。") from None
    except IsADirectoryError:
        raise KeyFileRefused(f"“{name}”是一个文件夹，不是公钥文件，请重新选择。") from None
    except OSError as exc:
        raise KeyFileRefused(f"无法读取公钥文件“{name}”（{exc.strerror or exc}），请检查文件后重试。") from exc
    if len(raw) > MAX_KEY_FILE:
        raise foreign
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise (damaged if KEY_FILE_FORMAT.encode() in raw else foreign) from None
    if not isinstance(data, dict) or data.get("format") != KEY_FILE_FORMAT:
        raise foreign
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > KEY_FILE_VERSION:
        raise KeyFileRefused(f"公钥文件“{name}”由更新版本的程序生成，请先升级本程序再登记。")
    check = data.pop("check", None)
    if version != KEY_FILE_VERSION or data.get("algorithm") != ALGORITHM or check != _check(data):
        raise damaged
    try:
        public = base64.b64decode(str(data["public_key"]), validate=True)
        code, region = data["region_code"], data["region_name"]
    except (KeyError, binascii.Error, ValueError):
        raise damaged from None
    if (len(public) != KEY_BYTES or data.get("fingerprint") != fingerprint(public)
            or not isinstance(code, str) or not isinstance(region, str) or not code.strip()):
        raise damaged
    return KeyFile(code, region, public, fingerprint(public))
