"""What the 规则方案 page shows: the active pack's settings by section, and every stored version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional


@dataclass(frozen=True)
class PackSetting:
    section: str  # its title: 监控
    key: str  # the setting's path in the pack (pack_meanings.Setting.key): what an edit names
    label: str
    value: str  # as shown and typed
    kind: str
    meaning: str


@dataclass(frozen=True)
class PackSection:
    title: str
    meaning: str
    settings: tuple[PackSetting, ...]


@dataclass(frozen=True)
class PackVersion:
    version: int
    name: str
    saved_at: Optional[datetime]
    note: str
    active: bool
    changes: tuple[str, ...]  # in words, against the version before


@dataclass(frozen=True)
class PackView:
    name: str
    version: int
    sections: tuple[PackSection, ...]
    versions: tuple[PackVersion, ...]  # newest first
