"""The drop icon's command, run the way the operating system runs it.

The launcher tests start the installed ``offer-converter`` console script as a
separate process: the dropped paths as separate arguments (with spaces and
åäö), another working directory, no TTY, the sandbox, and user folders that
point into ``tmp_path`` so nothing touches the real home. Tests that need to
swap a function out (a workbook locked by Excel, a crash) run in-process.
"""

from __future__ import annotations

import importlib
import os
import re
import select
import subprocess
import sys
import time
import zipfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import CellSpec, build_workbook, offer_sheet

import converter.writeback.patch as patch_module
import converter.writeback.workbook as writeback
from converter.cli import cli
from converter.cli.drop import advice, problem_text
from converter.desktop.logs import log_file
from converter.erp.redact import register_secret
from converter.i18n import EN, SV
from converter.model.cells import CellRef
from converter.model.mapped import FileReport, Problem
from converter.pipeline import FileUpload, UploadRun
from converter.sandbox.state import SandboxState

SCRIPT = Path(sys.executable).with_name("offer-converter")
# The icon these tests drop on is the one install-shortcut makes here: a Linux desktop entry.
on_linux = pytest.mark.skipif(sys.platform != "linux", reason="drops on a Linux desktop entry")
posix_terminal = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
NBSP = "\u00a0"
GOOD_ROWS: list[list[CellSpec]] = [
    [1, "A11", "Arbetskostnad", 5, "Tim", 580],
    [2, "A12", "Installationsmaterial", 1, "St", 7400],
    [3, "A14", "Resor", 1, "St", 250],
]  # 3 rows, 10 550,00 kr
# the fifth row lands on Excel row 12: Antal "fem" is in D12, as in the issue
BAD_ROWS: list[list[CellSpec]] = [
    *GOOD_ROWS,
    [4, "A11", "Arbete", 1, "Tim", 580],
    [5, "A11", "Arbete", "fem", "Tim", 580],
]
FIX_SV = (
    "Rätta det som står efter ✗, spara och stäng filen och släpp den här igen. "
    "Offerter som redan är uppladdade skickas inte två gånger."
)


def offer(customer: str, rows: list[list[CellSpec]]) -> dict[str, CellSpec]:
    header: dict[str, CellSpec] = {
        "A1": "Kundnr",
        "B1": customer,
        "A2": "Offertdatum",
        "B2": datetime(2026, 1, 30),
        "A3": "Offertnr",
    }
    return offer_sheet(header, rows, grid_row=7)


def dropped_files(folder: Path) -> tuple[Path, Path]:
    """Two workbooks in a folder whose names have spaces and åäö: one good, one with an error."""
    folder.mkdir(parents=True, exist_ok=True)
    first = build_workbook(folder / "Offert Åsa 013.xlsx", {"Offert": offer("013", GOOD_ROWS)})
    second = build_workbook(
        folder / "Kund Östergård.xlsx",
        {"Offert 1": offer("4416", GOOD_ROWS), "Offert 2": offer("4416", BAD_ROWS)},
    )
    return first, second


