"""Numbers and text exactly as the spreadsheet shows them (issue 16).

Each case is a small workbook built here, byte by byte where openpyxl can't
write it (Strict Open XML, parts under other names, ``_xHHHH_`` escapes, float
noise as Excel stores it), and read through the whole reader and mapper. These
are the places where openpyxl itself is wrong, so they are checked against
what Excel shows, not against openpyxl.
"""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CORPUS, needs_corpus

from converter.map.offer_sheet import map_workbook
from converter.map.values import CellValueError, display_text, shown_number, to_decimal
from converter.model.profile import Profile
from converter.read.filekind import kind_of
from converter.read.xlsx import read_workbook

TRANSITIONAL = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
STRICT = {
    "main": "http://purl.oclc.org/ooxml/spreadsheetml/main",
    "r": "http://purl.oclc.org/ooxml/officeDocument/relationships",
}
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cell_xml(ref: str, value: object, style: int = 0, kind: str | None = None) -> str:
    """One ``<c>``: text inline (or shared when ``kind="s"``), numbers (``kind="n"``) as written."""
    s = f' s="{style}"' if style else ""
    if kind == "s":
        return f'<c r="{ref}" t="s"{s}><v>{value}</v></c>'
    if kind == "str":
        return f'<c r="{ref}" t="str"{s}><f>A1</f><v>{_esc(str(value))}</v></c>'
    if kind == "d":
        return f'<c r="{ref}" t="d"{s}><v>{value}</v></c>'
    if isinstance(value, str) and kind is None:
        return (
            f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{_esc(value)}</t></is></c>'
        )
    return f'<c r="{ref}"{s}><v>{value}</v></c>'


def sheet_of(cells: list[str], ns: str) -> str:
    rows: dict[int, list[str]] = {}
    for c in cells:
        ref = c.split('r="', 1)[1].split('"', 1)[0]
        rows.setdefault(int("".join(ch for ch in ref if ch.isdigit())), []).append(c)
    body = "".join(f'<row r="{n}">{"".join(cs)}</row>' for n, cs in sorted(rows.items()))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}">'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


def styles_of(formats: list[str], ns: str) -> str:
    """A styles part: style 0 General, style i (1-based) with ``formats[i-1]``."""
    numfmts = "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode="{_esc(f).replace(chr(34), "&quot;")}"/>'
        for i, f in enumerate(formats)
    )
    xfs = '<xf numFmtId="0"/>' + "".join(f'<xf numFmtId="{164 + i}"/>' for i in range(len(formats)))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{ns}">'
        f'<numFmts count="{len(formats)}">{numfmts}</numFmts>'
        f'<cellXfs count="{len(formats) + 1}">{xfs}</cellXfs></styleSheet>'
    )


