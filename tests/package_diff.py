"""Compare two workbook packages part by part, and one sheet's cells as raw XML and as read."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

from converter.read.xlsx import read_workbook

_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]+\d+)\"[^>]*?(?:/>|>.*?</(?:\w+:)?c>)", re.S)


def entries(path: Path) -> list[str]:
    """The zip's entry names, in order."""
    with zipfile.ZipFile(path) as archive:
        return [info.filename for info in archive.infolist()]


def parts(path: Path) -> dict[str, bytes]:
    """Every entry's uncompressed bytes."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def changed_parts(before: Path, after: Path) -> set[str]:
    """The entries whose bytes differ, or that only one of the two packages has."""
    a, b = parts(before), parts(after)
    return {name for name in a.keys() | b.keys() if a.get(name) != b.get(name)}


def raw_cells(xml: bytes) -> dict[str, bytes]:
    """Each ``<c>`` element of a sheet's XML, exactly as written, by its address."""
    return {m.group(1).decode(): m.group(0) for m in _CELL.finditer(xml)}


def read_cells(path: Path, sheet: str) -> dict[str, tuple[Any, ...]]:
    """The project's reader's view of a sheet: address → (value, formula, number format, error)."""
    book = read_workbook(path)
    found = next(s for s in book.sheets if s.name == sheet)
    return {
        c.ref.coordinate: (c.value, c.formula, c.number_format, c.is_error)
        for row in found.rows
        for c in row
    }


def outside_sheet_data(xml: bytes) -> bytes:
    """A sheet's XML without its cells and without ``<dimension>``: everything else must stay."""
    xml = re.sub(
        rb"<(?:\w+:)?sheetData\b(?:[^>]*/>|.*?</(?:\w+:)?sheetData>)", b"", xml, flags=re.S
    )
    return re.sub(rb"<(\w+:)?dimension\b[^>]*/>", b"", xml)


def assert_other_cells_kept(
    original: Path, written: Path, sheet: str, part: str, cells: Collection[str]
) -> None:
    """Every cell of ``sheet`` but ``cells`` is as it was: as the reader reads it (value,
    formula, cached value, number format) and as raw XML (style included); nothing outside
    the cells changed."""
    before, after = read_cells(original, sheet), read_cells(written, sheet)
    assert {k: v for k, v in after.items() if k not in cells} == {
        k: v for k, v in before.items() if k not in cells
    }
    old_xml, new_xml = parts(original)[part], parts(written)[part]
    old_cells, new_cells = raw_cells(old_xml), raw_cells(new_xml)
    assert {k: v for k, v in new_cells.items() if k not in cells} == {
        k: v for k, v in old_cells.items() if k not in cells
    }
    assert outside_sheet_data(old_xml) == outside_sheet_data(new_xml)