def user_env(home: Path, lang: str = "sv_SE.UTF-8", **extra: str) -> dict[str, str]:
    """The environment of a user whose folders are all under ``home``, in language ``lang``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SOFTONE_", "LC_", "XDG_")) and k not in ("LANG", "LANGUAGE")
    }
    env.pop("OFFER_CONVERTER_DEBUG", None)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        LANG="C.UTF-8",  # the encoding; the message language comes from LC_MESSAGES
        LC_MESSAGES=lang,
    )
    env.update(extra)
    return env


def today_log(home: Path) -> Path:
    return log_file(date.today(), home / "state" / "offer-converter" / "log")


def sandbox_offers(home: Path) -> list[dict[str, object]]:
    """The offers the in-process sandbox of ``drop --sandbox`` stored, read from its state."""
    return SandboxState.open(home / "data" / "offer-converter" / "sandbox-state.json").offers()


def desktop_exec(entry: Path) -> list[str]:
    """The Exec line of a desktop entry split into arguments as the Desktop Entry spec says.

    The string escapes come off first, then the quoting: inside double quotes a
    backslash escapes a double quote, a backtick, a dollar sign or a backslash.
    """
    text = entry.read_text(encoding="utf-8")
    (value,) = re.findall(r"^Exec=(.*)$", text, flags=re.MULTILINE)
    escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    value = re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), value)
    args: list[str] = []
    current: list[str] | None = None
    quoted = False
    chars = iter(value)
    for c in chars:
        if quoted:
            if c == "\\":
                c = next(chars)
                assert c in '"`$\\', f"undefined escape \\{c} in {value!r}"
            elif c == '"':
                quoted = False
                continue
            current = (current or []) + [c]
        elif c == '"':
            quoted, current = True, current or []
        elif c == " ":
            if current is not None:
                args.append("".join(current))
            current = None
        else:
            current = (current or []) + [c]
    assert not quoted, f"unterminated quote in {value!r}"
    if current is not None:
        args.append("".join(current))
    return [a.replace("%%", "%") for a in args]


def launch(
    exec_args: list[str], files: list[Path], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """Run a launcher's command the way a file manager does: %F becomes one argument per file."""
    argv: list[str] = []
    for arg in exec_args:
        argv += [str(f) for f in files] if arg == "%F" else [arg]
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        argv,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def icon(tmp_path: Path) -> list[str]:
    """The training icon, made by ``offer-converter install-shortcut --sandbox`` itself."""
    desktop = tmp_path / "home" / "Desktop"
    made = subprocess.run(
        [str(SCRIPT), "install-shortcut", "--sandbox", "--dir", str(desktop)],
        env=user_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    entry = desktop / "offer-converter-drop-sandbox.desktop"
    assert made.stdout.splitlines()[0] == f"Ikonen är klar: {entry}"
    return desktop_exec(entry)


# --- the launcher, as the operating system runs it -------------------------------------------


@on_linux
def test_files_dropped_on_the_icon_are_uploaded_with_a_summary_in_swedish(
    tmp_path: Path, icon: list[str]
) -> None:
    assert icon == [str(SCRIPT), "drop", "--wait", "--sandbox", "%F"]
    home = tmp_path / "home"
    first, second = dropped_files(tmp_path / "Mina offerter å ä ö")
    done = launch(icon, [first, second], user_env(home), cwd=tmp_path / "någon annanstans")

    log = today_log(home)
    assert done.stdout.splitlines() == [
        "Laddar upp till övningsservern (sandlådan), inte till SoftOne GO …",
        "",
        "Offert Åsa 013.xlsx",
        f"  ✓ Offert 486 skapad för 013 Berglunds (3 rader, 10{NBSP}550,00 kr)",
        "  Inskrivet i arbetsboken: Offertnr 486.",
        "",
        "Kund Östergård.xlsx",
        f"  ✓ Offert 487 skapad för 4416 Jensfjergen AB (3 rader, 10{NBSP}550,00 kr)",
        '  ✗ Offert 2: Antal "fem" i D12 är inte ett tal',
        "  Inskrivet i arbetsboken: Offertnr 487, och felet bredvid Offertnr för varje offert "
        "med ✗.",
        "",
        "2 skapade, 0 uppdaterade, 0 oförändrade, 1 misslyckade",
        f"Loggfil: {log}",
        FIX_SV,
    ]
    assert done.returncode == 1
    assert done.stderr == ""  # no TTY: no "Tryck Enter", and nothing else either
    assert [r.offer_nr for r in writeback.read_records(first)] == ["486"]
    assert [r.offer_nr for r in writeback.read_records(second)] == ["487"]

    text = log.read_text(encoding="utf-8")
    assert f"{second}: error 'Offert 2'!D12: Antal 'fem' is not a number" in text
    assert f"{first}: created Offert: Offer 486 created for 013 Berglunds" in text
    for secret in ("sandbox-company-key", "sandbox-connect-key", "SANDBOX"):
        assert secret not in text


@on_linux
@pytest.mark.slow
def test_a_dropped_folder_in_english_and_dropping_it_again_sends_nothing(
    tmp_path: Path, icon: list[str]
) -> None:
    home = tmp_path / "home"
    folder = tmp_path / "Offerter för mars"
    dropped_files(folder)
    (folder / "anteckningar.txt").write_text("not a workbook", encoding="utf-8")
    env = user_env(home, lang="en_GB.UTF-8")
    first = launch(icon, [folder], env, cwd=tmp_path / "elsewhere")
    assert first.returncode == 1
    assert first.stdout.splitlines()[1:11] == [
        "",
        "Kund Östergård.xlsx",
        "  ✓ Offer 486 created for 4416 Jensfjergen AB (3 rows, 10,550.00 kr)",
        '  ✗ Offert 2: Antal "fem" in D12 is not a number',
        "  Written into the workbook: Offertnr 486, and the error beside Offertnr of each offer "
        "marked ✗.",
        "",
        "Offert Åsa 013.xlsx",
        "  ✓ Offer 487 created for 013 Berglunds (3 rows, 10,550.00 kr)",
        "  Written into the workbook: Offertnr 487.",
        "",
    ]

    again = launch(icon, [folder], env, cwd=tmp_path / "elsewhere")
    assert again.returncode == 1
    lines = again.stdout.splitlines()
    assert "  = Offer 486 was uploaded before and is unchanged: not sent again" in lines
    assert "  = Offer 487 was uploaded before and is unchanged: not sent again" in lines
    assert lines[-3] == "0 created, 0 updated, 2 unchanged, 1 failed"
    assert lines[-1] == EN["drop_fix"]
    assert len(sandbox_offers(home)) == 2
    # one log file for the day, appended to by both runs
    logs = list((home / "state" / "offer-converter" / "log").iterdir())
    assert logs == [today_log(home)]
    assert logs[0].read_text(encoding="utf-8").count("converter.cli.drop: drop (sandbox): ") == 2


# --- the window: waiting for Enter only at a terminal -----------------------------------------


class Terminal:
    """A pseudo-terminal as the process's stdin: what the icon's terminal window gives it."""

    def __init__(self, argv: list[str], env: Mapping[str, str], cwd: Path) -> None:
        import pty  # POSIX only; the tests using it are skipped elsewhere

        master, slave = pty.openpty()
        self.master = master
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd
        )
        os.close(slave)
        self.output = b""

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()
        os.close(self.master)

    def read_until(self, marker: str, timeout: float = 30.0) -> str:
        """Everything printed so far, once ``marker`` has appeared (fails after ``timeout``)."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while marker.encode() not in self.output:
            left = deadline - time.monotonic()
            assert left > 0, f"{marker!r} never came; got {self.output.decode()!r}"
            ready, _, _ = select.select([self.process.stdout], [], [], left)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 65536)
                assert chunk, f"ended before {marker!r}: {self.output.decode()!r}"
                self.output += chunk
        return self.output.decode()

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def finish(self) -> int:
        """Wait for the end; returns the exit code, with the rest of the output read."""
        code = self.process.wait(timeout=30)
        assert self.process.stdout is not None
        self.output += self.process.stdout.read()
        return code


@posix_terminal
def test_the_window_stays_open_until_enter_when_started_by_the_icon(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first, _ = dropped_files(tmp_path / "Mina offerter")
    argv = [str(SCRIPT), "drop", "--wait", "--sandbox", str(first)]
    with Terminal(argv, user_env(home), tmp_path) as window:
        shown = window.read_until("Tryck Enter för att stänga ")
        assert shown.splitlines()[-3:] == [
            "Klart. Inget mer att göra.",
            "",
            "Tryck Enter för att stänga ",
        ]
        assert window.process.poll() is None  # still open, waiting for the salesperson
        window.type("\n")
        assert window.finish() == 0


@posix_terminal
def test_double_clicking_the_icon_explains_it_and_offers_a_template(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "Desktop").mkdir(parents=True)
    (home / "Desktop" / "Offertmall.xlsx").write_bytes(b"a filled-in offer")
    with Terminal([str(SCRIPT), "drop", "--wait"], user_env(home), tmp_path) as window:
        assert window.read_until("[J/n]: ").splitlines() == [
            SV["drop_usage"],
            "Vill du ha en ny offertmall på skrivbordet? [J/n]: ",
        ]
        window.type("j\n")
        window.read_until("Tryck Enter för att stänga ")
        window.type("\n")
        assert window.finish() == 0
    written = home / "Desktop" / "Offertmall 2.xlsx"  # never over the salesperson's file
    assert f"En ny offertmall finns på skrivbordet: {written}" in window.output.decode()
    assert (home / "Desktop" / "Offertmall.xlsx").read_bytes() == b"a filled-in offer"
    from converter.pipeline import validate_files

    assert validate_files([written]).files[0].offers  # a real template, with its Offert sheet


def test_without_a_terminal_no_files_only_explains_and_never_waits(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(SCRIPT), "drop", "--wait"],
        env=user_env(tmp_path / "home", lang="en_US.UTF-8"),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.splitlines() == [EN["drop_usage"], EN["drop_template_hint"]]
    assert not (tmp_path / "home" / "Desktop").exists()


# --- in-process: a locked workbook, a crash, a refused login ----------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's folders under tmp_path, no SOFTONE_* variables, no keyring."""
    home = tmp_path / "home"
    for name, value in user_env(home, lang="en_US.UTF-8").items():
        if name.startswith(("XDG_", "HOME", "PYTHON_KEYRING")):
            monkeypatch.setenv(name, value)
    for name in list(os.environ):
        if name.startswith("SOFTONE_"):
            monkeypatch.delenv(name)
    return home


