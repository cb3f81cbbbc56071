"""Turn cell values into numbers, percentages, dates and identifiers.

The rules are the salesperson's: a real numeric or date cell always wins; text
is read in Swedish and English forms; anything ambiguous is refused with a
:class:`CellValueError` rather than guessed. These functions know nothing of
addresses: the mapper attaches the cell's address to the error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import lru_cache

from converter.model.cells import CellValue
from converter.read.parts import is_date_format


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


# Excel computes and shows numbers to 15 significant digits: what it stores
# after a sum or a paste (579.99999999999989) is the 580 the salesperson sees.
SIGNIFICANT_DIGITS = 15


def _decimal_from_float(value: float) -> Decimal:
    """A stored double as Excel shows it: 15 significant digits, so 4.999999999999999 is 5."""
    if value == 0:
        return Decimal(format(value, "g"))  # 0.0 and -0.0 are one key to the cache
    return _shown_float(value)


# A sheet repeats its quantities, prices and discounts: one Decimal per distinct value
# (they are immutable) instead of one per cell, 100 bytes each, millions on a large sheet.
@lru_cache(maxsize=4096)
def _shown_float(value: float) -> Decimal:
    return Decimal(format(value, f".{SIGNIFICANT_DIGITS}g"))


@lru_cache(maxsize=4096)
def _decimal_from_int(value: int) -> Decimal:
    """A stored whole number (one Decimal per distinct value, as above)."""
    return Decimal(value)


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
        return _decimal_from_int(value)
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


@lru_cache(maxsize=1024)
def is_percent_format(number_format: str) -> bool:
    """True when a number format shows the value as a percentage (cached per format)."""
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

    13 formatted ``000`` is ``"013"``, formatted ``000\\ 00`` it is ``"000 13"``;
    4416 is ``"4416"``, never ``"4416.0"``. A format this can't render exactly
    (conditions, fractions, scientific notation, ...) is refused with
    ``number_format_unsupported`` rather than guessed.
    """
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        raise CellValueError("not_text", value=str(value))
    if isinstance(value, _TEMPORAL):
        raise CellValueError("date_not_text", value=_temporal_text(value))
    number = _decimal_from_int(value) if isinstance(value, int) else _decimal_from_float(value)
    if not number.is_finite():
        raise CellValueError("not_a_number", value=str(value))
    return shown_number(number, number_format)


def _general(number: Decimal) -> str:
    if number == number.to_integral_value():
        return str(int(number))
    return format(plain(number), "f")


def shown_number(number: Decimal, number_format: str) -> str:
    """``number`` as a cell with ``number_format`` shows it (digits ungrouped, ``.`` as point).

    Thousands separators are left out (they depend on the computer's language
    and are no part of an identifier); everything else stands where the
    format puts it: zeros, ``"quoted text"``, ``\\x`` escapes, fixed characters
    between digit groups, ``[$kr-41D]`` currency text, sections for positive,
    negative and zero numbers.
    """
    sections = _compiled(number_format)
    if sections is None:
        return _general(number)
    if isinstance(sections, str):
        raise CellValueError("number_format_unsupported", value=number_format)
    if number < 0 and len(sections) > 1:
        return sections[1].render(-number, sign="")
    if number == 0 and len(sections) > 2:
        return sections[2].render(number, sign="")
    return sections[0].render(abs(number), sign="-" if number < 0 else "")


_PLACEHOLDERS = "0#?"
_COLORS = re.compile(r"(black|blue|cyan|green|magenta|red|white|yellow|color\d{1,2})", re.I)
# characters a format shows as they are, without quotes
_PLAIN_LITERALS = frozenset("$-+():!^&'~{}<>= /\u00a0")


@dataclass(frozen=True, slots=True)
class _Section:
    """One section of a number format: tokens before and after the decimal point."""

    integer: tuple[str, ...]  # "0", "#", "?" or a literal text
    decimals: tuple[str, ...] | None  # None: no decimal point
    scale: int  # 100 per %

    def render(self, number: Decimal, sign: str) -> str:
        places = sum(t in _PLACEHOLDERS for t in self.decimals or ())
        quantum = Decimal(1).scaleb(-places)
        scaled = number * self.scale
        # enough precision for every digit the cell shows, however large the number
        context = Context(prec=max(28, scaled.adjusted() + places + 2), rounding=ROUND_HALF_UP)
        rounded = scaled.quantize(quantum, context=context)
        whole, _, fraction = format(rounded, "f").partition(".")
        shown_sign = sign if rounded != 0 else ""
        return shown_sign + self._integer_part(whole.lstrip("0")) + self._decimal_part(fraction)

    def _integer_part(self, digits: str) -> str:
        out: list[str] = []
        remaining = digits
        leftmost = None
        for index in range(len(self.integer) - 1, -1, -1):
            token = self.integer[index]
            if token not in _PLACEHOLDERS:
                out.append(token)
                continue
            leftmost = len(out)
            if remaining:
                out.append(remaining[-1])
                remaining = remaining[:-1]
            else:
                out.append({"0": "0", "#": "", "?": " "}[token])
        shows_digits = leftmost is not None or any(t in _PLACEHOLDERS for t in self.decimals or ())
        if remaining and shows_digits:  # more digits than placeholders: all shown, leftmost
            out.insert(len(out) if leftmost is None else leftmost + 1, remaining)
        return "".join(reversed(out))

    def _decimal_part(self, fraction: str) -> str:
        if self.decimals is None:
            return ""
        digits = list(fraction)
        shown: list[str] = []
        placeholders = [i for i, t in enumerate(self.decimals) if t in _PLACEHOLDERS]
        # trailing zeros under # vanish, under ? become spaces
        trailing_ok = True
        blank: set[int] = set()
        for digit, index in reversed(list(zip(digits, placeholders, strict=True))):
            token = self.decimals[index]
            if trailing_ok and digit == "0" and token != "0":
                blank.add(index)
            else:
                trailing_ok = False
        position = 0
        for index, token in enumerate(self.decimals):
            if token not in _PLACEHOLDERS:
                shown.append(token)
                continue
            if index in blank:
                shown.append(" " if token == "?" else "")
            else:
                shown.append(digits[position])
            position += 1
        return "." + "".join(shown)


