"""Reading .xls, .ods and Swedish .csv files into the reader's cells.

The proof that the mapping rules hold unchanged: the example workbooks, saved
by LibreOffice as .xls and .ods, map to exactly the offers and problems of the
.xlsx originals (and so to the expected JSON written by hand beside them).
The other tests pin down each reader's rules on small files.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, corpus_files, libreoffice_convert, needs_corpus

import converter.read.legacy as formats
from converter.errors import WorkbookError
from converter.map.offer_sheet import map_workbook
from converter.map.values import display_text, to_percent
from converter.model.cells import Cell
from converter.model.mapped import FileReport
from converter.model.profile import Profile
from converter.read.legacy import read_any
from converter.read.xlsx import WorkbookData, read_workbook

LEGACY = EXAMPLES / "legacy"
ORIGINALS = [*sorted(EXAMPLES.glob("*.xlsx")), EXAMPLES / "errors" / "bad_cells.xlsx"]


def cells(wb: WorkbookData, sheet: int = 0) -> dict[str, Cell]:
    """The cells of one sheet by coordinate."""
    return {c.ref.coordinate: c for row in wb.sheets[sheet].rows for c in row}


# --- the same workbooks, saved by LibreOffice ---------------------------------------------


@pytest.fixture(scope="session")
def resaved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workbooks saved by LibreOffice as .xls and as .ods (one run per format)."""
    out = tmp_path_factory.mktemp("resaved")
    for fmt in ("xls", "ods"):
        libreoffice_convert(ORIGINALS, out, fmt)
    return out


def _outcome(report: FileReport) -> tuple[list[Any], set[tuple[str, str, str]]]:
    bodies = [o.request.body() if o.request is not None else None for o in report.offers]
    return bodies, {(p.severity, p.where, p.code) for p in report.all_problems()}


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
@pytest.mark.parametrize("original", ORIGINALS, ids=lambda p: p.name)
def test_libreoffice_xls_and_ods_map_like_the_xlsx(
    resaved: Path, original: Path, fmt: str, profile: Profile
) -> None:
    legacy = map_workbook(read_any(resaved / f"{original.stem}.{fmt}"), profile)
    assert _outcome(legacy) == _outcome(map_workbook(read_workbook(original), profile))
    expected = original.with_name(original.stem + ".expected.json")
    if expected.is_file():  # bad_cells has its error list instead, compared above
        bodies = [o.request.body() for o in legacy.offers if o.request is not None]
        assert bodies == json.loads(expected.read_text("utf-8"))


def test_as_the_cell_shows_it_in_a_libreoffice_xls() -> None:
    wb = read_any(LEGACY / "gammal_mall" / "files" / "2019" / "offert_1001.xls")
    kund, rabatt = cells(wb)["B5"], cells(wb)["F10"]
    assert (kund.value, kund.number_format) == (13, "000")
    assert display_text(kund.value, kund.number_format) == "013"
    assert (rabatt.value, rabatt.number_format) == (0.1, "0%")
    assert to_percent(rabatt.value, rabatt.number_format) == 10
    assert cells(wb)["B6"].value == datetime(2019, 3, 14)
    assert [(s.name, s.state) for s in wb.sheets] == [
        ("Offert", "visible"),
        ("Offert (2)", "visible"),
        ("Mall", "hidden"),
        ("Villkor", "visible"),
    ]


def test_as_the_cell_shows_it_in_a_libreoffice_ods() -> None:
    wb = read_any(LEGACY / "gammal_mall" / "files" / "2020" / "offert_2020-017.ods")
    rabatt, kabel, text = cells(wb)["F10"], cells(wb)["A11"], cells(wb)["B12"]
    assert (rabatt.value, rabatt.number_format) == (0.05, "0%")
    assert to_percent(rabatt.value, rabatt.number_format) == 5
    assert (kabel.value, display_text(kabel.value, kabel.number_format)) == (1001, "1001")
    assert text.value == "Garanti 2 år.\nMontage ingår ej."
    belopp = cells(wb)["G10"]
    assert belopp.formula is not None and belopp.value == 2755  # LibreOffice saved the result


# --- .ods details, on files written by hand ---------------------------------------------

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)


