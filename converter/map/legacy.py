"""Find the offers of legacy layouts and map them with the mapper's rules.

A profile's ``[layout]`` says how a legacy file holds its offers:

- ``sheet``: one offer per sheet, found by its labels: :func:`~converter.map.offer_sheet.map_sheet`;
- ``list``: one sheet holds many offers, one line per offer row, with the
  header fields repeated as columns. Rows are grouped by the legacy offer
  number (the ``OfferNr`` column); a row with that cell empty continues the
  offer above it, and the same number further down adds to the same offer;
- ``fixed``: no labels; the profile names the cells of the header fields and
  the columns and rows of the grid.

List and fixed offers go through :func:`~converter.map.offer_sheet.map_located`, so
every value is read by the same rules as an upload. Before mapping, rows
matching a ``[[skip]]`` rule are left out and old article numbers are
translated (``[articles]``), both cell by cell so that every problem keeps its
address. After mapping, ``[defaults.header]`` and ``[defaults.rows]`` fill in
what the file leaves empty.

The legacy offer number (``OfferNr``, as the cell shows it) is the offer's
*key*: it becomes its ``ExternalId`` (``[migration] external_id``) and goes
into the report. Nothing is ever written back to a legacy file, so the
offers handed on carry no Offertnr cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from converter.errors import ProfileError, WorkbookError
from converter.map.offer_sheet import find_grid, map_located, map_sheet
from converter.map.values import CellValueError, display_text
from converter.model.api import ROW_TYPE_PRODUCT, Offer
from converter.model.cells import Cell, CellRef
from converter.model.mapped import Findings, MappedOffer, Problem
from converter.model.profile import Column, HeaderField, Profile, SkipRule, normalize_label
from converter.read.xlsx import SheetData, WorkbookData

_DEFAULT_FIELDS = {
    "ReferenceOur": "reference_our",
    "ReferenceYour": "reference_your",
    "Currency": "currency",
    "Note": "note",
}


@dataclass(slots=True)
class LegacyOffer:
    """One offer found in a legacy file.

    ``offer.sheet`` is the offer's slot in the upload journal: the sheet name,
    or for a list offer ``Sheet [key]``, since one sheet holds many offers.
    ``sheet`` is the sheet's own name, ``row`` the first row of a list offer.
    """

    offer: MappedOffer
    sheet: str
    key: str | None
    row: int | None = None


@dataclass(slots=True)
class LegacyFile(Findings):
    """Every offer of one legacy file, and its file- and sheet-level problems."""

    path: Path
    offers: list[LegacyOffer] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ArticleMap:
    """Old article numbers → new ones, and what to do with an article not in the table."""

    numbers: dict[str, str]
    unknown: Literal["keep", "error"]
    source: str

    def translate(
        self, cell: Cell, file: Path, totals: tuple[str, ...]
    ) -> tuple[Cell, Problem | None]:
        """The Artikel cell with its new number, or as it was, and a problem if it is unknown."""
        if cell.is_blank or cell.is_error or cell.value is None:
            return cell, None  # the mapper says what is wrong with it
        try:
            old = display_text(cell.value, cell.number_format)
        except CellValueError:
            return cell, None
        if isinstance(cell.value, str) and normalize_label(old).startswith(totals):
            return cell, None  # "Summa" standing in the Artikel column of a totals row
        new = self.numbers.get(old)
        if new is not None:
            return Cell(cell.ref, new, "General", None, False), None
        if self.unknown == "error":
            problem = Problem(
                "error",
                "article_unknown",
                file,
                sheet=cell.ref.sheet,
                ref=cell.ref,
                params={"value": old, "table": self.source},
            )
            return cell, problem
        return cell, None


def load_articles(profile: Profile) -> ArticleMap | None:
    """The profile's article table, or None when it maps no articles.

    Raises :class:`ProfileError` when the table can't be read or is ambiguous.
    """
    config = profile.articles
    if not config.active:
        return None
    numbers: dict[str, str] = {}
    source = "the profile"
    if config.file is not None:
        from converter.read.legacy import read_any

        source = config.file.name
        try:
            workbook = read_any(config.file)
        except WorkbookError as exc:
            raise ProfileError("articles_unreadable", file=config.file, reason=exc) from exc
        numbers = _table_numbers(workbook, config.file, config.sheet, config.old, config.new)
    numbers.update(config.numbers)
    return ArticleMap(numbers, config.unknown, source)


def _table_numbers(
    workbook: WorkbookData, file: Path, sheet_name: str | None, old: str | None, new: str | None
) -> dict[str, str]:
    sheets = [s for s in workbook.sheets if sheet_name is None or s.name == sheet_name]
    if not sheets or not sheets[0].rows:
        if sheet_name is None:
            raise ProfileError("articles_no_table", file=file)
        raise ProfileError("articles_no_sheet", file=file, sheet=sheet_name)
    header, *rows = sheets[0].rows
    labels = {normalize_label(str(c.value)): c.column for c in header if c.value is not None}
    columns = [c.column for c in header]

    def column(label: str | None, position: int) -> int:
        if label is None:
            if len(columns) <= position:
                raise ProfileError("articles_two_columns", file=file)
            return columns[position]
        found = labels.get(normalize_label(label))
        if found is None:
            raise ProfileError("articles_no_column", file=file, label=label)
        return found

    old_column, new_column = column(old, 0), column(new, 1)
    numbers: dict[str, str] = {}
    for row in rows:
        by_column = {c.column: c for c in row}
        old_cell, new_cell = by_column.get(old_column), by_column.get(new_column)
        if old_cell is None or new_cell is None or old_cell.is_blank or new_cell.is_blank:
            continue
        old_nr, new_nr = shown(old_cell), shown(new_cell)
        if numbers.get(old_nr, new_nr) != new_nr:
            raise ProfileError(
                "articles_mapped_twice",
                file=file,
                old=old_nr,
                first=numbers[old_nr],
                second=new_nr,
                cell=old_cell.ref,
            )
        numbers[old_nr] = new_nr
    return numbers


def shown(cell: Cell) -> str:
    """The text a cell shows, for keys, article numbers and comparisons."""
    value = cell.value
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta | bool) or value is None:
        return str(value)
    try:
        return display_text(value, cell.number_format)
    except CellValueError:
        return str(value)


def map_legacy(
    workbook: WorkbookData, profile: Profile, articles: ArticleMap | None = None
) -> LegacyFile:
    """Every offer of a legacy workbook, laid out as ``profile.layout`` says."""
    result = LegacyFile(path=workbook.path)
    mapper = _Mapper(workbook.path, profile, articles)
    for sheet in workbook.sheets:
        if profile.layout.sheets and sheet.name not in profile.layout.sheets:
            continue
        if not sheet.visible:
            result.problems.append(Problem("info", "sheet_hidden", workbook.path, sheet=sheet.name))
            continue
        if profile.layout.kind == "list":
            mapper.list_sheet(sheet, result)
        elif profile.layout.kind == "fixed":
            mapper.fixed_sheet(sheet, result)
        else:
            mapper.offer_sheet(sheet, result)
    if not result.offers:
        result.problems.append(
            Problem(
                "error", "legacy_no_offers", workbook.path, params={"layout": profile.layout.kind}
            )
        )
    return result


@dataclass
class _Group:
    """The rows of one list offer."""

    key_cell: Cell
    rows: list[list[Cell]] = field(default_factory=list)


class _Mapper:
    """Maps the sheets of one file; holds what every sheet needs."""

    def __init__(self, file: Path, profile: Profile, articles: ArticleMap | None) -> None:
        self.file = file
        self.profile = profile
        self.articles = articles

    # -- the three layouts ------------------------------------------------------------

    def offer_sheet(self, sheet: SheetData, result: LegacyFile) -> None:
        """One offer per sheet, found by its labels."""
        found = find_grid(sheet.rows, self.profile)
        if found is None:
            result.problems.append(Problem("info", "sheet_no_grid", self.file, sheet=sheet.name))
            return
        header_index, grid = found
        columns = {name: cells[0].column for name, cells in grid.items()}
        rules = self._rule_columns(sheet.rows[header_index], columns)
        kept, problems, _all_skipped = self._prepare(
            sheet.rows[header_index + 1 :], rules, columns.get("Artikel")
        )
        prepared = SheetData(
            sheet.name,
            sheet.index,
            sheet.state,
            sheet.rows[: header_index + 1] + kept,
            sheet.merged,
        )
        mapped = map_sheet(prepared, self.profile, self.file)
        assert mapped is not None  # the grid found above is still there
        result.offers.append(self._finish(mapped, problems, sheet.name, None))

    def list_sheet(self, sheet: SheetData, result: LegacyFile) -> None:
        """Many offers on one sheet, grouped by the legacy offer number."""
        found = self._list_header(sheet)
        if found is None:
            result.problems.append(Problem("info", "list_no_header", self.file, sheet=sheet.name))
            return
        header_index, fields, columns = found
        words = {c.column: str(c.value).strip() for c in sheet.rows[header_index]}
        rules = self._rule_columns(sheet.rows[header_index], columns, fields)
        groups = self._group(sheet, sheet.rows[header_index + 1 :], fields["OfferNr"], result)
        grid_columns = set(columns.values())
        for key, group in groups.items():
            kept, problems, all_skipped = self._prepare(group.rows, rules, columns.get("Artikel"))
            if all_skipped:
                result.problems.extend(problems)  # which rule left each row out
                result.problems.append(
                    Problem(
                        "info",
                        "list_offer_skipped",
                        self.file,
                        sheet=sheet.name,
                        ref=group.key_cell.ref,
                        params={"key": key},
                    )
                )
                continue
            header_cells = self._list_header_cells(group.rows, fields, words, problems)
            first_row = group.key_cell.row
            places = {f: CellRef(sheet.name, first_row, c) for f, c in fields.items()}
            grid = [[c for c in row if c.column in grid_columns] for row in kept]
            located = self._located(sheet, columns, header_cells, places, grid)
            result.offers.append(self._finish(located, problems, sheet.name, first_row))

    def fixed_sheet(self, sheet: SheetData, result: LegacyFile) -> None:
        """An offer in cells and columns the profile names by address."""
        layout = self.profile.layout
        assert layout.rows is not None  # the profile's validator requires it
        by_address = {(c.row, c.column): c for row in sheet.rows for c in row}
        header_cells: dict[HeaderField, Cell] = {}
        places: dict[HeaderField, CellRef] = {}
        for name, address in layout.cells.items():
            letters, row = coordinate_from_string(address.upper())
            place = CellRef(sheet.name, row, column_index_from_string(letters))
            places[name] = place
            cell = by_address.get((place.row, place.column))
            if cell is not None and not cell.is_blank:
                header_cells[name] = cell
        columns: dict[Column, int] = {
            name: column_index_from_string(letters.upper())
            for name, letters in layout.rows.columns.items()
        }
        last = layout.rows.last
        in_range = [
            row
            for row in sheet.rows
            if row and row[0].row >= layout.rows.first and (last is None or row[0].row <= last)
        ]
        # skip rules may test any column of the row, so they run before the grid is cut out
        kept, problems, _all_skipped = self._prepare(
            in_range, self._fixed_rule_columns(columns), columns.get("Artikel")
        )
        wanted = set(columns.values())
        grid = [
            cells
            for row in kept
            if (cells := [c for c in row if c.column in wanted and not c.is_blank])
        ]
        if not grid and not header_cells:
            result.problems.append(Problem("info", "sheet_no_grid", self.file, sheet=sheet.name))
            return
        located = self._located(sheet, columns, header_cells, places, grid)
        result.offers.append(self._finish(located, problems, sheet.name, None))

    # -- the list layout's parts ---------------------------------------------------------

    def _list_header(
        self, sheet: SheetData
    ) -> tuple[int, dict[HeaderField, int], dict[Column, int]] | None:
        """The list's header row: the first naming the offer number and Artikel or Beskrivning."""
        header_lookup = self.profile.header_lookup
        column_lookup = self.profile.column_lookup
        for index, row in enumerate(sheet.rows):
            fields: dict[HeaderField, int] = {}
            columns: dict[Column, int] = {}
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                label = normalize_label(cell.value)
                if label in header_lookup:
                    fields.setdefault(header_lookup[label], cell.column)
                if label in column_lookup:
                    columns.setdefault(column_lookup[label], cell.column)
            if "OfferNr" in fields and ("Artikel" in columns or "Beskrivning" in columns):
                return index, fields, columns
        return None

    def _group(
        self, sheet: SheetData, rows: list[list[Cell]], key_column: int, result: LegacyFile
    ) -> dict[str, _Group]:
        groups: dict[str, _Group] = {}
        current: _Group | None = None
        for row in rows:
            if all(c.is_blank for c in row):
                continue
            key_cell = next((c for c in row if c.column == key_column and not c.is_blank), None)
            if key_cell is None:
                if current is None:
                    result.problems.append(
                        Problem(
                            "error",
                            "list_no_key",
                            self.file,
                            sheet=sheet.name,
                            ref=CellRef(sheet.name, row[0].row, key_column),
                        )
                    )
                    continue
                current.rows.append(row)  # the offer above continues
                continue
            key = shown(key_cell)
            current = groups.setdefault(key, _Group(key_cell))
            current.rows.append(row)
        return groups

    def _list_header_cells(
        self,
        rows: list[list[Cell]],
        fields: dict[HeaderField, int],
        words: dict[int, str],
        problems: list[Problem],
    ) -> dict[HeaderField, Cell]:
        """Each header field's first value in the rows; a different later value is an error."""
        cells: dict[HeaderField, Cell] = {}
        for row in rows:
            for cell in row:
                if cell.is_blank:
                    continue
                for name, column in fields.items():
                    if cell.column != column:
                        continue
                    first = cells.setdefault(name, cell)
                    if first is not cell and shown(first) != shown(cell):
                        problems.append(
                            Problem(
                                "error",
                                "list_conflict",
                                self.file,
                                sheet=cell.ref.sheet,
                                ref=cell.ref,
                                params={
                                    "field": words.get(column, name),
                                    "value": shown(cell),
                                    "first": shown(first),
                                    "first_at": first.ref.coordinate,
                                },
                            )
                        )
        return cells

    # -- skip rules and article numbers ---------------------------------------------------

    def _rule_columns(
        self,
        header_row: list[Cell],
        columns: dict[Column, int],
        fields: dict[HeaderField, int] | None = None,
    ) -> list[tuple[SkipRule, int]]:
        """Each skip rule with the sheet column it tests (rules naming no column here are left out).

        A rule names a label of the header row, or a column or field name
        (``Artikel`` finds the column whatever synonym labels it).
        """
        by_label = {
            normalize_label(c.value): c.column for c in header_row if isinstance(c.value, str)
        }
        by_name = {normalize_label(name): col for name, col in columns.items()}
        by_name.update({normalize_label(name): col for name, col in (fields or {}).items()})
        found = []
        for rule in self.profile.skip:
            wanted = normalize_label(rule.column)
            column = by_label.get(wanted, by_name.get(wanted))
            if column is not None:
                found.append((rule, column))
        return found

    def _fixed_rule_columns(self, columns: dict[Column, int]) -> list[tuple[SkipRule, int]]:
        by_name = {str(name): column for name, column in columns.items()}
        found = []
        for rule in self.profile.skip:
            name = rule.column.strip()
            if name in by_name:
                found.append((rule, by_name[name]))
            elif name.isalpha() and len(name) <= 3:
                found.append((rule, column_index_from_string(name.upper())))
        return found

    def _prepare(
        self, rows: Iterable[list[Cell]], rules: list[tuple[SkipRule, int]], article: int | None
    ) -> tuple[list[list[Cell]], list[Problem], bool]:
        """The rows without those a skip rule leaves out, with article numbers translated.

        Also returns the problems found and whether every row with content was skipped.
        """
        kept: list[list[Cell]] = []
        problems: list[Problem] = []
        skipped = 0
        for row in rows:
            by_column = {c.column: c for c in row}
            hit = next(
                (
                    (rule, cell)
                    for rule, column in rules
                    if (cell := by_column.get(column)) is not None
                    and not cell.is_blank
                    and rule.hits(shown(cell))
                ),
                None,
            )
            if hit is not None:
                rule, cell = hit
                skipped += 1
                problems.append(
                    Problem(
                        "info",
                        "row_skipped",
                        self.file,
                        sheet=cell.ref.sheet,
                        ref=cell.ref,
                        params={"column": rule.column, "value": shown(cell)},
                    )
                )
                continue
            if article is not None and self.articles is not None and article in by_column:
                new, problem = self.articles.translate(
                    by_column[article], self.file, self.profile.totals_prefixes
                )
                if problem is not None:
                    problems.append(problem)
                row = [new if c.column == article else c for c in row]
            kept.append(row)
        return kept, problems, skipped > 0 and not any(any(not c.is_blank for c in r) for r in kept)

    # -- after mapping --------------------------------------------------------------------

    def _located(
        self,
        sheet: SheetData,
        columns: dict[Column, int],
        header_cells: dict[HeaderField, Cell],
        places: dict[HeaderField, CellRef],
        grid: list[list[Cell]],
    ) -> MappedOffer:
        """The offer in cells a list or fixed layout has found, mapped as an offer sheet is."""
        return map_located(
            sheet,
            self.profile,
            self.file,
            columns=columns,
            header_cells=header_cells,
            header_places=places,
            grid_rows=grid,
        )

    def _finish(
        self, mapped: MappedOffer, problems: list[Problem], sheet: str, row: int | None
    ) -> LegacyOffer:
        """The offer ready for the uploader: defaults filled in, no Offertnr cell, its slot."""
        key = mapped.offer_nr_shown or None
        profile = self.profile
        source = mapped.source
        if source is not None:
            source = source.then(lambda offer: _with_defaults(offer, profile))
        slot = sheet if row is None else f"{sheet} [{key}]"
        ready = replace(
            mapped,
            sheet=slot,
            source=source,
            problems=mapped.problems + problems,
            header_labels=[],
            offer_nr_cell=None,
            offer_nr_shown=None,
        )
        return LegacyOffer(offer=ready, sheet=sheet, key=key, row=row)


def _with_defaults(offer: Offer, profile: Profile) -> Offer:
    """``offer`` with the profile's defaults wherever the file left a field empty."""
    header: dict[str, Any] = {}
    for name, value in profile.defaults.header.items():
        attr = _DEFAULT_FIELDS[name]
        if getattr(offer, attr) is None:
            header[attr] = value
    unit, vat = profile.defaults.rows.Enhet, profile.defaults.rows.Moms
    if unit is not None or vat is not None:
        rows = []
        for row in offer.invoice_rows:
            update: dict[str, Any] = {}
            if row.customer_row_type == ROW_TYPE_PRODUCT:
                if unit is not None and row.unit is None:
                    update["unit"] = unit
                if vat is not None and row.vat_rate is None:
                    update["vat_rate"] = vat
            rows.append(row.model_copy(update=update) if update else row)
        header["invoice_rows"] = rows
    return offer.model_copy(update=header) if header else offer
