"""Backup copies of a workbook, made before it is replaced, and kept bounded.

Each write-back copies the workbook, exactly as it was read, into the backup
folder as ``<stem>.<YYYYmmdd-HHMMSS-ffffff>[-n]<suffix>``. Only the last
:data:`KEEP_LAST` backups of a workbook are kept, and none older than
:data:`KEEP_DAYS` days; the one just made is never removed.
"""

from __future__ import annotations

import errno
import itertools
import os
import re
from datetime import datetime, timedelta
from pathlib import Path

from converter.errors import WritebackError
from converter.fileio import glob_escape, holds

KEEP_LAST = 5
KEEP_DAYS = 30
DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"


def make_backup(path: Path, original: bytes, backup_dir: Path) -> Path:
    """Keep ``original`` (the bytes of ``path`` as read) in ``backup_dir``; return the copy.

    Where the folder is on the same disk, the backup is a hard link to the file
    as it is: the write-back then replaces the file by a rename, so the link
    keeps the original's bytes without writing them again. Elsewhere, or where
    links are refused, the bytes are written. Either way the file is checked to
    hold ``original`` still (the link's bytes are the file's): when it doesn't,
    no backup is left and :class:`WritebackError` ``wb_changed`` is raised.
    """
    stamp = datetime.now().strftime(_STAMP_FORMAT)
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _backup_error(path, backup_dir, exc) from exc
    linked = _linked_backup(path, original, backup_dir, stamp)
    if linked is not None:
        return linked
    try:
        if not holds(path, original):
            raise WritebackError("wb_changed", file=path.name)
        for n in itertools.count():
            backup = _backup_name(path, backup_dir, stamp, n)
            try:
                # "x": never replace an earlier backup that happens to share the name.
                fh = open(backup, "xb")  # closed by the "with" below
            except FileExistsError:
                continue
            break
        try:
            with fh:
                fh.write(original)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            backup.unlink(missing_ok=True)  # a half-written backup would be a trap later
            raise
    except OSError as exc:
        raise _backup_error(path, backup_dir, exc) from exc
    return backup


def _backup_name(path: Path, backup_dir: Path, stamp: str, n: int) -> Path:
    extra = f"-{n}" if n else ""
    return backup_dir / f"{path.stem}.{stamp}{extra}{path.suffix}"


def _linked_backup(path: Path, original: bytes, backup_dir: Path, stamp: str) -> Path | None:
    """A hard link to ``path`` in ``backup_dir``, or None where links can't be made.

    Raises :class:`WritebackError` ``wb_changed`` when the file no longer holds ``original``.
    """
    for n in itertools.count():
        backup = _backup_name(path, backup_dir, stamp, n)
        try:
            os.link(path, backup)
        except FileExistsError:
            continue
        except (OSError, NotImplementedError):
            return None  # another disk, a file system without links, a refusal: copy instead
        break
    try:
        same = holds(backup, original)
    except OSError:
        backup.unlink(missing_ok=True)
        return None  # the link can't be read back: copy instead, which says why it can't
    if not same:
        backup.unlink(missing_ok=True)
        raise WritebackError("wb_changed", file=path.name)
    return backup


def _backup_error(path: Path, backup_dir: Path, exc: OSError) -> WritebackError:
    if exc.errno in DISK_FULL:
        return WritebackError("wb_no_backup_disk_full", file=path.name, folder=backup_dir)
    return WritebackError(
        "wb_no_backup", file=path.name, folder=backup_dir, reason=exc.strerror or exc
    )


def prune_backups(path: Path, backup_dir: Path, keep: Path, now: datetime | None = None) -> None:
    """Remove the backups of ``path`` beyond the last :data:`KEEP_LAST` or older than
    :data:`KEEP_DAYS` days; ``keep`` (this run's) stays whatever its age.

    Best effort: a backup that can't be removed is left for the next run.
    """
    pattern = re.compile(
        re.escape(path.stem) + r"\.(\d{8}-\d{6}-\d{6})(?:-(\d+))?" + re.escape(path.suffix)
    )
    found: list[tuple[datetime, int, Path]] = []
    for candidate in backup_dir.glob(f"{glob_escape(path.stem)}.*{glob_escape(path.suffix)}"):
        match = pattern.fullmatch(candidate.name)
        if match is None:
            continue
        try:
            made = datetime.strptime(match.group(1), _STAMP_FORMAT)
        except ValueError:
            continue
        found.append((made, int(match.group(2) or 0), candidate))
    found.sort(reverse=True)
    oldest = (now or datetime.now()) - timedelta(days=KEEP_DAYS)
    for position, (made, _n, candidate) in enumerate(found):
        if candidate == keep:
            continue
        if position >= KEEP_LAST or made < oldest:
            try:
                candidate.unlink()
            except OSError:
                pass
