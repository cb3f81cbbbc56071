"""Shared fixtures: a small workbook factory and an English-speaking environment.

``make_workbook`` builds an ``.xlsx`` from a compact description::

    path = make_workbook({"Offert": {"A1": "Kundnr", "B1": (13, "000")}})

Each sheet maps cell coordinates to a value, or to ``(value, number_format)``.
A text value starting with ``=`` is a formula without a saved value (what
openpyxl writes); :class:`Formula` with ``cached=`` stores the value a
spreadsheet application would have saved. ``merged`` and ``hidden`` take
sheet names.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, TypeAlias

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from converter.model.profile import Profile, load_profile

if TYPE_CHECKING:
    from converter.sandbox import SandboxServer

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "example_sheets"
# the shared corpus of real-world files lies beside the project (../shared/corpus), never in it
CORPUS = REPO.parent / "shared" / "corpus" / "calamine"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")


def corpus_files(*suffixes: str) -> list[Path]:
    """The corpus's files with one of ``suffixes`` (every file when none), [] without it."""
    if not CORPUS.is_dir():
        return []
    return sorted(
        p for p in CORPUS.iterdir() if p.is_file() and (not suffixes or p.suffix in suffixes)
    )


@dataclass(frozen=True)
class Formula:
    """A formula cell; ``cached`` is the value the spreadsheet saved (None: no saved value).

    ``cached`` may be a number, a text, a bool or an error code such as ``"#DIV/0!"``.
    """

    text: str
    cached: float | int | str | bool | None = None


Plain: TypeAlias = str | int | float | bool | datetime | date | Formula | None
CellSpec: TypeAlias = Plain | tuple[Plain, str]
SheetSpec: TypeAlias = Mapping[str, CellSpec]
ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")


class WorkbookFactory(Protocol):
    def __call__(
        self,
        sheets: Mapping[str, SheetSpec],
        *,
        merged: Mapping[str, Iterable[str]] | None = None,
        hidden: Mapping[str, Literal["hidden", "veryHidden"]] | None = None,
        name: str = "offer.xlsx",
    ) -> Path: ...


def large_offer_workbook(
    path: Path,
    rows: int,
    reference: str | None = "Anna",
    articles: Sequence[str] | None = None,
) -> Path:
    """A realistic offer of ``rows`` grid rows, written as openpyxl's write-only mode does
    (inline strings, values cached): a header block (Kundnr 013, Offertdatum, Vår
    referens unless ``reference`` is None), every tenth row a text row, the others
    product rows of ``articles`` in turn (by default A000 to A096)."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Offert")
    ws.append(["Kundnr", "013"])
    ws.append(["Offertdatum", date(2026, 1, 30)])
    if reference is not None:
        ws.append(["Vår referens", reference])
    ws.append([])
    ws.append(["Rad", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris", "Rabatt", "Summa"])
    for i in range(1, rows + 1):
        if i % 10 == 0:
            ws.append([i, None, f"Textrad {i}: montage enligt ritning"])
        else:
            qty, price = i % 7 + 1, 100 + i % 50
            article = f"A{i % 97:03d}" if articles is None else articles[i % len(articles)]
            ws.append([i, article, "Arbetskostnad", qty, "Tim", price, 0, qty * price])
    wb.save(path)
    return path


def build_workbook(
    path: Path,
    sheets: Mapping[str, SheetSpec],
    *,
    merged: Mapping[str, Iterable[str]] | None = None,
    hidden: Mapping[str, Literal["hidden", "veryHidden"]] | None = None,
) -> Path:
    """Write ``sheets`` (in order) to ``path`` as an .xlsx and return ``path``."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    cached: dict[int, dict[str, Formula]] = {}
    for index, (title, cells) in enumerate(sheets.items()):
        ws = wb.create_sheet(title)
        for coordinate, spec in cells.items():
            value, number_format = spec if isinstance(spec, tuple) else (spec, None)
            cell = ws[coordinate]
            if isinstance(value, Formula):
                cell.value = value.text
                if value.cached is not None:
                    cached.setdefault(index + 1, {})[coordinate] = value
            else:
                cell.value = value
            if number_format is not None:
                cell.number_format = number_format
        for cell_range in (merged or {}).get(title, ()):
            ws.merge_cells(cell_range)
        if hidden and title in hidden:
            ws.sheet_state = hidden[title]
    wb.save(path)
    if cached:
        _store_cached_values(path, cached)
    return path


