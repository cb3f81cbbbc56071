"""The package layer finds parts through relationships, as OPC says, not by usual names."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from converter.read.package import Package, PackageError, rels_part_of


def _workbook_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Offert"
    ws["A1"] = "Kundnr"
    hidden = wb.create_sheet("Gömd")
    hidden.sheet_state = "hidden"
    wb.create_chartsheet("Diagram")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, renames: dict[str, str], edit: dict[str, tuple[bytes, bytes]]) -> bytes:
    """Copy a package, renaming parts and replacing bytes inside parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            for part, (old, new) in edit.items():
                if info.filename == part:
                    assert old in body, (part, old)
                    body = body.replace(old, new)
            dst.writestr(renames.get(info.filename, info.filename), body)
    return out.getvalue()


def _open(data: bytes) -> Package:
    return Package(zipfile.ZipFile(io.BytesIO(data)))


def test_lists_sheets_with_state_kind_and_part() -> None:
    pkg = _open(_workbook_bytes())
    assert pkg.workbook_part == "xl/workbook.xml"
    assert not pkg.strict
    assert [(s.name, s.state, s.kind) for s in pkg.sheets] == [
        ("Offert", "visible", "worksheet"),
        ("Gömd", "hidden", "worksheet"),
        ("Diagram", "visible", "chartsheet"),
    ]
    assert [s.name for s in pkg.worksheets()] == ["Offert", "Gömd"]
    offer = pkg.sheet("Offert")
    assert offer is not None and offer.part is not None
    assert b"Kundnr" in pkg.read(offer.part) or pkg.workbook_related("sharedStrings")
    assert pkg.workbook_related("styles") == "xl/styles.xml"


def test_parts_found_through_relationships_under_other_names() -> None:
    data = _rewrite(
        _workbook_bytes(),
        renames={
            "xl/workbook.xml": "xl/book.xml",
            "xl/_rels/workbook.xml.rels": "xl/_rels/book.xml.rels",
            "xl/styles.xml": "xl/theme/look.xml",
        },
        edit={
            "_rels/.rels": (b"xl/workbook.xml", b"/xl/book.xml"),
            "xl/_rels/workbook.xml.rels": (b'Target="styles.xml"', b'Target="theme/look.xml"'),
        },
    )
    pkg = _open(data)
    assert pkg.workbook_part == "xl/book.xml"
    assert pkg.workbook_related("styles") == "xl/theme/look.xml"
    offer = pkg.sheet("Offert")
    assert offer is not None and offer.part == "xl/worksheets/sheet1.xml"


def test_part_names_are_case_insensitive() -> None:
    data = _rewrite(
        _workbook_bytes(), renames={"xl/worksheets/sheet1.xml": "XL/Worksheets/Sheet1.XML"}, edit={}
    )
    pkg = _open(data)
    offer = pkg.sheet("Offert")
    assert offer is not None and offer.part == "xl/worksheets/sheet1.xml"
    assert pkg.read(offer.part).startswith(b"<")


def test_strict_namespaces_are_recognised() -> None:
    transitional = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strict = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    rel_t = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rel_s = b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    src = _workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(src)) as zf:
        wb_xml = zf.read("xl/workbook.xml").replace(transitional, strict).replace(rel_t, rel_s)
        root_rels = zf.read("_rels/.rels").replace(rel_t, rel_s)
        wb_rels = zf.read("xl/_rels/workbook.xml.rels").replace(rel_t, rel_s)
    data = _rewrite(
        src,
        renames={},
        edit={
            "xl/workbook.xml": (zipfile.ZipFile(io.BytesIO(src)).read("xl/workbook.xml"), wb_xml),
            "_rels/.rels": (zipfile.ZipFile(io.BytesIO(src)).read("_rels/.rels"), root_rels),
            "xl/_rels/workbook.xml.rels": (
                zipfile.ZipFile(io.BytesIO(src)).read("xl/_rels/workbook.xml.rels"),
                wb_rels,
            ),
        },
    )
    pkg = _open(data)
    assert pkg.strict
    assert [s.name for s in pkg.worksheets()] == ["Offert", "Gömd"]
    assert pkg.workbook_related("styles") == "xl/styles.xml"


def test_no_workbook_part_is_a_package_error() -> None:
    data = _rewrite(
        _workbook_bytes(), renames={}, edit={"_rels/.rels": (b'officeDocument"', b'other"')}
    )
    with pytest.raises(PackageError):
        _open(data)


def test_a_missing_sheet_part_is_none_not_a_crash(tmp_path: Path) -> None:
    src = _workbook_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zf, zipfile.ZipFile(out, "w") as dst:
        for info in zf.infolist():
            if info.filename != "xl/worksheets/sheet2.xml":
                dst.writestr(info.filename, zf.read(info.filename))
    pkg = _open(out.getvalue())
    hidden = pkg.sheet("Gömd")
    assert hidden is not None and hidden.part is None


def test_rels_part_name() -> None:
    assert rels_part_of("xl/worksheets/sheet1.xml") == "xl/worksheets/_rels/sheet1.xml.rels"
    assert rels_part_of("xl/workbook.xml") == "xl/_rels/workbook.xml.rels"