def build_package(
    path: Path,
    cells: list[str],
    *,
    formats: list[str] = (),  # type: ignore[assignment]
    shared: list[str] | None = None,
    strict: bool = False,
    workbook_part: str = "xl/workbook.xml",
    styles_part: str = "xl/styles.xml",
    strings_part: str = "xl/sharedStrings.xml",
    sheet_part: str = "xl/worksheets/sheet1.xml",
    date1904: bool = False,
) -> Path:
    """A one-sheet package (sheet "Offert") with every part where the arguments say."""
    ns = STRICT if strict else TRANSITIONAL
    rel_type = ns["r"]  # the relationship types share the r: namespace's prefix
    folder = workbook_part.rsplit("/", 1)[0] if "/" in workbook_part else ""

    def relative(part: str) -> str:
        return "/" + part  # absolute targets: the standard allows both

    wb_pr = '<workbookPr date1904="1"/>' if date1904 else ""
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns["main"]}" '
        f'xmlns:r="{ns["r"]}">{wb_pr}<sheets><sheet name="Offert" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )
    wb_rels = [
        f'<Relationship Id="rId1" Type="{rel_type}/worksheet" Target="{relative(sheet_part)}"/>'
    ]
    parts = {
        workbook_part: workbook,
        sheet_part: sheet_of(cells, ns["main"]),
    }
    if formats:
        parts[styles_part] = styles_of(list(formats), ns["main"])
        wb_rels.append(
            f'<Relationship Id="rId2" Type="{rel_type}/styles" Target="{relative(styles_part)}"/>'
        )
    if shared is not None:
        items = "".join(f'<si><t xml:space="preserve">{_esc(s)}</t></si>' for s in shared)
        parts[strings_part] = (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns["main"]}">{items}</sst>'
        )
        wb_rels.append(
            f'<Relationship Id="rId3" Type="{rel_type}/sharedStrings" '
            f'Target="{relative(strings_part)}"/>'
        )
    rels_name = (
        (folder + "/" if folder else "") + "_rels/" + workbook_part.rsplit("/", 1)[-1] + ".rels"
    )
    parts[rels_name] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_RELS}">'
        + "".join(wb_rels)
        + "</Relationships>"
    )
    parts["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_RELS}">'
        f'<Relationship Id="rId1" Type="{rel_type}/officeDocument" Target="{workbook_part}"/>'
        "</Relationships>"
    )
    overrides = {
        workbook_part: f"{CT}.sheet.main+xml",
        sheet_part: f"{CT}.worksheet+xml",
        styles_part: f"{CT}.styles+xml",
        strings_part: f"{CT}.sharedStrings+xml",
    }
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="/{p}" ContentType="{t}"/>'
            for p, t in overrides.items()
            if p in parts
        )
        + "</Types>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


def cells_of(path: Path) -> dict[str, object]:
    sheet = read_workbook(path).sheets[0]
    return {c.ref.coordinate: c.value for row in sheet.rows for c in row}


def offer_cells(
    kundnr: object, kund_style: int = 0, rows: list[list[str]] | None = None
) -> list[str]:
    """An offer sheet: Kundnr in B1, Offertdatum in B2, a grid header in row 4."""
    cells = [
        cell_xml("A1", "Kundnr"),
        cell_xml("B1", kundnr, kund_style)
        if not isinstance(kundnr, str)
        else cell_xml("B1", kundnr),
        cell_xml("A2", "Offertdatum"),
        cell_xml("B2", "2026-01-30"),
    ]
    for col, label in zip("ABCDE", ["Rad", "Artikel", "Antal", "Pris", "Summa"], strict=True):
        cells.append(cell_xml(f"{col}4", label))
    for r in rows or [
        [cell_xml("A5", 1), cell_xml("B5", "A11"), cell_xml("C5", 2), cell_xml("D5", 100)]
    ]:
        cells.extend(r)
    return cells


def body(path: Path, profile: Profile) -> dict[str, object]:
    report = map_workbook(read_workbook(path), profile)
    errors = [p for o in report.offers for p in o.problems if p.severity != "info"]
    assert errors == [], [p.message() for p in errors]
    offer = report.offers[0].request
    assert offer is not None
    # the JSON text that goes out, parsed back
    return json.loads(json.dumps(offer.body()))  # type: ignore[no-any-return]


# --- float noise ---------------------------------------------------------------------------


