"""A file that is no workbook is named in plain words: empty, a Word document, a PDF …

The kinds are told from the content, not the name; every CLI line is checked
in both languages, and a file nothing can name keeps the reader's message.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_drop import on_linux

from converter.cli import cli
from converter.errors import WorkbookError
from converter.read.filekind import kind_of, kind_of_bytes, plain_error

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "example_sheets" / "spec_offer.xlsx"


def package(*names: str, mimetype: bytes | None = None) -> bytes:
    """A zip package with the parts ``names`` (each holding a little XML)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if mimetype is not None:
            archive.writestr("mimetype", mimetype)
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


WORD = package("word/document.xml", "word/styles.xml", "docProps/app.xml")
POWERPOINT = package("ppt/presentation.xml", "ppt/slides/slide1.xml")
ODS = package("content.xml", mimetype=b"application/vnd.oasis.opendocument.spreadsheet")
ODT = package("content.xml", mimetype=b"application/vnd.oasis.opendocument.text")
ZIP = package("offers/readme.txt")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "empty"),
        (WORD, "word"),
        (POWERPOINT, "powerpoint"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (ODS, "ods"),
        (ODT, "other"),
        (ZIP, "zip"),
        (EXAMPLE.read_bytes(), "excel"),
        (EXAMPLE.read_bytes()[:1500], "damaged"),
        (b"Kundnr;Datum\r\n013;2026-01-30\r\n", "text"),
        ("\ufeffKundnr;Vår referens\n".encode(), "text"),
        ("Kundnr;Vår referens\n".encode("cp1252"), "text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "other"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "other"),
    ],
)
def test_the_kind_of_a_file_is_told_by_its_content(data: bytes, kind: str) -> None:
    assert kind_of_bytes(data) == kind


def test_a_file_that_cannot_be_opened_has_no_kind(tmp_path: Path) -> None:
    assert kind_of(tmp_path / "gone.xlsx") is None
    assert kind_of(tmp_path) is None  # a folder


def test_only_a_refusal_is_said_again_and_only_for_a_kind_we_can_name(tmp_path: Path) -> None:
    word = tmp_path / "brev.xlsx"
    word.write_bytes(WORD)
    locked = WorkbookError("file_locked", file=word.name)
    assert plain_error(locked, word) is locked
    refused = WorkbookError("not_readable_workbook", file=word.name, reason="OSError: …")
    assert plain_error(refused, word).code == "file_is_word"
    damaged = tmp_path / "halv.xlsx"
    damaged.write_bytes(EXAMPLE.read_bytes()[:1500])
    refused = WorkbookError("not_readable_workbook", file=damaged.name, reason="BadZipFile")
    assert plain_error(refused, damaged).code == "file_damaged"  # the parser's words: the log
    missing = WorkbookError("damaged_workbook", file="x.xlsx", reason="sheet 'Offert' is missing")
    assert plain_error(missing, EXAMPLE).code == "file_damaged"


def test_migrate_keeps_its_own_message_for_what_it_reads_by_name(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Offertnr;Kundnr\n", encoding="utf-8")
    refused = WorkbookError("not_a_spreadsheet", file=notes.name)
    assert plain_error(refused, notes) is refused  # it names the formats migrate reads
    pdf = tmp_path / "offert.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    assert plain_error(WorkbookError("not_a_spreadsheet", file=pdf.name), pdf).code == (
        "file_is_pdf"
    )


# --- what the salesperson reads ---------------------------------------------------------------

