"""The daily log file: what a drop did, for whoever helps the salesperson afterwards.

One file per day in the user's log folder (``platformdirs.user_log_path``),
appended to by every run of that day. Every record passes through
:class:`~converter.erp.redact.RedactingFilter` on the way into the file, so keys,
passwords and tokens never reach it, whichever module logged them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from converter.erp.redact import RedactingFilter
from converter.paths import APP_NAME, log_dir

LOGGER = "converter"  # the package's top logger: every module's logger propagates here
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def log_file(day: date | None = None, folder: Path | None = None) -> Path:
    """The log file of ``day`` (default: today)."""
    day = day or date.today()
    return (folder or log_dir()) / f"{APP_NAME}-{day.isoformat()}.log"


@contextmanager
def run_log(folder: Path | None = None, level: int = logging.INFO) -> Iterator[Path]:
    """Log the ``converter`` package to today's file while the block runs; yields its path.

    The handler is removed afterwards, so a second run in the same process
    (tests, or a future GUI) neither doubles lines nor keeps the file open.
    """
    path = log_file(folder=folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    handler.setLevel(level)
    logger = logging.getLogger(LOGGER)
    old_level = logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > level:
        logger.setLevel(level)
    try:
        yield path
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        handler.close()