def test_float_noise_is_read_as_excel_shows_it(tmp_path: Path, profile: Profile) -> None:
    """579.99999999999989 is 580 in Excel; 4.999999999999999 is 5; 7400.000000000001 is 7400."""
    rows = [
        [
            cell_xml("A5", 1),
            cell_xml("B5", "A11"),
            cell_xml("C5", "4.999999999999999", kind="n"),
            cell_xml("D5", "579.99999999999989", kind="n"),
            cell_xml("E5", "2899.9999999999995", kind="n"),
        ],
        [
            cell_xml("A6", 2),
            cell_xml("B6", "A12"),
            cell_xml("C6", 1),
            cell_xml("D6", "7400.000000000001", kind="n"),
            cell_xml("E6", 7400),
        ],
    ]
    path = build_package(tmp_path / "noise.xlsx", offer_cells(4416, rows=rows))
    raw = cells_of(path)
    assert raw["D5"] == 579.9999999999999 and raw["C5"] == 4.999999999999999  # as stored
    sent = body(path, profile)
    rows_sent = sent["InvoiceRows"]
    assert isinstance(rows_sent, list)
    assert [(r["Quantity"], r["Amount"]) for r in rows_sent] == [(5, 580), (1, 7400)]
    assert all(isinstance(r["Quantity"], int) and isinstance(r["Amount"], int) for r in rows_sent)
    report = map_workbook(read_workbook(path), profile)
    offer = report.offers[0]
    assert offer.total == Decimal("10300.00")  # 5 × 580 + 7400, from the same values
    assert not [p for p in offer.problems if p.code == "summa_mismatch"]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (579.9999999999999, Decimal("580")),
        (4.999999999999999, Decimal("5")),
        (7400.000000000001, Decimal("7400")),
        (0.1 + 0.2, Decimal("0.3")),
        (1234.56, Decimal("1234.56")),
        (123456789012345.6, Decimal("123456789012346")),  # the 16th digit is noise to Excel
        (1e-7, Decimal("1E-7")),
    ],
)
def test_fifteen_significant_digits(stored: float, shown: Decimal) -> None:
    assert to_decimal(stored) == shown
    assert display_text(stored) == format(shown.normalize(), "f") if shown % 1 else str(int(shown))


# --- _xHHHH_ escapes -----------------------------------------------------------------------


def test_escapes_are_decoded_in_shared_inline_and_formula_strings(
    tmp_path: Path, profile: Profile
) -> None:
    shared = ["Rad ett_x000D_\nRad två", "_x005F_x000D_ är text", "pris_x0020_ink_x005f_moms"]
    cells = [
        cell_xml("A1", 0, kind="s"),
        cell_xml("A2", 1, kind="s"),
        cell_xml("A3", 2, kind="s"),
        cell_xml("B1", "inline_x000D_\nrad"),
        cell_xml("C1", "formel_x0009_tab", kind="str"),
        cell_xml("D1", "_x00e5_ och _x00C5_ och _xD83D__xDE00_"),  # a surrogate pair
        cell_xml("E1", "ensam _xD83D_ halva"),  # half a pair: no character of its own
    ]
    values = cells_of(build_package(tmp_path / "esc.xlsx", cells, shared=shared))
    assert values["A1"] == "Rad ett\r\nRad två"
    assert values["A2"] == "_x000D_ är text"  # _x005F_ is the underscore: the rest is literal
    assert values["A3"] == "pris ink_moms"
    assert values["B1"] == "inline\r\nrad"
    assert values["C1"] == "formel\ttab"
    assert values["D1"] == "å och Å och 😀"
    assert values["E1"] == "ensam \ufffd halva"
    json.dumps(values, ensure_ascii=False).encode()  # every text encodes


def test_an_escaped_line_break_reaches_the_offer_text(tmp_path: Path, profile: Profile) -> None:
    rows = [
        [cell_xml("A5", 1), cell_xml("B5", "A11"), cell_xml("C5", 2), cell_xml("D5", 100)],
        [cell_xml("A6", 2)],
    ]
    cells = offer_cells(4416, rows=rows)
    cells.append(cell_xml("F4", "Beskrivning"))
    cells.append(cell_xml("F6", 0, kind="s"))
    path = build_package(tmp_path / "text.xlsx", cells, shared=["Leverans_x000D_\nvecka 12"])
    texts = [r.get("Text") for r in body(path, profile)["InvoiceRows"]]  # type: ignore[union-attr]
    assert "Leverans\r\nvecka 12" in texts
    assert not any("_x000D_" in str(t) for t in texts)


# --- number formats as shown ---------------------------------------------------------------

