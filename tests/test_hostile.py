"""Hostile and broken files: a clear error naming the file, or a correct result.

Each file is generated here (nothing large is committed) and checked the way a
user meets it: ``offer-converter validate`` in a subprocess, limited to 1 GiB of
address space, with a hang guard. The file must be byte-for-byte unchanged and
no traceback may be printed.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from converter.read.xlsx import read_workbook

MEMORY_LIMIT = 1 << 30
HANG_GUARD = 120  # seconds; a hang guard, not a performance assertion
SHEET = "xl/worksheets/sheet1.xml"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    """``offer-converter validate PATH`` as a user runs it, under the memory limit."""
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "converter", "--lang", "en", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        env=env,
        preexec_fn=_limit_memory,
        check=False,
    )


def offer_workbook(rows: int = 3, text: str = "Arbetskostnad") -> bytes:
    """A small valid offer, as openpyxl writes it."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Offert")
    ws.append(["Kundnr", "013"])
    ws.append(["Offertdatum", date(2026, 1, 30)])
    ws.append([])
    ws.append(["Rad", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris"])
    for i in range(1, rows + 1):
        ws.append([i, "A11", text, 5, "Tim", 580])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def replace_part(data: bytes, name: str, content: bytes | None) -> bytes:
    """The package with part ``name`` replaced (or removed when ``content`` is None)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename == name:
                if content is not None:
                    dst.writestr(name, content)
            else:
                dst.writestr(info, src.read(info))
    return out.getvalue()


def sheet_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(SHEET)


def zip_bomb(path: Path) -> None:
    """A sheet part that unpacks to 2 GiB of nothing."""
    with (
        zipfile.ZipFile(io.BytesIO(offer_workbook())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst,
    ):
        for info in src.infolist():
            if info.filename != SHEET:
                dst.writestr(info, src.read(info))
        with dst.open(SHEET, "w", force_zip64=True) as fh:
            chunk = b" " * (8 << 20)
            for _ in range(256):
                fh.write(chunk)


def billion_laughs(path: Path) -> None:
    entities = "".join(
        f'<!ENTITY l{i} "{"&l" + str(i - 1) + ";" * 1}' + f'{("&l" + str(i - 1) + ";") * 9}">'
        for i in range(1, 10)
    )
    dtd = f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY l0 "lol">{entities}]>'
    xml = sheet_xml(offer_workbook()).split(b"?>", 1)[-1]
    path.write_bytes(
        replace_part(
            offer_workbook(),
            SHEET,
            dtd.encode()
            + xml.replace(
                b"<sheetData>",
                b'<sheetData><row r="99"><c r="A99" t="inlineStr"><is><t>&l9;</t></is></c></row>',
                1,
            ),
        )
    )


def external_entity(path: Path) -> None:
    dtd = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    xml = sheet_xml(offer_workbook()).split(b"?>", 1)[-1]
    path.write_bytes(
        replace_part(
            offer_workbook(),
            SHEET,
            dtd
            + xml.replace(
                b"<sheetData>",
                b'<sheetData><row r="99"><c r="A99" t="inlineStr"><is><t>&x;</t></is></c></row>',
                1,
            ),
        )
    )


def many_entries(path: Path) -> None:
    with (
        zipfile.ZipFile(io.BytesIO(offer_workbook())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for i in range(200_000):
            dst.writestr(f"customXml/item{i}.xml", b"")


def ole_file(path: Path) -> None:
    """What Excel writes for a password-protected workbook, and what .xls files are."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)


BROKEN: dict[str, tuple[Callable[[Path], None], str]] = {
    "zip bomb": (zip_bomb, "refused: the file unpacks to far more"),
    "billion laughs": (billion_laughs, "damaged"),
    "external entity": (external_entity, "damaged"),
    "truncated zip": (
        lambda p: p.write_bytes(offer_workbook()[:1500]),
        "the workbook is damaged and can't be read. Open it in Excel",
    ),
    "text named xlsx": (lambda p: p.write_text("Kundnr;013\n"), "this is a text file, not an"),
    "csv renamed": (
        lambda p: p.write_text("Rad;Artikel;Antal\n1;A11;5\n"),
        "this is a text file, not an Excel workbook",
    ),
    "empty file": (lambda p: p.write_bytes(b""), "the file is empty (0 bytes)"),
    "xls renamed / encrypted": (ole_file, "password-protected workbook or an old Excel"),
    "sheet part missing": (
        lambda p: p.write_bytes(replace_part(offer_workbook(), SHEET, None)),
        "the workbook is damaged and can't be read. Open it in Excel",
    ),
    "200,000 zip entries": (many_entries, "refused: the file unpacks to far more"),
    "empty workbook": (lambda p: openpyxl.Workbook().save(p), "no offer found"),
}


def with_text_replaced(data: bytes, old: bytes, new: bytes) -> bytes:
    """The package with ``old`` replaced by ``new`` in whichever part holds it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            part = archive.read(name)
            if old in part:
                return replace_part(data, name, part.replace(old, new))
    raise AssertionError(f"{old!r} not found")


def many_rows(path: Path) -> None:
    path.write_bytes(offer_workbook(rows=200_000))


def big_cell(path: Path) -> None:
    # openpyxl caps what it writes at Excel's 32,767 characters: edit the XML instead
    path.write_bytes(
        with_text_replaced(
            offer_workbook(rows=1, text="PLACEHOLDER"), b"PLACEHOLDER", b"x" * (5 << 20)
        )
    )


def lying_dimension(path: Path) -> None:
    data = offer_workbook(rows=50)
    xml = sheet_xml(data)
    assert b"<dimension" not in xml  # openpyxl's write-only mode leaves it out: add a lying one
    lie = xml.replace(b"<sheetPr>", b'<dimension ref="A1:A1"/><sheetPr>', 1)
    if lie == xml:
        lie = xml.replace(b"<sheetData", b'<dimension ref="A1:A1"/><sheetData', 1)
    assert b'<dimension ref="A1:A1"/>' in lie
    path.write_bytes(replace_part(data, SHEET, lie))


def huge_merge(path: Path) -> None:
    """One ``<mergeCell>`` over 17 billion cells, beside a valid offer."""
    data = offer_workbook(rows=3)
    huge = sheet_xml(data).replace(
        b"</sheetData>",
        b'</sheetData><mergeCells count="1"><mergeCell ref="H10:XFD1048576"/></mergeCells>',
        1,
    )
    assert b"XFD1048576" in huge
    path.write_bytes(replace_part(data, SHEET, huge))


# Large but valid: each gives the right result.
LARGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "200,000 rows": (
        many_rows,
        "OK: Kundnr 013, 2026-01-30, 200000 rows, 580,000,000.00 excl. VAT",
    ),
    "5 MB cell": (big_cell, "OK: Kundnr 013, 2026-01-30, 1 rows"),
    "dimension A1:A1 over 50 rows": (lying_dimension, "50 rows"),
    "merged range as large as the sheet": (huge_merge, "3 rows"),
}


# the files that take more than a few seconds to make and refuse (or read)
SLOW_FILES = {"zip bomb", "200,000 zip entries", "200,000 rows"}


def _case(name: str, make: Any, expected: str, exit_code: int) -> Any:
    marks = [pytest.mark.slow] if name in SLOW_FILES else []
    return pytest.param(make, expected, exit_code, id=name, marks=marks)


EVERY_FILE = [
    *(_case(name, make, expected, 1) for name, (make, expected) in BROKEN.items()),
    *(_case(name, make, expected, 0) for name, (make, expected) in LARGE.items()),
]


@pytest.mark.parametrize("make, expected, exit_code", EVERY_FILE)
def test_each_file_gives_a_clear_error_or_the_right_result_and_stays_unchanged(
    make: Callable[[Path], None], expected: str, exit_code: int, tmp_path: Path
) -> None:
    path = tmp_path / "hostile offer.xlsx"
    make(path)
    before = path.read_bytes()
    result = validate(path)
    assert result.returncode == exit_code, result.stdout + result.stderr
    assert expected in result.stdout
    assert "hostile offer.xlsx" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert path.read_bytes() == before


def test_the_5_mb_cell_arrives_whole(tmp_path: Path) -> None:
    path = tmp_path / "big-cell.xlsx"
    big_cell(path)
    row = read_workbook(path).sheets[0].rows[3]  # Kundnr, Offertdatum, grid header, row 1
    assert len(str(row[2].value)) == 5 << 20


def test_the_huge_merged_range_is_kept_as_one_range(tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    huge_merge(path)
    assert read_workbook(path).sheets[0].merged == ["H10:XFD1048576"]


def test_openpyxl_parses_with_defusedxml() -> None:
    import openpyxl as op
    from openpyxl.xml import functions

    assert op.DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")


def test_start_up_refuses_without_defusedxml(tmp_path: Path) -> None:
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    result = subprocess.run(
        [sys.executable, "-c", "import converter"],
        capture_output=True,
        text=True,
        env=env,
        timeout=HANG_GUARD,
        check=False,
    )
    assert result.returncode != 0
    assert "needs defusedxml" in result.stderr
