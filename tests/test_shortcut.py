"""The drop icon for each platform: what it runs, and that the platform would accept it.

The Linux entry is checked with Debian's ``desktop-file-validate`` (skipped
when desktop-file-utils is not installed); its Exec line is split back into
arguments as the Desktop Entry spec says and must give the command exactly.
The Windows and macOS launchers are built here too: they are plain text.
"""

from __future__ import annotations

import shlex
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_drop import SCRIPT, desktop_exec, on_linux

from converter.cli import cli
from converter.desktop.shortcut import (
    applescript,
    exec_quote,
    install_shortcut,
    launcher_command,
    shortcut_name,
    windows_cmd,
)
from converter.i18n import EN, SV

# a program path with everything the Exec key's quoting rules are about
AWKWARD = '/opt/Mina program/Åsa\'s "offer" $HOME `x` 100% \\ converter'


def validate(entry: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate (Debian desktop-file-utils) is not installed")
    done = subprocess.run([tool, str(entry)], capture_output=True, text=True, check=False)
    # it prints nothing at all for a valid file; hints and warnings count as failures here
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_the_launcher_runs_this_installation() -> None:
    assert launcher_command() == [str(SCRIPT)]


def test_the_linux_entry_is_valid_and_runs_drop_with_the_files(tmp_path: Path) -> None:
    made = install_shortcut(tmp_path, "sv", system="linux", command=[str(SCRIPT)])
    assert made.path == tmp_path / "offer-converter-drop.desktop"
    validate(made.path)
    assert made.path.read_text(encoding="utf-8").splitlines() == [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=Upload offers",
        "Name[sv]=Ladda upp offerter",
        f"Comment={EN['shortcut_comment']}",
        f"Comment[sv]={SV['shortcut_comment']}",
        f"Exec={SCRIPT} drop --wait %F",
        "Icon=x-office-spreadsheet",
        "Terminal=true",
        "MimeType=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;"
        "application/vnd.ms-excel.sheet.macroEnabled.12;inode/directory;",
        "Categories=Office;",
    ]
    # desktops only launch entries on the Desktop that are executable
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o755


def test_an_awkward_program_path_survives_the_exec_quoting(tmp_path: Path) -> None:
    made = install_shortcut(
        tmp_path, "en", sandbox=True, system="linux", command=[AWKWARD], pinned_lang="sv"
    )
    assert made.path.name == "offer-converter-drop-sandbox.desktop"
    validate(made.path)
    assert desktop_exec(made.path) == [
        AWKWARD,
        "--lang",
        "sv",
        "drop",
        "--wait",
        "--sandbox",
        "%F",
    ]
    assert "Name=Upload offers (practice)" in made.path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("arg", "quoted"),
    [
        ("drop", "drop"),
        ("/home/åsa/bin/offer-converter", "/home/åsa/bin/offer-converter"),
        ("/opt/my app/run", '"/opt/my app/run"'),
        ('a"b', '"a\\"b"'),
        ("$HOME", '"\\$HOME"'),
        ("back\\slash", '"back\\\\slash"'),
        ("100%", "100%%"),
    ],
)
def test_exec_quoting_follows_the_desktop_entry_spec(arg: str, quoted: str) -> None:
    assert exec_quote(arg) == quoted


def test_the_windows_cmd_passes_every_dropped_file() -> None:
    exe = r"C:\Users\Åsa Öberg\AppData\Local\Programs\Python\Scripts\offer-converter.exe"
    text = windows_cmd(
        [exe],
        ["--lang", "sv", "drop", "--wait", "--sandbox"],
        "Släpp Excel-offerter här",
        "offer-converter finns inte längre på 100% & mer",
    )
    assert text.split("\r\n") == [
        "@echo off",
        "rem Släpp Excel-offerter här",
        # before any line with the path: cmd decodes each line in the current code page
        "chcp 65001 >nul",
        f'if not exist "{exe}" goto missing',
        f'"{exe}" --lang sv drop --wait --sandbox %*',
        "exit /b %errorlevel%",
        ":missing",
        "echo offer-converter finns inte längre på 100%% ^& mer",
        "pause",
        "exit /b 1",
        "",
    ]
    assert "\n" not in text.replace("\r\n", "")


def test_the_windows_cmd_is_written_in_utf8_without_a_bom(tmp_path: Path) -> None:
    made = install_shortcut(
        tmp_path, "sv", system="windows", command=[r"C:\Program Files (x86)\oc\offer-converter.exe"]
    )
    assert made.path == tmp_path / "Ladda upp offerter.cmd"
    data = made.path.read_bytes()
    assert data.startswith(b"@echo off\r\n")  # a BOM would break the first command
    assert b'"C:\\Program Files (x86)\\oc\\offer-converter.exe" drop --wait %*\r\n' in data