# (format, value, what Excel shows); thousands separators are left out on purpose
SHOWN = [
    ("General", 13, "13"),
    ("0", 13, "13"),
    ("000", 13, "013"),
    ("000\\ 00", 13, "000 13"),  # the Kundnr
    ("00-00", 13, "00-13"),  # the Kundnr
    ("00\\-00\\-00", 13, "00-00-13"),  # several digit groups, escaped
    ("00 00", 1301, "13 01"),
    ('"K"000', 7, "K007"),  # quoted text before
    ('000"-A"', 7, "007-A"),  # quoted text after
    ('"SE-"000" "00', 12345, "SE-123 45"),  # quoted text between groups
    ("\\K\\N000", 5, "KN005"),  # escaped characters
    ("[Red]000", 5, "005"),  # a colour shows no text
    ("000;[Red]-000", 13, "013"),
    ("000;[Red]-000", -13, "-013"),  # the negative section writes its own minus
    ("000;(000)", -13, "(013)"),
    ('0;-0;"noll"', 0, "noll"),  # the zero section
    ("000", -13, "-013"),  # one section: a minus in front
    ("[$kr-41D] 0", 13, "kr 13"),  # currency text
    ("#,##0", 1234567, "1234567"),
    ("0.00", 12.5, "12.50"),
    ("#.##", 0.5, ".5"),
    ("0.0#", 12.1, "12.1"),
    ("000", 12.5, "013"),  # rounded as shown, half away from zero
    ("0", 579.9999999999999, "580"),
    ("0%", 0.25, "25%"),
    ("000_)", 13, "013 "),  # _x leaves the width of x: a space
    ("* 000", 13, "013"),  # a fill character repeats to the cell's width: no text of its own
    ("@", 13, "13"),  # a number in a text-formatted cell
    ("0;-0;0;@", 13, "13"),  # a text section, unused for numbers
]


@pytest.mark.parametrize(("fmt", "value", "shown"), SHOWN, ids=[f"{f}|{v}" for f, v, _ in SHOWN])
def test_number_formats_render_as_shown(fmt: str, value: float, shown: str) -> None:
    assert display_text(value, fmt) == shown


REFUSED = [
    "[>100]000",  # a condition
    "[<=0]0;000",
    "0.00E+00",  # scientific
    "# ?/?",  # a fraction
    "0,",  # scaling by a thousand
    "0.0.0",
    "00@",
    "0;0;0;@;0",  # five sections
    "000kr",  # letters without quotes
]


@pytest.mark.parametrize("fmt", REFUSED)
def test_formats_that_cannot_be_shown_exactly_are_refused(fmt: str) -> None:
    with pytest.raises(CellValueError) as caught:
        display_text(13, fmt)
    assert caught.value.code == "number_format_unsupported"
    assert caught.value.params == {"value": fmt}
    with pytest.raises(CellValueError):
        shown_number(Decimal(13), fmt)


def test_kundnr_literals_stay_where_the_format_puts_them(tmp_path: Path, profile: Profile) -> None:
    for fmt, expected in (("000\\ 00", "000 13"), ("00-00", "00-13"), ("000", "013")):
        path = build_package(tmp_path / "kund.xlsx", offer_cells(13, kund_style=1), formats=[fmt])
        assert body(path, profile)["CustomerNr"] == expected


def test_an_unsupported_format_is_an_error_at_its_cell_in_both_languages(
    tmp_path: Path, profile: Profile
) -> None:
    path = build_package(
        tmp_path / "villkor.xlsx", offer_cells(13, kund_style=1), formats=["[>100]0"]
    )
    report = map_workbook(read_workbook(path), profile)
    problems = [
        p for o in report.offers for p in o.problems if p.code == "number_format_unsupported"
    ]
    assert len(problems) == 1
    problem = problems[0]
    assert problem.severity == "error" and problem.ref is not None
    assert problem.ref.coordinate == "B1"
    assert problem.where == "Offert!B1"
    en, sv = problem.message("en"), problem.message("sv")
    assert "[>100]0" in en and "Kundnr" in en
    assert "[>100]0" in sv and "talformatet" in sv and "format the" not in sv
    assert en != sv
    assert report.offers[0].request is None  # nothing is sent


