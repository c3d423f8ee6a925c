"""The version lives in one place, pyproject.toml; this reads it (also when frozen, where the
file is bundled as data). A plain search, not a TOML parser: it runs on every start."""

import re

from app.paths import project_file


def _read_version() -> str:
    try:
        text = project_file("pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return "0.0.0"
    found = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
    return found.group(1) if found else "0.0.0"


__version__ = _read_version()