def test_macos_without_osacompile_leaves_the_script_and_instructions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    made = install_shortcut(
        tmp_path, "sv", system="macos", command=["/Users/åsa/.venv/bin/offer-converter"]
    )
    assert (made.path, made.compiled) == (tmp_path / "Ladda upp offerter.applescript", False)
    source = made.path.read_text(encoding="utf-8")
    # shlex quotes the non-ASCII path; Terminal hands the line to the shell as it is
    assert "property baseCommand : \"'/Users/åsa/.venv/bin/offer-converter' drop --wait\"" in source
    assert "quoted form of POSIX path of anItem" in source


def test_macos_droplet_is_compiled_with_osacompile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "osacompile"  # records what it is asked to compile
    fake.write_text(
        '#!/bin/sh\nPATH=/usr/bin:/bin\nmkdir -p "$2" && cp "$3" "$2/source.applescript"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    command = ["/Applications/My Tools/offer-converter"]
    made = install_shortcut(tmp_path / "Desktop", "en", system="macos", command=command)
    assert (made.path, made.compiled) == (tmp_path / "Desktop" / "Upload offers.app", True)
    expected = applescript(command, ["drop", "--wait"], EN["shortcut_comment"])
    assert (made.path / "source.applescript").read_text(encoding="utf-8") == expected
    assert "property baseCommand : \"'/Applications/My Tools/offer-converter' drop --wait\"" in (
        expected
    )


@on_linux
def test_install_shortcut_command_pins_only_a_language_chosen_then(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["install-shortcut", "--dir", str(tmp_path)])
    entry = tmp_path / "offer-converter-drop.desktop"
    fill_entry = tmp_path / "offer-converter-fill.desktop"
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"The icon is ready: {entry}",
        f"The icon is ready: {fill_entry}",
        EN["shortcut_how"],
        EN["shortcut_fill_how"],
        EN["shortcut_linux_trust"],
    ]
    assert desktop_exec(entry)[1:] == ["drop", "--wait", "%F"]
    assert desktop_exec(fill_entry)[1:] == ["drop", "--wait", "--fill", "%F"]
    text = fill_entry.read_text(encoding="utf-8")
    assert "Name=Fetch prices and names\n" in text and "Name[sv]=Hämta priser och namn\n" in text

    swedish = CliRunner().invoke(
        cli, ["--lang", "sv", "install-shortcut", "--sandbox", "--dir", str(tmp_path)]
    )
    assert swedish.exit_code == 0
    assert swedish.output.splitlines()[0] == (
        f"Ikonen är klar: {tmp_path / 'offer-converter-drop-sandbox.desktop'}"
    )
    sandbox_entry = tmp_path / "offer-converter-drop-sandbox.desktop"
    assert desktop_exec(sandbox_entry)[1:] == ["--lang", "sv", "drop", "--wait", "--sandbox", "%F"]
    fill_sandbox = tmp_path / "offer-converter-fill-sandbox.desktop"
    assert desktop_exec(fill_sandbox)[1:] == [
        "--lang", "sv", "drop", "--wait", "--fill", "--sandbox", "%F"
    ]  # fmt: skip
    assert "Name[sv]=Hämta priser och namn (övning)\n" in fill_sandbox.read_text(encoding="utf-8")


def test_the_fill_icon_on_windows_runs_drop_fill_with_the_dropped_files(tmp_path: Path) -> None:
    made = install_shortcut(tmp_path, "sv", system="windows", command=["C:\\oc.exe"], fill=True)
    assert made.path == tmp_path / "Hämta priser och namn.cmd"
    text = made.path.read_bytes().decode("utf-8")
    assert "C:\\oc.exe drop --wait --fill %*\r\n" in text


def test_install_shortcut_pins_a_language_typed_after_the_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["install-shortcut", "--lang", "sv", "--dir", str(tmp_path)])
    entry = tmp_path / "offer-converter-drop.desktop"
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == f"Ikonen är klar: {entry}"
    assert desktop_exec(entry)[1:] == ["--lang", "sv", "drop", "--wait", "%F"]


def test_install_shortcut_says_when_the_folder_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "a file").write_text("x")
    folder = tmp_path / "a file" / "Desktop"
    result = CliRunner().invoke(cli, ["install-shortcut", "--dir", str(folder)])
    assert result.exit_code == 2
    assert result.output == f"The icon could not be made in {folder}: Not a directory\n"


