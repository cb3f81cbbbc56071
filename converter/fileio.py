"""Writing files so that a crash never leaves one half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(
    path: Path,
    data: bytes,
    check: Callable[[Path], None] | None = None,
    new_mode: int | None = None,
) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``.

    The temporary file is flushed to disk before the rename, so ``path`` holds
    either its old content or the whole new content, never a mix. ``check``,
    when given, is called with the temporary file once its bytes are on disk:
    whatever it raises stops the replace (and the temporary file is removed).
    The file keeps the permissions it had; a new one gets ``new_mode``, by
    default what a plain ``open()`` would give. This is the one atomic writer
    of the package.
    """
    folder = path.parent if str(path.parent) else Path(".")
    _remove_stale_temporaries(folder, path.name)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp makes the file private (0600); keep the mode the file had, or the default
        os.chmod(tmp, _mode_for(path, new_mode))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if check is not None:
            check(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_stale_temporaries(folder: Path, name: str) -> None:
    """Remove temporaries that a killed process left beside ``name`` (never the file itself)."""
    for stale in folder.glob(f".{glob_escape(name)}.*.tmp"):
        try:
            stale.unlink()
        except OSError:
            pass  # another process's, or not ours to remove: harmless to leave


def glob_escape(text: str) -> str:
    """``text`` with glob wildcards escaped, so a file named ``[1].xlsx`` matches itself."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _mode_for(path: Path, new_mode: int | None) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        if new_mode is not None:
            return new_mode
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
