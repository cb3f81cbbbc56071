"""Writing files so that a crash never leaves one half-written."""

from __future__ import annotations

import hashlib
import os
import re
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, BinaryIO

# a temporary file names its writer (process and computer), so a clean-up removes only
# those a killed process left, never one another process is writing right now
STALE_TEMPORARY_AFTER = 3600.0  # seconds: any temporary this old was left behind


def write_atomically(
    path: Path,
    data: bytes | Callable[[BinaryIO], None],
    check: Callable[[Path], None] | None = None,
    new_mode: int | None = None,
) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``.

    ``data`` is the bytes, or a function that writes them into the open file
    (a large file then never needs to be whole in memory). The temporary file
    is flushed to disk before the rename, so ``path`` holds either its old
    content or the whole new content, never a mix. ``check``,
    when given, is called with the temporary file once its bytes are on disk:
    whatever it raises stops the replace (and the temporary file is removed).
    The file keeps the permissions it had; a new one gets ``new_mode``, by
    default what a plain ``open()`` would give. This is the one atomic writer
    of the package.
    """
    folder = path.parent if str(path.parent) else Path(".")
    _remove_stale_temporaries(folder, path.name)
    prefix = f".{path.name}.{os.getpid()}-{_host_mark()}."
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    try:
        # mkstemp makes the file private (0600); keep the mode the file had, or the default
        os.chmod(tmp, _mode_for(path, new_mode))
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                data(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if check is not None:
            check(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def holds(path: Path, data: bytes) -> bool:
    """True when the file at ``path`` holds exactly ``data`` (read in pieces, never whole)."""
    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size != len(data):
            return False
        return holds_at(fh, 0, data, 0, len(data))


def holds_at(fh: IO[bytes], at: int, data: bytes, start: int, size: int) -> bool:
    """True when ``fh`` holds, from its offset ``at``, the ``size`` bytes of ``data`` from
    ``start``: read in pieces into one buffer, compared without copying ``data``."""
    fh.seek(at)
    piece = memoryview(bytearray(min(size, 1 << 20) or 1))
    done = 0
    while done < size:
        n = fh.readinto(piece[: min(len(piece), size - done)])  # type: ignore[attr-defined]
        if not n or not data.startswith(piece[:n], start + done):
            return False
        done += n
    return True


def _host_mark() -> str:
    """This computer, briefly and without its name (a temporary's name is seen by others)."""
    return hashlib.sha256(socket.gethostname().encode("utf-8")).hexdigest()[:8]


def process_alive(pid: int) -> bool:
    """True when process ``pid`` runs on this computer (or when that can't be told)."""
    if sys.platform == "win32":
        return _windows_process_alive(pid)  # os.kill(pid, 0) would end it on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


if sys.platform == "win32":

    def _windows_process_alive(pid: int) -> bool:
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.GetLastError() == 5  # access denied: it runs, as someone else
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)


def _remove_stale_temporaries(folder: Path, name: str) -> None:
    """Remove temporaries that a killed process left beside ``name`` (never the file itself,
    and never one that a running process, here or on another computer, is writing)."""
    writer = re.compile(rf"\.{re.escape(name)}\.(\d+)-([0-9a-f]{{8}})\..*\.tmp")
    for stale in folder.glob(f".{glob_escape(name)}.*.tmp"):
        try:
            match = writer.fullmatch(stale.name)
            if match and match.group(2) == _host_mark():
                left = not process_alive(int(match.group(1)))
            else:
                left = time.time() - stale.stat().st_mtime > STALE_TEMPORARY_AFTER
            if left:
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
