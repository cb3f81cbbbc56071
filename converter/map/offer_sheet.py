"""Turn a sheet's cells into a ``Billing/Offer`` body, with every problem found.

The mapper never raises for what is wrong in a sheet: each problem becomes a
:class:`~converter.model.mapped.Problem` at the address of the cell that needs
attention. An offer is built only when its sheet has no errors.

How a sheet is read (the profile supplies the labels):

1. The grid's header row is the first row naming three or more grid columns,
   one of them Artikel or Beskrivning.
2. Above it, a header label's value is the first non-empty cell to its right,
   before the next label.
3. Below it, each row is a product row (it has an Artikel), a text row (text
   only), a totals row (a total label and a number), or blank.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property, partial
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from converter.map.values import (
    CellValueError,
    display_text,
    is_percent_format,
    plain,
    to_date,
    to_decimal,
    to_percent,
)
from converter.model.api import ROW_TYPE_PRODUCT, ROW_TYPE_TEXT, InvoiceRow, Offer
from converter.model.cells import Cell, CellRef, CellValue
from converter.model.mapped import (
    FileReport,
    Findings,
    LazyOffer,
    MappedOffer,
    Problem,
    Severity,
)
from converter.model.profile import Column, Defaults, HeaderField, Profile, normalize_label
from converter.read.xlsx import SheetData, WorkbookData, merge_ends

T = TypeVar("T")

MIN_GRID_COLUMNS = 3
# a row is sent only when one of these (or text merged across the grid) is filled
_SUBSTANCE = frozenset({"Artikel", "Antal", "Pris", "Beskrivning"})
# larger amounts are typing mistakes; they would also overflow exact decimal sums
MAX_AMOUNT = Decimal(10) ** 12
_CENT = Decimal("0.01")
# the word the salesperson sees for each header field and column
_FIELD_WORDS: dict[str, str] = {
    "CustomerNr": "Kundnr",
    "InvoiceDate": "Offertdatum",
    "ReferenceOur": "Vår referens",
    "ReferenceYour": "Er referens",
    "Currency": "Valuta",
    "DeliveryDate": "Leveransdatum",
    "DueDate": "Giltig till",
    "Note": "Meddelande",
    "OfferNr": "Offertnr",
    "CustomerName": "Kundnamn",
}
# header fields that are read but never sent: filled in by the tool
_NOT_SENT: frozenset[HeaderField] = frozenset({"OfferNr", "CustomerName"})
_DATE_FIELDS = ("InvoiceDate", "DeliveryDate", "DueDate")
_MANDATORY_HEADER: tuple[HeaderField, ...] = ("CustomerNr", "InvoiceDate")


def map_workbook(wb: WorkbookData, profile: Profile) -> FileReport:
    """Map every visible offer sheet to an offer; note the sheets skipped and why.

    A sheet is an offer when it has the grid *and* at least one header-block
    label above it (Kundnr, Offertdatum, Offertnr, …): a grid alone, like a
    price list's ``Art.nr, Benämning, Enhet, Pris``, is not an offer, and
    nothing is ever sent from it or written into it.
    """
    report = FileReport(path=wb.path)
    for sheet in wb.sheets:
        if not sheet.visible:
            report.problems.append(Problem("info", "sheet_hidden", wb.path, sheet=sheet.name))
            continue
        offer = map_sheet(sheet, profile, wb.path)
        if offer is None:
            report.problems.append(Problem("info", "sheet_no_grid", wb.path, sheet=sheet.name))
        elif not offer.header_labels:
            report.problems.append(Problem("info", "sheet_no_header", wb.path, sheet=sheet.name))
        else:
            report.offers.append(offer)
    if not report.offers:
        report.problems.append(Problem("error", "no_offers", wb.path))
    return report


@dataclass
class _Sheet(Findings):
    """Working state for one sheet: where problems go, and lookups."""

    file: Path
    sheet: SheetData
    profile: Profile
    columns: dict[Column, int] = field(default_factory=dict)  # grid column → sheet column
    problems: list[Problem] = field(default_factory=list)
    keep_cells: bool = False  # keep each row's grid cells (fill completes them)

    @cached_property
    def merge_ends(self) -> dict[tuple[int, int], int]:
        """The sheet's merged ranges: top-left (row, column) → last column."""
        return merge_ends(self.sheet)

    def problem(self, severity: Severity, code: str, ref: CellRef | None, **params: Any) -> None:
        self.problems.append(
            Problem(severity, code, self.file, sheet=self.sheet.name, ref=ref, params=params)
        )

    def address(self, first: Cell | CellRef, column: Column) -> CellRef:
        """Where a missing value belongs: the (empty) cell of ``column`` on this row."""
        return _place(first, self.columns.get(column))

    def read(
        self, cell: Cell, word: str, convert: Callable[[Cell], T], severity: Severity = "error"
    ) -> T | None:
        """Convert a cell, or record why it can't be and return None."""
        if cell.is_error:
            self.problem(severity, "formula_error", cell.ref, field=word, value=cell.value)
            return None
        if cell.formula is not None and cell.value is None:
            code = "summa_no_value" if word == "Summa" else "formula_no_value"
            self.problem(severity, code, cell.ref, field=word)
            return None
        try:
            return convert(cell)
        except CellValueError as exc:
            code = exc.code if word != "Summa" else "summa_not_number"
            self.problem(severity, code, cell.ref, field=word, **exc.params)
            return None


