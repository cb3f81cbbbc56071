"""Formulas that depend on written cells lose their saved result; nothing else does (issue 15).

The dependency finder (:mod:`converter.writeback.dependents`) on a table of
formulas, then the patch on workbooks whose formulas carry saved results (as
Excel and LibreOffice save them): only the dependents lose theirs, the
workbook is marked for recalculation only when one exists, and every other
part stays byte for byte.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from conftest import Formula, build_workbook
from package_diff import parts, raw_cells, read_cells
from test_patch import _replace, stamp_of

from converter.errors import WritebackError
from converter.read.package import Package
from converter.writeback.dependents import MAX_COLUMN, MAX_ROW, Reference, references
from converter.writeback.dependents import find_dependents as _find
from converter.writeback.patch import CellEdit, patch_workbook, with_full_calculation

SHEET1, SHEET2 = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"
WORKBOOK = "xl/workbook.xml"


def ref(
    r1: int, c1: int, r2: int | None = None, c2: int | None = None, *sheets: str, a: str = "...."
) -> Reference:
    """A reference; ``a`` marks the absolute parts (first row, first col, last row, last col)."""
    return Reference(
        tuple(sheets) or None,
        r1,
        c1,
        r1 if r2 is None else r2,
        c1 if c2 is None else c2,
        tuple(ch == "$" for ch in a),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("formula", "found"),
    [
        ("=D12*F12", [ref(12, 4), ref(12, 6)]),
        ("=SUM($I$12:I40)", [ref(12, 9, 40, 9, a="$$..")]),
        ("=$D12+D$12", [ref(12, 4, a=".$.$"), ref(12, 4, a="$.$.")]),
        ("=Offert!B2", [ref(2, 2, 2, 2, "offert")]),
        (
            "='Offert (2)'!B2+'Kund''s'!A1",
            [ref(2, 2, 2, 2, "offert (2)"), ref(1, 1, 1, 1, "kund's")],
        ),
        ("=SUM(A:A)", [ref(1, 1, MAX_ROW, 1, a="$.$.")]),
        ("=SUM($12:12)", [ref(12, 1, 12, MAX_COLUMN, a="$$.$")]),
        ("=SUM(B12:A1)", [ref(1, 1, 12, 2)]),
        ("=SUM(Blad1:Blad3!B2)", [ref(2, 2, 2, 2, "blad1", "blad3")]),
        ('="A1"&" D12 "&C3', [ref(3, 3)]),  # text in quotes is no reference
        ('="say ""B2"""&C3', [ref(3, 3)]),
        (
            "=VLOOKUP($B12,Artiklar!$A:$D,2,FALSE)",
            [ref(12, 2, a=".$.$"), ref(1, 1, MAX_ROW, 4, "artiklar", a="$$$$")],
        ),
        ("=LOG10(100)+ATAN2(1,1)", []),  # function names that look like cells
        ("=1.5E3+2e-2+E3", [ref(3, 5)]),
        ("=IF(A0>0,#N/A,#REF!)", []),  # A0 is a name; errors are no references
        ("=_xlfn.IFS(Å1>0,B1)", [ref(1, 2)]),
        ("=SUM(Rader)*2", []),
    ],
)
def test_references_of_a_formula(formula: str, found: list[Reference]) -> None:
    parsed = references(formula)
    assert list(parsed.references) == found
    assert not parsed.unfollowable and not parsed.books


@pytest.mark.parametrize(
    ("formula", "unfollowable", "names", "books"),
    [
        ('=INDIRECT("B"&ROW())', True, [], []),
        ("=SUM(OFFSET(A1,1,0,5,1))", True, [], []),
        ("=_xlfn.SINGLE(INDIRECT(A1))", True, [], []),
        ("=Tabell1[Pris]", True, ["pris"], []),
        ("=SUM(Rader)+Offert!Moms", False, ["rader", "moms"], []),
        ("=[1]Prislista!A1+'C:\\x\\[Pris.xlsx]Blad1'!B2", False, [], ["1", "Pris.xlsx"]),
    ],
)
def test_what_a_formula_refers_to_that_cant_be_followed(
    formula: str, unfollowable: bool, names: list[str], books: list[str]
) -> None:
    parsed = references(formula)
    assert parsed.unfollowable == unfollowable
    assert [n for _sheet, n in parsed.names] == names
    assert list(parsed.books) == books