def drop(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(cli, ["--lang", "en", "drop", *args], input=input)
    assert "Traceback" not in result.output
    return result


def test_a_workbook_open_in_excel_is_not_uploaded_until_it_is_closed(
    home: Path, tmp_path: Path
) -> None:
    """Claim, then send: a workbook that can't take the offer's ExternalId before the POST
    is not uploaded at all, so Excel can never save its copy over a number."""
    first, _ = dropped_files(tmp_path / "offers")
    before = first.read_bytes()

    def open_in_excel(target: Path, data: bytes, **_: object) -> None:
        raise PermissionError(13, "The process cannot access the file", str(target))

    # only write-back is patched, and only for the first drop: the user folders stay in tmp
    with pytest.MonkeyPatch.context() as excel:
        excel.setattr(patch_module, "write_atomically", open_in_excel)
        locked = drop("--sandbox", str(first))
        assert locked.exit_code == 1
        assert locked.output.splitlines()[2:] == [
            "Offert Åsa 013.xlsx",
            "  ✗ Offert: not uploaded: the workbook can't be written, it is probably open in Excel",
            "",
            "0 created, 0 updated, 0 unchanged, 1 failed",
            f"Log file: {today_log(home)}",
            "Close the file in Excel and drop it here again. Nothing has been sent yet.",
        ]
        assert first.read_bytes() == before
        assert sandbox_offers(home) == []
        # the reason the window leaves out is in the log
        assert "it is open in Excel or read-only" in today_log(home).read_text(encoding="utf-8")

    closed = drop("--sandbox", str(first))
    assert closed.exit_code == 0
    assert closed.output.splitlines()[2:] == [
        "Offert Åsa 013.xlsx",
        "  ✓ Offer 486 created for 013 Berglunds (3 rows, 10,550.00 kr)",
        "  Written into the workbook: Offertnr 486.",
        "",
        "1 created, 0 updated, 0 unchanged, 0 failed",
        f"Log file: {today_log(home)}",
        "Done. Nothing more to do.",
    ]
    assert [r.offer_nr for r in writeback.read_records(first)] == ["486"]
    assert len(sandbox_offers(home)) == 1


def test_a_workbook_open_in_excel_says_so_in_swedish(home: Path, tmp_path: Path) -> None:
    first, _ = dropped_files(tmp_path / "offers")
    (first.parent / f"~${first.name}").write_bytes(bytes([4]) + b"Anna" + b" " * 60)
    result = drop("--lang", "sv", "--sandbox", str(first))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any("är öppen i Excel (Anna)" in line for line in lines), lines
    assert any("Stäng filen i Excel och släpp den igen" in line for line in lines)
    assert sandbox_offers(home) == []


def test_an_unexpected_error_is_explained_and_its_details_logged_without_secrets(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register_secret("tok-Unexpected-7731")

    def crash(*args: object, **kwargs: object) -> UploadRun:
        raise RuntimeError("lost the token tok-Unexpected-7731")

    # `converter.cli.drop` is the command on the package, so patch the module itself
    monkeypatch.setattr(importlib.import_module("converter.cli.drop"), "run_upload", crash)
    result = drop("--sandbox", str(tmp_path / "offer.xlsx"))
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Uploading to the practice server (sandbox), not to SoftOne GO …",
        "Something unexpected went wrong (RuntimeError). Offers already uploaded are safe "
        "and will not be sent twice.",
        f"Log file: {today_log(home)}",
    ]
    text = today_log(home).read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: lost the token ***" in text
    assert "tok-Unexpected-7731" not in text


def test_a_missing_file_is_a_failure_to_fix(home: Path, tmp_path: Path) -> None:
    result = drop("--sandbox", str(tmp_path / "borta.xlsx"))
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        "",
        "borta.xlsx",
        f"  ✗ {tmp_path / 'borta.xlsx'}: file not found",
        "",
        "0 created, 0 updated, 0 unchanged, 1 failed",
        f"Log file: {today_log(home)}",
        EN["drop_fix"],
    ]