PLAIN = {
    "empty.xlsx": (
        b"",
        "the file is empty (0 bytes), there is nothing in it to read. Open the offer in Excel, "
        "save it again and try again",
        "filen är tom (0 byte), det finns inget i den att läsa. Öppna offerten i Excel, spara "
        "den igen och försök på nytt",
    ),
    "brev.xlsx": (
        WORD,
        "this is a Word document, not an Excel workbook. Offers are read from Excel workbooks: "
        "fill in the offer template (offer-converter template) and use that file",
        "det här är ett Word-dokument, inte en Excel-arbetsbok. Offerter läses från "
        "Excel-arbetsböcker: fyll i offertmallen (offer-converter template) och använd den",
    ),
    "Offert.docx": (
        WORD,
        "this is a Word document, not an Excel workbook. Offers are read from Excel workbooks: "
        "fill in the offer template (offer-converter template) and use that file",
        "det här är ett Word-dokument, inte en Excel-arbetsbok. Offerter läses från "
        "Excel-arbetsböcker: fyll i offertmallen (offer-converter template) och använd den",
    ),
    "bilder.xlsx": (
        POWERPOINT,
        "this is a PowerPoint presentation, not an Excel workbook. Offers are read from Excel "
        "workbooks (.xlsx)",
        "det här är en PowerPoint-presentation, inte en Excel-arbetsbok. Offerter läses från "
        "Excel-arbetsböcker (.xlsx)",
    ),
    "offert.pdf": (
        b"%PDF-1.4\n",
        "this is a PDF document, not an Excel workbook. Use the Excel file the offer was made "
        "in (.xlsx)",
        "det här är ett PDF-dokument, inte en Excel-arbetsbok. Använd Excel-filen som offerten "
        "gjordes i (.xlsx)",
    ),
    "kalkyl.xlsx": (
        ODS,
        "this is a LibreOffice spreadsheet (.ods), not an Excel workbook. Open it in LibreOffice "
        "or Excel and save it as an Excel workbook (.xlsx)",
        "det här är ett LibreOffice-kalkylark (.ods), inte en Excel-arbetsbok. Öppna det i "
        "LibreOffice eller Excel och spara det som Excel-arbetsbok (.xlsx)",
    ),
    "arkiv.xlsx": (
        ZIP,
        "this is a zip file (a compressed folder), not an Excel workbook. Unzip it and use the "
        "workbooks inside",
        "det här är en zip-fil (en komprimerad mapp), inte en Excel-arbetsbok. Packa upp den "
        "och använd arbetsböckerna i den",
    ),
    "lista.xlsx": (
        "Kundnr;Vår referens\n".encode("cp1252"),
        "this is a text file, not an Excel workbook. Open it in Excel and save it as an Excel "
        "workbook (.xlsx)",
        "det här är en textfil, inte en Excel-arbetsbok. Öppna den i Excel och spara den som "
        "Excel-arbetsbok (.xlsx)",
    ),
    "halv.xlsx": (
        EXAMPLE.read_bytes()[:1500],
        "the workbook is damaged and can't be read. Open it in Excel (which can often repair "
        "it), save it again and try again",
        "arbetsboken är skadad och går inte att läsa. Öppna den i Excel (som ofta kan reparera "
        "den), spara den igen och försök på nytt",
    ),
    "bild.xlsx": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "this is another kind of file, not an Excel workbook. Offers are read from Excel "
        "workbooks (.xlsx or .xlsm)",
        "det här är en annan sorts fil, inte en Excel-arbetsbok. Offerter läses från "
        "Excel-arbetsböcker (.xlsx eller .xlsm)",
    ),
}


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), prog_name="offer-converter")
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    return result