@dataclass(frozen=True, slots=True)
class GridRow:
    """A product row as the sheet has it: what ``fill`` needs to complete it."""

    row: int  # the sheet row
    article: str | None  # as the Artikel cell shows it (None: unreadable or missing)
    article_cell: CellRef
    quantity: Decimal | None  # Antal, or None when empty or unreadable
    cells: dict[Column, Cell]  # the row's non-empty cells, formulas included


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """Where one sheet keeps its offer: the mapped offer, and the cells behind it."""

    offer: MappedOffer
    columns: dict[Column, int]  # grid column → sheet column
    header_cells: dict[HeaderField, Cell]  # the value cell of each label that has one
    header_places: dict[HeaderField, CellRef]  # the cell right of each label
    product_rows: list[GridRow]

    def place(self, row: GridRow, column: Column) -> CellRef | None:
        """The cell of ``column`` on ``row``, or None when the grid has no such column."""
        col = self.columns.get(column)
        return None if col is None else CellRef(self.offer.sheet, row.row, col)


def map_sheet(sheet: SheetData, profile: Profile, file: Path) -> MappedOffer | None:
    """The offer on one sheet, or None when the sheet has no grid."""
    found = _map_grid(sheet, profile, file, keep_cells=False)
    return None if found is None else found[0]


def locate_sheet(sheet: SheetData, profile: Profile, file: Path) -> SheetLayout | None:
    """The offer on one sheet and where its parts are, or None when the sheet has no grid."""
    found = _map_grid(sheet, profile, file, keep_cells=True)
    if found is None:
        return None
    offer, ctx, header, rows = found
    article_column = ctx.columns.get("Artikel")
    ends = ctx.merge_ends
    return SheetLayout(
        offer=offer,
        columns=dict(ctx.columns),
        header_cells=dict(header.value_cells),
        header_places={name: _right_of(ref, ends) for name, ref in header.labels.items()},
        product_rows=[
            GridRow(
                row=r.first.row,
                article=r.article if r.article_cell is not None else None,
                article_cell=r.article_place(article_column),
                quantity=r.quantity,
                cells=dict(r.cells or {}),
            )
            for r in rows
            if r.kind == ROW_TYPE_PRODUCT
        ],
    )


def _map_grid(
    sheet: SheetData, profile: Profile, file: Path, *, keep_cells: bool
) -> tuple[MappedOffer, _Sheet, _Header, list[_Row]] | None:
    """The offer on a sheet found by its labels, with what was read on the way; None
    when the sheet has no grid. ``keep_cells`` keeps each row's grid cells."""
    found = find_grid(sheet.rows, profile)
    if found is None:
        return None
    header_index, columns = found
    columns_at = {name: cells[0].column for name, cells in columns.items()}
    ctx = _Sheet(file, sheet, profile, columns_at, keep_cells=keep_cells)
    for col_name, cells in columns.items():
        for extra in cells[1:]:
            ctx.problem(
                "warning",
                "duplicate_column",
                extra.ref,
                field=col_name,
                first=cells[0].ref.coordinate,
            )
    header = _read_header(ctx, sheet.rows[:header_index])
    rows = _read_rows(ctx, sheet.rows[header_index + 1 :])
    return _finish(ctx, header, rows), ctx, header, rows