def _cached_xml(value: float | int | str | bool) -> tuple[str, str]:
    """The ``t`` attribute and ``<v>`` text a spreadsheet saves for a formula's result."""
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, int | float):
        return "n", repr(value)
    if value in ERROR_CODES:
        return "e", value
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "str", escaped


def _escape_group(text: str) -> str:
    """``text`` safe inside a ``re.sub`` replacement."""
    return text.replace("\\", "\\\\")


def _store_cached_values(path: Path, cached: dict[int, dict[str, Formula]]) -> None:
    """Rewrite the sheets' XML so that formulas carry a saved value, as Excel writes them."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if m and int(m.group(1)) in cached:
                xml = data.decode("utf-8")
                for coordinate, formula in cached[int(m.group(1))].items():
                    assert formula.cached is not None
                    kind, text = _cached_xml(formula.cached)
                    pattern = re.compile(
                        rf'<c r="{coordinate}"((?: s="\d+")?)>(<f>.*?</f>)<v\s*/>(?:</v>)?</c>'
                    )
                    replacement = (
                        rf'<c r="{coordinate}"\1 t="{kind}">\2<v>{_escape_group(text)}</v></c>'
                    )
                    xml, count = pattern.subn(replacement, xml)
                    assert count == 1, f"formula cell {coordinate} not found in {info.filename}"
                data = xml.encode("utf-8")
            zout.writestr(info, data)


@pytest.fixture
def make_workbook(tmp_path: Path) -> WorkbookFactory:
    """A function that builds a workbook in ``tmp_path`` and returns its path."""

    def factory(
        sheets: Mapping[str, SheetSpec],
        *,
        merged: Mapping[str, Iterable[str]] | None = None,
        hidden: Mapping[str, Literal["hidden", "veryHidden"]] | None = None,
        name: str = "offer.xlsx",
    ) -> Path:
        return build_workbook(tmp_path / name, sheets, merged=merged, hidden=hidden)

    return factory


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English unless a test asks for ``--lang sv``, whatever the host's locale."""
    for var in ("LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("OFFER_CONVERTER_DEBUG", raising=False)


@pytest.fixture(scope="session")
def profile() -> Profile:
    """The standard layout profile."""
    return load_profile()


def offer_sheet(
    header: Mapping[str, CellSpec] | None = None,
    grid: Iterable[Iterable[CellSpec]] = (),
    *,
    columns: Sequence[str] = ("Rad", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris"),
    grid_row: int = 5,
    first_column: str = "A",
) -> dict[str, CellSpec]:
    """A sheet description: header cells as given, then a grid header row and its rows.

    ``header`` defaults to Kundnr 1001 in B1 and Offertdatum 2026-01-30 in B2.
    Each grid row lists values in ``columns`` order; None leaves the cell empty.
    """
    cells: dict[str, CellSpec] = dict(
        header
        if header is not None
        else {"A1": "Kundnr", "B1": "1001", "A2": "Offertdatum", "B2": datetime(2026, 1, 30)}
    )
    start = column_index_from_string(first_column)
    letters = [get_column_letter(start + i) for i in range(len(columns))]
    for letter, label in zip(letters, columns, strict=True):
        cells[f"{letter}{grid_row}"] = label
    for offset, row in enumerate(grid, start=1):
        for letter, spec in zip(letters, row, strict=False):
            if spec is not None:
                cells[f"{letter}{grid_row + offset}"] = spec
    return cells


def soffice() -> str | None:
    """The path of LibreOffice's ``soffice``, or None when it isn't installed."""
    return shutil.which("soffice")


def libreoffice_convert(sources: Sequence[Path], out_dir: Path, fmt: str = "xlsx") -> list[Path]:
    """Open ``sources`` in headless LibreOffice and save them as ``fmt`` in ``out_dir``.

    One soffice run for all of them, with a profile of its own; returns the files
    written, in order. Skips the test when LibreOffice isn't installed.
    """
    exe = soffice()
    if exe is None:
        pytest.skip("soffice (libreoffice-calc-nogui) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:  # a short path
        result = subprocess.run(
            [
                exe,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--calc",
                "--convert-to",
                fmt,
                "--outdir",
                str(out_dir),
                *map(str, sources),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    written = [out_dir / f"{source.stem}.{fmt}" for source in sources]
    missing = [path.name for path in written if not path.is_file()]
    assert result.returncode == 0 and not missing, (
        f"LibreOffice wrote no {missing} (exit {result.returncode}): {result.stdout}{result.stderr}"
    )
    return written


def resave_with_libreoffice(source: Path, out_dir: Path) -> Path:
    """``source`` saved again by LibreOffice as .xlsx in ``out_dir``."""
    return libreoffice_convert([source], out_dir)[0]


@dataclass(frozen=True)
class Word:
    """One word LibreOffice printed: its page (1-based), its box in points, its text."""

    page: int
    x_min: float
    x_max: float
    y_min: float
    y_max: float
    text: str


@dataclass(frozen=True)
class Rendered:
    """A workbook printed by LibreOffice: the PDF, a PNG per page, and every word's place."""

    pdf: Path
    pngs: list[Path]
    page_sizes: list[tuple[float, float]]  # (width, height) in points
    words: list[Word]

    def text(self, page: int | None = None) -> str:
        """The printed words in reading order, one space between them."""
        return " ".join(w.text for w in self.words if page is None or w.page == page)


def render_with_libreoffice(source: Path, out_dir: Path, dpi: int = 60) -> Rendered:
    """``source`` printed to PDF by LibreOffice, each page as a PNG (poppler's pdftoppm),
    and the words with their boxes (pdftotext -bbox). Skips without LibreOffice or poppler."""
    _need_poppler()
    return _rendered(libreoffice_convert([source], out_dir, fmt="pdf")[0], out_dir, dpi)


def type_in_libreoffice(
    source: Path, sheet: str, texts: Mapping[str, str], out_dir: Path, dpi: int = 60
) -> tuple[Rendered, dict[str, tuple[int, int]]]:
    """Type ``texts`` (cell → text) into ``sheet`` of ``source`` in LibreOffice, as a
    person would, and print it (see :func:`render_with_libreoffice`). Also returns each
    cell's row height (1/100 mm) before and after. Skips without LibreOffice's Python."""
    _need_poppler()
    if soffice() is None:
        pytest.skip("soffice (libreoffice-calc-nogui) is not installed")
    python = next((p for p in _UNO_PYTHONS if _has_uno(p)), None)
    if python is None:
        pytest.skip("no Python with LibreOffice's uno module (Debian python3-uno)")
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / f"{source.stem}.pdf"
    entries = [cell + "=" + text.replace("\n", "\\n") for cell, text in texts.items()]
    done = subprocess.run(
        [python, str(Path(__file__).with_name("lo_type.py")), str(source), str(pdf), sheet,
         *entries],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and pdf.is_file(), done.stdout + done.stderr
    heights = {k: (v[0], v[1]) for k, v in json.loads(done.stdout.splitlines()[-1]).items()}
    return _rendered(pdf, out_dir, dpi), heights


_UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")


def _has_uno(python: str) -> bool:
    if not Path(python).is_file():
        return False
    done = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=60)
    return done.returncode == 0


def _need_poppler() -> None:
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} (Debian poppler-utils) is not installed")


def _rendered(pdf: Path, out_dir: Path, dpi: int) -> Rendered:
    """The pages of ``pdf`` as PNGs beside it, and its words with their boxes."""
    prefix = out_dir / pdf.stem
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, timeout=120
    )
    pngs = sorted(out_dir.glob(f"{pdf.stem}-*.png"))
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    sizes: list[tuple[float, float]] = []
    words: list[Word] = []
    number = r'"([\d.]+)"'
    for page_xml in re.findall(r"<page (.*?)</page>", xhtml, re.S):
        head = re.match(rf"width={number} height={number}>", page_xml)
        assert head is not None, page_xml[:200]
        sizes.append((float(head[1]), float(head[2])))
        for box in re.finditer(
            rf"<word xMin={number} yMin={number} xMax={number} yMax={number}>(.*?)</word>",
            page_xml,
        ):
            x0, y0, x1, y1 = map(float, box.groups()[:4])
            words.append(Word(len(sizes), x0, x1, y0, y1, html.unescape(box[5])))
    assert pngs and len(pngs) == len(sizes), f"pdftoppm wrote {pngs} for {len(sizes)} pages"
    assert all(png.stat().st_size > 0 for png in pngs)
    return Rendered(pdf, pngs, sizes, words)


@pytest.fixture
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data and config folders in tmp_path, and no SOFTONE_* settings of this
    machine: no test reads or writes the user's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in list(os.environ):
        if name.startswith("SOFTONE_"):
            monkeypatch.delenv(name)
    return tmp_path


def user_environment(server: SandboxServer, home: Path) -> dict[str, str]:
    """A user's environment pointing at ``server``, with folders in ``home`` and no keyring."""
    return {
        **os.environ,
        **server.environment(),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
