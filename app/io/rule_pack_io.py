"""规则方案 files: the active pack written as a .json file for the townships, and one read back
(a file that is not JSON, or not a pack, is refused in a sentence; whether its values are usable is
the service's check)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.rules.validation import RejectedError


def write_pack(content: dict, path: str | Path) -> None:
    Path(path).write_text(json.dumps(content, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_pack(path: str | Path) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RejectedError(f"无法读取文件“{Path(path).name}”（{exc.strerror or exc}），请确认文件存在且未被占用。") from exc
    except UnicodeDecodeError as exc:
        raise RejectedError(f"文件“{Path(path).name}”不是规则方案（应为UTF-8编码的.json文件），未导入。") from exc
    try:
        content = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RejectedError(f"文件“{Path(path).name}”不是有效的规则方案：第{exc.lineno}行第{exc.colno}列格式有误，"
                            "未导入。请用本程序导出的规则方案文件。") from exc
    if not isinstance(content, dict) or "name" not in content:
        raise RejectedError(f"文件“{Path(path).name}”不是规则方案（缺少方案名称），未导入。请用本程序导出的规则方案文件。")
    return content
