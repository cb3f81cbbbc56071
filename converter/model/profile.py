"""Layout profiles: which labels and columns a workbook uses, and the defaults sent.

A profile is a TOML file loaded into strict pydantic models
(``extra="forbid"``), so an unknown or misspelt key is an error that names the
file. ``templates/default.toml`` is the standard profile.

Migrating legacy offers (``offer-converter migrate``) also reads these
optional sections; the other commands ignore them:

- ``[layout]``: one offer per sheet (``kind = "sheet"``, the default), a list
  of offers grouped by their legacy offer number (``"list"``), or cells and
  columns named by address (``"fixed"``);
- ``[articles]``: old article numbers mapped to new ones (a table file and/or
  inline numbers);
- ``[[skip]]``: rows to leave out, by a column's value;
- ``[defaults.header]`` and ``[defaults.rows]``: values for fields the legacy
  files leave empty;
- ``[migration]``: how the legacy offer number becomes the ``ExternalId``.

Every command reads ``[softone]``: what SoftOne GO is asked before an offer
is sent, and the shape of the request body (see :class:`SoftOne`).
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from converter.errors import CodedError, ProfileError, ProfileRuleError, system_reason
from converter.i18n import Lang, located

HeaderField = Literal[
    "CustomerNr",
    "InvoiceDate",
    "ReferenceOur",
    "ReferenceYour",
    "Currency",
    "DeliveryDate",
    "DueDate",
    "Note",
    "OfferNr",
    "CustomerName",
]
Column = Literal[
    "Rad", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris", "Rabatt", "Moms", "Summa"
]

DEFAULT_PROFILE_NAME = "default.toml"


def normalize_label(text: str) -> str:
    """Fold a label for matching: case, spaces, dots and a trailing colon don't count."""
    folded = "".join(text.split()).replace(".", "").casefold()
    return folded.rstrip(":")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Header fields a profile may fill in when a legacy file leaves them empty. Kundnr and
# the offer date are left out on purpose: a default customer or date would be a guess.
DefaultHeaderField = Literal["ReferenceOur", "ReferenceYour", "Currency", "Note"]
LayoutKind = Literal["sheet", "list", "fixed"]
CellAddress = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{1,3}[1-9][0-9]{0,6}$")]
ColumnLetters = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{1,3}$")]


class RowDefaults(_Strict):
    """Values for product rows that leave Enhet or Moms empty (migration only)."""

    Enhet: str | None = None
    Moms: Decimal | None = Field(None, ge=0, le=100)


class Defaults(_Strict):
    """Offer fields sent with every offer, whatever the sheet says.

    ``header`` and ``rows`` (migration only) fill in fields a legacy file
    leaves empty; a value in the file always wins.
    """

    OriginType: int = Field(5, ge=1)
    RegistrationType: int = Field(1, ge=1)
    BillingType: int = Field(1, ge=1)
    AutoCreateCustomer: bool = False
    header: dict[DefaultHeaderField, str] = Field(default_factory=dict)
    rows: RowDefaults = RowDefaults()


class FixedRows(_Strict):
    """Where a fixed layout's rows are: the first and last sheet row, and each column's letter."""

    first: int = Field(ge=1)
    last: int | None = Field(None, ge=1)
    columns: dict[Column, ColumnLetters]

    @model_validator(mode="after")
    def _grid_is_usable(self) -> FixedRows:
        if "Artikel" not in self.columns and "Beskrivning" not in self.columns:
            raise ProfileRuleError("profile_rows_need_article")
        if self.last is not None and self.last < self.first:
            raise ProfileRuleError("profile_rows_last_above_first")
        return self


class Layout(_Strict):
    """How offers are laid out in the legacy files (migration only).

    - ``sheet``: one offer per sheet, found by its labels, like the template;
    - ``list``: one sheet holds many offers, one line per offer row, with the
      header fields repeated as columns; rows are grouped into offers by the
      ``OfferNr`` column (the legacy offer number);
    - ``fixed``: no labels; ``cells`` names the cell of each header field and
      ``rows`` where the rows are.
    """

    kind: LayoutKind = "sheet"
    sheets: list[str] = Field(default_factory=list)  # only these sheets; empty: every visible one
    cells: dict[HeaderField, CellAddress] = Field(default_factory=dict)
    rows: FixedRows | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> Layout:
        if self.kind == "fixed":
            missing = [f for f in ("CustomerNr", "InvoiceDate") if f not in self.cells]
            if missing:
                raise ProfileRuleError("profile_fixed_needs_cells", fields=", ".join(missing))
            if self.rows is None:
                raise ProfileRuleError("profile_fixed_needs_rows")
        elif self.cells or self.rows is not None:
            raise ProfileRuleError("profile_cells_only_fixed")
        return self


