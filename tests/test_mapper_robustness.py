"""The mapper, on odd input: a problem or a warning, never a crash (issue 2).

Each test builds a small workbook; ``mapper_helpers`` says what a sheet holds
unless the test says otherwise.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from conftest import CellSpec, WorkbookFactory, corpus_files, needs_corpus, resave_with_libreoffice
from mapper_helpers import HEADER, PRODUCT, body, check, found, one_row, rows_of, sheet

from converter.model.profile import Profile
from converter.pipeline import validate_file, validate_files

# --- robustness ----------------------------------------------------------------------------


def _with_raw_value(path: Path, coordinate: str, raw: str) -> Path:
    """Give a numeric cell a raw ``<v>`` text, as a crafted or broken file could."""
    with zipfile.ZipFile(path) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    xml = entries["xl/worksheets/sheet1.xml"].decode()
    start = xml.index(f'<c r="{coordinate}"')
    v0 = xml.index("<v>", start) + 3
    v1 = xml.index("</v>", v0)
    entries["xl/worksheets/sheet1.xml"] = (xml[:v0] + raw + xml[v1:]).encode()
    out = path.with_name("crafted.xlsx")
    with zipfile.ZipFile(out, "w") as z:
        for n, data in entries.items():
            z.writestr(n, data)
    return out


@pytest.mark.parametrize("coordinate", ["B1", "B7", "D7", "F7"])
def test_infinite_number_in_a_cell_is_a_problem_not_a_crash(
    make_workbook: WorkbookFactory, coordinate: str
) -> None:
    path = make_workbook(
        {"Offert": sheet([[1, 1001, None, 5, None, 580]], header={**HEADER, "B1": 1001})}
    )
    report = validate_files([_with_raw_value(path, coordinate, "1E999")])
    assert [(p.severity, p.where) for p in report.problems] == [("error", f"Offert!{coordinate}")]


@pytest.mark.parametrize(
    "row",
    [
        [1, "1001", None, 1e20, None, 1e10],
        [1, "1001", None, 1, None, 10, (1e26, "0%")],
        [1, "1001", None, "1" * 40, None, 1],
    ],
    ids=["huge-line-total", "huge-percentage", "forty-digit-antal"],
)
def test_huge_numbers_are_a_result_or_a_problem_not_a_crash(
    make_workbook: WorkbookFactory, row: list[CellSpec]
) -> None:
    report = validate_files([make_workbook({"Offert": sheet([row])})])
    for problem in report.problems:
        assert problem.ref is not None and problem.ref.row == 7


@pytest.mark.parametrize("value", [(0.5, "h:mm"), (1.5, "[h]:mm")], ids=["time", "duration"])
@pytest.mark.parametrize(
    "coordinate",
    ["B1", "B2", "B7", "C7", "D7", "E7", "F7"],
    ids=["Kundnr", "Offertdatum", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris"],
)
def test_time_formatted_cells_are_a_problem_not_a_crash(
    make_workbook: WorkbookFactory, coordinate: str, value: CellSpec
) -> None:
    """Excel turns "8:00" typed into any cell into a time value."""
    path = make_workbook({"Offert": sheet([PRODUCT], extra={coordinate: value})})
    report = validate_files([path])
    assert {p.where for p in report.problems} <= {f"Offert!{coordinate}"}


@needs_corpus
@pytest.mark.parametrize(
    "path",
    corpus_files(".xlsx", ".xlsm"),
    ids=lambda p: p.name,
)
def test_real_world_workbooks_give_a_report(path: Path, profile: Profile) -> None:
    """Mapping never raises: a foreign workbook gives problems, at worst ``no_offers``."""
    report = validate_file(path, profile)
    assert report.path == path
    for problem in report.all_problems():
        assert problem.message()
        assert problem.severity in ("error", "warning", "info")


# --- warnings that leave the offer alone ---------------------------------------------------


def test_a_second_column_with_the_same_meaning_is_a_warning(make_workbook: WorkbookFactory) -> None:
    cells = sheet([PRODUCT], extra={"J6": "Qty", "J7": 99})
    report = check(make_workbook, {"Offert": cells})
    assert found(report) == [("warning", "duplicate_column", "Offert!J6")]
    assert report.problems[0].message() == "a second Antal column; the first one, D6, is used"
    assert one_row(report)["Quantity"] == 5


def test_a_second_label_with_the_same_meaning_is_a_warning(make_workbook: WorkbookFactory) -> None:
    header = {**HEADER, "D1": "Customer no", "E1": "2002"}
    report = check(make_workbook, {"Offert": sheet([PRODUCT], header=header)})
    assert found(report) == [("warning", "duplicate_label", "Offert!D1")]
    assert report.problems[0].message() == "a second Kundnr label; the first one, A1, is used"
    assert body(report)["CustomerNr"] == "1001"


def test_a_plain_small_percentage_is_taken_as_is_with_a_warning(
    make_workbook: WorkbookFactory,
) -> None:
    report = check(make_workbook, {"Offert": sheet([PRODUCT], extra={"G7": 0.5})})
    assert found(report) == [("warning", "small_percent", "Offert!G7")]
    assert report.problems[0].message() == (
        "Rabatt 0.5 is read as 0.5 %. If you meant 50 %, type 50 or format the cell as a percentage"
    )
    assert one_row(report)["Discount"] == 0.5


def test_summa_that_is_not_a_number_is_a_warning(make_workbook: WorkbookFactory) -> None:
    report = check(make_workbook, {"Offert": sheet([PRODUCT], extra={"I7": "ca 3000"})})
    assert found(report) == [("warning", "summa_not_number", "Offert!I7")]
    assert report.problems[0].message() == "Summa 'ca 3000' is not a number, so it was not checked"
    assert report.ok


def test_a_date_where_kundnr_belongs_is_an_error(make_workbook: WorkbookFactory) -> None:
    header = {**HEADER, "B1": datetime(2026, 1, 1)}
    report = check(make_workbook, {"Offert": sheet([PRODUCT], header=header)})
    assert found(report) == [("error", "date_not_text", "Offert!B1")]
    assert report.problems[0].message() == (
        "Kundnr holds a date or time (2026-01-01); type the Kundnr as text"
    )


@pytest.mark.libreoffice
def test_offer_saved_by_libreoffice_maps_like_the_original(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    """openpyxl leaves Summa formulas without results; LibreOffice stores them, as Excel does."""
    grid: list[list[CellSpec]] = [
        [1, "1001", "Arbetskostnad", 5, "Tim", 580, None, (0.25, "0%"), "=D7*F7*(1-G7/100)"],
        [2, None, "Arbetet utförs\nvecka 12"],
        [3, (42, "0000"), "Material", 2.5, "st", 1250.5, 10, 25, "=D9*F9*(1-G9/100)"],
    ]
    extra: dict[str, CellSpec] = {"H11": "Summa", "I11": "=SUM(I7:I9)"}
    header = {**HEADER, "B1": (13, "000")}
    source = make_workbook({"Offert": sheet(grid, header=header, extra=extra)}, name="source.xlsx")
    from_openpyxl = validate_files([source])
    assert sorted(found(from_openpyxl)) == [
        ("warning", "summa_no_value", "Offert!I7"),
        ("warning", "summa_no_value", "Offert!I9"),
    ]
    saved = resave_with_libreoffice(source, tmp_path / "lo")
    from_libreoffice = validate_files([saved])
    assert found(from_libreoffice) == []  # the saved results match Antal × Pris × (1 − Rabatt)
    assert from_libreoffice.bodies() == from_openpyxl.bodies()
    assert body(from_libreoffice)["CustomerNr"] == "013"
    assert [r.get("ProductNr") for r in rows_of(from_libreoffice)] == ["1001", None, "0042"]
