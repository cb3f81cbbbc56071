"""What the mapper found: each sheet's offer, the problems in it, and the report of them all.

(The migration's report *files* are :mod:`converter.migration.report`.)

Problems in a sheet are data, not exceptions: each carries its severity, the
file, the address of the cell that needs attention (or the sheet, when a label
is missing altogether), the value, and a message code rendered in the user's
language by :mod:`converter.i18n`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Protocol

from converter.errors import MappingError
from converter.i18n import CATALOGUES, Lang, format_amount, located, render
from converter.model.api import Offer
from converter.model.cells import CellRef, quote_sheet

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth knowing) about a file, a sheet or a cell."""

    severity: Severity
    code: str
    file: Path
    sheet: str | None = None
    ref: CellRef | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """``Offert!D12``, or the sheet name, or nothing for a file-level problem."""
        if self.ref is not None:
            return str(self.ref)
        return quote_sheet(self.sheet) if self.sheet else ""

    def message(self, lang: Lang = "en") -> str:
        """The message text in ``lang``."""
        return render(self.code, lang, **self.params)

    def located(self, lang: Lang = "en") -> str:
        """``Offert!D12: Antal 'fem' is not a number``: where, then the message."""
        return located(self.where, self.message(lang))

    def to_dict(self, lang: Lang = "en") -> dict[str, Any]:
        """A JSON-ready form of the problem."""
        return {
            "severity": self.severity,
            "code": self.code,
            "file": str(self.file),
            "sheet": self.ref.sheet if self.ref else self.sheet,
            "cell": self.ref.coordinate if self.ref else None,
            "where": self.where,
            "value": _jsonable(self.params.get("value")),
            "message": self.message(lang),
        }


class _HasProblems(Protocol):
    @property
    def problems(self) -> list[Problem]: ...