# --- parts found through relationships -----------------------------------------------------


def test_styles_elsewhere_are_found_through_the_relationship(
    tmp_path: Path, profile: Profile
) -> None:
    """A styles part not at xl/styles.xml keeps every number format."""
    cells = offer_cells(13, kund_style=1) + [cell_xml("C2", 46052, 2)]
    path = build_package(
        tmp_path / "stil.xlsx",
        cells,
        formats=["000", "yyyy-mm-dd"],
        styles_part="format/stilar.xml",
        strings_part="text/delade.xml",
        sheet_part="blad/forsta.xml",
        shared=["oanvänd"],
    )
    assert body(path, profile)["CustomerNr"] == "013"
    assert cells_of(path)["C2"] == datetime(2026, 1, 30)


def test_the_1904_date_system(tmp_path: Path) -> None:
    path = build_package(
        tmp_path / "mac.xlsx", [cell_xml("A1", 44590, 1)], formats=["yyyy-mm-dd"], date1904=True
    )
    assert cells_of(path)["A1"] == datetime(2026, 1, 30)


# --- Strict Open XML -----------------------------------------------------------------------


@pytest.mark.parametrize("workbook_part", ["xl/workbook.xml", "xl/huvudbok.xml", "bok.xml"])
def test_a_strict_workbook_is_read(tmp_path: Path, profile: Profile, workbook_part: str) -> None:
    """Strict namespaces, a main part under any name, ISO dates in cells: an offer, not "none"."""
    cells = offer_cells(13, kund_style=1)
    cells = [c for c in cells if 'r="B2"' not in c] + [cell_xml("B2", "2026-01-30", kind="d")]
    path = build_package(
        tmp_path / "strikt.xlsx",
        cells + [cell_xml("C3", 0, kind="s")],
        formats=["000"],
        shared=["delad_x000D_\ntext"],
        strict=True,
        workbook_part=workbook_part,
    )
    values = cells_of(path)
    assert values["B2"] == date(2026, 1, 30)
    assert values["C3"] == "delad\r\ntext"
    sent = body(path, profile)
    assert sent["CustomerNr"] == "013" and sent["InvoiceDate"] == "2026-01-30"


@needs_corpus
def test_corpus_files_openpyxl_misreads() -> None:
    """The corpus files tests/test_sheet_xml.py leaves out of its comparison with openpyxl."""
    assert cells_of(CORPUS / "issue_419.xlsx") == {"A1": "Hello"}  # xl/SharedStrings.xml
    strict = read_workbook(CORPUS / "strict_iso_paths.xlsx").sheets[0]
    assert strict.rows[0][0].value == "Item"
    assert sum(len(r) for r in strict.rows) > 10
    minimal = read_workbook(CORPUS / "minimal_package.xlsx").sheets[0]
    booked = next(c for row in minimal.rows for c in row if c.ref.coordinate == "R4")
    assert booked.value == datetime(1985, 2, 25)  # /styles.xml: a date, not 31103
    assert booked.number_format == "mm\\/dd\\/yy"


def test_the_file_kind_follows_the_relationships(tmp_path: Path) -> None:
    """What a refused file is, told from its main part's content type, not folder names."""
    workbook = build_package(tmp_path / "bok.xlsx", offer_cells(13), workbook_part="bok.xml")
    assert kind_of(workbook) == "excel"
    word = tmp_path / "brev.xlsx"
    with zipfile.ZipFile(word, "w") as zf:
        zf.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG_RELS}"><Relationship Id="rId1" '
            f'Type="{TRANSITIONAL["r"]}/officeDocument" Target="dok.xml"/></Relationships>',
        )
        zf.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/dok.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        zf.writestr("dok.xml", "<document/>")
    assert kind_of(word) == "word"
