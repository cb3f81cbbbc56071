"""Coverage-guided fuzzing of the reader and mapper with atheris.

Run it (documented in the README; CI runs it briefly)::

    .venv/bin/python tests/fuzz/fuzz_reader.py -max_total_time=60

Each input is used three ways, chosen by its first byte: as a whole workbook
file, as the sheet XML inside a valid offer workbook, or as its shared-strings
XML. Reading and mapping must end in a result or a WorkbookError; any other
exception is a crash that libFuzzer reports with the input that caused it.
The seed corpus is the example sheets, copied into a temporary folder (libFuzzer
writes new inputs into its corpus folder, and the examples must stay as they are).
"""

from __future__ import annotations

import io
import sys
import tempfile
import zipfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from converter.errors import WorkbookError
    from converter.map.offer_sheet import map_workbook
    from converter.model.profile import load_profile
    from converter.read.xlsx import read_workbook

sys.path.insert(0, str(Path(__file__).parent))
from inputs import BASE, MODES, ROOT, workbook_bytes  # noqa: E402

BASE_BYTES = BASE.read_bytes()
PROFILE = load_profile()
WORK = Path(tempfile.mkdtemp(prefix="fuzz-reader-"))


def one_input(data: bytes) -> None:
    """Read and map one fuzzed workbook; only our own error may come out."""
    if not data:
        return
    path = WORK / "fuzz.xlsx"
    path.write_bytes(workbook_bytes(data, BASE_BYTES))
    try:
        map_workbook(read_workbook(path), PROFILE)
    except WorkbookError:
        pass


def main() -> None:
    """Seed a temporary corpus with the example sheets and start libFuzzer."""
    corpus = Path(tempfile.mkdtemp(prefix="fuzz-corpus-"))
    for example in (ROOT / "example_sheets").rglob("*.xlsx"):
        package = example.read_bytes()
        # one seed per mode: the first byte picks how the rest is used
        (corpus / f"{example.stem}.0").write_bytes(b"\x00" + package)
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            for mode, part in MODES.items():
                if part in archive.namelist():
                    (corpus / f"{example.stem}.{mode}").write_bytes(
                        bytes([mode]) + archive.read(part)
                    )
    args = [a for a in sys.argv if a]
    if not any(not a.startswith("-") for a in args[1:]):
        args.append(str(corpus))
    atheris.Setup(args, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
