"""The application's name and every per-user path it keeps files in.

Each comes from the platform's folders (``platformdirs``): config, data, logs.
Nothing else in the package builds one of these paths.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "offer-converter"


def config_path() -> Path:
    """The user's config file, in the platform's config folder."""
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def data_dir() -> Path:
    """The user's data folder for the converter."""
    return platformdirs.user_data_path(APP_NAME)


def default_journal_path() -> Path:
    """``journal.sqlite`` in the user's data folder."""
    return data_dir() / "journal.sqlite"


def default_backup_dir() -> Path:
    """Where copies of workbooks are kept before they are written to."""
    return data_dir() / "backups"


def sandbox_state_path() -> Path:
    """The practice server's company, kept between runs."""
    return data_dir() / "sandbox-state.json"


def log_dir() -> Path:
    """The user's log folder for the converter."""
    return platformdirs.user_log_path(APP_NAME)
