"""Property tests: whatever the cells hold, the mapper gives a result or our problems.

Sheets are built as ``SheetData`` directly (no file), so hypothesis can try
thousands of them: any value, any number format, in any grid column or header
value cell. The mapper must never raise, and a built offer must serialize.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter.map.offer_sheet import map_sheet
from converter.model.cells import Cell, CellRef, CellValue
from converter.model.profile import load_profile
from converter.read.xlsx import SheetData

PROFILE = load_profile()
COLUMNS = ["Rad", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris", "Rabatt", "Moms", "Summa"]
FORMATS = ["General", "0", "000", "0%", "0.00%", "#,##0.00", "@", "yyyy-mm-dd", "h:mm", "[h]:mm"]

values: st.SearchStrategy[CellValue] = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(
        [
            "7 400,00",
            "1,250",
            "10 %",
            "fem",
            "Summa",
            "Moms 25%",
            "=1/0",
            "",
            "2026-01-30",
            "30/01/2026",
            "#DIV/0!",
            "0042",
            "Totalt",
        ]
    ),
    # edge values that random floats and integers reach too rarely
    st.sampled_from([float("inf"), float("-inf"), float("nan"), 1e300, -0.0, 10**40, 0.1]),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.times(),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
)
rarely = st.sampled_from([False] * 9 + [True])  # formulas and error cells, now and then
cells = st.tuples(values, st.sampled_from(FORMATS), rarely, rarely)


def cell(row: int, column: int, spec: tuple[CellValue, str, bool, bool]) -> Cell | None:
    value, number_format, is_formula, is_error = spec
    if value is None and not is_formula:
        return None
    if is_error:
        return Cell(CellRef("Offert", row, column), "#REF!", number_format, "=A1", True)
    return Cell(CellRef("Offert", row, column), value, number_format, "=X1" if is_formula else None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.slow
@given(
    header=st.lists(cells, min_size=2, max_size=2),
    grid=st.lists(st.lists(cells, min_size=len(COLUMNS), max_size=len(COLUMNS)), max_size=6),
)
def test_any_cells_give_an_offer_or_problems(
    header: list[tuple[CellValue, str, bool, bool]],
    grid: list[list[tuple[CellValue, str, bool, bool]]],
) -> None:
    rows: list[list[Cell]] = []
    for r, (label, spec) in enumerate(zip(["Kundnr", "Offertdatum"], header, strict=True), 1):
        row = [Cell(CellRef("Offert", r, 1), label)]
        if (value := cell(r, 2, spec)) is not None:
            row.append(value)
        rows.append(row)
    rows.append([Cell(CellRef("Offert", 4, c), name) for c, name in enumerate(COLUMNS, 1)])
    for r, specs in enumerate(grid, start=5):
        row = [c for i, spec in enumerate(specs, 1) if (c := cell(r, i, spec)) is not None]
        if row:
            rows.append(row)
    offer = map_sheet(SheetData("Offert", 0, "visible", rows), PROFILE, Path("fuzz.xlsx"))
    assert offer is not None  # the grid header is always there
    for problem in offer.problems:
        assert problem.message("en") and problem.message("sv")
        assert problem.ref is None or problem.ref.sheet == "Offert"
    if offer.ok:
        assert offer.request is not None
        json.dumps(offer.request.body())
        assert all(r["RowNr"] >= 1 for r in offer.request.body()["InvoiceRows"])
    else:
        assert any(p.severity == "error" for p in offer.problems)
