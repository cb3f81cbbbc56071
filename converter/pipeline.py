"""The pipeline: reader → mapper (→ uploader → writeback).

Each function here chains the stages for one use; the CLI only calls these.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from converter.errors import WorkbookError
from converter.mapper import map_workbook
from converter.profile import Profile, load_profile
from converter.reader import WRITABLE_SUFFIXES, read_workbook
from converter.report import FileReport, Problem, Report

WORKBOOK_SUFFIXES = WRITABLE_SUFFIXES


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and the workbooks inside folders (recursively, sorted).

    Excel's lock files (``~$offer.xlsx``) and hidden files are skipped.
    """
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                rel = found.relative_to(path)
                if (
                    found.is_file()
                    and found.suffix.lower() in WORKBOOK_SUFFIXES
                    and not found.name.startswith("~$")
                    and not any(part.startswith(".") for part in rel.parts)
                ):
                    yield found
        else:
            yield path


def validate_file(path: Path, profile: Profile) -> FileReport:
    """Read and map one file; an unreadable file is a file-level error, not an exception."""
    try:
        workbook = read_workbook(path)
    except WorkbookError as exc:
        report = FileReport(path=path)
        report.problems.append(Problem("error", "unreadable_file", path, params={"reason": str(exc)}))
        return report
    return map_workbook(workbook, profile)


def validate_files(paths: Iterable[Path], profile: Profile | None = None) -> Report:
    """Read and check every offer of ``paths`` (files or folders)."""
    profile = profile or load_profile()
    return Report(files=[validate_file(p, profile) for p in expand_paths(paths)])


def convert_files(paths: Iterable[Path], profile: Profile | None = None) -> list[dict[str, Any]]:
    """The request body for every offer of ``paths``, in order.

    Raises :class:`MappingError` (carrying the report) when any sheet has an error.
    """
    return validate_files(paths, profile).bodies()