def map_located(
    sheet: SheetData,
    profile: Profile,
    file: Path,
    *,
    columns: dict[Column, int],
    header_cells: dict[HeaderField, Cell],
    header_places: dict[HeaderField, CellRef],
    grid_rows: list[list[Cell]],
) -> MappedOffer:
    """The offer whose parts were found by other means than labels (fixed and list layouts).

    ``columns`` gives the sheet column of each grid column, ``header_cells`` the
    value cell of each header field found, ``header_places`` where a missing
    value belongs (a field with neither is reported as a missing label), and
    ``grid_rows`` the rows under the grid's header. The same rules as
    :func:`map_sheet` then apply to every value.
    """
    ctx = _Sheet(file, sheet, profile, dict(columns))
    header = _Header(value_cells=dict(header_cells))
    for name in _MANDATORY_HEADER:
        if name in header_cells:
            continue
        place = header_places.get(name)
        code = "missing_label" if place is None else "missing_value"
        ctx.problem("error", code, place, field=_FIELD_WORDS[name])
    _convert_header(ctx, header)
    return _finish(ctx, header, _read_rows(ctx, grid_rows))


def _finish(ctx: _Sheet, header: _Header, rows: list[_Row]) -> MappedOffer:
    """The offer from its header and rows, built only when nothing on the sheet is an error."""
    customer = header.values.get("CustomerNr")
    invoice_date = header.values.get("InvoiceDate")
    totals = (r.line_total for r in rows)
    total = sum((t for t in totals if t is not None), Decimal(0))
    if not rows:
        ctx.problem("error", "no_rows", None)
    source: LazyOffer | None = None
    if not ctx.errors:
        fields = {k: v for k, v in header.values.items() if k not in _NOT_SENT}
        source = LazyOffer(partial(_build_offer, ctx.profile.defaults, fields, rows))
    offer_nr_label = header.labels.get("OfferNr")
    offer_nr_value = header.value_cells.get("OfferNr")
    return MappedOffer(
        file=ctx.file,
        sheet=ctx.sheet.name,
        sheet_index=ctx.sheet.index,
        source=source,
        problems=ctx.problems,
        customer_nr=customer if isinstance(customer, str) else None,
        invoice_date=invoice_date if isinstance(invoice_date, date) else None,
        row_count=len(rows),
        total=total.quantize(_CENT),
        header_labels=sorted(header.labels.values()),
        offer_nr_cell=(
            offer_nr_value.ref
            if offer_nr_value
            else _right_of(offer_nr_label, ctx.merge_ends)
            if offer_nr_label
            else None
        ),
        offer_nr_shown=(
            display_text(offer_nr_value.value, offer_nr_value.number_format)
            if offer_nr_value and offer_nr_value.value is not None
            else None
        ),
        customer_cell=(
            header.value_cells["CustomerNr"].ref if "CustomerNr" in header.value_cells else None
        ),
        article_cells=_ArticleCells(rows, ctx.columns.get("Artikel")),
    )


def _place(first: Cell | CellRef, column: int | None) -> CellRef:
    """The cell of sheet column ``column`` on ``first``'s row (``first`` itself without one)."""
    return CellRef(first.sheet, first.row, first.column if column is None else column)


class _ArticleCells(Mapping[int, CellRef]):
    """RowNr → the row's Artikel cell (or where its Artikel belongs), worked out on first
    use: a look-up's message needs them, a check of the sheet does not."""

    __slots__ = ("_column", "_places", "_rows")

    def __init__(self, rows: list[_Row], column: int | None) -> None:
        self._rows: list[_Row] | None = rows
        self._column = column
        self._places: dict[int, CellRef] | None = None

    def _built(self) -> dict[int, CellRef]:
        # as LazyOffer.get: the rows are let go only after the places are kept
        places = self._places
        if places is None:
            rows = self._rows
            if rows is None:  # another thread has just worked them out
                assert self._places is not None
                return self._places
            places = {
                r.row_nr: r.article_place(self._column)
                for r in rows
                if r.kind == ROW_TYPE_PRODUCT and r.row_nr is not None
            }
            self._places = places
            self._rows = None
        return places

    def __getitem__(self, row_nr: int) -> CellRef:
        return self._built()[row_nr]

    def __iter__(self) -> Iterator[int]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._built())

    def __repr__(self) -> str:
        return repr(self._built())