def dependents(
    path: Path, edited: Mapping[str, list[tuple[int, int]]]
) -> tuple[dict[str, set[str]], bool]:
    from openpyxl.utils.cell import get_column_letter

    with zipfile.ZipFile(path) as archive:
        found = _find(Package(archive), edited, path.name)
    cells = {
        sheet: {f"{get_column_letter(c)}{r}" for r, c in cells}
        for sheet, cells in found.cells.items()
    }
    return cells, found.undecided


def test_dependents_transitively_across_sheets_and_shared_formulas(tmp_path: Path) -> None:
    path = build_workbook(
        tmp_path / "deps.xlsx",
        {
            "Offert": {
                "D12": 3,
                "F12": None,
                "I12": "=D12*F12",  # Summa
                "I13": "=D13*F13",  # another row: not
                "I15": "=SUM(I12:I14)",  # the total, through Summa
                "I16": "=I15*0.25",  # and Moms, through the total
                "I17": "=$D$12",  # not F12
                "J12": '="F12"&D12',  # text, not F12
                "K1": "=Offert!F12",  # its own name
            },
            "Summering": {"A1": "=Offert!I15", "A2": "='Offert'!F$12", "A3": "=F12", "A4": "=A1+1"},
        },
    )
    cells, undecided = dependents(path, {"Offert": [(12, 6)]})
    assert cells == {"Offert": {"I12", "I15", "I16", "K1"}, "Summering": {"A1", "A2", "A4"}}
    assert not undecided


def test_a_shared_formulas_cells_each_depend_on_their_own_row(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "shared.xlsx", {"Offert": {"D12": 1, "I20": "=SUM(I12:I14)"}})
    rows = {
        12: b'<c r="I12"><f t="shared" ref="I12:I14" si="0">D12*F12</f><v>0</v></c>',
        13: b'<c r="I13"><f t="shared" si="0"/><v>0</v></c>',
        14: b'<c r="I14"><f t="shared" si="0"/><v>0</v></c>',
    }
    _replace(path, SHEET1, _sheet(parts(path)[SHEET1], rows))
    assert dependents(path, {"Offert": [(13, 6)]}) == ({"Offert": {"I13", "I20"}}, False)
    assert dependents(path, {"Offert": [(20, 4)]}) == ({}, False)


@pytest.mark.parametrize(
    ("formula", "why"),
    [
        ('=INDIRECT("F12")', "a computed reference"),
        ("=SUM(OFFSET(A1,0,0,20,9))", "a computed area"),
        ("=SUM(Rader)", "a defined name covering F12"),
        ("=[0]Offert!F12", "the workbook itself"),
    ],
)
def test_an_undecidable_dependency_keeps_values_and_recalculates(
    tmp_path: Path, formula: str, why: str
) -> None:
    path = build_workbook(tmp_path / "undecided.xlsx", {"Offert": {"A1": 1, "B1": formula}})
    _with_name(path, "Rader", "Offert!$F$1:$F$40")
    assert dependents(path, {"Offert": [(12, 6)]}) == ({}, True), why


def test_a_defined_name_elsewhere_and_another_workbook_are_no_dependency(tmp_path: Path) -> None:
    path = build_workbook(
        tmp_path / "independent.xlsx",
        {"Offert": {"B1": "=SUM(Rader)", "B2": "=[1]Offert!F12", "B3": "=NOW()"}},
    )
    _with_name(path, "Rader", "Offert!$A$1:$A$9")
    assert dependents(path, {"Offert": [(12, 6)]}) == ({}, False)


# --------------------------------------------------------------------------- the patch


def saved(path: Path) -> Path:
    """The workbook as Excel saves it: no fullCalcOnLoad in its calcPr."""
    book = parts(path)[WORKBOOK]
    _replace(path, WORKBOOK, book.replace(b' fullCalcOnLoad="1"', b""))
    return path


