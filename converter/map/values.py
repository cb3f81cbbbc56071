"""Turn cell values into numbers, percentages, dates and identifiers.

The rules are the salesperson's: a real numeric or date cell always wins; text
is read in Swedish and English forms; anything ambiguous is refused with a
:class:`CellValueError` rather than guessed. These functions know nothing of
addresses: the mapper attaches the cell's address to the error.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from converter.model.cells import CellValue


class CellValueError(ValueError):
    """A cell's value cannot be read as what the column needs.

    ``code`` names the message in the catalogue (``converter.i18n``).
    """

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


_SPACES = "\u0020\u00a0\u202f\u2009"
_CURRENCY = re.compile(r"\s*(kr|sek|:-)\.?$", re.IGNORECASE)
_SPACE_GROUPED = re.compile(rf"^\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d+)?$")
_PLAIN = re.compile(r"^\d+$")
_ONE_SEP = re.compile(r"^(\d+)([.,])(\d+)$")
_EN_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_SV_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


_TEMPORAL = (datetime, date, time, timedelta)


def _temporal_text(value: datetime | date | time | timedelta) -> str:
    """A date, time or duration as the message shows it."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _decimal_from_float(value: float) -> Decimal:
    # repr() gives the shortest text that round-trips, so 0.1 stays 0.1
    return Decimal(repr(value))


def plain(number: Decimal) -> Decimal:
    """``number`` without trailing zeros or an exponent: 10.00 → 10, 12.50 → 12.5."""
    if number == number.to_integral_value():
        return Decimal(int(number))  # exact digits, however large (quantize would overflow)
    return number.normalize()


def parse_number_text(text: str) -> tuple[Decimal, bool]:
    """Read a number typed as text; return it and whether it carried a ``%``.

    Accepts ``7 400,00``, ``1 250,50 kr``, ``2,5``, ``1,234.50``, ``10 %``,
    ``12,5%`` and a leading minus. ``1,250`` and ``1.250`` are refused as
    ambiguous: each could be a thousand or a decimal.
    """
    s = text.strip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip(_SPACES + " ")
    s = _CURRENCY.sub("", s).strip(_SPACES)
    sign = ""
    if s[:1] in ("-", "−", "+"):
        sign = "-" if s[0] != "+" else ""
        s = s[1:].lstrip(_SPACES)
    digits = _normalize_digits(s, text)
    try:
        number = Decimal(sign + digits)
    except InvalidOperation as exc:  # pragma: no cover - the patterns only let digits through
        raise CellValueError("not_a_number", value=text) from exc
    return number, percent


def _normalize_digits(s: str, original: str) -> str:
    """The digits of ``s`` with a ``.`` decimal point, or an error naming ``original``."""
    if _PLAIN.match(s):
        return s
    if _SPACE_GROUPED.match(s):
        # spaces group the thousands, so a remaining , or . is the decimal mark
        return re.sub(f"[{_SPACES}]", "", s).replace(",", ".")
    if m := _ONE_SEP.match(s):
        whole, _sep, frac = m.groups()
        if len(frac) == 3 and 1 <= len(whole) <= 3 and whole != "0":
            raise CellValueError("ambiguous_number", value=original)
        return f"{whole}.{frac}"
    if _EN_GROUPED.match(s):
        return s.replace(",", "")
    if _SV_GROUPED.match(s):
        return s.replace(".", "").replace(",", ".")
    raise CellValueError("not_a_number", value=original)


def to_decimal(value: CellValue) -> Decimal:
    """A number from a numeric cell, or from text as :func:`parse_number_text` reads it.

    A ``%`` in text is refused here: only Rabatt and Moms are percentages.
    """
    if isinstance(value, bool):
        raise CellValueError("not_a_number", value=str(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellValueError("not_a_number", value=str(value))
        return _decimal_from_float(value)
    if isinstance(value, _TEMPORAL):
        raise CellValueError("date_not_number", value=_temporal_text(value))
    if isinstance(value, str):
        number, percent = parse_number_text(value)
        if percent:
            raise CellValueError("unexpected_percent", value=value)
        return number
    raise CellValueError("not_a_number", value=str(value))


def is_percent_format(number_format: str) -> bool:
    """True when a number format shows the value as a percentage."""
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format)


def to_percent(value: CellValue, number_format: str) -> Decimal:
    """A percentage as a number of percent: 0.1 in a ``%`` cell, 10, or ``"10 %"`` all give 10."""
    if isinstance(value, str):
        number, _percent = parse_number_text(value)
        return number
    number = to_decimal(value)
    if is_percent_format(number_format):
        return plain(number * 100)
    return number


def to_date(value: CellValue) -> date:
    """A date from a date cell or from ISO text (``2026-01-30``); other text is refused."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time | timedelta):
        raise CellValueError("not_a_date", value=_temporal_text(value))
    if isinstance(value, str):
        m = _ISO_DATE.match(value.strip())
        if m:
            try:
                return date.fromisoformat(m.group(1))
            except ValueError as exc:
                raise CellValueError("bad_date", value=value) from exc
        raise CellValueError("text_date", value=value)
    raise CellValueError("not_a_date", value=str(value))


def display_text(value: CellValue, number_format: str = "General") -> str:
    """The text a cell shows, for identifiers such as Kundnr and Artikel.

    13 formatted ``000`` is ``"013"``; 4416 is ``"4416"``, never ``"4416.0"``.
    """
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        raise CellValueError("not_text", value=str(value))
    if isinstance(value, _TEMPORAL):
        raise CellValueError("date_not_text", value=_temporal_text(value))
    number = Decimal(value) if isinstance(value, int) else _decimal_from_float(value)
    if not number.is_finite():
        raise CellValueError("not_a_number", value=str(value))
    if number == number.to_integral_value():
        return _apply_integer_format(int(number), number_format)
    return format(plain(number), "f")


def _apply_integer_format(number: int, number_format: str) -> str:
    """Render an integer through the simple number formats used for identifiers."""
    section = number_format.split(";")[0]
    if section in ("", "General", "@") or number < 0:
        return str(number)
    prefix: list[str] = []
    suffix: list[str] = []
    zeros = 0
    seen_digit_placeholder = False
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            (suffix if seen_digit_placeholder else prefix).append(section[i + 1 : end])
            i = end + 1
            continue
        if ch == "\\" and i + 1 < len(section):
            (suffix if seen_digit_placeholder else prefix).append(section[i + 1])
            i += 2
            continue
        if ch == "[":
            end = section.find("]", i)
            i = len(section) if end < 0 else end + 1
            continue
        if ch in "0#?,":
            seen_digit_placeholder = True
            zeros += ch == "0"
        elif ch == ".":
            break  # decimals of an integer identifier add nothing we want
        elif ch.isalpha() or ch in "%@*_":
            return str(number)  # a date, scientific or text format: not one we render
        else:
            (suffix if seen_digit_placeholder else prefix).append(ch)
        i += 1
    return "".join(prefix) + str(number).zfill(zeros) + "".join(suffix)
