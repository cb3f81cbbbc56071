"""Who may write a workbook now: our own lock beside it, and the editors' owner files.

Before an upload touches a workbook it takes :func:`workbook_lock`: a lock file
beside the workbook, ``.NAME.offer-converter.lock``, created exclusively
(``O_CREAT | O_EXCL``, which also holds on a shared folder), naming the
process, the computer, the user and the time. A second upload of the same file
(a double drop, or a colleague dropping it on another computer) waits for the
first to finish, then reads the workbook the first one wrote. A lock whose
process is gone (same computer) or that is older than :data:`STALE_AFTER`
(another computer) was left by a crash: it is broken, under a second lock
file so that two processes never break one lock twice.

:func:`editor_holding` finds Excel's owner file (``~$NAME.xlsx``) and
LibreOffice's lock file (``.~lock.NAME.xlsx#``): the editor would later save its
older copy over the offer number, so such a workbook is not uploaded.
LibreOffice's lock names the computer; one left on this computer while no
LibreOffice runs is a crash leftover, reported and not obeyed.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from converter.errors import WorkbookBusy
from converter.fileio import process_alive

log = logging.getLogger(__name__)

STALE_AFTER = 30 * 60.0  # seconds: a lock from another computer older than this was left
BREAK_STALE_AFTER = 60.0  # seconds: breaking a lock takes milliseconds
DEFAULT_WAIT = 120.0  # seconds an upload waits for another one of the same workbook


@dataclass(frozen=True)
class Holder:
    """Who holds a lock: the process, computer and user, and since when."""

    pid: int
    host: str
    user: str
    since: str  # ISO time
    token: str = ""  # tells our own lock from one that replaced it

    def to_json(self) -> str:
        """The lock file's content."""
        return json.dumps(self.__dict__, ensure_ascii=False)

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        """The holder a lock file names, or None for one we can't read."""
        try:
            data = json.loads(text)
            return cls(
                int(data["pid"]),
                str(data["host"]),
                str(data["user"]),
                str(data["since"]),
                str(data.get("token", "")),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def age(self) -> float:
        """Seconds since the lock was taken (large when the time can't be read)."""
        try:
            return time.time() - datetime.fromisoformat(self.since).timestamp()
        except ValueError:
            return float("inf")


def lock_path(workbook: Path) -> Path:
    """Where the lock of ``workbook`` lies (hidden, so folder uploads skip it)."""
    return workbook.with_name(f".{workbook.name}.offer-converter.lock")


def _host() -> str:
    return socket.gethostname()


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return "?"


def _stale(holder: Holder | None, lock: Path) -> bool:
    """True when the lock's holder is gone: a crash left it."""
    if holder is None:
        try:
            return time.time() - lock.stat().st_mtime > BREAK_STALE_AFTER
        except FileNotFoundError:
            return True
    if holder.host.casefold() == _host().casefold():
        return not process_alive(holder.pid)
    return holder.age() > STALE_AFTER


def _create(lock: Path, holder: Holder) -> bool:
    """Create ``lock`` naming ``holder``; False when it exists already."""
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    try:
        os.write(fd, holder.to_json().encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if sys.platform == "win32":  # hidden there too, as Excel's own owner files are
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(lock), 0x2)  # FILE_ATTRIBUTE_HIDDEN
    return True


def _read(lock: Path) -> str | None:
    try:
        return lock.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None


def _break(lock: Path, seen: str) -> None:
    """Remove ``lock`` if it still holds ``seen`` (the stale content), under a break lock."""
    breaker = lock.with_name(lock.name + ".break")
    mine = Holder(os.getpid(), _host(), _user(), _now(), uuid.uuid4().hex)
    if not _create(breaker, mine):
        try:
            if time.time() - breaker.stat().st_mtime > BREAK_STALE_AFTER:
                breaker.unlink(missing_ok=True)  # a breaker that crashed while breaking
        except FileNotFoundError:
            pass
        return
    try:
        if _read(lock) == seen:
            lock.unlink(missing_ok=True)
            log.warning("removed the lock %s left by a crash (%s)", lock, seen)
    finally:
        breaker.unlink(missing_ok=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _pause(seconds: float) -> None:
    """Wait between two looks at a lock another process holds (its own function, so a
    test can tell when an upload is waiting)."""
    time.sleep(seconds)


@contextmanager
def workbook_lock(
    workbook: Path,
    wait: float = DEFAULT_WAIT,
    sleep: Callable[[float], None] | None = None,
) -> Iterator[Holder]:
    """Hold the lock of ``workbook`` for the ``with`` block.

    Waits up to ``wait`` seconds for another upload of it to finish; raises
    :class:`WorkbookBusy` after that, or when the folder can't take a lock file.
    """
    pause_for = sleep or _pause
    lock = lock_path(workbook)
    mine = Holder(os.getpid(), _host(), _user(), _now(), uuid.uuid4().hex)
    waited, pause = 0.0, 0.02
    while True:
        try:
            if _create(lock, mine):
                break
        except OSError as exc:
            raise WorkbookBusy(
                "workbook_lock_failed", file=workbook.name, reason=exc.strerror or exc
            ) from exc
        seen = _read(lock)
        if seen is None:
            continue  # released just now
        holder = Holder.parse(seen)
        if _stale(holder, lock):
            _break(lock, seen)
            continue
        if waited >= wait:
            raise WorkbookBusy(
                "workbook_busy",
                file=workbook.name,
                host=holder.host if holder else "?",
                user=holder.user if holder else "?",
                since=holder.since if holder else "?",
            )
        pause_for(pause)  # polling the file: another process, on any computer, holds it
        waited += pause
        pause = min(pause * 2, 0.5)
    try:
        yield mine
    finally:
        if (text := _read(lock)) is not None and Holder.parse(text) == mine:
            lock.unlink(missing_ok=True)


# --------------------------------------------------------------------------- editors


@dataclass(frozen=True)
class Editor:
    """An editor's owner or lock file beside a workbook, and what it says."""

    program: str  # "Excel" or "LibreOffice"
    owner_file: Path
    user: str
    host: str | None = None  # LibreOffice names the computer
    since: str | None = None
    leftover: bool = False  # left by a crash: reported, not obeyed


def _excel_user(data: bytes) -> str:
    """The user name in Excel's owner file: a length byte, then the name."""
    if not data:
        return "?"
    name = data[1 : 1 + data[0]].decode("latin-1", "replace").strip()
    return name or "?"


def _libreoffice_running() -> bool:
    """True when a LibreOffice process runs on this computer (or when that can't be told)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                comm = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if comm.startswith(("soffice", "oosplash")):
                return True
    return False


def editor_holding(workbook: Path) -> Editor | None:
    """The editor whose owner or lock file lies beside ``workbook``, if any."""
    name = workbook.name
    for owner in (workbook.with_name(f"~${name}"),):
        if owner.is_file():
            try:
                data = owner.read_bytes()[:200]
            except OSError:
                data = b""
            return Editor("Excel", owner, _excel_user(data))
    office = workbook.with_name(f".~lock.{name}#")
    if not office.is_file():
        return None
    try:
        text = office.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    # ",Full Name,sysuser,host,dd.mm.yyyy hh:mm,file:///...;" (LibreOffice's lock entries)
    fields = text.rstrip().rstrip(";").split(",")
    user = next((f for f in fields[:2] if f.strip()), "?").strip()
    host = fields[2].strip() if len(fields) > 3 else None
    since = fields[3].strip() if len(fields) > 4 else None
    here = host is not None and host.casefold() == _host().casefold()
    leftover = here and not _libreoffice_running()
    return Editor("LibreOffice", office, user, host, since, leftover)