def offer(tmp_path: Path) -> Path:
    return saved(
        build_workbook(
            tmp_path / "offer.xlsx",
            {
                "Offert": {
                    "B2": "Offertnr",
                    "D12": 3,
                    "D13": 2,
                    "F13": 10,
                    "I12": Formula("=D12*F12", 0),
                    "I13": Formula("=D13*F13", 20),
                    "I15": Formula("=SUM(I12:I13)", 20),
                    "J15": Formula('=IF(I15>100,"stor","liten")', "liten"),
                    "I16": Formula("=D13", 2),
                },
                "Summering": {"A1": Formula("=Offert!I15", 20), "A2": Formula("=1+1", 2)},
            },
        )
    )


def test_only_the_dependents_lose_their_saved_results(tmp_path: Path) -> None:
    path = offer(tmp_path)
    original = parts(path)
    before = {s: read_cells(path, s) for s in ("Offert", "Summering")}
    patch_workbook(path, stamp_of(path), [CellEdit("Offert", 12, 6, 595)], None, tmp_path / "b")
    assert changed_parts_of(original, path) == {SHEET1, SHEET2, WORKBOOK}
    after = {s: read_cells(path, s) for s in ("Offert", "Summering")}
    stale = {"Offert": {"I12", "I15", "J15"}, "Summering": {"A1"}}
    for sheet, cells in stale.items():
        for cell in cells:
            value, formula, number_format, _error = before[sheet][cell]
            assert value is not None and after[sheet][cell] == (None, formula, number_format, False)
        kept = {c: v for c, v in after[sheet].items() if c not in cells | {"F12"}}
        assert kept == {c: v for c, v in before[sheet].items() if c not in cells}
    assert after["Offert"]["F12"][0] == 595
    # raw: the stale cells are the old ones without <v> and without the old result's type
    old1, new1 = raw_cells(original[SHEET1]), raw_cells(parts(path)[SHEET1])
    assert new1["J15"] == b'<c r="J15"><f>IF(I15&gt;100,"stor","liten")</f></c>'
    assert new1["I12"] == b'<c r="I12"><f>D12*F12</f></c>'
    assert {c: x for c, x in new1.items() if c not in {"I12", "I15", "J15", "F12"}} == {
        c: x for c, x in old1.items() if c not in {"I12", "I15", "J15", "F12"}
    }
    assert b'fullCalcOnLoad="1"' in parts(path)[WORKBOOK]
    assert parts(path)[WORKBOOK].replace(b' fullCalcOnLoad="1"', b"") == original[WORKBOOK]


def test_a_write_nothing_depends_on_changes_only_its_sheet(tmp_path: Path) -> None:
    path = offer(tmp_path)
    original = parts(path)
    patch_workbook(path, stamp_of(path), [CellEdit("Offert", 2, 3, "486")], None, tmp_path / "b")
    assert changed_parts_of(original, path) == {SHEET1}
    old1, new1 = raw_cells(original[SHEET1]), raw_cells(parts(path)[SHEET1])
    assert {c: x for c, x in new1.items() if c != "C2"} == old1


def test_calc_pr_is_created_where_the_schema_puts_it() -> None:
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    book = b"<workbook " + ns + b"><sheets/><definedNames/><pivotCaches/><extLst/></workbook>"
    assert with_full_calculation(book) == (
        b"<workbook " + ns + b'><sheets/><definedNames/><calcPr fullCalcOnLoad="1"/>'
        b"<pivotCaches/><extLst/></workbook>"
    )
    prefixed = b'<x:workbook xmlns:x="u"><x:sheets/></x:workbook>'
    assert with_full_calculation(prefixed) == (
        b'<x:workbook xmlns:x="u"><x:sheets/><x:calcPr fullCalcOnLoad="1"/></x:workbook>'
    )
    off = b'<workbook><calcPr calcId="191029" fullCalcOnLoad="0"/></workbook>'
    assert (
        with_full_calculation(off)
        == b'<workbook><calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>'
    )
    assert with_full_calculation(b'<workbook><calcPr fullCalcOnLoad="1"/></workbook>') is None


