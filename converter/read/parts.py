"""The workbook-wide parts a sheet's cells need: shared strings and styles.

Both are found through the workbook part's relationships
(:meth:`~converter.read.package.Package.workbook_related`), never by their
usual names, and read in either namespace (Transitional or Strict Open XML).

- **Shared strings** (``sst``): each ``<si>`` is one string, the text of its
  ``<t>`` and of its rich-text runs' ``<t>`` (a phonetic reading, ``<rPh>``,
  is not part of the text), with the OOXML ``_xHHHH_`` escapes decoded.
- **Styles**: a cell's ``s`` attribute indexes ``cellXfs``; each ``xf`` names a
  number format by id: a custom one from ``numFmts`` or a built-in one. Which
  style ids hold dates and durations follows the same rule as openpyxl's, so
  a cell's value is what openpyxl gives (``tests/test_sheet_xml.py`` compares).

Shared strings are streamed with expat through the sheet parser's safe parser
(no DTD, no entities); the small styles part is parsed with defusedxml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

from converter.read.package import Package, _local


class UnsafeXmlError(ValueError):
    """The XML declares a DTD: entities could expand without bound or read files."""


def _refuse_doctype(*_args: object) -> None:
    raise UnsafeXmlError("the XML declares a DTD, which no spreadsheet writes")


def _refuse_external_entity(*_args: object) -> int:
    raise UnsafeXmlError("the XML refers to an external entity")


def safe_parser() -> expat.XMLParserType:
    """An expat parser, names as ``"uri local"``, that refuses any DTD (as defusedxml does)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.ExternalEntityRefHandler = _refuse_external_entity
    return parser


# ECMA-376 part 1, 22.9.2.19 (ST_Xstring): a character XML can't hold, or that
# a writer chose to escape, is written _xHHHH_; _x005F_ escapes the underscore.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def decode_escapes(text: str) -> str:
    """``text`` with its ``_xHHHH_`` escapes decoded: ``_x000D_`` is a carriage return.

    ``_x005F_x000D_`` is the literal text ``_x000D_``: the first escape stands
    for the underscore, and decoding goes left to right without looking back.
    """
    if "_x" not in text:
        return text
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if any("\ud800" <= ch <= "\udfff" for ch in decoded):
        # UTF-16 halves: a pair is one character, a lone half none (U+FFFD)
        decoded = decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return decoded


# Built-in number formats by id (ECMA-376 part 1, 18.8.30), as openpyxl lists them.
BUILTIN_FORMATS: dict[int, str] = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: '_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)',
    42: '_("$"* #,##0_);_("$"* \\(#,##0\\);_("$"* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)',
    44: '_("$"* #,##0.00_)_("$"* \\(#,##0.00\\)_("$"* "-"??_)_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}

# Which formats make a number a date or a duration: the first section, quoted
# text and [..] (other than elapsed [h] [m] [s]) left out, then a date letter
# not escaped (openpyxl's rule, so values match it).
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_ELAPSED = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)


def is_date_format(fmt: str) -> bool:
    """True when numbers in ``fmt`` are shown as dates or times."""
    first = _STRIP.sub("", fmt.split(";")[0])
    return _DATE_LETTER.search(first) is not None


def is_duration_format(fmt: str) -> bool:
    """True when ``fmt`` shows elapsed time (``[h]:mm``): the number is a duration."""
    return _ELAPSED.search(fmt.split(";")[0]) is not None


@dataclass(frozen=True, slots=True)
class WorkbookStyles:
    """Each cell style's number format, and which styles show dates or durations."""

    formats: tuple[str, ...]  # by style id (the cell's s attribute)
    date_styles: frozenset[int]
    duration_styles: frozenset[int]

    def number_format(self, style_id: int) -> str:
        """The number format of style ``style_id`` (General for a style the part lacks)."""
        if 0 <= style_id < len(self.formats):
            return self.formats[style_id]
        return "General"


NO_STYLES = WorkbookStyles(("General",), frozenset(), frozenset())


def read_styles(package: Package) -> WorkbookStyles:
    """The workbook's cell styles, from the styles part its relationships name."""
    part = package.workbook_related("styles")
    if part is None:
        return NO_STYLES
    root = package.xml(part)
    custom: dict[int, str] = {}
    style_format_ids: list[int] = []
    for child in root:
        name = _local(child.tag)
        if name == "numFmts":
            for fmt in child:
                if _local(fmt.tag) == "numFmt":
                    custom[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
        elif name == "cellXfs":
            style_format_ids.extend(
                int(xf.get("numFmtId") or 0) for xf in child if _local(xf.tag) == "xf"
            )
    if not style_format_ids:
        return NO_STYLES
    formats = tuple(
        custom[i] if i in custom else BUILTIN_FORMATS.get(i, "General") for i in style_format_ids
    )
    return WorkbookStyles(
        formats,
        frozenset(i for i, f in enumerate(formats) if is_date_format(f)),
        frozenset(i for i, f in enumerate(formats) if is_duration_format(f)),
    )


def uses_1904_dates(package: Package) -> bool:
    """True when the workbook counts dates from 1904 (``workbookPr date1904``)."""
    for element in package.workbook:
        if _local(element.tag) == "workbookPr":
            flag = element.get("date1904")
            return flag is not None and flag not in ("", "false", "f", "0")
    return False


def read_shared_strings(package: Package) -> list[str]:
    """The workbook's shared strings, in order, from the part its relationships name."""
    part = package.workbook_related("sharedStrings")
    if part is None:
        return []
    with package.open(part) as source:
        return _SharedStrings().parse(source)


class _SharedStrings:
    """expat callbacks collecting the text of each ``<si>``."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.current: list[str] | None = None  # the <si> being read
        self.in_text = False
        self.in_phonetic = False

    def parse(self, source: IO[bytes]) -> list[str]:
        parser = safe_parser()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.ParseFile(source)
        return self.strings

    def start(self, name: str, _attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "si":
            self.current = []
        elif local == "t":
            self.in_text = self.current is not None and not self.in_phonetic
        elif local == "rPh":
            self.in_phonetic = True

    def end(self, name: str) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "si":
            if self.current is not None:
                self.strings.append(decode_escapes("".join(self.current)))
            self.current = None
        elif local == "t":
            self.in_text = False
        elif local == "rPh":
            self.in_phonetic = False

    def text(self, data: str) -> None:
        if self.in_text and self.current is not None:
            self.current.append(data)