# --- the Windows and macOS launchers, read by the rules of their shells ------------------------

WINDOWS_EXE = r"C:\Users\Åsa Öberg\Mina program (x86)\100% & mer;=,\offer-converter.exe"


def cmd_expand(line: str, dropped: str) -> str:
    """A batch-file line after cmd's first phase: ``%%`` is ``%``, ``%*`` the arguments the
    file was started with, any other ``%name%`` a variable (none is set here: empty)."""
    out, i = [], 0
    while i < len(line):
        if line[i] != "%":
            out.append(line[i])
            i += 1
        elif line[i + 1 : i + 2] == "%":
            out.append("%")
            i += 2
        elif line[i + 1 : i + 2] == "*":
            out.append(dropped)
            i += 2
        else:
            end = line.index("%", i + 1)  # an unclosed % would be a mistake of ours
            i = end + 1
    return "".join(out)


def cmd_commands(line: str) -> list[str]:
    """The line split where cmd would start another command (``&``, ``|``, ``<``, ``>``
    outside quotes); ``^`` outside quotes escapes the next character."""
    commands, current, quoted, i = [], [], False, 0
    while i < len(line):
        c = line[i]
        if c == '"':
            quoted = not quoted
        elif not quoted and c == "^":
            i += 1
            c = line[i]
        elif not quoted and c in "&|<>":
            commands.append("".join(current))
            current, i = [], i + 1
            continue
        current.append(c)
        i += 1
    return [*commands, "".join(current)]


