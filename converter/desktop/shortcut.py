"""The drop icons: launchers on the Desktop that run ``offer-converter drop --wait FILES``.

Two icons: *Ladda upp offerter* uploads what is dropped on it, *Hämta priser
och namn* (``drop --wait --fill``) fills names, units and prices in from
SoftOne GO first.

One launcher per platform, each passing the dropped files as separate arguments:

- **Windows**: a ``.cmd`` file; Explorer runs it with the dropped files as ``%*``.
- **Linux**: a ``.desktop`` entry with ``Exec=... %F`` and ``Terminal=true``.
- **macOS**: an AppleScript droplet compiled with ``osacompile``; its ``on open``
  handler opens Terminal with the files. Without ``osacompile`` the script is
  written next to where the droplet would be, with instructions.

The text builders are pure functions of the command to run, so each platform's
launcher can be built and checked on any platform.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import platformdirs

from converter.fileio import write_atomically
from converter.i18n import Lang, render

System = Literal["windows", "linux", "macos"]
SCRIPT_NAME = "offer-converter"
DESKTOP_ICON = "x-office-spreadsheet"  # from the freedesktop icon naming spec: every theme has it
DESKTOP_MIME_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel.sheet.macroEnabled.12",
    "inode/directory",
)


def current_system() -> System:
    """The platform this Python runs on, as the launcher kinds name it."""
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def desktop_dir() -> Path:
    """The user's Desktop folder (localized or redirected ones included, e.g. OneDrive)."""
    return platformdirs.user_desktop_path()


def launcher_command() -> list[str]:
    """The command that starts this installation of offer-converter.

    The console script of the running environment is preferred, so the icon
    keeps working from any folder and without an activated virtualenv; when
    there is none (an unusual install), Python runs the package instead.
    """
    name = SCRIPT_NAME + (".exe" if os.name == "nt" else "")
    script = Path(sysconfig.get_path("scripts")) / name
    if script.is_file():
        return [str(script)]
    found = shutil.which(SCRIPT_NAME)
    if found:
        return [found]
    return [sys.executable, "-m", "converter"]


def drop_arguments(
    sandbox: bool = False, lang: Lang | None = None, fill: bool = False
) -> list[str]:
    """The arguments the icon passes before the dropped files.

    ``lang`` is only baked in when it was chosen explicitly at install time;
    otherwise each run follows the system language. ``fill`` makes the second
    icon's: fetch names and prices instead of uploading.
    """
    args = ["--lang", lang] if lang else []
    args += ["drop", "--wait"]
    if fill:
        args.append("--fill")
    if sandbox:
        args.append("--sandbox")
    return args


def shortcut_name(lang: Lang, sandbox: bool, fill: bool = False) -> str:
    """The icon's title in ``lang``: *Ladda upp offerter*, or *Hämta priser och namn*."""
    code = "shortcut_fill_name" if fill else "shortcut_name"
    return render(f"{code}_sandbox" if sandbox else code, lang)


def _comment(lang: Lang, fill: bool) -> str:
    return render("shortcut_fill_comment" if fill else "shortcut_comment", lang)


# --------------------------------------------------------------------------- Windows


def _cmd_quote(arg: str) -> str:
    """``arg`` for a batch file line: %-signs doubled, quoted when it has spaces or specials."""
    arg = arg.replace("%", "%%")
    if any(c in arg for c in ' \t&|<>^()",;='):
        return '"' + arg.replace('"', '""') + '"'
    return arg


def _cmd_echo(text: str) -> str:
    """``text`` safe after ``echo`` in a batch file."""
    text = text.replace("%", "%%")
    for special in "^&|<>":
        text = text.replace(special, "^" + special)
    return text


def windows_cmd(command: list[str], args: list[str], comment: str, missing: str) -> str:
    """The ``.cmd`` launcher: runs ``command args %*`` and explains when the program is gone.

    The file is UTF-8 and switches the console to UTF-8 (``chcp 65001``) before
    any line with a path: cmd decodes each line with the current code page, so
    a path like ``C:\\Users\\Åsa`` would otherwise be misread. Lines end in CRLF,
    as cmd expects.
    """
    program = command[0]
    line = " ".join(_cmd_quote(a) for a in [*command, *args]) + " %*"
    lines = [
        "@echo off",
        f"rem {_cmd_echo(comment)}",
        "chcp 65001 >nul",
        f"if not exist {_cmd_quote(program)} goto missing",
        line,
        "exit /b %errorlevel%",
        ":missing",
        f"echo {_cmd_echo(missing)}",
        "pause",
        "exit /b 1",
    ]
    return "\r\n".join(lines) + "\r\n"


# --------------------------------------------------------------------------- Linux

# Characters that make an Exec argument need quoting (Desktop Entry spec, "The Exec key").
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def exec_quote(arg: str) -> str:
    """One argument of an ``Exec`` line, quoted and escaped as the spec asks."""
    arg = arg.replace("%", "%%")
    if not any(c in _EXEC_RESERVED for c in arg):
        return arg
    inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{inner}"'