class Articles(_Strict):
    """Old article numbers mapped to new ones (migration only).

    ``file`` is a table (CSV, or a spreadsheet with ``sheet``) whose first row
    names its columns; ``old`` and ``new`` name the two columns used (default:
    the first two). ``numbers`` maps numbers inline and wins over the file.
    ``unknown`` says what to do with an article in neither: keep it as it is,
    or make it an error.
    """

    file: Path | None = None
    sheet: str | None = None
    old: str | None = None
    new: str | None = None
    numbers: dict[str, str] = Field(default_factory=dict)
    unknown: Literal["keep", "error"] = "keep"

    @field_validator("file")
    @classmethod
    def _relative_to_profile(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        # a table named in a profile lives beside it, wherever the command is run from
        base = (info.context or {}).get("profile_dir")
        if value is None or value.is_absolute() or base is None:
            return value
        return Path(base) / value

    @property
    def active(self) -> bool:
        """True when the profile maps any article numbers."""
        return self.file is not None or bool(self.numbers)


class SkipRule(_Strict):
    """Leave out the rows whose ``column`` shows one of ``equals`` or matches ``matches``.

    ``column`` is a label of the header row (or a column name such as
    Artikel); in a fixed layout, a column name or letter. ``equals`` ignores
    case and surrounding spaces; ``matches`` is a regular expression searched
    in the text the cell shows.
    """

    column: str = Field(min_length=1)
    equals: list[str] = Field(default_factory=list)
    matches: str | None = None

    @model_validator(mode="after")
    def _one_test(self) -> SkipRule:
        if bool(self.equals) == (self.matches is not None):
            raise ProfileRuleError("profile_skip_one_test")
        if self.matches is not None:
            try:
                re.compile(self.matches)
            except re.error as exc:
                raise ProfileRuleError("profile_skip_bad_regex", position=exc.pos) from exc
        return self

    def hits(self, shown: str) -> bool:
        """True when a cell showing ``shown`` makes its row skipped."""
        if self.matches is not None:
            return re.search(self.matches, shown) is not None
        folded = shown.strip().casefold()
        return any(folded == e.strip().casefold() for e in self.equals)


class Migration(_Strict):
    """How a legacy offer is identified in SoftOne GO (migration only).

    ``external_id`` is the ``ExternalId`` of an offer with a legacy offer
    number: ``{key}`` is that number as the cell shows it, ``{customer}`` the
    Kundnr. Offers without a legacy number get a fresh ExternalId, as uploads do.
    """

    external_id: str = "legacy:{key}"

    @field_validator("external_id")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        if "key" not in names:
            raise ProfileRuleError("profile_external_id_needs_key", placeholder="{key}")
        if names - {"key", "customer"}:
            raise ProfileRuleError("profile_external_id_names", key="{key}", customer="{customer}")
        return value


class SoftOne(_Strict):
    """How SoftOne GO is talked to, where api-notes.md leaves a choice.

    ``unknown_articles``: an Artikel that SoftOne GO does not have (or has as
    inactive) is an ``"error"`` (the offer is not sent: the server would book
    the row on its miscellaneous article) or only a ``"warn"``ing.

    ``offer_body``: ``POST Economy/Billing/Offer`` gets each offer as the
    vendor document shows it, in an ``"array"`` of one, or as one
    ``"object"`` (what the server code declares). Which one production takes
    is unknown: this is the one place to change it.
    """

    unknown_articles: Literal["error", "warn"] = "error"
    offer_body: Literal["array", "object"] = "array"


class Rules(_Strict):
    """How rows are classified and checked."""

    totals_labels: list[str] = Field(default_factory=list)
    default_article: str = ""
    summa_tolerance: Decimal = Decimal("0.01")


class Profile(_Strict):
    """A layout profile: header labels, grid column labels, defaults and rules."""

    name: str
    description: str = ""
    # required except in a fixed layout, which names cells instead of labels
    header: dict[HeaderField, list[str]] = Field(default_factory=dict)
    columns: dict[Column, list[str]] = Field(default_factory=dict)
    defaults: Defaults = Defaults()
    rules: Rules = Rules()
    layout: Layout = Layout()
    articles: Articles = Articles()
    skip: list[SkipRule] = Field(default_factory=list)
    migration: Migration = Migration()
    softone: SoftOne = SoftOne()

    @model_validator(mode="after")
    def _labels_for_layout(self) -> Profile:
        if self.layout.kind != "fixed":
            missing = [name for name in ("header", "columns") if not getattr(self, name)]
            if len(missing) == 2:
                raise ProfileRuleError("profile_needs_both_labels")
            if missing:
                raise ProfileRuleError("profile_needs_labels", section=f"[{missing[0]}]")
        if self.layout.kind == "list" and "OfferNr" not in self.header:
            raise ProfileRuleError("profile_list_needs_offer_nr")
        return self

    @cached_property
    def header_lookup(self) -> dict[str, HeaderField]:
        """Normalized label → header field."""
        return {normalize_label(lbl): field for field, lbls in self.header.items() for lbl in lbls}

    @cached_property
    def column_lookup(self) -> dict[str, Column]:
        """Normalized label → grid column."""
        return {normalize_label(lbl): col for col, lbls in self.columns.items() for lbl in lbls}

    @cached_property
    def totals_prefixes(self) -> tuple[str, ...]:
        """Normalized prefixes that mark a totals row."""
        return tuple(normalize_label(t) for t in self.rules.totals_labels)


def default_profile_path() -> Path:
    """Where the standard profile is installed."""
    return Path(str(files("converter.templates") / DEFAULT_PROFILE_NAME))


def load_profile(path: Path | None = None) -> Profile:
    """Load a profile from ``path`` (the standard one when None).

    Raises :class:`ProfileError` naming the file and, for each mistake, its key.
    """
    path = path or default_profile_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProfileError("profile_not_found", path=path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError("profile_unreadable", path=path, reason=system_reason(exc)) from exc
    except tomllib.TOMLDecodeError as exc:
        # tomllib says where in English: "... (at line 3, column 7)"; the message says it anew
        at = re.search(r"line (\d+), column (\d+)", str(exc))
        if at is None:
            raise ProfileError("profile_not_toml", path=path) from exc
        line, column = at.groups()
        raise ProfileError("profile_not_toml_at", path=path, line=line, column=column) from exc
    try:
        return Profile.model_validate(data, context={"profile_dir": path.parent})
    except ValidationError as exc:
        mistakes = Mistakes(tuple(_mistake(err) for err in exc.errors()))
        raise ProfileError("profile_invalid", path=path, details=mistakes) from exc


# pydantic's error types, as the catalogue says them (any other type: profile_bad_value)
_PYDANTIC_CODES: dict[str, str] = {
    "missing": "profile_missing",
    "extra_forbidden": "profile_unknown_key",
    "literal_error": "profile_not_allowed",
    "enum": "profile_not_allowed",
    "int_parsing": "profile_not_a_number",
    "int_type": "profile_not_a_number",
    "int_from_float": "profile_not_a_number",
    "float_parsing": "profile_not_a_number",
    "float_type": "profile_not_a_number",
    "decimal_parsing": "profile_not_a_number",
    "decimal_type": "profile_not_a_number",
    "bool_parsing": "profile_not_a_bool",
    "bool_type": "profile_not_a_bool",
    "string_type": "profile_not_text",
    "list_type": "profile_not_a_list",
    "dict_type": "profile_not_a_table",
    "model_type": "profile_not_a_table",
    "model_attributes_type": "profile_not_a_table",
    "greater_than_equal": "profile_too_small",
    "less_than_equal": "profile_too_large",
    "string_too_short": "profile_empty",
    "string_pattern_mismatch": "profile_bad_form",
}


@dataclass(frozen=True)
class Mistakes:
    """A profile's mistakes, each at its key: ``softone.offer_body: 'list' is not …``."""

    items: tuple[tuple[str, CodedError], ...]

    def message(self, lang: Lang = "en") -> str:
        """Every mistake in ``lang``, separated by semicolons."""
        return "; ".join(located(where, error.message(lang)) for where, error in self.items)

    def __str__(self) -> str:
        return self.message("en")


def _mistake(err: Any) -> tuple[str, CodedError]:
    """One pydantic error as (its key, a coded error saying what is wrong)."""
    where = ".".join(str(part) for part in err["loc"])
    ctx = err.get("ctx") or {}
    if isinstance(ctx.get("error"), CodedError):
        return where, ctx["error"]  # one of the profile's own rules
    code = _PYDANTIC_CODES.get(err["type"], "profile_bad_value")
    value = err.get("input")
    shown = value if isinstance(value, str | int | float | bool | Decimal) else ""
    expected = str(ctx.get("expected", ""))
    allowed = ", ".join(re.findall(r"'[^']*'", expected)) or expected.replace(" or ", ", ")
    limit = ctx.get("ge", ctx.get("le", ""))
    return where, ProfileRuleError(code, value=str(shown)[:80], allowed=allowed, limit=limit)
