"""Layout profiles: which labels and columns a workbook uses, and the defaults sent.

A profile is a TOML file loaded into strict pydantic models
(``extra="forbid"``), so an unknown or misspelt key is an error that names the
file. ``templates/default.toml`` is the standard profile.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from converter.errors import ProfileError

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


class Defaults(_Strict):
    """Offer fields sent with every offer, whatever the sheet says."""

    OriginType: int = Field(5, ge=1)
    RegistrationType: int = Field(1, ge=1)
    BillingType: int = Field(1, ge=1)
    AutoCreateCustomer: bool = False


class Rules(_Strict):
    """How rows are classified and checked."""

    totals_labels: list[str] = Field(default_factory=list)
    default_article: str = ""
    summa_tolerance: Decimal = Decimal("0.01")


class Profile(_Strict):
    """A layout profile: header labels, grid column labels, defaults and rules."""

    name: str
    description: str = ""
    header: dict[HeaderField, list[str]]
    columns: dict[Column, list[str]]
    defaults: Defaults = Defaults()
    rules: Rules = Rules()

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
    """Load a profile from ``path`` (the standard one when None)."""
    path = path or default_profile_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProfileError(f"{path}: layout profile not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read the layout profile ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ProfileError(f"{path}: invalid layout profile: {details}") from exc
