"""The cell-value parsers: numbers, percentages, dates and identifiers (issue 2, "Numbers")."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from converter.map.values import (
    CellValueError,
    display_text,
    is_percent_format,
    parse_number_text,
    plain,
    to_date,
    to_decimal,
    to_percent,
)

# --- numbers typed as text -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "percent"),
    [
        ("7 400,00", "7400.00", False),
        ("7\u00a0400,00", "7400.00", False),  # no-break space, as Excel's Swedish format writes
        ("7\u202f400,00", "7400.00", False),  # narrow no-break space
        ("1 250,50 kr", "1250.50", False),
        ("1\u00a0250,50\u00a0kr", "1250.50", False),
        ("1 250,50 KR", "1250.50", False),
        ("100 SEK", "100", False),
        ("100:-", "100", False),
        ("2,5", "2.5", False),
        ("2.5", "2.5", False),
        ("0,250", "0.250", False),  # a leading 0 cannot be a thousand
        ("1,234.50", "1234.50", False),
        ("1.234,50", "1234.50", False),
        ("1,234,567", "1234567", False),
        ("1.234.567", "1234567", False),
        ("1 234 567,5", "1234567.5", False),
        ("1234.567", "1234.567", False),  # four digits before the point: not a grouping
        ("10 %", "10", True),
        ("12,5%", "12.5", True),
        ("12,5 %", "12.5", True),
        ("-5", "-5", False),
        ("\u22125", "-5", False),  # the typographic minus sign
        ("+5", "5", False),
        ("- 1 234,50", "-1234.50", False),
        ("  42  ", "42", False),
        ("0", "0", False),
    ],
)
def test_parse_number_text_reads_swedish_and_english_forms(
    text: str, expected: str, percent: bool
) -> None:
    number, has_percent = parse_number_text(text)
    assert number == Decimal(expected)
    assert has_percent is percent


@pytest.mark.parametrize(
    "text", ["1,250", "1.250", "12,500", "999.999", "-1,250", "1,250 kr", "1.250 %", "7,400"]
)
def test_ambiguous_thousand_or_decimal_is_refused(text: str) -> None:
    with pytest.raises(CellValueError) as caught:
        parse_number_text(text)
    assert caught.value.code == "ambiguous_number"
    assert caught.value.params == {"value": text}


@pytest.mark.parametrize(
    "text",
    [
        "fem",
        "",
        "   ",
        "%",
        "kr",
        "1e5",
        "1,2,3",
        "1 23",
        "12-5",
        "--5",
        "1.2.3",
        "5 st",
        "0x10",
        "1,23.4",
        "1 234,5,6",
        "NaN",
        "Infinity",
    ],
)
def test_unreadable_text_is_not_a_number(text: str) -> None:
    with pytest.raises(CellValueError) as caught:
        parse_number_text(text)
    assert caught.value.code == "not_a_number"
    assert caught.value.params == {"value": text}


def test_to_decimal_numeric_cells_win() -> None:
    assert to_decimal(5) == Decimal(5)
    assert isinstance(to_decimal(5), Decimal)
    # a float is read as the shortest text that round-trips, so 0.1 stays exactly 0.1
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal(2.675) == Decimal("2.675")
    assert to_decimal(580.0) == Decimal(580)


def test_to_decimal_reads_text() -> None:
    assert to_decimal("7 400,00") == Decimal("7400")
    assert to_decimal("1,234.50") == Decimal("1234.5")


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        (True, "not_a_number", "True"),
        (None, "not_a_number", "None"),
        (float("nan"), "not_a_number", "nan"),
        (float("inf"), "not_a_number", "inf"),
        (datetime(2026, 1, 30), "date_not_number", "2026-01-30"),
        ("10 %", "unexpected_percent", "10 %"),
        ("fem", "not_a_number", "fem"),
    ],
)
def test_to_decimal_refuses(value: object, code: str, shown: str) -> None:
    with pytest.raises(CellValueError) as caught:
        to_decimal(value)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert caught.value.params == {"value": shown}


# --- percentages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("0%", True),
        ("0.00%", True),
        ("0.0 %", True),
        ("General", False),
        ("0.00", False),
        ('0 "%"', False),  # a literal % in quotes does not make it a percentage format
        ("0\\%", False),
        ('#,##0 "kr"', False),
    ],
)
def test_is_percent_format(fmt: str, expected: bool) -> None:
    assert is_percent_format(fmt) is expected


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (0.1, "0%", "10"),  # the example: 0.1 in a percentage cell means 10
        (0.25, "0%", "25"),
        (0.125, "0.0%", "12.5"),
        (0.06, "0.00%", "6"),
        (1, "0%", "100"),
        (0, "0%", "0"),
        (10, "General", "10"),  # a plain number 10 means 10
        (25, "0", "25"),
        (0, "General", "0"),
        ("10 %", "General", "10"),  # the text "10 %" also means 10
        ("10%", "General", "10"),
        ("12,5%", "General", "12.5"),
        ("10", "General", "10"),
        ("10 %", "0%", "10"),  # text is never scaled, even in a percentage cell
    ],
)
def test_to_percent(value: float | int | str, fmt: str, expected: str) -> None:
    result = to_percent(value, fmt)
    assert result == Decimal(expected)
    assert str(result) == expected  # plain: no "10.00", no exponent


@pytest.mark.parametrize(
    ("value", "code"),
    [("tio", "not_a_number"), ("1,250 %", "ambiguous_number"), (True, "not_a_number")],
)
def test_to_percent_refuses(value: object, code: str) -> None:
    with pytest.raises(CellValueError) as caught:
        to_percent(value, "0%")  # type: ignore[arg-type]
    assert caught.value.code == code


def test_plain_drops_trailing_zeros_and_exponents() -> None:
    assert str(plain(Decimal("10.00"))) == "10"
    assert str(plain(Decimal("12.50"))) == "12.5"
    assert str(plain(Decimal("1E+2"))) == "100"


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 1, 30), date(2026, 1, 30)),
        (datetime(2026, 1, 30, 23, 59, 59), date(2026, 1, 30)),
        (date(2026, 1, 30), date(2026, 1, 30)),
        ("2026-01-30", date(2026, 1, 30)),
        ("  2026-01-30 ", date(2026, 1, 30)),
        ("2026-01-30T10:15", date(2026, 1, 30)),
        ("2026-01-30 10:15:00", date(2026, 1, 30)),
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_to_date_reads_date_cells_and_iso_text(value: object, expected: date) -> None:
    assert to_date(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "30/01/2026",
        "01/30/2026",
        "30.01.2026",
        "2026/01/30",
        "30 jan 2026",
        "20260130",
        "2026-1-30",
        "jan 30, 2026",
        "idag",
    ],
)
def test_other_text_dates_are_refused_not_guessed(text: str) -> None:
    with pytest.raises(CellValueError) as caught:
        to_date(text)
    assert caught.value.code == "text_date"
    assert caught.value.params == {"value": text}


@pytest.mark.parametrize("text", ["2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10"])
def test_iso_text_that_is_not_a_real_date(text: str) -> None:
    with pytest.raises(CellValueError) as caught:
        to_date(text)
    assert caught.value.code == "bad_date"


@pytest.mark.parametrize(("value", "shown"), [(46052, "46052"), (1.5, "1.5"), (None, "None")])
def test_numbers_are_not_dates(value: object, shown: str) -> None:
    with pytest.raises(CellValueError) as caught:
        to_date(value)  # type: ignore[arg-type]
    assert caught.value.code == "not_a_date"
    assert caught.value.params == {"value": shown}


# --- identifiers (Kundnr, Artikel) -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (13, "000", "013"),  # the example
        (4416, "General", "4416"),  # never "4416.0"
        (4416.0, "General", "4416"),
        (1001.0, "0", "1001"),
        (42, "0000", "0042"),
        (12345, "000", "12345"),  # more digits than zeros: nothing cut
        (7, '"K"000', "K007"),
        (7, '000"-A"', "007-A"),
        (5, "[Red]000", "005"),
        (13, "000;[Red]-000", "013"),
        (13, "@", "13"),
        (13, "yyyy-mm-dd", "13"),  # a date format is not rendered as an identifier
        (2.5, "General", "2.5"),
        (0, "General", "0"),
        ("0042", "@", "0042"),
        ("100-5t", "General", "100-5t"),
        ("  1001 ", "General", "1001"),
    ],
)
def test_display_text_is_what_the_cell_shows(value: object, fmt: str, expected: str) -> None:
    assert display_text(value, fmt) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        (None, "not_text", "None"),
        (True, "not_text", "True"),
        (datetime(2026, 1, 30), "date_not_text", "2026-01-30"),
    ],
)
def test_display_text_refuses(value: object, code: str, shown: str) -> None:
    with pytest.raises(CellValueError) as caught:
        display_text(value)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert caught.value.params == {"value": shown}


# --- properties --------------------------------------------------------------------------

two_decimals = st.decimals(
    min_value=Decimal("-1000000000"),
    max_value=Decimal("1000000000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


def _swedish(number: Decimal, space: str, suffix: str) -> str:
    sign = "-" if number < 0 else ""
    english = f"{abs(number):,.2f}"
    return sign + english.replace(",", space).replace(".", ",") + suffix


@given(
    number=two_decimals,
    space=st.sampled_from([" ", "\u00a0"]),
    suffix=st.sampled_from(["", " kr", "\u00a0kr"]),
)
def test_swedish_amounts_parse_back(number: Decimal, space: str, suffix: str) -> None:
    text = _swedish(number, space, suffix)
    assert parse_number_text(text) == (number, False)
    assert to_decimal(text) == number


@given(number=two_decimals)
def test_english_amounts_parse_back(number: Decimal) -> None:
    sign = "-" if number < 0 else ""
    text = f"{sign}{abs(number):,.2f}"
    assert parse_number_text(text) == (number, False)
    assert to_decimal(text) == number


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_integers_as_text_parse(n: int) -> None:
    assert to_decimal(str(n)) == Decimal(n)
    assert to_decimal(f"  {n} ") == Decimal(n)


@given(st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False))
def test_percentage_cells_scale_by_100(fraction: Decimal) -> None:
    assert to_percent(float(fraction), "0.00%") == fraction * 100
    assert to_percent(float(fraction * 100), "General") == fraction * 100


@given(n=st.integers(min_value=0, max_value=10**12), k=st.integers(min_value=1, max_value=15))
def test_display_text_zero_pads_to_the_format(n: int, k: int) -> None:
    shown = display_text(n, "0" * k)
    assert shown == str(n).zfill(k)
    assert len(shown) >= k
    assert int(shown) == n


@given(st.dates())
def test_iso_dates_round_trip(day: date) -> None:
    assert to_date(day.isoformat()) == day
    assert to_date(datetime(day.year, day.month, day.day, 12, 30)) == day


@given(whole=st.integers(min_value=1, max_value=999), frac=st.integers(min_value=0, max_value=999))
def test_one_separator_before_three_digits_is_always_ambiguous(whole: int, frac: int) -> None:
    for sep in (",", "."):
        text = f"{whole}{sep}{frac:03d}"
        with pytest.raises(CellValueError) as caught:
            to_decimal(text)
        assert caught.value.code == "ambiguous_number"


numberish = st.text(alphabet="0123456789 ,.-+%krSEK:\u00a0\u202f\u2212eE", max_size=20)
FORMATS = ["General", "0%", "000", "0.00", '"K"00', "@", "[Red]0;-0", "yyyy-mm-dd", '0 "%"']


def _either_value_or_cell_error(func: object, *args: object) -> None:
    try:
        func(*args)  # type: ignore[operator]
    except CellValueError as exc:
        assert exc.code  # a message code for the catalogue


@given(text=st.one_of(st.text(), numberish), fmt=st.sampled_from(FORMATS))
def test_arbitrary_text_gives_a_value_or_a_cell_error(text: str, fmt: str) -> None:
    _either_value_or_cell_error(parse_number_text, text)
    _either_value_or_cell_error(to_decimal, text)
    _either_value_or_cell_error(to_percent, text, fmt)
    _either_value_or_cell_error(to_date, text)
    _either_value_or_cell_error(display_text, text, fmt)


@given(
    value=st.one_of(
        st.integers(min_value=-(10**18), max_value=10**18),
        st.floats(allow_nan=True, allow_infinity=False),  # infinity: see the test below
        st.booleans(),
        st.none(),
        st.datetimes(),
    ),
    fmt=st.sampled_from(FORMATS),
)
@example(value=float("nan"), fmt="General")
def test_arbitrary_cell_values_give_a_value_or_a_cell_error(value: object, fmt: str) -> None:
    _either_value_or_cell_error(to_decimal, value)
    _either_value_or_cell_error(to_percent, value, fmt)
    _either_value_or_cell_error(to_date, value)
    _either_value_or_cell_error(display_text, value, fmt)


@pytest.mark.parametrize("value", [float("inf"), float("-inf")])
@pytest.mark.parametrize("fmt", ["General", "000"])
def test_infinite_numbers_are_cell_errors(value: float, fmt: str) -> None:
    """A crafted file can hold ``<v>1E999</v>``, which openpyxl reads as infinity."""
    _either_value_or_cell_error(to_decimal, value)
    _either_value_or_cell_error(to_percent, value, fmt)
    _either_value_or_cell_error(to_date, value)
    _either_value_or_cell_error(display_text, value, fmt)


@pytest.mark.parametrize(
    "value",
    [time(12, 0), timedelta(days=1, hours=12), date(2026, 1, 30)],
    ids=["time", "duration", "date"],
)
@pytest.mark.parametrize("fmt", ["h:mm"])
def test_time_duration_and_date_values_are_cell_errors(value: object, fmt: str) -> None:
    """openpyxl gives these for cells formatted as times, durations or ISO dates."""
    _either_value_or_cell_error(to_decimal, value)
    _either_value_or_cell_error(to_percent, value, fmt)
    _either_value_or_cell_error(to_date, value)
    _either_value_or_cell_error(display_text, value, fmt)
