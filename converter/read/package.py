"""An OOXML spreadsheet package: its parts, found through relationships.

A workbook is a zip of XML parts. Which part is the workbook, which is each
sheet, where the styles and shared strings are: the standard (ECMA-376 part 2,
Open Packaging Conventions) says to follow the relationships, starting from
``_rels/.rels``, not to rely on the usual names (``xl/workbook.xml``,
``xl/styles.xml``). Excel writes the usual names; other programs don't always.

Both kinds of package are handled: Transitional (what Excel saves by default)
and Strict Open XML, whose namespaces and relationship types differ while the
structure is the same. Relationship types are compared by their last path
segment (``officeDocument``, ``worksheet``, ``styles``, ...), which is the same
in both.

Part names are case-insensitive (OPC): look-ups go through a case-folded map of
the zip's entries. This module reads; :mod:`converter.writeback` writes.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

# Namespaces of the main spreadsheet part, Transitional and Strict.
SPREADSHEET_NS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
STRICT_SPREADSHEET_NS = SPREADSHEET_NS[1]
# Namespaces of the r:id attribute that points from a part to a relationship.
RELATIONSHIP_ATTR_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
PACKAGE_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES_PART = "[Content_Types].xml"
ROOT_RELS_PART = "_rels/.rels"


class PackageError(ValueError):
    """The package's structure is broken (no workbook part, a dangling relationship).

    Carries a plain reason; the reader wraps it into a catalogue message naming
    the file.
    """


@dataclass(frozen=True, slots=True)
class Relationship:
    """One relationship of a part: its id, short type and resolved target part."""

    id: str
    type: str  # the last segment of the type URI: "worksheet", "styles", ...
    target: str  # a part name without the leading "/", or the raw URI when external
    external: bool


@dataclass(frozen=True, slots=True)
class SheetEntry:
    """One sheet as the workbook part lists it."""

    name: str
    index: int  # position in the workbook's sheet list, 0-based
    state: str  # "visible", "hidden" or "veryHidden"
    kind: str  # relationship type: "worksheet", "chartsheet", "dialogsheet", ...
    part: str | None  # None when the relationship points at a missing part
    sheet_id: int = 0  # the workbook's sheetId (what calcChain's "i" names); 0 when unreadable


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _resolve(source: str, target: str) -> str:
    """The part name ``target`` means when found in the relationships of ``source``."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    base = posixpath.dirname(source)
    return posixpath.normpath(posixpath.join(base, target)).lstrip("/")


def _int_or_zero(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


def rels_part_of(part: str) -> str:
    """The name of the relationships part belonging to ``part``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


class Package:
    """An open spreadsheet package over a zip archive.

    ``Package(archive)`` finds the workbook part and lists the sheets; parts
    are read on demand. The caller owns the archive and closes it.
    """

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self._names: dict[str, str] = {
            info.filename.casefold(): info.filename for info in archive.infolist()
        }
        self._rels_cache: dict[str, dict[str, Relationship]] = {}
        office = [
            r
            for r in self.relationships("").values()
            if r.type == "officeDocument" and not r.external
        ]
        if not office or not self.has(office[0].target):
            raise PackageError("the package has no workbook part")
        self.workbook_part = office[0].target
        self._workbook = self.xml(self.workbook_part)
        self.strict = self._workbook.tag.startswith("{" + STRICT_SPREADSHEET_NS + "}")
        if (
            _local(self._workbook.tag) != "workbook"
            or self._workbook.tag.split("}")[0][1:] not in SPREADSHEET_NS
        ):
            raise PackageError("the main part is not a spreadsheet workbook")
        self.sheets = self._list_sheets()

    # Parts -------------------------------------------------------------------
    def name_of(self, part: str) -> str | None:
        """The zip entry name for ``part`` (part names are case-insensitive), or None."""
        return self._names.get(part.casefold())

    def has(self, part: str) -> bool:
        """True when the package holds ``part``."""
        return self.name_of(part) is not None

    def open(self, part: str) -> IO[bytes]:
        """A stream of ``part``'s bytes; KeyError when the package lacks it."""
        name = self.name_of(part)
        if name is None:
            raise KeyError(part)
        return self.archive.open(name)

    def read(self, part: str) -> bytes:
        """All of ``part``'s bytes."""
        with self.open(part) as fh:
            return fh.read()

    def xml(self, part: str) -> Element:
        """``part`` parsed with defusedxml (no entities, no DTDs)."""
        root: Element = ElementTree.fromstring(self.read(part))
        return root

    # Relationships -----------------------------------------------------------
    def relationships(self, part: str) -> dict[str, Relationship]:
        """The relationships of ``part`` (``""`` for the package itself), by id."""
        cached = self._rels_cache.get(part)
        if cached is not None:
            return cached
        rels_part = ROOT_RELS_PART if part == "" else rels_part_of(part)
        found: dict[str, Relationship] = {}
        if self.has(rels_part):
            for element in self.xml(rels_part):
                if _local(element.tag) != "Relationship":
                    continue
                rid = element.get("Id", "")
                target = element.get("Target", "")
                external = element.get("TargetMode", "Internal") == "External"
                kind = element.get("Type", "").rstrip("/").rsplit("/", 1)[-1]
                resolved = target if external else _resolve(part or "/", target)
                found[rid] = Relationship(rid, kind, resolved, external)
        self._rels_cache[part] = found
        return found

    def related(self, part: str, kind: str) -> list[Relationship]:
        """The internal relationships of ``part`` with short type ``kind``."""
        return [r for r in self.relationships(part).values() if r.type == kind and not r.external]

    def workbook_related(self, kind: str) -> str | None:
        """The first existing part the workbook relates to as ``kind`` (styles, sharedStrings)."""
        for rel in self.related(self.workbook_part, kind):
            if self.has(rel.target):
                return rel.target
        return None

    @property
    def workbook(self) -> Element:
        """The parsed workbook part."""
        return self._workbook

    def _list_sheets(self) -> list[SheetEntry]:
        rels = self.relationships(self.workbook_part)
        entries: list[SheetEntry] = []
        for element in self._workbook.iter():
            if _local(element.tag) != "sheet":
                continue
            rid = next(
                (
                    element.get(f"{{{ns}}}id")
                    for ns in RELATIONSHIP_ATTR_NS
                    if element.get(f"{{{ns}}}id")
                ),
                None,
            )
            rel = rels.get(rid or "")
            part = (
                rel.target
                if rel is not None and not rel.external and self.has(rel.target)
                else None
            )
            entries.append(
                SheetEntry(
                    name=element.get("name", ""),
                    index=len(entries),
                    state=element.get("state", "visible") or "visible",
                    kind=rel.type if rel is not None else "worksheet",
                    part=part,
                    sheet_id=_int_or_zero(element.get("sheetId")),
                )
            )
        return entries

    def worksheets(self) -> Iterator[SheetEntry]:
        """The sheets that hold cells (not chart or dialog sheets), in order."""
        return (s for s in self.sheets if s.kind == "worksheet")

    def sheet(self, name: str) -> SheetEntry | None:
        """The sheet called ``name``, or None."""
        return next((s for s in self.sheets if s.name == name), None)
