"""Inputs the fuzzer (tests/fuzz/fuzz_reader.py) once crashed on, replayed forever."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from converter.errors import WorkbookError
from converter.map.offer_sheet import map_workbook
from converter.model.profile import load_profile
from converter.read.xlsx import read_workbook

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))
from inputs import BASE, workbook_bytes  # noqa: E402

CRASHES = sorted((Path(__file__).parent / "fuzz" / "crashes").iterdir())


@pytest.mark.parametrize("crash", CRASHES, ids=[c.name for c in CRASHES])
def test_a_former_crash_is_a_result_or_a_workbook_error(crash: Path, tmp_path: Path) -> None:
    path = tmp_path / "crash.xlsx"
    path.write_bytes(workbook_bytes(crash.read_bytes(), BASE.read_bytes()))
    try:
        map_workbook(read_workbook(path), load_profile())
    except WorkbookError as exc:
        assert "crash.xlsx" in str(exc)
