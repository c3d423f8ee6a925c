"""Details go to a log file in the data folder; users see sentences, never tracebacks."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from app.paths import log_path

log = logging.getLogger("perfdesk")


def setup_logging(path: Path | None = None) -> Path:
    path = path or log_path()
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in log.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return path