def _text_label(cell: Cell) -> str | None:
    return normalize_label(cell.value) if isinstance(cell.value, str) else None


def find_grid(
    rows: list[list[Cell]], profile: Profile
) -> tuple[int, dict[Column, list[Cell]]] | None:
    """The index of the grid's header row in ``rows`` and its label cells per column, or None."""
    lookup = profile.column_lookup
    for index, row in enumerate(rows):
        columns: dict[Column, list[Cell]] = {}
        for cell in row:
            label = _text_label(cell)
            if label is not None and label in lookup:
                columns.setdefault(lookup[label], []).append(cell)
        if len(columns) >= MIN_GRID_COLUMNS and ("Artikel" in columns or "Beskrivning" in columns):
            return index, columns
    return None


@dataclass
class _Header:
    labels: dict[HeaderField, CellRef] = field(default_factory=dict)
    value_cells: dict[HeaderField, Cell] = field(default_factory=dict)
    values: dict[HeaderField, str | date] = field(default_factory=dict)


def _merge_end(ref: CellRef, ends: dict[tuple[int, int], int]) -> int:
    """The last column of the merged range that starts at ``ref`` (or its own column)."""
    return ends.get((ref.row, ref.column), ref.column)


def _right_of(label: CellRef, ends: dict[tuple[int, int], int]) -> CellRef:
    return CellRef(label.sheet, label.row, _merge_end(label, ends) + 1)


def _read_header(ctx: _Sheet, rows: list[list[Cell]]) -> _Header:
    lookup = ctx.profile.header_lookup
    ends = ctx.merge_ends
    header = _Header()
    for row in rows:
        for i, cell in enumerate(row):
            label = _text_label(cell)
            if label is None or label not in lookup:
                continue
            name = lookup[label]
            if name in header.labels:
                ctx.problem(
                    "warning",
                    "duplicate_label",
                    cell.ref,
                    field=_FIELD_WORDS[name],
                    first=header.labels[name].coordinate,
                )
                continue
            header.labels[name] = cell.ref
            if name == "OfferNr":
                # exactly the next cell: the upload writes its status further right,
                # and an emptied Offertnr must read as empty, not as that status
                next_col = _merge_end(cell.ref, ends) + 1
                value_cell = next(
                    (c for c in row[i + 1 :] if c.column == next_col and not c.is_blank), None
                )
            else:
                value_cell = _value_right_of(row[i + 1 :], lookup)
            if value_cell is not None:
                header.value_cells[name] = value_cell
            elif name in _MANDATORY_HEADER:
                ctx.problem(
                    "error",
                    "missing_value",
                    CellRef(cell.ref.sheet, cell.ref.row, _merge_end(cell.ref, ends) + 1),
                    field=_FIELD_WORDS[name],
                )
    for name in _MANDATORY_HEADER:
        if name not in header.labels:
            ctx.problem("error", "missing_label", None, field=_FIELD_WORDS[name])
    _convert_header(ctx, header)
    return header


def _convert_header(ctx: _Sheet, header: _Header) -> None:
    """Read each header value cell into ``header.values`` (text, or a date for date fields)."""
    for name, value_cell in header.value_cells.items():
        if name in _NOT_SENT:
            continue  # written by the tool, never sent
        word = _FIELD_WORDS[name]
        value: str | date | None
        if name in _DATE_FIELDS:
            value = ctx.read(value_cell, word, lambda c: to_date(c.value))
        else:
            value = ctx.read(value_cell, word, lambda c: display_text(c.value, c.number_format))
        if value is not None and value != "":
            header.values[name] = value
        elif value == "" and name in _MANDATORY_HEADER:
            ctx.problem("error", "missing_value", value_cell.ref, field=word)


def _value_right_of(cells: list[Cell], lookup: dict[str, HeaderField]) -> Cell | None:
    for cell in cells:
        label = _text_label(cell)
        if label is not None and label in lookup:
            return None  # the next label: this one has no value
        if not cell.is_blank:
            return cell
    return None