def test_an_undecidable_dependency_recalculates_but_keeps_every_value(tmp_path: Path) -> None:
    path = saved(
        build_workbook(
            tmp_path / "indirect.xlsx",
            {
                "Offert": {
                    "D12": 3,
                    "I12": Formula('=INDIRECT("F12")*D12', 0),
                    "I14": Formula("=I12", 0),
                }
            },
        )
    )
    original = parts(path)
    patch_workbook(path, stamp_of(path), [CellEdit("Offert", 12, 6, 595)], None, tmp_path / "b")
    # I12 reaches F12 only through INDIRECT: it and I14 keep their values, Excel recalculates
    assert changed_parts_of(original, path) == {SHEET1, WORKBOOK}
    cells = read_cells(path, "Offert")
    assert cells["I12"][0] == 0 and cells["I14"][0] == 0
    assert b'fullCalcOnLoad="1"' in parts(path)[WORKBOOK]


def changed_parts_of(original: dict[str, bytes], path: Path) -> set[str]:
    after = parts(path)
    return {n for n in original.keys() | after.keys() if original.get(n) != after.get(n)}


def _sheet(xml: bytes, rows: Mapping[int, bytes]) -> bytes:
    """``xml`` with rows ``rows`` (number → cells) in place, in row order."""
    for number, cells in sorted(rows.items()):
        row = f'<row r="{number}">'.encode() + cells + b"</row>"
        existing = re.search(rf'<row r="{number}"[^>]*>.*?</row>'.encode(), xml, re.S)
        if existing:
            xml = xml[: existing.start()] + row + xml[existing.end() :]
            continue
        later = next(
            (m for m in re.finditer(rb'<row r="(\d+)"', xml) if int(m.group(1)) > number), None
        )
        at = later.start() if later else xml.index(b"</sheetData>")
        xml = xml[:at] + row + xml[at:]
    return xml


def _with_name(path: Path, name: str, definition: str) -> None:
    book = parts(path)[WORKBOOK]
    names = f'<definedNames><definedName name="{name}">{definition}</definedName></definedNames>'
    _replace(path, WORKBOOK, book.replace(b"</sheets>", b"</sheets>" + names.encode()))


def test_verification_refuses_a_dependent_that_lost_its_formula(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader reads the new bytes first: a dependent must keep its formula (a broken
    strip would turn the Summa into an empty cell), and the file is left as it was."""
    import converter.writeback.sheet_patch as sheet_patch

    path = offer(tmp_path)
    before = path.read_bytes()
    monkeypatch.setattr(
        sheet_patch, "_VALUE", re.compile(rb"<f>[^<]*</f>|<v>[^<]*</v>")
    )  # loses the formula too
    with pytest.raises(WritebackError) as exc:
        patch_workbook(path, stamp_of(path), [CellEdit("Offert", 12, 6, 595)], None, tmp_path / "b")
    assert exc.value.code == "wb_verify_cell" and "I12" in exc.value.message("sv")
    assert path.read_bytes() == before
    assert not (tmp_path / "b").exists() or not list((tmp_path / "b").iterdir())


def test_an_array_formula_over_one_cell_is_a_dependent_over_several_recalculates(
    tmp_path: Path,
) -> None:
    path = build_workbook(tmp_path / "arrays.xlsx", {"Offert": {"D12": 1}})
    rows = {
        20: b'<c r="I20"><f t="array" ref="I20">SUM(D12:D14*F12:F14)</f><v>0</v></c>',
        21: b'<c r="I21"><f t="array" ref="I21:I22">D12:D13*F12:F13</f><v>0</v></c>',
        22: b'<c r="I22"><v>0</v></c>',
        23: b'<c r="I23"><f>I21+I22</f><v>0</v></c>',
    }
    _replace(path, SHEET1, _sheet(parts(path)[SHEET1], rows))
    assert dependents(path, {"Offert": [(12, 6)]}) == ({"Offert": {"I20"}}, True)
    assert dependents(path, {"Offert": [(14, 6)]}) == ({"Offert": {"I20"}}, False)