@lru_cache(maxsize=1024)
def _compiled(number_format: str) -> tuple[_Section, ...] | str | None:
    """The format's sections, None for General (or a text or date format), or a reason."""
    if number_format in ("", "General", "@") or is_date_format(number_format):
        return None
    try:
        sections = [_section(text) for text in _split_sections(number_format)]
    except _Unsupported as exc:
        return str(exc)
    if len(sections) > 4:
        return "more than four sections"
    numeric = tuple(s for s in sections[:3] if s is not None)
    if len(numeric) != len(sections[:3]):
        return None if sections[0] is None else "a text section among the number sections"
    return numeric


class _Unsupported(ValueError):
    """A part of a number format this module does not render."""


def _split_sections(fmt: str) -> list[str]:
    sections: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == '"':
            end = fmt.find('"', i + 1)
            end = len(fmt) - 1 if end < 0 else end
            current.append(fmt[i : end + 1])
            i = end + 1
            continue
        if ch in "\\_*" and i + 1 < len(fmt):
            current.append(fmt[i : i + 2])
            i += 2
            continue
        if ch == ";":
            sections.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    sections.append("".join(current))
    return sections


def _section(text: str) -> _Section | None:
    """One section compiled; None for a text section (``@``)."""
    integer: list[str] = []
    decimals: list[str] | None = None
    scale = 1
    saw_text_placeholder = False
    i = 0
    tokens = integer
    while i < len(text):
        ch = text[i]
        if ch == '"':
            end = text.find('"', i + 1)
            end = len(text) if end < 0 else end
            tokens.append(text[i + 1 : end])
            i = end + 1
            continue
        if ch == "\\" and i + 1 < len(text):
            tokens.append(text[i + 1])
            i += 2
            continue
        if ch == "_" and i + 1 < len(text):
            tokens.append(" ")  # the width of the next character: a space on screen
            i += 2
            continue
        if ch == "*" and i + 1 < len(text):
            i += 2  # repeat to fill the cell: nothing in the text itself
            continue
        if ch == "[":
            end = text.find("]", i)
            if end < 0:
                raise _Unsupported("an unclosed [")
            inner = text[i + 1 : end]
            if inner[:1] in "<>=":
                raise _Unsupported("a condition")
            if inner.startswith("$"):
                tokens.append(inner[1:].split("-", 1)[0])
            elif not _COLORS.fullmatch(inner):
                raise _Unsupported(f"[{inner}]")
            i = end + 1
            continue
        if ch in _PLACEHOLDERS:
            tokens.append(ch)
        elif ch == ".":
            if decimals is not None:
                raise _Unsupported("two decimal points")
            decimals = tokens = []
        elif ch == ",":
            rest = text[i + 1 :]
            if decimals is not None or not any(c in _PLACEHOLDERS for c in rest.split(".")[0]):
                raise _Unsupported("scaling by a thousand")
            # a thousands separator: left out
        elif ch == "%":
            scale *= 100
            tokens.append("%")
        elif ch == "@":
            saw_text_placeholder = True
        elif ch in "Ee" and text[i + 1 : i + 2] in ("+", "-"):
            raise _Unsupported("scientific notation")
        elif (
            ch == "/" and text[i + 1 : i + 2].strip() and text[i + 1] in _PLACEHOLDERS + "123456789"
        ):
            raise _Unsupported("a fraction")
        elif ch in _PLAIN_LITERALS or (not ch.isascii() and not ch.isalpha()):
            tokens.append(ch)
        else:
            raise _Unsupported(f"the character {ch!r}")
        i += 1
    has_digits = any(t in _PLACEHOLDERS for t in integer + (decimals or []))
    if saw_text_placeholder:
        if has_digits:
            raise _Unsupported("@ among digit placeholders")
        return None
    return _Section(tuple(integer), None if decimals is None else tuple(decimals), scale)