@dataclass(slots=True)
class _Row:
    """One row under the grid's header: what it sends, and the cells problems point at."""

    kind: int
    first: Cell  # the row's first cell, for problems that concern the whole row
    cells: dict[Column, Cell] | None = None  # its grid cells, kept only for fill
    article_cell: Cell | None = None
    article: str | None = None
    text: str | None = None
    quantity: Decimal | None = None
    price: Decimal | None = None
    discount: Decimal | None = None
    vat: Decimal | None = None
    unit: str | None = None
    rad: Cell | None = None
    row_nr: int | None = None

    @property
    def line_total(self) -> Decimal | None:
        """Antal × Pris less Rabatt: the row's part of the total (None without both)."""
        if self.quantity is None or self.price is None:
            return None
        return self.quantity * self.price * (1 - (self.discount or Decimal(0)) / 100)

    def article_place(self, article_column: int | None) -> CellRef:
        """The Artikel cell, or where the Artikel belongs when there is none."""
        if self.article_cell is not None:
            return self.article_cell.ref
        return _place(self.first, article_column)


def _read_rows(ctx: _Sheet, rows: list[list[Cell]]) -> list[_Row]:
    by_column = {col: name for name, col in ctx.columns.items()}
    ends = ctx.merge_ends
    totals = ctx.profile.totals_prefixes
    result: list[_Row] = []
    for row in rows:
        cells: dict[Column, Cell] = {}
        merged_text: str | None = None
        for cell in row:
            name = by_column.get(cell.column)
            if name is None:
                continue
            if ends and _spans_grid(cell, ends, by_column) and isinstance(cell.value, str):
                merged_text = cell.value  # text spread over merged cells, read once
                continue
            if not cell.is_blank:
                cells[name] = cell
        if merged_text is None and not _SUBSTANCE & cells.keys():
            continue  # blank, or only prefilled columns (Rad, Enhet, Moms, Summa formula, ...)
        first = row[0]
        label_cell = next((c for c in row if isinstance(c.value, str) and c.value.strip()), None)
        label = (
            label_cell.value if label_cell is not None and isinstance(label_cell.value, str) else ""
        )
        rad_column = ctx.columns.get("Rad")
        # a totals row carries an amount; the row number in Rad is not one
        has_number = any(
            (isinstance(c.value, int | float) or c.formula) and c.column != rad_column for c in row
        )
        normalized = normalize_label(label)
        article = cells.get("Artikel")
        if (
            normalized.startswith(totals)
            and (has_number or normalized in totals)
            and "Antal" not in cells
            and (article is None or article is label_cell)  # "Summa" may stand in Artikel
        ):
            continue  # the totals block under the grid is not sent
        parsed = _read_row(ctx, cells, merged_text, first)
        if parsed is not None:
            result.append(parsed)
    _number_rows(ctx, result, "Rad" in ctx.columns)
    return result


def _spans_grid(cell: Cell, ends: dict[tuple[int, int], int], by_column: dict[int, Column]) -> bool:
    end = ends.get((cell.row, cell.column))
    if end is None or end == cell.column:
        return False
    return (cell.column + 1) in by_column


def _read_row(
    ctx: _Sheet, cells: dict[Column, Cell], merged_text: str | None, first: Cell
) -> _Row | None:
    text_cell = cells.get("Beskrivning")
    text = merged_text
    if text_cell is not None:
        text = ctx.read(text_cell, "Beskrivning", lambda c: _text(c))
    article_cell = cells.get("Artikel")
    priced = "Antal" in cells or "Pris" in cells
    default_article = ctx.profile.rules.default_article
    kept = cells if ctx.keep_cells else None
    if article_cell is None and not priced:
        return _Row(ROW_TYPE_TEXT, first, kept, text=text, rad=cells.get("Rad"))
    row = _Row(ROW_TYPE_PRODUCT, first, kept, article_cell, text=text, rad=cells.get("Rad"))
    if article_cell is not None:
        row.article = ctx.read(
            article_cell, "Artikel", lambda c: display_text(c.value, c.number_format)
        )
    elif default_article:
        row.article = default_article
    else:
        ctx.problem("error", "priced_without_article", ctx.address(first, "Artikel"))
    for word in ("Antal", "Pris"):
        if word not in cells:
            ctx.problem(
                "error",
                "missing_cell",
                ctx.address(first, word),
                field=word,
                article=row.article or "?",
            )
    if "Antal" in cells:
        row.quantity = ctx.read(cells["Antal"], "Antal", lambda c: _amount(c.value))
    if "Pris" in cells:
        row.price = ctx.read(cells["Pris"], "Pris", lambda c: _amount(c.value))
    row.discount = _percent(ctx, cells.get("Rabatt"), "Rabatt")
    row.vat = _percent(ctx, cells.get("Moms"), "Moms")
    if "Enhet" in cells:
        row.unit = ctx.read(cells["Enhet"], "Enhet", lambda c: display_text(c.value))
    line_total = row.line_total
    if line_total is not None:
        _check_summa(ctx, cells.get("Summa"), line_total)
    return row