class Findings:
    """The ``errors`` and ``warnings`` among ``problems``, for anything that holds problems
    (an offer, a file, a report): the one place that filters by severity."""

    __slots__ = ()

    @property
    def errors(self: _HasProblems) -> list[Problem]:
        """The problems that stop the offer (or file) from being sent."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self: _HasProblems) -> list[Problem]:
        """The problems worth knowing that do not stop anything (``--strict`` refuses them)."""
        return [p for p in self.problems if p.severity == "warning"]


def problem_text(problem: Problem, lang: Lang) -> str:
    """A problem's catalogue message with its cell named: ``Antal "fem" i D12 är inte ett tal``.

    Messages about a cell's value (``{field} {value!r} …``) get the cell right
    after the value; others get it in brackets at the end.
    """
    if problem.ref is None:
        return problem.message(lang)
    cell = problem.ref.coordinate
    template = CATALOGUES[lang][problem.code]
    if "{value!r}" not in template:
        return render("drop_at_cell", lang, message=problem.message(lang), cell=cell)
    template = template.replace("{value!r}", CATALOGUES[lang]["drop_value_at"], 1)
    params = {
        k: format_amount(v, lang) if isinstance(v, Decimal) else v
        for k, v in problem.params.items()
    }
    return template.format(**{**params, "cell": cell})


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


class LazyOffer:
    """The request of an offer, built on first use and kept.

    Checking a sheet needs its values, not the pydantic :class:`Offer` (a
    200,000-row sheet's models took 300 MB that ``validate`` never used): the
    mapper hands over how to build it from the values its checks and total came
    from, and the upload, ``convert`` and the fingerprint build it when they ask.
    """

    __slots__ = ("_build", "_offer")

    def __init__(self, build: Callable[[], Offer]) -> None:
        self._build: Callable[[], Offer] | None = build
        self._offer: Offer | None = None

    @classmethod
    def of(cls, offer: Offer) -> LazyOffer:
        """An offer already built."""
        lazy = cls(lambda: offer)
        lazy._offer, lazy._build = offer, None
        return lazy

    @property
    def built(self) -> bool:
        """True once the offer has been built."""
        return self._offer is not None

    def get(self) -> Offer:
        """The offer, built now if it wasn't yet (and its values let go).

        Upload threads may ask at once: each then builds an equal offer, and the
        builder is let go only after the offer is kept (so seeing no builder means
        the offer is there)."""
        offer = self._offer
        if offer is None:
            build = self._build
            offer = self._offer if build is None else build()
            assert offer is not None
            self._offer = offer
            self._build = None
        return offer

    def then(self, change: Callable[[Offer], Offer]) -> LazyOffer:
        """The offer ``change`` makes of this one, built when it is first asked for."""
        return LazyOffer(lambda: change(self.get()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LazyOffer):
            return NotImplemented
        return self is other or self.get() == other.get()

    __hash__ = None  # type: ignore[assignment]  # compared by the offer it builds

    def __repr__(self) -> str:
        shown = "<not built>" if self._offer is None else repr(self._offer)
        return f"LazyOffer({shown})"


@dataclass(slots=True)
class MappedOffer(Findings):
    """One sheet's offer: the body to send (when it has no errors) and where it came from."""

    file: Path
    sheet: str
    sheet_index: int
    source: LazyOffer | None  # builds what is sent to SoftOne GO; None while the sheet has errors
    problems: list[Problem]
    customer_nr: str | None
    invoice_date: date | None
    row_count: int
    total: Decimal
    header_labels: list[CellRef]
    offer_nr_cell: CellRef | None  # value cell right of the Offertnr label, if there is one
    offer_nr_shown: str | None  # what that cell holds now
    customer_cell: CellRef | None = None  # the Kundnr value cell
    article_cells: Mapping[int, CellRef] = field(default_factory=dict)  # RowNr → its Artikel cell

    @property
    def request(self) -> Offer | None:
        """What is sent to SoftOne GO (built on first use); None while the sheet has errors."""
        return None if self.source is None else self.source.get()

    @property
    def ok(self) -> bool:
        """True when the offer has no errors."""
        return self.source is not None and not self.errors

    def summary(self, lang: Lang = "en") -> str:
        """One line: customer, date, number of rows and total excluding VAT."""
        return render(
            "offer_ok",
            lang,
            customer=self.customer_nr,
            date=self.invoice_date.isoformat() if self.invoice_date else "?",
            rows=self.row_count,
            total=self.total,
        )


@dataclass(slots=True)
class FileReport(Findings):
    """Everything found in one file: its offers, the sheets skipped and file-level problems.

    ``errors`` and ``warnings`` are the file's own (file- and sheet-level); each offer
    has its own."""

    path: Path
    offers: list[MappedOffer] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # file- and sheet-level

    def all_problems(self) -> list[Problem]:
        """File-level problems first, then each offer's, in sheet order."""
        return self.problems + [p for o in self.offers for p in o.problems]


@dataclass(slots=True)
class Report(Findings):
    """The result of reading and validating one or more files (``errors`` and ``warnings``
    over every file and offer)."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        """Every problem of every file."""
        return [p for f in self.files for p in f.all_problems()]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    @property
    def strict_ok(self) -> bool:
        """True when there is neither an error nor a warning."""
        return not self.errors and not self.warnings

    @property
    def offers(self) -> list[MappedOffer]:
        """Every offer of every file, in order."""
        return [o for f in self.files for o in f.offers]

    def bodies(self) -> list[dict[str, Any]]:
        """The request body of every offer, in order; :class:`MappingError` if any has errors."""
        if not self.ok:
            raise MappingError("nothing_converted", self)
        return [o.request.body() for o in self.offers if o.request is not None]

    def to_dict(self, lang: Lang = "en") -> dict[str, Any]:
        """A JSON-ready form of the report, as ``validate --json`` prints it."""
        return {
            "ok": self.ok,
            "files": [
                {
                    "file": str(f.path),
                    "problems": [p.to_dict(lang) for p in f.problems],
                    "offers": [
                        {
                            "sheet": o.sheet,
                            "ok": o.ok,
                            "customer_nr": o.customer_nr,
                            "invoice_date": o.invoice_date.isoformat() if o.invoice_date else None,
                            "rows": o.row_count,
                            "total": str(o.total),
                            "problems": [p.to_dict(lang) for p in o.problems],
                        }
                        for o in f.offers
                    ],
                }
                for f in self.files
            ],
        }
