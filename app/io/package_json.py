"""The records of an exchange package as JSON lines (one object per line, UTF-8), with the values a
record holds surviving the trip exactly:

    Decimal  → {"$decimal": "12.30"}      (the string keeps its digits and scale)
    datetime → {"$datetime": "2023-10-15T09:30:00+08:00"}   (naive stays naive)
    date     → {"$date": "2023-10-15"}
    bytes    → {"$bytes": "<base64>"}
    a dict whose only key is one of these tags → {"$dict": [[key, value]]} (so it is not mistaken)

str, int (money is integer fen), float, bool, None, lists and dicts with str keys are JSON's own;
a tuple comes back as a list. Anything else is a programming error (TypeError) when writing.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
from decimal import Decimal
from typing import Any, Iterable

DECIMAL, DATETIME, DATE, BYTES, ESCAPED = "$decimal", "$datetime", "$date", "$bytes", "$dict"
TAGS = frozenset({DECIMAL, DATETIME, DATE, BYTES, ESCAPED})

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False).encode


def encode_value(value: Any) -> Any:
    """`value` as plain JSON data (see the module's table)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is dict:
        if len(value) == 1 and next(iter(value)) in TAGS:
            return {ESCAPED: [[_key(k), encode_value(v)] for k, v in value.items()]}
        return {_key(k): encode_value(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [encode_value(v) for v in value]
    if isinstance(value, Decimal):
        return {DECIMAL: str(value)}
    if isinstance(value, _dt.datetime):
        return {DATETIME: value.isoformat()}
    if isinstance(value, _dt.date):
        return {DATE: value.isoformat()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {BYTES: base64.b64encode(bytes(value)).decode("ascii")}
    for plain in (bool, int, str, float):  # enums and other subclasses: their plain value
        if isinstance(value, plain):
            return plain(value)
    if isinstance(value, dict):
        return encode_value(dict(value))
    raise TypeError(f"a package record cannot hold {kind.__name__}: {value!r}")


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError(f"a package record's keys are strings, not {type(key).__name__}: {key!r}")
    return str(key)


def _decode_object(obj: dict) -> Any:
    if len(obj) != 1:
        return obj
    ((tag, value),) = obj.items()
    if tag not in TAGS:
        return obj
    if tag == DECIMAL:
        if not isinstance(value, str):
            raise ValueError("a $decimal is a string")
        return Decimal(value)
    if tag == DATETIME:
        return _dt.datetime.fromisoformat(value)
    if tag == DATE:
        return _dt.date.fromisoformat(value)
    if tag == BYTES:
        return base64.b64decode(value, validate=True)
    return {str(k): v for k, v in value}


_decoder = json.JSONDecoder(object_hook=_decode_object)


def dump_rows(rows: Iterable[dict]) -> tuple[bytes, int]:
    """The JSON-lines bytes of `rows` (each a dict) and how many there were."""
    lines = []
    for row in rows:
        if not isinstance(row, dict):
            raise TypeError(f"a package record is a dict, not {type(row).__name__}")
        lines.append(_dumps(encode_value(row)))
    return ("".join(line + "\n" for line in lines)).encode("utf-8"), len(lines)


def load_rows(data: bytes) -> list[dict]:
    """The rows of JSON-lines `data`; ValueError (or TypeError) when a line is not a record."""
    rows = []
    for line in data.decode("utf-8").split("\n"):
        if not line:
            continue
        row = _decoder.decode(line)
        if not isinstance(row, dict):
            raise ValueError("a line of records is not an object")
        rows.append(row)
    return rows


def canonical(obj: Any) -> bytes:
    """`obj` (plain JSON data) as readable, stable UTF-8 bytes (sorted keys) — the manifest."""
    return (json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False) + "\n").encode("utf-8")


def dumps_value(value: Any) -> str:
    """One value as JSON text that `loads_value` gives back exactly (a conflict's two sides)."""
    return _dumps(encode_value(value))


def loads_value(text: str) -> Any:
    return _decoder.decode(text)