def _amount(value: CellValue) -> Decimal:
    number = to_decimal(value)
    if abs(number) >= MAX_AMOUNT:
        raise CellValueError("number_too_large", value=str(value))
    return number


def _text(cell: Cell) -> str:
    if isinstance(cell.value, str):
        return cell.value.strip()
    return display_text(cell.value, cell.number_format)


def _percent(ctx: _Sheet, cell: Cell | None, word: str) -> Decimal | None:
    if cell is None:
        return None
    value = ctx.read(cell, word, lambda c: to_percent(c.value, c.number_format))
    if value is None:
        return None
    if not 0 <= value <= 100:
        ctx.problem("error", "percent_range", cell.ref, field=word, value=_shown(value))
        return None
    if (
        0 < value < 1
        and not is_percent_format(cell.number_format)
        and not isinstance(cell.value, str)
    ):
        ctx.problem(
            "warning",
            "small_percent",
            cell.ref,
            field=word,
            value=_shown(value),
            scaled=_shown(value * 100),
        )
    return value


def _shown(number: Decimal) -> str:
    """A percentage as text for a message: 12.5, 150, never 150.00."""
    return format(plain(number), "f")


def _check_summa(ctx: _Sheet, cell: Cell | None, expected: Decimal) -> None:
    if cell is None:
        return
    shown = ctx.read(cell, "Summa", lambda c: _amount(c.value), severity="warning")
    if shown is None:
        return
    tolerance = ctx.profile.rules.summa_tolerance
    if abs(shown - expected) > tolerance:
        ctx.problem(
            "warning", "summa_mismatch", cell.ref, value=shown, expected=expected.quantize(_CENT)
        )


def _number_rows(ctx: _Sheet, rows: list[_Row], has_rad_column: bool) -> None:
    """RowNr is the Rad value when the sheet numbers its rows, else the position."""
    numbered = has_rad_column and any(r.rad is not None for r in rows)
    previous: int | None = None
    for position, row in enumerate(rows, start=1):
        if not numbered:
            row.row_nr = position
            continue
        if row.rad is None:
            ctx.problem("error", "rad_missing", ctx.address(row.first, "Rad"))
            continue
        value = ctx.read(row.rad, "Rad", lambda c: to_decimal(c.value))
        if value is None:
            continue
        if value != value.to_integral_value() or value < 1:
            ctx.problem("error", "rad_not_integer", row.rad.ref, value=row.rad.value)
            continue
        if previous is not None and value <= previous:
            ctx.problem("error", "rad_order", row.rad.ref, value=int(value), previous=previous)
        row.row_nr = previous = int(value)


def _build_offer(
    defaults: Defaults, fields: dict[HeaderField, str | date], rows: list[_Row]
) -> Offer:
    try:
        return Offer.model_validate(
            {
                **fields,
                "InvoiceRows": [_invoice_row(r) for r in rows],
                "OriginType": defaults.OriginType,
                "RegistrationType": defaults.RegistrationType,
                "BillingType": defaults.BillingType,
                "AutoCreateCustomer": defaults.AutoCreateCustomer,
            }
        )
    except ValidationError as exc:  # pragma: no cover - the mapper only builds valid offers
        raise AssertionError(f"mapper built an invalid offer: {exc}") from exc


def _invoice_row(row: _Row) -> InvoiceRow:
    assert row.row_nr is not None
    if row.kind == ROW_TYPE_TEXT:
        return InvoiceRow(customer_row_type=ROW_TYPE_TEXT, row_nr=row.row_nr, text=row.text)
    return InvoiceRow(
        customer_row_type=ROW_TYPE_PRODUCT,
        row_nr=row.row_nr,
        product_nr=row.article,
        text=row.text or None,
        quantity=row.quantity,
        amount=row.price,
        unit=row.unit or None,
        discount=row.discount,
        vat_rate=row.vat,
    )