def _desktop_string(value: str) -> str:
    """A value as a desktop-file string: backslashes and line breaks escaped."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def desktop_entry(command: list[str], args: list[str], sandbox: bool, fill: bool = False) -> str:
    """The ``.desktop`` launcher: ``Exec=command args %F`` in a terminal, named in EN and SV."""
    exec_line = " ".join(exec_quote(a) for a in [*command, *args]) + " %F"
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        f"Name={_desktop_string(shortcut_name('en', sandbox, fill))}",
        f"Name[sv]={_desktop_string(shortcut_name('sv', sandbox, fill))}",
        f"Comment={_desktop_string(_comment('en', fill))}",
        f"Comment[sv]={_desktop_string(_comment('sv', fill))}",
        f"Exec={_desktop_string(exec_line)}",
        f"Icon={DESKTOP_ICON}",
        "Terminal=true",
        "MimeType=" + "".join(m + ";" for m in DESKTOP_MIME_TYPES),
        "Categories=Office;",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- macOS


def _applescript_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def applescript(command: list[str], args: list[str], comment: str) -> str:
    """The droplet's source: dropped items (or none) go to ``command args`` in Terminal."""
    shell = shlex.join([*command, *args])
    return "\n".join(
        [
            f"-- {comment}",
            f"property baseCommand : {_applescript_string(shell)}",
            "",
            "on open droppedItems",
            '\tset arguments to ""',
            "\trepeat with anItem in droppedItems",
            '\t\tset arguments to arguments & " " & quoted form of POSIX path of anItem',
            "\tend repeat",
            "\trunInTerminal(arguments)",
            "end open",
            "",
            "on run",
            '\trunInTerminal("")',
            "end run",
            "",
            "on runInTerminal(arguments)",
            '\ttell application "Terminal"',
            "\t\tactivate",
            '\t\tdo script baseCommand & arguments & "; exit"',
            "\tend tell",
            "end runInTerminal",
            "",
        ]
    )


# --------------------------------------------------------------------------- installing


@dataclass(frozen=True)
class Shortcut:
    """What :func:`install_shortcut` made: the launcher, or (macOS) the script to compile."""

    path: Path
    system: System
    compiled: bool = True  # False: osacompile was missing; ``path`` is the script to export


def install_shortcut(
    directory: Path,
    lang: Lang,
    sandbox: bool = False,
    system: System | None = None,
    command: list[str] | None = None,
    pinned_lang: Lang | None = None,
    fill: bool = False,
) -> Shortcut:
    """Write the drop icon for ``system`` (default: this one) into ``directory``.

    An existing icon of the same name is replaced, so running this again after
    reinstalling points the icon at the new program. ``pinned_lang`` is passed
    to every run; ``lang`` names the icon and its messages. ``fill`` makes the
    second icon, *Hämta priser och namn*: the same window, fetching names and
    prices into the dropped workbooks instead of uploading them.
    """
    system = system or current_system()
    command = command or launcher_command()
    args = drop_arguments(sandbox, pinned_lang, fill)
    name = shortcut_name(lang, sandbox, fill)
    comment = _comment(lang, fill)
    directory.mkdir(parents=True, exist_ok=True)
    if system == "windows":
        path = directory / f"{name}.cmd"
        missing = render("shortcut_program_missing", lang, path=command[0])
        write_atomically(path, windows_cmd(command, args, comment, missing).encode("utf-8"))
        return Shortcut(path, system)
    if system == "linux":
        suffix = "-sandbox" if sandbox else ""
        kind = "fill" if fill else "drop"
        path = directory / f"{SCRIPT_NAME}-{kind}{suffix}.desktop"
        write_atomically(path, desktop_entry(command, args, sandbox, fill).encode("utf-8"))
        # desktops only launch entries on the Desktop that are executable (and trusted)
        path.chmod(0o755)
        _trust(path)
        return Shortcut(path, system)
    return _install_droplet(directory, name, applescript(command, args, comment))


def _trust(path: Path) -> None:
    """Mark a desktop entry trusted for GNOME, best effort: without it, GNOME asks once."""
    gio = shutil.which("gio")
    if gio is None:
        return
    try:
        subprocess.run(
            [gio, "set", str(path), "metadata::trusted", "true"],
            capture_output=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        pass  # no GVfs metadata on this system; the user allows launching once by hand


def _install_droplet(directory: Path, name: str, source: str) -> Shortcut:
    osacompile = shutil.which("osacompile")
    if osacompile is not None:
        app = directory / f"{name}.app"
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "drop.applescript"
            script.write_text(source, encoding="utf-8")
            if app.exists():
                shutil.rmtree(app)
            try:
                subprocess.run(
                    [osacompile, "-o", str(app), str(script)],
                    check=True,
                    capture_output=True,
                    timeout=60,
                )
                return Shortcut(app, "macos")
            except (OSError, subprocess.SubprocessError):
                pass  # fall back to the script and the instructions below
    script = directory / f"{name}.applescript"
    write_atomically(script, source.encode("utf-8"))
    return Shortcut(script, "macos", compiled=False)
