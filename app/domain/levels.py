"""The one spelling of 一级/二级指标 the program stores, and the spellings users bring.

The provincial 一体化 systems and county spreadsheets write the levels with 指标 after them
(产出指标, 数量指标, 服务对象满意度指标); the program stores the short words the rule pack and the
library use (产出, 数量, 服务对象满意度). `level1` / `level2` turn any known spelling (full-width or
half-width, spaces anywhere) into that form; text they do not know is returned stripped, as typed,
for the checks to judge."""

from __future__ import annotations

import re
import unicodedata

# The canonical words. LEVEL1 is app.domain.targets.LEVEL1 (kept equal by tests/unit/test_real_files.py).
LEVEL1 = ("产出", "效益", "满意度", "履职效能", "管理效率")
LEVEL2 = ("数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "可持续影响", "服务对象满意度")

_SUFFIX = "指标"


def _key(text) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", "" if text is None else str(text)))


def _canonical(text, words: tuple[str, ...]) -> str:
    plain = "" if text is None else str(text).strip()
    key = _key(plain)
    if key in words:
        return key
    if key.endswith(_SUFFIX) and key[: -len(_SUFFIX)] in words:
        return key[: -len(_SUFFIX)]
    return plain


def level1(text) -> str:
    """一级指标 as stored: 产出指标 → 产出, 满意度指标 → 满意度; unknown text stripped, as typed."""
    return _canonical(text, LEVEL1)


def level2(text) -> str:
    """二级指标 as stored: 数量指标 → 数量, 服务对象满意度指标 → 服务对象满意度; other text (a county's
    own 二级指标) stripped, as typed."""
    return _canonical(text, LEVEL2)
