"""How a fuzz input becomes a workbook file (shared by the harness and the replay test)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "example_sheets" / "spec_offer.xlsx"
MODES = {1: "xl/worksheets/sheet1.xml", 2: "xl/sharedStrings.xml"}


def with_part(package: bytes, name: str, content: bytes) -> bytes:
    """``package`` with one part replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, content if info.filename == name else src.read(info))
    return out.getvalue()


def workbook_bytes(data: bytes, base: bytes) -> bytes:
    """The first byte picks the mode: a whole file (0), or the sheet (1) or strings (2) XML."""
    mode, body = data[0] % 3, data[1:]
    return with_part(base, MODES[mode], body) if mode in MODES else body
