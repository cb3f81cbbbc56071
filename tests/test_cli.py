"""The command line: exact messages and exit codes, and proof that it only wraps the library."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from conftest import CellSpec, WorkbookFactory, offer_sheet

from converter.cli import COMMANDS, cli
from converter.errors import WorkbookError, WritebackError
from converter.i18n import EN, SV
from converter.pipeline import validate_files

HEADER: dict[str, CellSpec] = {
    "A1": "Kundnr",
    "B1": "1001",
    "A2": "Offertdatum",
    "B2": datetime(2026, 1, 30),
}
COLUMNS = ("Rad", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris", "Rabatt", "Moms", "Summa")
GOOD_ROWS: list[list[CellSpec]] = [
    [1, "1001", "Arbetskostnad", 5, "Tim", 580, None, 25, 2900],
    [2, None, "Arbetet utförs vecka 12"],
    [3, "0042", "Material", 2, "st", 10, 10, 25, 18],
]
GOOD_SUMMARY = "OK: Kundnr 1001, 2026-01-30, 3 rows, 2,918.00 excl. VAT"
SCRIPT = Path(sys.executable).with_name("offer-converter")


def offer(rows: list[list[CellSpec]], header: dict[str, CellSpec] | None = None) -> dict[str, Any]:
    return offer_sheet(HEADER if header is None else header, rows, columns=COLUMNS, grid_row=6)


def invoke(*args: str) -> Result:
    """Run the CLI in-process; no output may ever hold a traceback."""
    result = CliRunner().invoke(cli, list(args), prog_name="offer-converter")
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def lines(text: str) -> list[str]:
    return text.splitlines()


@pytest.fixture
def good(make_workbook: WorkbookFactory) -> Path:
    return make_workbook({"Offert": offer(GOOD_ROWS)}, name="good.xlsx")


@pytest.fixture
def bad(make_workbook: WorkbookFactory) -> Path:
    rows: list[list[CellSpec]] = [
        [1, "1001", "Arbete", "fem", "Tim", 580],
        [2, None, "x", 1, None, 5],
    ]
    return make_workbook({"Offert": offer(rows)}, name="bad.xlsx")


@pytest.fixture
def warned(make_workbook: WorkbookFactory) -> Path:
    rows: list[list[CellSpec]] = [[1, "1001", "Arbete", 5, "Tim", 580, None, None, 2950]]
    return make_workbook({"Offert": offer(rows)}, name="warned.xlsx")


# --- help ----------------------------------------------------------------------------------


def test_top_level_help_introduces_the_main_flow_then_lists_every_command() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    assert "Turn Excel offers into SoftOne GO offers." in result.stdout
    # click wraps at hyphens too ("offer-" / "converter"): join those back
    text = re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(result.stdout.split()))
    steps = [
        "1. offer-converter template a fresh offer workbook to fill in",
        "2. offer-converter upload --sandbox FILE practise: upload to a practice server on this "
        "computer, no SoftOne GO details",
        "3. offer-converter upload FILE create the offers in SoftOne GO and write their numbers "
        "into the workbook",
        "Running an upload again never creates a duplicate.",
        f'`offer-converter install-shortcut` puts the icon "{EN["shortcut_name"]}" '
        f'("{SV["shortcut_name"]}" on a Swedish computer) on the Desktop; drop workbooks on it '
        "(that runs `drop`). `install-shortcut --sandbox` makes a practice icon.",
        "Help is in English; messages follow --lang (or the system's language).",
    ]
    for step in steps:
        assert step in text
    assert [text.index(step) for step in steps] == sorted(text.index(step) for step in steps)
    assert "--lang [sv|en]" in result.stdout
    assert len(COMMANDS) >= 9
    listed = [line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines()
              if line.startswith("  ") and not line.startswith("   ")]  # fmt: skip
    assert listed == list(COMMANDS)
    assert listed[:4] == ["template", "upload", "drop", "install-shortcut"]  # the main flow first


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_text(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    assert command.help and command.help.strip(), f"{name} has no help text"
    first_line = command.help.strip().splitlines()[0]
    result = invoke(name, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: offer-converter {name} ")
    assert " ".join(first_line.split()) in " ".join(result.stdout.split())
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help and param.help.strip(), f"{name} {param.opts} has no help"
            assert param.opts[-1] in result.stdout


def test_help_does_not_import_pandas() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['offer-converter', '--help']\n"
        "from converter.cli import cli\n"  # main() ends the process with os._exit
        "try:\n"
        "    cli(prog_name='offer-converter')\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        "print('PANDAS' if 'pandas' in sys.modules else 'NO-PANDAS')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Usage: offer-converter" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "NO-PANDAS"


# --- validate ------------------------------------------------------------------------------


def test_validate_good_file(good: Path) -> None:
    result = invoke("validate", str(good))
    assert result.exit_code == 0
    assert lines(result.stdout) == [str(good), f"  Offert: {GOOD_SUMMARY}"]
    assert result.stderr == ""


def test_validate_bad_file_prints_every_problem_with_its_address(bad: Path) -> None:
    result = invoke("validate", str(bad))
    assert result.exit_code == 1
    assert lines(result.stdout) == [
        str(bad),
        "  Offert:",
        "    error    Offert!D7: Antal 'fem' is not a number",
        "    error    Offert!B8: priced row without Artikel: fill in the Artikel, "
        "or clear Antal and Pris to make it a text row",
    ]


def test_validate_in_swedish(bad: Path, good: Path) -> None:
    result = invoke("--lang", "sv", "validate", str(bad), str(good))
    assert result.exit_code == 1
    assert lines(result.stdout) == [
        str(bad),
        "  Offert:",
        "    fel      Offert!D7: Antal 'fem' är inte ett tal",
        "    fel      Offert!B8: rad med pris men utan Artikel: fyll i Artikel, "
        "eller töm Antal och Pris för att göra den till en textrad",
        str(good),
        "  Offert: OK: Kundnr 1001, 2026-01-30, 3 rader, 2\u00a0918,00 exkl. moms",
    ]


def test_system_language_is_used_without_lang(bad: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Antal 'fem' is not a number" in invoke("validate", str(bad)).stdout
    monkeypatch.setenv("LC_ALL", "sv_SE.UTF-8")
    assert "Antal 'fem' är inte ett tal" in invoke("validate", str(bad)).stdout
    assert "Antal 'fem' is not a number" in invoke("--lang", "en", "validate", str(bad)).stdout


def test_warnings_alone_exit_0_and_1_with_strict(warned: Path) -> None:
    expected = [
        str(warned),
        "  Offert: OK: Kundnr 1001, 2026-01-30, 1 rows, 2,900.00 excl. VAT",
        "    warning  Offert!I7: Summa 2,950.00 does not match Antal × Pris × (1 − Rabatt) "
        "= 2,900.00",
    ]
    result = invoke("validate", str(warned))
    assert result.exit_code == 0
    assert lines(result.stdout) == expected
    strict = invoke("validate", "--strict", str(warned))
    assert strict.exit_code == 1
    assert lines(strict.stdout) == expected


def test_skipped_sheets_are_shown_only_with_verbose(make_workbook: WorkbookFactory) -> None:
    path = make_workbook(
        {"Instruktioner": {"A1": "Fyll i"}, "Offert": offer(GOOD_ROWS), "Gammal": offer(GOOD_ROWS)},
        hidden={"Gammal": "hidden"},
    )
    result = invoke("validate", str(path))
    assert result.exit_code == 0
    assert lines(result.stdout) == [str(path), f"  Offert: {GOOD_SUMMARY}"]
    for lang, no_grid, hidden in (
        ("en", EN["sheet_no_grid"], EN["sheet_hidden"]),
        ("sv", SV["sheet_no_grid"], SV["sheet_hidden"]),
    ):
        verbose = invoke("--lang", lang, "validate", "--verbose", str(path))
        assert verbose.exit_code == 0
        shown = lines(verbose.stdout)
        assert len(shown) == 4 and shown[0] == str(path)
        assert shown[1].endswith(f" Instruktioner: {no_grid}")
        assert shown[2].endswith(f" Gammal: {hidden}")
    assert EN["sheet_no_grid"] == (
        "skipped: no grid (no header row with Artikel or Beskrivning, Antal, Pris …)"
    )
    assert SV["sheet_hidden"] == "hoppades över: dolt blad"


def test_the_template_validates_without_news_of_its_instructions(tmp_path: Path) -> None:
    path = tmp_path / "mall.xlsx"
    assert invoke("template", str(path)).exit_code == 0
    result = invoke("--lang", "sv", "validate", str(path))
    assert "Instruktioner" not in result.stdout
    assert "Kundnr är tomt" in result.stdout


def test_skipped_sheets_are_shown_when_the_workbook_has_no_offer(
    make_workbook: WorkbookFactory,
) -> None:
    path = make_workbook({"Instruktioner": {"A1": "Fyll i"}})
    result = invoke("--lang", "sv", "validate", str(path))
    assert result.exit_code == 1
    shown = lines(result.stdout)
    assert shown[0] == str(path)
    assert shown[1].endswith(
        " Instruktioner: hoppades över: inga offertrader (ingen rubrikrad med Artikel eller "
        "Beskrivning, Antal, Pris …)"
    )
    assert shown[2].endswith(
        " ingen offert hittades: inget synligt blad har en rubrikrad (Rad, Artikel, "
        "Beskrivning, Antal, Enhet, Pris, …)"
    )


def test_validate_json_is_the_library_report(good: Path, bad: Path, warned: Path) -> None:
    for args in ([good], [bad, good], [warned]):
        result = invoke("validate", "--json", *map(str, args))
        report = validate_files(args)
        assert json.loads(result.stdout) == report.to_dict("en")
        assert result.exit_code == (0 if report.ok else 1)
    sv = invoke("--lang", "sv", "validate", "--json", str(bad))
    assert json.loads(sv.stdout) == validate_files([bad]).to_dict("sv")


def test_validate_json_shape(bad: Path) -> None:
    data = json.loads(invoke("validate", "--json", str(bad)).stdout)
    problem = data["files"][0]["offers"][0]["problems"][0]
    assert data["ok"] is False
    assert problem == {
        "severity": "error",
        "code": "not_a_number",
        "file": str(bad),
        "sheet": "Offert",
        "cell": "D7",
        "where": "Offert!D7",
        "value": "fem",
        "message": "Antal 'fem' is not a number",
    }


def test_validate_a_missing_file(tmp_path: Path, good: Path) -> None:
    missing = tmp_path / "finns-inte.xlsx"
    result = invoke("validate", str(missing), str(good))
    assert result.exit_code == 1
    assert lines(result.stdout) == [
        str(missing),
        f"  error    {missing}: file not found",
        str(good),
        f"  Offert: {GOOD_SUMMARY}",
    ]


def test_validate_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("Kundnr 1001\n", encoding="utf-8")
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert lines(result.stdout) == [
        str(path),
        "  error    notes.xlsx: this is a text file, not an Excel workbook. Open it in Excel and "
        "save it as an Excel workbook (.xlsx)",
    ]


def test_validate_a_folder(make_workbook: WorkbookFactory, tmp_path: Path) -> None:
    folder = tmp_path / "offers"
    folder.mkdir()
    b = make_workbook({"Offert": offer(GOOD_ROWS)}, name="offers/b.xlsx")
    a = make_workbook({"Offert": offer(GOOD_ROWS)}, name="offers/a.xlsx")
    (folder / "~$a.xlsx").write_bytes(b"lock")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    result = invoke("validate", str(folder))
    assert result.exit_code == 0
    assert [line for line in lines(result.stdout) if not line.startswith(" ")] == [str(a), str(b)]


def test_bad_profile_is_fatal(good: Path, tmp_path: Path) -> None:
    profile = tmp_path / "typo.toml"
    profile.write_text('name = "x"\nheder = {}\n', encoding="utf-8")
    result = invoke("validate", "--profile", str(profile), str(good))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert str(profile) in result.stderr
    assert result.stderr.startswith("Error: ")


@pytest.mark.parametrize(
    ("raised", "english", "swedish"),
    [
        (
            WritebackError("wb_locked", file="offert.xlsx"),
            "Error: offert.xlsx: cannot save the results into the workbook",
            "Fel: offert.xlsx: resultaten går inte att spara i arbetsboken",
        ),
        (
            WorkbookError("file_locked", file="offert.xlsx"),
            "Error: offert.xlsx: cannot open the file",
            "Fel: offert.xlsx: filen går inte att öppna",
        ),
        (RuntimeError("boom"), "Unexpected error (RuntimeError)", "Oväntat fel (RuntimeError)"),
        (KeyboardInterrupt(), "Stopped.", "Avbrutet."),
    ],
    ids=["writeback error", "workbook error", "unexpected", "ctrl-c"],
)
def test_what_stops_a_command_is_said_in_the_users_language(
    raised: BaseException, english: str, swedish: str, good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise raised

    monkeypatch.setattr("converter.cli.check.validate_files", fail)
    for lang, expected in (("en", english), ("sv", swedish)):
        result = invoke("--lang", lang, "validate", str(good))
        assert result.exit_code in (2, 130)
        assert result.stderr.startswith(expected), result.stderr
        assert "Traceback" not in result.output


# --- convert -------------------------------------------------------------------------------


def test_convert_prints_the_library_bodies(good: Path, make_workbook: WorkbookFactory) -> None:
    second = make_workbook(
        {"Offert A": offer(GOOD_ROWS), "Offert B": offer(GOOD_ROWS, {**HEADER, "B1": "7"})},
        name="two.xlsx",
    )
    result = invoke("convert", str(good), str(second))
    assert result.exit_code == 0
    bodies = json.loads(result.stdout)
    assert bodies == validate_files([good, second]).bodies()
    assert [b["CustomerNr"] for b in bodies] == ["1001", "1001", "7"]
    assert result.stderr == ""


def test_convert_to_a_file(good: Path, tmp_path: Path) -> None:
    out = tmp_path / "OUT.json"
    result = invoke("convert", str(good), "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8")) == validate_files([good]).bodies()
    assert lines(result.stderr) == [f"1 offer(s) written to {out}"]


def test_convert_with_errors_prints_nothing_on_stdout(
    bad: Path, good: Path, tmp_path: Path
) -> None:
    out = tmp_path / "OUT.json"
    for args in (["convert", str(good), str(bad)], ["convert", str(bad), "-o", str(out)]):
        result = invoke(*args)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert "    error    Offert!D7: Antal 'fem' is not a number" in lines(result.stderr)
        assert str(bad) in lines(result.stderr)
    assert not out.exists()


def test_convert_with_warnings_still_converts(warned: Path) -> None:
    result = invoke("convert", str(warned))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == validate_files([warned]).bodies()
    assert (
        "    warning  Offert!I7: Summa 2,950.00 does not match Antal × Pris × (1 − Rabatt) "
        "= 2,900.00"
    ) in lines(result.stderr)


def test_convert_in_swedish(bad: Path) -> None:
    result = invoke("--lang", "sv", "convert", str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "    fel      Offert!D7: Antal 'fem' är inte ett tal" in lines(result.stderr)


def test_convert_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "borta.xlsx"
    result = invoke("convert", str(missing))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"  error    {missing}: file not found" in lines(result.stderr)


# --- inputs are never modified -------------------------------------------------------------


def _fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["validate", "--json"],
        ["validate", "--strict"],
        ["convert"],
        ["convert", "-o", "{out}"],
    ],
    ids=lambda a: " ".join(a),
)
def test_commands_never_modify_their_input(
    good: Path, bad: Path, warned: Path, tmp_path: Path, args: list[str]
) -> None:
    paths = [good, bad, warned]
    for path in paths:  # an old mtime, so that any rewrite would show
        os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = [_fingerprint(p) for p in paths]
    out = str(tmp_path / "out.json")
    for path in paths:
        invoke(*[a.replace("{out}", out) for a in args], str(path))
    assert [_fingerprint(p) for p in paths] == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx") == [
        "bad.xlsx",
        "good.xlsx",
        "warned.xlsx",
    ]


def test_convert_never_overwrites_its_input(good: Path) -> None:
    """``-o`` naming the workbook itself must not replace the offer with JSON."""
    before = _fingerprint(good)
    result = invoke("convert", str(good), "-o", str(good))
    assert result.exit_code == 2
    assert _fingerprint(good) == before
    assert str(good) in result.stderr


# --- template ------------------------------------------------------------------------------


def test_template_writes_a_file_with_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "ny offert.xlsx"
    result = invoke("template", str(path))
    assert result.exit_code == 0
    assert path.is_file()
    assert lines(result.stdout) == [f"Template written to {path}"]
    check = invoke("validate", str(path))
    assert check.exit_code == 1
    assert (
        "    error    Offert: the offer has no rows. Add at least one row under the grid's header"
        in lines(check.stdout)
    )
    assert [o.row_count for o in validate_files([path]).offers] == [0]


def test_template_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "offert.xlsx"
    path.write_bytes(b"my work")
    result = invoke("template", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert lines(result.stderr) == [f"{path} already exists. Choose another name, or add --force."]
    assert path.read_bytes() == b"my work"
    forced = invoke("template", "--force", str(path))
    assert forced.exit_code == 0
    assert path.read_bytes().startswith(b"PK")


def test_template_default_path_is_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("template")
    assert result.exit_code == 0
    assert (tmp_path / "offer_template.xlsx").is_file()


# --- the installed console script ----------------------------------------------------------


def test_installed_script_from_another_folder(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    assert SCRIPT.exists(), f"{SCRIPT} is not installed"
    make_workbook({"Offert": offer(GOOD_ROWS)}, name="good.xlsx")
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    done = subprocess.run(
        [str(SCRIPT), "validate", "good.xlsx"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert lines(done.stdout) == ["good.xlsx", f"  Offert: {GOOD_SUMMARY}"]
    converted = subprocess.run(
        [str(SCRIPT), "convert", "good.xlsx", "missing.xlsx"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert converted.returncode == 1
    assert converted.stdout == ""
    assert "  error    missing.xlsx: file not found" in lines(converted.stderr)
    assert "Traceback" not in converted.stderr


def test_the_lazy_command_list_shows_each_commands_own_help() -> None:
    """`--help` lists commands without importing them; the lines must not drift."""
    from converter.cli import COMMANDS, cli

    ctx = click.Context(cli)
    for name, (_path, short) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name
        assert command.get_short_help_str(limit=150) == short


def test_help_imports_no_command_module() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from converter.cli import cli\n"
        "result = CliRunner().invoke(cli, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('converter.cli.')\n"
        "                or m.split('.')[0] in ('openpyxl', 'httpx', 'pydantic', 'pandas'))\n"
        "print(loaded)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("command", ["validate", "convert", "upload"])
def test_a_migration_layout_profile_is_refused_outside_migrate(command: str) -> None:
    profile = Path(__file__).parents[1] / "example_sheets" / "legacy" / "offertlista"
    toml = next(profile.glob("*.toml"))
    result = invoke(command, "--profile", str(toml), str(profile))
    assert result.exit_code == 2
    assert "describes a list layout; read it with `offer-converter migrate`" in result.output


# --- --lang where people type it ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_takes_lang_after_its_name(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    option = next(p for p in command.params if p.name == "lang")
    assert isinstance(option, click.Option) and option.opts == ["--lang"]
    assert isinstance(option.type, click.Choice) and list(option.type.choices) == ["sv", "en"]
    result = invoke(name, "--lang", "sv", "--help")
    assert result.exit_code == 0 and "--lang [sv|en]" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--lang", "sv", "{bad}"],
        ["validate", "{bad}", "--lang", "sv"],
        ["--lang", "sv", "validate", "{bad}"],
        ["--lang", "en", "validate", "--lang", "sv", "{bad}"],
    ],
    ids=["after the command", "at the end", "before the command", "the last one wins"],
)
def test_lang_works_before_and_after_the_command(args: list[str], bad: Path) -> None:
    result = invoke(*[a.format(bad=bad) for a in args])
    assert result.exit_code == 1
    assert "Offert!D7: Antal 'fem' är inte ett tal" in result.stdout
    assert "is not a number" not in result.stdout


def test_lang_after_the_command_also_says_a_fatal_error_in_that_language(
    good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise WorkbookError("file_locked", file="offert.xlsx")

    monkeypatch.setattr("converter.cli.check.validate_files", fail)
    result = invoke("validate", "--lang", "sv", str(good))
    assert result.exit_code == 2
    assert result.stderr.startswith("Fel: offert.xlsx: filen går inte att öppna")


# --- errors that stop a run, in Swedish (issue 11: every message in the catalogue) -------


def test_a_profile_mistake_in_swedish(tmp_path: Path, good: Path) -> None:
    from converter.model.profile import default_profile_path

    profile = tmp_path / "typo.toml"
    text = default_profile_path().read_text("utf-8")
    profile.write_text(text.replace('offer_body = "array"', 'offer_body = "list"'), "utf-8")
    result = invoke("--lang", "sv", "validate", "--profile", str(profile), str(good))
    assert result.exit_code == 2
    assert lines(result.stderr) == [
        f"Fel: {profile}: layoutprofilen är felaktig: softone.offer_body: 'list' är inte "
        "tillåtet; använd något av 'array', 'object'"
    ]
    english = invoke("--lang", "en", "validate", "--profile", str(profile), str(good))
    assert lines(english.stderr) == [
        f"Error: {profile}: invalid layout profile: softone.offer_body: 'list' is not allowed; "
        "use one of 'array', 'object'"
    ]


def test_a_profile_that_is_not_toml_in_swedish(tmp_path: Path, good: Path) -> None:
    profile = tmp_path / "bad.toml"
    profile.write_text('name = "x"\nname = \n', "utf-8")
    result = invoke("--lang", "sv", "validate", "--profile", str(profile), str(good))
    assert lines(result.stderr) == [
        f"Fel: {profile}: layoutprofilen är inte giltig TOML på rad 2, kolumn 8"
    ]
    missing = invoke("--lang", "sv", "validate", "--profile", str(tmp_path / "no.toml"), str(good))
    assert lines(missing.stderr) == [f"Fel: {tmp_path / 'no.toml'}: layoutprofilen finns inte"]


def test_a_list_profile_for_validate_in_swedish(tmp_path: Path, good: Path) -> None:
    from converter.model.profile import default_profile_path

    profile = tmp_path / "list.toml"
    text = default_profile_path().read_text("utf-8").replace('name = "', 'name = "lista-', 1)
    profile.write_text(text + '\n[layout]\nkind = "list"\n', "utf-8")
    result = invoke("--lang", "sv", "validate", "--profile", str(profile), str(good))
    assert result.exit_code == 2
    (line,) = lines(result.stderr)
    assert line.startswith("Fel: layoutprofilen 'lista-") and "av typen list" in line


def test_missing_credentials_in_swedish(user_dirs: Path, good: Path) -> None:
    result = CliRunner().invoke(cli, ["--lang", "sv", "upload", str(good)], input="")
    assert result.exit_code == 2
    assert "Fel: Uppgifterna för SoftOne GO saknas: SOFTONE_COMPANY_API_KEY" in result.output
    assert "kör `offer-converter setup` för att spara dem i" in result.output
    assert "are missing" not in result.output and "Traceback" not in result.output


def test_a_report_name_that_is_not_xlsx_in_swedish(tmp_path: Path) -> None:
    result = invoke("--lang", "sv", "migrate", "--dry-run", "--report", "r.csv", str(tmp_path))
    assert result.exit_code == 2
    assert "rapporten är en Excel-arbetsbok: ge den ett namn som slutar på .xlsx" in result.stderr