def test_without_credentials_and_without_answers_nothing_is_uploaded(
    home: Path, tmp_path: Path
) -> None:
    first, _ = dropped_files(tmp_path / "offers")
    result = drop("--api-url", "http://127.0.0.1:9", str(first), input="")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0] == "Uploading to SoftOne GO …"
    assert lines[1] == EN["setup_intro"]
    assert lines[-3:] == [
        "No details were entered; nothing was stored.",
        EN["drop_no_credentials"],
        f"Log file: {today_log(home)}",
    ]


# --- the summary's wording ---------------------------------------------------------------------


def problem(code: str, ref: CellRef | None = None, **params: object) -> Problem:
    return Problem("error", code, Path("offer.xlsx"), "Offert 2", ref, params)


def test_a_cell_problem_names_the_cell_after_the_value() -> None:
    d12 = CellRef("Offert 2", 12, 4)
    fem = problem("not_a_number", d12, field="Antal", value="fem")
    assert problem_text(fem, "sv") == 'Antal "fem" i D12 är inte ett tal'
    assert problem_text(fem, "en") == 'Antal "fem" in D12 is not a number'
    empty = problem("missing_value", CellRef("Offert 2", 1, 2), field="Kundnr")
    assert problem_text(empty, "sv") == (
        "Kundnr är tomt. Fyll i det i cellen till höger om etiketten Kundnr (B1)"
    )
    no_rows = problem("no_rows")
    assert problem_text(no_rows, "en") == EN["no_rows"]