def msvcrt_argv(command_line: str) -> list[str]:
    """A command line split into argv the way Python's startup code (the C runtime) does."""
    args: list[str] = []
    current: list[str] = []
    quoted = in_arg = False
    i = 0
    while i < len(command_line):
        c = command_line[i]
        if c == "\\":
            slashes = len(command_line[i:]) - len(command_line[i:].lstrip("\\"))
            i += slashes
            if command_line[i : i + 1] == '"':
                current.append("\\" * (slashes // 2))
                if slashes % 2:
                    current.append('"')
                    i += 1
            else:
                current.append("\\" * slashes)
            in_arg = True
            continue
        if c == '"':
            if quoted and command_line[i + 1 : i + 2] == '"':
                current.append('"')  # "" inside quotes: a quote
                i += 2
                continue
            quoted, in_arg = not quoted, True
        elif c in " \t" and not quoted:
            if in_arg:
                args.append("".join(current))
                current, in_arg = [], False
        else:
            current.append(c)
            in_arg = True
        i += 1
    if in_arg:
        args.append("".join(current))
    return args


def explorer_arguments(paths: list[str]) -> str:
    """What Explorer passes a .cmd for the files dropped on it: each path, quoted when it
    has a space."""
    return " ".join(f'"{p}"' if " " in p else p for p in paths)


def test_the_windows_cmd_gives_the_program_exactly_the_dropped_files(tmp_path: Path) -> None:
    made = install_shortcut(tmp_path, "sv", sandbox=True, system="windows", command=[WINDOWS_EXE])
    assert made.path.name == "Ladda upp offerter (övning).cmd"
    text = made.path.read_bytes().decode("utf-8")  # UTF-8, no BOM (a BOM breaks line 1)
    lines = text.split("\r\n")
    assert lines[-1] == "" and all("\n" not in line for line in lines)  # CRLF only
    chcp = lines.index("chcp 65001 >nul")
    # cmd reads each line in the code page in force: before chcp only ASCII (and a remark)
    assert all(line.isascii() or line.startswith("rem ") for line in lines[:chcp])
    assert chcp < min(i for i, line in enumerate(lines) if "Åsa" in line)
    dropped = [
        r"C:\Users\Åsa Öberg\Offerter\Offert Berglunds 013.xlsx",
        r"D:\Kund_Östergård.xlsx",
        r"C:\Users\Åsa Öberg\Offerter\Mapp med offerter",
    ]
    run = [line for line in lines if "%*" in line]
    assert len(run) == 1 and run[0].endswith(" %*")  # every dropped file, after the options
    expanded = cmd_expand(run[0], explorer_arguments(dropped))
    assert cmd_commands(expanded) == [expanded]  # & ; = , ( ) in the path start nothing
    assert msvcrt_argv(expanded) == [WINDOWS_EXE, "drop", "--wait", "--sandbox", *dropped]
    check = next(line for line in lines if line.startswith("if not exist "))
    assert msvcrt_argv(cmd_expand(check, ""))[3] == WINDOWS_EXE  # the same program is checked
    echo = next(line for line in lines if line.startswith("echo "))
    assert cmd_commands(cmd_expand(echo, "")) == [
        "echo " + SV["shortcut_program_missing"].format(path=WINDOWS_EXE)
    ]


def test_the_cmd_rules_used_here_are_cmds() -> None:
    # the examples Microsoft documents for the C runtime's parsing, and cmd's own
    assert msvcrt_argv(r'"a b c" d e') == ["a b c", "d", "e"]
    assert msvcrt_argv(r'"ab\"c" "\\" d') == ['ab"c', "\\", "d"]
    assert msvcrt_argv(r'a\\\b d"e f"g h') == [r"a\\\b", "de fg", "h"]
    assert msvcrt_argv(r"a\\\"b c d") == [r"a\"b", "c", "d"]
    assert msvcrt_argv(r'a\\\\"b c" d e') == [r"a\\b c", "d", "e"]
    assert cmd_commands('echo a ^& b & "x & y"') == ["echo a & b ", ' "x & y"']
    assert cmd_expand("x %% %errorlevel% %*", '"a b"') == 'x %  "a b"'


MAC_PROGRAM = '/Users/åsa/Mina program/Åsa\'s "offer" $HOME `x` \\ converter/offer-converter'


def applescript_string(source: str, name: str) -> str:
    """The value of ``property name : "..."`` with AppleScript's escapes undone."""
    line = next(line for line in source.splitlines() if line.startswith(f"property {name} : "))
    literal = line.split(" : ", 1)[1]
    assert literal[0] == literal[-1] == '"'
    out, i = [], 1
    while i < len(literal) - 1:
        c = literal[i]
        if c == "\\":
            i += 1
            c = literal[i]
        else:
            assert c != '"', f"an unescaped quote ends the string early: {literal}"
        out.append(c)
        i += 1
    return "".join(out)


def quoted_form(path: str) -> str:
    """AppleScript's ``quoted form of``: the text in single quotes, each ' as '\\''."""
    return "'" + path.replace("'", "'\\''") + "'"


def test_the_macos_droplet_runs_the_program_with_exactly_the_dropped_files() -> None:
    source = applescript([MAC_PROGRAM], ["--lang", "sv", "drop", "--wait"], SV["shortcut_comment"])
    base = applescript_string(source, "baseCommand")
    dropped = ["/Users/åsa/Offerter/Offert Berglunds 013.xlsx", "/Volumes/USB/Kund 'Ö'.xlsx"]
    # on open: baseCommand & (" " & quoted form of each file) & "; exit", typed into the shell
    assert '\t\tset arguments to arguments & " " & quoted form of POSIX path of anItem' in (
        source.splitlines()
    )
    assert '\t\tdo script baseCommand & arguments & "; exit"' in source.splitlines()
    line = base + "".join(" " + quoted_form(p) for p in dropped)
    assert shlex.split(line) == [MAC_PROGRAM, "--lang", "sv", "drop", "--wait", *dropped]


@pytest.mark.skipif(not Path("/bin/sh").exists(), reason="needs a POSIX shell")
def test_a_posix_shell_runs_the_droplets_line_with_exactly_the_dropped_files(
    tmp_path: Path,
) -> None:
    """What Terminal types into the shell, run by /bin/sh: a stand-in program at an awkward
    path prints the arguments it was given."""
    dropped = ["/Users/åsa/Offerter/Offert Berglunds 013.xlsx", "/Volumes/USB/Kund 'Ö'.xlsx"]
    program = Path(tmp_path / MAC_PROGRAM.lstrip("/"))
    program.parent.mkdir(parents=True)
    program.write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n')
    program.chmod(0o755)
    stand_in = applescript([str(program)], ["drop", "--wait"], "x")
    line = applescript_string(stand_in, "baseCommand") + "".join(
        " " + quoted_form(p) for p in dropped
    )
    done = subprocess.run(
        ["/bin/sh", "-c", line + "; exit"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["drop", "--wait", *dropped]


def test_the_readme_names_the_icon_each_system_gets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no osacompile: the name is the same
    for system in ("windows", "linux", "macos"):
        made = install_shortcut(tmp_path / system, "sv", system=system, command=["/x/oc"])
        name = made.path.name if system != "macos" else f"{made.path.stem}.app"
        assert f"`{name}`" in readme, name
    for lang in ("sv", "en"):
        for sandbox in (False, True):
            assert f"*{shortcut_name(lang, sandbox)}*" in readme
