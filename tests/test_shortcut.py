"""The drop icon for each platform: what it runs, and that the platform would accept it.

The Linux entry is checked with Debian's ``desktop-file-validate`` (skipped
when desktop-file-utils is not installed); its Exec line is split back into
arguments as the Desktop Entry spec says and must give the command exactly.
The Windows and macOS launchers are built here too: they are plain text.
"""

from __future__ import annotations

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
