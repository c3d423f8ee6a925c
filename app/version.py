"""The version lives in one place, pyproject.toml; this reads it (also when frozen, where the
file is bundled as data)."""

import tomllib

from app.paths import project_file


def _read_version() -> str:
    try:
        with open(project_file("pyproject.toml"), "rb") as fh:
            return tomllib.load(fh)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0.0.0"


__version__ = _read_version()