def test_the_last_line_says_what_to_do() -> None:
    report = FileReport(Path("offer.xlsx"))
    assert advice(UploadRun([FileUpload(Path("offer.xlsx"), report)]), "sv") == SV["drop_all_done"]
    locked = FileUpload(Path("offer.xlsx"), report, writeback_ok=False)
    assert advice(UploadRun([locked]), "sv") == SV["drop_close"]
    broken = FileReport(Path("x.xlsx"), problems=[problem("file_not_found", file="x.xlsx")])
    assert advice(UploadRun([locked, FileUpload(Path("x.xlsx"), broken)]), "sv") == FIX_SV


def test_every_code_the_drop_modules_render_is_in_both_catalogues(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import test_messages

    monkeypatch.setattr(
        test_messages,
        "SOURCES",
        ("cli/drop.py", "cli/setup.py", "cli/shortcut.py", "desktop/shortcut.py"),
    )
    codes = test_messages.emitted_codes()
    assert {"drop_fix", "drop_locked", "setup_works", "shortcut_created"} <= codes.keys()
    assert [c for c in codes if c not in EN or c not in SV] == []
    unfilled = [
        (code, where)
        for code, places in codes.items()
        for where, keywords in places
        if keywords is not None and not test_messages.placeholders(EN[code]) <= keywords
    ]
    assert unfilled == []
    for question in ("company_api_key", "connect_api_key", "license", "username", "password"):
        assert f"setup_{question}" in EN and f"setup_{question}" in SV  # asked as f"setup_{name}"


def test_an_unknown_customer_is_named_at_its_cell_before_anything_is_sent(
    home: Path, tmp_path: Path
) -> None:
    """Issue 14: the Kundnr is looked up first; SoftOne GO no longer has to refuse it."""
    path = build_workbook(tmp_path / "kund.xlsx", {"Offert": offer("99999", GOOD_ROWS)})
    result = CliRunner().invoke(cli, ["--lang", "sv", "drop", "--sandbox", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[2:4] == [
        "kund.xlsx",
        "  ✗ Offert: Kundnr 99999 finns inte som kund i SoftOne GO; offerten skickades inte (B1)",
    ]
    assert result.output.splitlines()[-1] == FIX_SV


# --- the summary adds up to the lines above it ------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        ("en", "1 created, 0 updated, 0 unchanged, 3 failed"),
        ("sv", "1 skapade, 0 uppdaterade, 0 oförändrade, 3 misslyckade"),
    ],
)
def test_files_that_cannot_be_read_are_counted_as_failures(
    home: Path, tmp_path: Path, lang: str, summary: str
) -> None:
    folder = tmp_path / "offers"
    _, second = dropped_files(folder)
    empty = folder / "tom.xlsx"
    empty.write_bytes(b"")
    word = folder / "brev.xlsx"  # a Word document renamed .xlsx
    with zipfile.ZipFile(word, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    result = drop("--lang", lang, "--sandbox", str(empty), str(word), str(second))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    marked = [line for line in lines if line.startswith("  ✗ ")]
    done = [line for line in lines if line.startswith(("  ✓ ", "  = "))]
    assert len(marked) == 3 and len(done) == 1  # the empty file, the Word file, Offert 2
    assert lines[lines.index("tom.xlsx") + 1].startswith("  ✗ ")
    assert lines[lines.index("brev.xlsx") + 1].startswith("  ✗ ")
    assert lines[-3] == summary