def ods(path: Path, tables: str, styles: str = "", common: str | None = None) -> Path:
    """An .ods with ``tables`` in its body and ``styles`` as content.xml's automatic styles."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}>'
        f"<office:automatic-styles>{styles}</office:automatic-styles>"
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        if common is not None:
            archive.writestr(
                "styles.xml",
                f'<?xml version="1.0"?><office:document-styles {NS}>'
                f"<office:styles>{common}</office:styles></office:document-styles>",
            )
    return path


def cell(value: str, *attrs: str) -> str:
    return f"<table:table-cell {' '.join(attrs)}><text:p>{value}</text:p></table:table-cell>"


def test_ods_repeats_spans_text_and_value_types(tmp_path: Path) -> None:
    tables = (
        '<table:table table:name="Offert">'
        '<table:table-column table:number-columns-repeated="3"/>'
        "<table:table-row>"
        + cell("x", 'table:number-columns-repeated="2"', 'office:value-type="string"')
        + '<table:table-cell table:number-columns-repeated="16382"/></table:table-row>'
        + '<table:table-row table:number-rows-repeated="1000000">'
        + "<table:table-cell/></table:table-row>"
        + "<table:table-row>"
        + cell("Rubrik", 'office:value-type="string"', 'table:number-columns-spanned="3"')
        + '<table:covered-table-cell table:number-columns-repeated="2"/>'
        + cell("2,5", 'office:value-type="float"', 'office:value="2.5"')
        + "</table:table-row>"
        + '<table:table-row table:number-rows-repeated="2">'
        + '<table:table-cell office:value-type="string"><text:p><text:s text:c="2"/>a<text:s/>b'
        "<text:line-break/>c<text:span>d</text:span></text:p><text:p>e</text:p>"
        "<office:annotation><text:p>a comment</text:p></office:annotation></table:table-cell>"
        + cell("TRUE", 'office:value-type="boolean"', 'office:boolean-value="true"')
        + cell("2026-01-30", 'office:value-type="date"', 'office:date-value="2026-01-30"')
        + cell("12:30", 'office:value-type="time"', 'office:time-value="PT12H30M00S"')
        + cell(
            "#DIV/0!",
            'table:formula="of:=1/0"',
            'office:value-type="string"',
            'calcext:value-type="error"',
        )
        + "</table:table-row></table:table>"
        '<table:table table:name="Dold" table:style-name="ta2"><table:table-row>'
        + cell("y", 'office:value-type="string"')
        + "</table:table-row></table:table>"
    )
    styles = (
        '<style:style style:name="ta2" style:family="table">'
        '<style:table-properties table:display="false"/></style:style>'
    )
    wb = read_any(ods(tmp_path / "t.ods", tables, styles))
    got = {c: (v.value, v.is_error) for c, v in cells(wb).items()}
    assert got == {
        "A1": ("x", False),
        "B1": ("x", False),
        # a million empty rows are counted, not read
        "A1000002": ("Rubrik", False),
        "D1000002": (2.5, False),
        "A1000003": ("  a b\ncd\ne", False),
        "B1000003": (True, False),
        "C1000003": (datetime(2026, 1, 30), False),
        "D1000003": (time(12, 30), False),
        "E1000003": ("#DIV/0!", True),
        "A1000004": ("  a b\ncd\ne", False),  # the repeated row, again
        "B1000004": (True, False),
        "C1000004": (datetime(2026, 1, 30), False),
        "D1000004": (time(12, 30), False),
        "E1000004": ("#DIV/0!", True),
    }
    assert cells(wb)["E1000003"].formula == "=1/0"
    assert wb.sheets[0].merged == ["A1000002:C1000002"]
    assert [(s.name, s.state) for s in wb.sheets] == [("Offert", "visible"), ("Dold", "hidden")]


def test_ods_number_formats_come_from_the_data_styles(tmp_path: Path) -> None:
    styles = (
        # LibreOffice's "positive;negative" style: the positive section is a mapped style
        '<number:number-style style:name="N1P0"><number:number number:min-integer-digits="4"/>'
        "</number:number-style>"
        '<number:number-style style:name="N1"><number:text>-</number:text>'
        '<number:number number:min-integer-digits="4"/>'
        '<style:map style:condition="value()&gt;=0" style:apply-style-name="N1P0"/>'
        "</number:number-style>"
        '<number:percentage-style style:name="N2"><number:number number:decimal-places="1" '
        'number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>'
        '<style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>'
        '<style:style style:name="ce2" style:family="table-cell" style:parent-style-name="Named"/>'
        '<style:style style:name="ce3" style:family="table-cell" style:data-style-name="N2"/>'
    )
    common = (
        '<number:number-style style:name="N9"><number:text>K-</number:text>'
        '<number:number number:min-integer-digits="3" number:grouping="true"/>'
        "</number:number-style>"
        '<style:style style:name="Named" style:family="table-cell" style:data-style-name="N9"/>'
    )
    tables = (
        '<table:table table:name="S">'
        '<table:table-column table:default-cell-style-name="ce3"/>'
        '<table:table-column table:number-columns-repeated="2"/>'
        "<table:table-row>"
        + cell("0.1", 'office:value-type="percentage"', 'office:value="0.1"')  # the column's style
        + cell("0013", 'table:style-name="ce1"', 'office:value-type="float"', 'office:value="13"')
        + cell("K-042", 'table:style-name="ce2"', 'office:value-type="float"', 'office:value="42"')
        + "</table:table-row>"
        '<table:table-row table:default-cell-style-name="ce1">'
        + cell("0007", 'office:value-type="float"', 'office:value="7"')  # the row's style
        + cell("25%", 'office:value-type="percentage"', 'office:value="0.25"')
        + "</table:table-row></table:table>"
    )
    wb = read_any(ods(tmp_path / "f.ods", tables, styles, common))
    got = {c: (v.value, v.number_format) for c, v in cells(wb).items()}
    assert got == {
        "A1": (0.1, "0.0%"),
        "B1": (13, '0000;"-"0000'),
        "C1": (42, '"K-"#,##000'),
        "A2": (7, '0000;"-"0000'),
        "B2": (0.25, "0%"),  # a percentage without a percentage style still shows as one
    }
    shown = {c: display_text(v.value, v.number_format) for c, v in cells(wb).items()}
    assert (shown["B1"], shown["C1"], shown["A2"]) == ("0013", "K-042", "0007")
    assert to_percent(0.1, got["A1"][1]) == 10


def test_ods_with_endless_repeats_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "MAX_CELLS", 1000)
    tables = (
        '<table:table table:name="S"><table:table-row table:number-rows-repeated="1048576">'
        + cell("x", 'office:value-type="string"', 'table:number-columns-repeated="100"')
        + "</table:table-row></table:table>"
    )
    with pytest.raises(WorkbookError) as info:
        read_any(ods(tmp_path / "big.ods", tables))
    assert info.value.code == "package_too_large"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("<not xml", "ods_unreadable"),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>'
            f"<office:document-content {NS}>&e;</office:document-content>",
            "ods_unreadable",
        ),
    ],
)
def test_a_damaged_ods_is_a_workbook_error(tmp_path: Path, content: str, code: str) -> None:
    path = tmp_path / "bad.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    with pytest.raises(WorkbookError) as info:
        read_any(path)
    assert info.value.code == code
    assert "bad.ods" in str(info.value)


def test_an_ods_without_content_is_a_workbook_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(WorkbookError) as info:
        read_any(path)
    assert info.value.code == "ods_unreadable"


# --- .csv ------------------------------------------------------------------------------------

CSV = (
    "Offertnr;Kundnr;Benämning;Antal;Pris;Rabatt\r\n"
    '0013;013;"Rör, 15 mm\r\nförkromat";1,250;1 250,50;10 %\r\n'
    ";;;;;\r\n"
    "14;4416;Å;-2,5;7400;\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_swedish_csv_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "lista.csv"
    path.write_bytes(CSV.encode(encoding))
    wb = read_any(path)
    assert [s.name for s in wb.sheets] == ["lista"]  # Excel names a CSV's sheet after the file
    got = {c: v.value for c, v in cells(wb).items()}
    assert got == {
        "A1": "Offertnr",
        "B1": "Kundnr",
        "C1": "Benämning",
        "D1": "Antal",
        "E1": "Pris",
        "F1": "Rabatt",
        "A2": "0013",  # text stays text: leading zeros are kept
        "B2": "013",
        "C2": "Rör, 15 mm\r\nförkromat",
        "D2": 1.25,  # a decimal comma can only be a decimal comma here
        "E2": "1 250,50",  # the mapper reads this Swedish text number
        "F2": "10 %",
        "A4": "14",
        "B4": "4416",
        "C4": "Å",
        "D4": -2.5,
        "E4": "7400",
    }


def test_a_csv_with_commas_says_to_use_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "komma.csv"
    path.write_text("Offertnr,Kundnr\n1,013\n", encoding="utf-8")
    with pytest.raises(WorkbookError) as info:
        read_any(path)
    assert info.value.code == "csv_separator"
    assert "komma.csv" in str(info.value) and "semicolons" in str(info.value)


def test_a_csv_that_is_not_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"a;b\n\x81\x8d\x8f\x90;\x9d\n")  # undefined in Windows-1252 as well
    with pytest.raises(WorkbookError) as info:
        read_any(path)
    assert info.value.code == "csv_unreadable"


# --- choosing the reader ---------------------------------------------------------------------


def test_an_xls_that_is_really_an_xlsx_is_read_as_one(tmp_path: Path) -> None:
    renamed = tmp_path / "spec_offer.xls"
    shutil.copyfile(EXAMPLES / "spec_offer.xlsx", renamed)
    assert (
        cells(read_any(renamed))["C4"].value
        == cells(read_workbook(EXAMPLES / "spec_offer.xlsx"))["C4"].value
    )


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("web.xls", b"<html><table><tr><td>1</td></tr></table></html>", "xls_not_excel"),
        ("notes.txt", b"Offertnr;Kundnr\n", "not_a_spreadsheet"),
        ("broken.xls", formats._OLE_MAGIC + b"\0" * 600, "xls_unreadable"),
        ("nothing.ods", b"PK\x03\x04 not a zip", "not_readable_workbook"),
    ],
)
def test_what_is_not_a_spreadsheet_is_refused_with_its_name(
    tmp_path: Path, name: str, data: bytes, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(WorkbookError) as info:
        read_any(path)
    assert info.value.code == code
    assert name in str(info.value)


def test_a_huge_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text("a;b\n" * 100, encoding="utf-8")
    with pytest.raises(WorkbookError) as info:
        read_any(path)
    assert info.value.code == "package_too_large"


def test_a_missing_file_and_a_folder_are_workbook_errors(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as info:
        read_any(tmp_path / "gone.ods")
    assert info.value.code == "file_not_found"
    with pytest.raises(WorkbookError) as info:
        read_any(tmp_path)
    assert info.value.code == "file_is_folder"


@pytest.mark.parametrize(("marker", "code"), [(True, "xls_protected"), (False, "xls_unreadable")])
def test_an_encrypted_workbook_says_to_remove_the_password(
    tmp_path: Path, marker: bool, code: str
) -> None:
    # An encrypted .xlsx is an OLE container with an EncryptedPackage and no Workbook stream.
    data = (LEGACY / "gammal_mall" / "files" / "2019" / "offert_1001.xls").read_bytes()
    data = data.replace("Workbook".encode("utf-16-le"), "Xorkbook".encode("utf-16-le"))
    if marker:
        data += "EncryptedPackage".encode("utf-16-le")
    path = tmp_path / "locked.xlsx"
    path.write_bytes(data)
    with pytest.raises(WorkbookError) as info:
        read_any(path)
    assert info.value.code == code
    assert "locked.xlsx" in str(info.value)


def test_reading_never_writes(tmp_path: Path) -> None:
    for source in (LEGACY / "blankett" / "files").iterdir():
        copy = tmp_path / source.name
        shutil.copyfile(source, copy)
        before = (copy.read_bytes(), copy.stat().st_mtime_ns)
        if copy.suffix != ".json":
            read_any(copy)
        assert (copy.read_bytes(), copy.stat().st_mtime_ns) == before


def test_the_stamp_is_the_files_content_hash(tmp_path: Path) -> None:
    import hashlib

    path = LEGACY / "offertlista" / "files" / "offertlista_2018.csv"
    assert read_any(path).stamp.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


# --- real-world files: every format the migration reads -------------------------------------


@needs_corpus
@pytest.mark.parametrize(
    "path", corpus_files(".xlsx", ".xlsm", ".xls", ".ods"), ids=lambda p: p.name
)
def test_corpus_file_reads_or_gives_a_workbook_error_as_a_legacy_file(path: Path) -> None:
    """``migrate`` reads .xls and .ods too: each real-world file gives cells or a clear error.

    The hostile ones (``OOM_alloc*.xls``, ``issue_594_dos.ods``) are among them.
    """
    before = path.read_bytes()
    try:
        wb = read_any(path)
    except WorkbookError as exc:
        assert str(exc).startswith(path.name + ": ")
    else:
        for sheet in wb.sheets:
            rows = [row[0].ref.row for row in sheet.rows]
            assert rows == sorted(set(rows)), "rows in order, each once"
            for row in sheet.rows:
                assert row and {c.ref.row for c in row} == {row[0].ref.row}
                assert all(c.ref.sheet == sheet.name for c in row)
    assert path.read_bytes() == before
