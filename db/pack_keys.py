"""Migrations that add rule-pack keys merge them into every stored pack with this: only the keys
a pack lacks are added (nested sections too); a county's own numbers are never overwritten."""

from __future__ import annotations

import json

import sqlalchemy as sa

_pack = sa.table("rule_pack", sa.column("id", sa.Integer), sa.column("content", sa.Text))


def merge_missing(stored: dict, added: dict) -> dict:
    for key, value in added.items():
        if key not in stored:
            stored[key] = value
        elif isinstance(value, dict) and isinstance(stored[key], dict):
            merge_missing(stored[key], value)
    return stored


def add_missing_keys(conn, added_json: str) -> None:
    """Merge the keys of `added_json` (fixed in the revision that calls this) into each stored pack."""
    added = json.loads(added_json)
    for pack_id, content in conn.execute(sa.select(_pack.c.id, _pack.c.content)).all():
        merged = json.dumps(merge_missing(json.loads(content), added), ensure_ascii=False, indent=2)
        if merged != content:
            conn.execute(_pack.update().where(_pack.c.id == pack_id).values(content=merged))
