"""The reader: workbook → cells with their addresses, or a WorkbookError naming the file."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from conftest import (
    CORPUS,
    Formula,
    WorkbookFactory,
    corpus_files,
    needs_corpus,
    resave_with_libreoffice,
)

from converter.errors import WorkbookError
from converter.model.cells import Cell, CellRef
from converter.read.xlsx import SheetData, WorkbookData, read_workbook

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def cells_of(sheet: SheetData) -> dict[str, Cell]:
    return {cell.ref.coordinate: cell for row in sheet.rows for cell in row}


def sheet_named(wb: WorkbookData, name: str) -> SheetData:
    return next(s for s in wb.sheets if s.name == name)


# --- cells and their addresses -----------------------------------------------------------


def test_cells_carry_sheet_row_column_and_coordinate(make_workbook: WorkbookFactory) -> None:
    path = make_workbook({"Offert": {"A1": "Kundnr"}, "Offert 2": {"D12": "fem"}})
    wb = read_workbook(path)
    cell = cells_of(sheet_named(wb, "Offert 2"))["D12"]
    assert cell.ref == CellRef("Offert 2", 12, 4)
    assert (cell.ref.sheet, cell.ref.row, cell.ref.column) == ("Offert 2", 12, 4)
    assert cell.ref.coordinate == "D12"
    assert str(cell.ref) == "'Offert 2'!D12"
    assert cell.value == "fem"
    assert str(cells_of(sheet_named(wb, "Offert"))["A1"].ref) == "Offert!A1"


@pytest.mark.parametrize(
    ("sheet", "expected"),
    [
        ("Offert", "Offert!AA100"),
        ("Offert_2", "Offert_2!AA100"),
        ("Offert 2", "'Offert 2'!AA100"),
        ("Kund's offert", "'Kund''s offert'!AA100"),
        ("Offert-B", "'Offert-B'!AA100"),
    ],
)
def test_cell_ref_str_quotes_sheet_names_like_excel(sheet: str, expected: str) -> None:
    assert str(CellRef(sheet, 100, 27)) == expected


def test_cell_ref_offset() -> None:
    ref = CellRef("Offert", 12, 4)
    assert ref.offset(columns=1) == CellRef("Offert", 12, 5)
    assert str(ref.offset(rows=-1, columns=-3)) == "Offert!A11"


def test_only_non_empty_cells_are_read_row_by_row(make_workbook: WorkbookFactory) -> None:
    path = make_workbook(
        {
            "S": {
                "C2": "c",
                "A2": "a",
                "B4": 4,
                "E4": (None, "0.00"),  # formatted but empty: not a cell to read
                "A7": 2.5,
            }
        }
    )
    sheet = read_workbook(path).sheets[0]
    assert [[str(c.ref) for c in row] for row in sheet.rows] == [
        ["S!A2", "S!C2"],
        ["S!B4"],
        ["S!A7"],
    ]


def test_values_keep_their_types(make_workbook: WorkbookFactory) -> None:
    path = make_workbook(
        {
            "S": {
                "A1": 4416,
                "A2": 2.5,
                "A3": "text\nwith a line break",
                "A4": True,
                "A5": (datetime(2026, 1, 30), "yyyy-mm-dd"),
            }
        }
    )
    cells = cells_of(read_workbook(path).sheets[0])
    assert cells["A1"].value == 4416 and type(cells["A1"].value) is int
    assert cells["A2"].value == 2.5
    assert cells["A3"].value == "text\nwith a line break"
    assert cells["A4"].value is True
    assert cells["A5"].value == datetime(2026, 1, 30)
    assert all(c.formula is None and not c.is_error for c in cells.values())


def test_number_formats(make_workbook: WorkbookFactory) -> None:
    path = make_workbook(
        {
            "S": {
                "A1": (13, "000"),
                "A2": (0.1, "0%"),
                "A3": (0.125, "0.00%"),
                "A4": (1250.5, '#,##0.00 "kr"'),
                "A5": ("0042", "@"),
                "A6": 7,
                "A7": (datetime(2026, 1, 30), "yyyy-mm-dd"),
            }
        }
    )
    cells = cells_of(read_workbook(path).sheets[0])
    assert {k: c.number_format for k, c in cells.items()} == {
        "A1": "000",
        "A2": "0%",
        "A3": "0.00%",
        "A4": '#,##0.00 "kr"',
        "A5": "@",
        "A6": "General",
        "A7": "yyyy-mm-dd",
    }


def test_sheet_order_and_visibility(make_workbook: WorkbookFactory) -> None:
    path = make_workbook(
        {"Första": {"A1": 1}, "Dold": {"A1": 2}, "Mycket dold": {"A1": 3}, "Sista": {"A1": 4}},
        hidden={"Dold": "hidden", "Mycket dold": "veryHidden"},
    )
    wb = read_workbook(path)
    assert [(s.name, s.index, s.state, s.visible) for s in wb.sheets] == [
        ("Första", 0, "visible", True),
        ("Dold", 1, "hidden", False),
        ("Mycket dold", 2, "veryHidden", False),
        ("Sista", 3, "visible", True),
    ]
    # hidden sheets are still read; skipping them is the mapper's decision
    assert cells_of(wb.sheets[2])["A1"].value == 3


def test_merged_ranges(make_workbook: WorkbookFactory) -> None:
    path = make_workbook(
        {"S": {"A3": "merged text", "B5": "tall"}, "T": {"A1": 1}},
        merged={"S": ["A3:C3", "B5:B6"]},
    )
    wb = read_workbook(path)
    assert sorted(wb.sheets[0].merged) == ["A3:C3", "B5:B6"]
    assert wb.sheets[1].merged == []
    # the merged text is one cell: the covered cells are not read again
    assert [str(c.ref) for row in wb.sheets[0].rows for c in row] == ["S!A3", "S!B5"]


# --- formulas and error values -----------------------------------------------------------


def test_formula_without_saved_value(make_workbook: WorkbookFactory) -> None:
    # openpyxl writes formulas without a result, as any script does
    path = make_workbook({"S": {"A1": 2, "B1": 3, "C1": "=A1*B1"}})
    cell = cells_of(read_workbook(path).sheets[0])["C1"]
    assert cell.value is None
    assert cell.formula == "=A1*B1"
    assert cell.is_error is False
    assert cell.is_blank is False  # reported, not treated as empty


def test_formula_with_saved_value(make_workbook: WorkbookFactory) -> None:
    path = make_workbook(
        {
            "S": {
                "A1": 2,
                "B1": 3,
                "C1": Formula("=A1*B1", cached=6),
                "D1": Formula('="a"&"b"', cached="ab"),
                "E1": Formula("=A1/0", cached="#DIV/0!"),
                "F1": (Formula("=A1/10", cached=0.2), "0%"),
            }
        }
    )
    cells = cells_of(read_workbook(path).sheets[0])
    assert (cells["C1"].value, cells["C1"].formula, cells["C1"].is_error) == (6, "=A1*B1", False)
    assert (cells["D1"].value, cells["D1"].formula) == ("ab", '="a"&"b"')
    assert (cells["E1"].value, cells["E1"].formula, cells["E1"].is_error) == (
        "#DIV/0!",
        "=A1/0",
        True,
    )
    assert (cells["F1"].value, cells["F1"].number_format) == (0.2, "0%")


@pytest.mark.parametrize("code", ["#DIV/0!", "#REF!", "#VALUE!", "#N/A", "#NAME?"])
def test_error_cells(make_workbook: WorkbookFactory, code: str) -> None:
    path = make_workbook({"S": {"B2": code}})
    cell = cells_of(read_workbook(path).sheets[0])["B2"]
    assert (cell.value, cell.is_error, cell.formula) == (code, True, None)


@pytest.mark.libreoffice
def test_workbook_saved_by_libreoffice(make_workbook: WorkbookFactory, tmp_path: Path) -> None:
    source = make_workbook(
        {
            "Offert 2": {
                "A1": 2,
                "B1": 3,
                "C1": "=A1*B1",
                "D1": "=A1/0",
                "E1": '="a"&"b"',
                "F1": (0.25, "0%"),
                "G1": (13, "000"),
                "A3": "merged",
            },
            "Dold": {"A1": "x"},
        },
        merged={"Offert 2": ["A3:C3"]},
        hidden={"Dold": "hidden"},
        name="source.xlsx",
    )
    saved = resave_with_libreoffice(source, tmp_path / "lo")
    wb = read_workbook(saved)
    assert [(s.name, s.state) for s in wb.sheets] == [("Offert 2", "visible"), ("Dold", "hidden")]
    cells = cells_of(wb.sheets[0])
    assert (cells["C1"].value, cells["C1"].formula, cells["C1"].is_error) == (6, "=A1*B1", False)
    assert (cells["D1"].value, cells["D1"].formula, cells["D1"].is_error) == (
        "#DIV/0!",
        "=A1/0",
        True,
    )
    assert (cells["E1"].value, cells["E1"].formula) == ("ab", '="a"&"b"')
    assert (cells["F1"].value, cells["F1"].number_format) == (0.25, "0%")
    assert (cells["G1"].value, cells["G1"].number_format) == (13, "000")
    assert str(cells["D1"].ref) == "'Offert 2'!D1"
    assert wb.sheets[0].merged == ["A3:C3"]


# --- the file itself ---------------------------------------------------------------------


def test_stamp_and_input_unchanged(make_workbook: WorkbookFactory) -> None:
    path = make_workbook({"S": {"A1": "x", "B1": "=1+1"}})
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    wb = read_workbook(path)
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime
    assert wb.path == path
    assert wb.stamp.size == len(before)
    assert wb.stamp.sha256 == hashlib.sha256(before).hexdigest()
    assert wb.stamp.mtime_ns == mtime


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "saknas.xlsx"
    with pytest.raises(WorkbookError, match="saknas.xlsx"):
        read_workbook(path)


def test_folder(tmp_path: Path) -> None:
    folder = tmp_path / "offers.xlsx"
    folder.mkdir()
    with pytest.raises(WorkbookError, match="offers.xlsx"):
        read_workbook(folder)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("text.xlsx", b"Kundnr;Datum\n1001;2026-01-30\n"),
        ("empty.xlsx", b""),
        ("ole.xlsx", OLE_MAGIC + b"\x00" * 504),
        ("zip_of_text.xlsx", _zip({"readme.txt": b"hello"})),
        ("pk_garbage.xlsx", b"PK\x03\x04" + b"\x00" * 40),
    ],
)
def test_not_a_workbook(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbookError, match=name.replace(".", r"\.")):
        read_workbook(path)
    assert path.read_bytes() == content


def test_truncated_zip(make_workbook: WorkbookFactory, tmp_path: Path) -> None:
    data = make_workbook({"S": {"A1": "x" * 1000}}).read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(WorkbookError, match="truncated.xlsx"):
        read_workbook(path)


def test_ole_file_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(OLE_MAGIC + b"\x00" * 504)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    message = str(caught.value)
    assert message.startswith("locked.xlsx: ")
    assert "password" in message and ".xls" in message


@pytest.mark.parametrize(
    ("part", "damage"),
    [
        ("xl/worksheets/sheet1.xml", lambda xml: b"<worksheet"),
        ("xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<v>1</v>", b"<v>abc</v>")),
        (
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(b'<c r="A1" t="n"><v>1</v>', b'<c r="A1" t="s"><v>7</v>'),
        ),
        ("xl/workbook.xml", lambda xml: b"garbage"),
        ("xl/styles.xml", lambda xml: b"<styleSheet"),
        ("[Content_Types].xml", lambda xml: b"<Types"),
    ],
    ids=[
        "sheet-xml-cut",
        "number-not-a-number",
        "shared-string-missing",
        "workbook-xml-garbage",
        "styles-xml-cut",
        "content-types-cut",
    ],
)
def test_damaged_package_is_a_workbook_error(
    make_workbook: WorkbookFactory, tmp_path: Path, part: str, damage: object
) -> None:
    entries = _entries(make_workbook({"S": {"A1": 1, "B1": "x"}}))
    assert part in entries
    entries[part] = damage(entries[part])  # type: ignore[operator]
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(_zip(entries))
    with pytest.raises(WorkbookError, match="damaged.xlsx"):
        read_workbook(path)


@needs_corpus
def test_corpus_password_protected_and_xls_files_are_refused() -> None:
    refused = [CORPUS / "pass_protected.xlsx", *sorted(CORPUS.glob("*.xls"))]
    assert len(refused) > 1
    for path in refused:
        with pytest.raises(WorkbookError) as caught:
            read_workbook(path)
        assert str(caught.value).startswith(path.name + ": ")
        if path.read_bytes().startswith(OLE_MAGIC):
            assert "password" in str(caught.value) and ".xlsx" in str(caught.value)


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_file_reads_or_gives_a_workbook_error(path: Path) -> None:
    """Every real-world file gives a result or a clear error: never a crash or a hang."""
    before = path.read_bytes()
    try:
        wb = read_workbook(path)
    except WorkbookError as exc:
        assert str(exc).strip()
    else:
        assert isinstance(wb, WorkbookData)
        for sheet in wb.sheets:
            rows = [row[0].ref.row for row in sheet.rows]
            assert rows == sorted(rows)
            for row in sheet.rows:
                assert row, "empty rows are left out"
                assert {c.ref.row for c in row} == {row[0].ref.row}
                assert all(c.ref.sheet == sheet.name for c in row)
    assert path.read_bytes() == before