@pytest.fixture
def user_home(user_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's folders (the log too) in tmp_path, and no keyring."""
    monkeypatch.setenv("XDG_STATE_HOME", str(user_dirs / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(user_dirs / "cache"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return user_dirs


@pytest.fixture
def strays(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "fel filer"
    folder.mkdir()
    paths = []
    for name, (data, _en, _sv) in PLAIN.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_validate_names_each_kind_of_file_in_plain_words(strays: list[Path], lang: str) -> None:
    severity = {"en": "error   ", "sv": "fel     "}[lang]
    result = invoke("validate", "--lang", lang, *map(str, strays))
    assert result.exit_code == 1
    expected = []
    for path in strays:
        _data, en, sv = PLAIN[path.name]
        expected += [str(path), f"  {severity} {path.name}: {en if lang == 'en' else sv}"]
    assert result.stdout.splitlines() == expected
    assert "Error:" not in result.output and "OSError" not in result.output


@on_linux  # the user folders are moved into tmp_path the XDG way
@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        ("en", "0 created, 0 updated, 0 unchanged, 2 failed"),
        ("sv", "0 skapade, 0 uppdaterade, 0 oförändrade, 2 misslyckade"),
    ],
)
def test_an_empty_file_and_a_word_document_dropped_are_two_failures(
    strays: list[Path], tmp_path: Path, user_home: Path, lang: str, summary: str
) -> None:
    empty, word = (p for p in strays if p.name in ("empty.xlsx", "Offert.docx"))
    result = invoke("drop", "--lang", lang, "--sandbox", str(empty), str(word))
    assert result.exit_code == 1, result.output
    shown = [line for line in result.stdout.splitlines() if line.startswith("  ✗ ")]
    assert shown == [
        f"  ✗ {p.name}: {PLAIN[p.name][1 if lang == 'en' else 2]}" for p in (empty, word)
    ]
    assert summary in result.stdout.splitlines()


@on_linux  # the user folders are moved into tmp_path the XDG way
@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        ("en", "0 created, 0 updated, 0 unchanged, 1 failed"),
        ("sv", "0 skapade, 0 uppdaterade, 0 oförändrade, 1 misslyckade"),
    ],
)
def test_upload_of_an_empty_file_counts_it_failed(
    strays: list[Path], tmp_path: Path, user_home: Path, lang: str, summary: str
) -> None:
    empty = next(p for p in strays if p.name == "empty.xlsx")
    state = tmp_path / "sandbox.json"
    result = invoke(
        "upload", "--lang", lang, "--sandbox", "--sandbox-state", str(state), str(empty)
    )
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        str(empty),
        f"  {'error' if lang == 'en' else 'fel  '}    empty.xlsx: "
        f"{PLAIN['empty.xlsx'][1 if lang == 'en' else 2]}",
        summary,
    ]


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_migrate_names_an_empty_file_and_a_word_document(
    strays: list[Path], tmp_path: Path, lang: str
) -> None:
    folder = tmp_path / "gamla"
    folder.mkdir()
    for name in ("empty.xlsx", "brev.xlsx"):
        shutil.copy(next(p for p in strays if p.name == name), folder / name)
    report = tmp_path / "rapport.xlsx"
    result = invoke("migrate", "--lang", lang, "--dry-run", str(folder), "--report", str(report))
    assert result.exit_code == 1, result.output
    text = 1 if lang == "en" else 2
    for name in ("empty.xlsx", "brev.xlsx"):
        assert f"  ✗ {folder / name}: {name}: {PLAIN[name][text]}" in result.stdout.splitlines()
    tail = "2 file(s) gave no offer" if lang == "en" else "2 fil(er) gav ingen offert"
    assert tail in result.stdout


@pytest.mark.libreoffice
def test_a_real_pdf_renamed_xlsx_is_named(tmp_path: Path) -> None:
    """A PDF as LibreOffice prints an offer (only Calc is installed here: no real .docx)."""
    exe = shutil.which("soffice")
    if exe is None:
        pytest.skip("soffice is not installed")
    source = tmp_path / "offert.csv"
    source.write_text("Kundnr;Summa\n013;10550\n", encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [exe, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    renamed = tmp_path / "Offert Åsa.xlsx"
    (out / "offert.pdf").rename(renamed)
    result = invoke("validate", "--lang", "sv", str(renamed))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        str(renamed),
        f"  fel      Offert Åsa.xlsx: {PLAIN['offert.pdf'][2]}",
    ]
