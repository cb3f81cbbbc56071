"""Turn Excel offers into SoftOne GO offers through its REST API.

The pipeline is ``reader → mapper → uploader → writeback``; each stage is a
module with a plain API, and :mod:`converter.pipeline` chains them. The
command line (:mod:`converter.cli`) is a thin shell over this package.

The names below are imported on first use (PEP 562), so that
``offer-converter --help`` and a one-offer drop start without loading every
stage.
"""

from __future__ import annotations

import os
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

SAFE_XML_REQUIRED = (
    "offer-converter needs defusedxml to read workbooks safely: install it, and "
    "do not set OPENPYXL_DEFUSEDXML=False"
)
# Start-up check, without importing openpyxl (slow): openpyxl only parses with
# defusedxml when it is installed and not switched off. converter.reader checks
# openpyxl's own flag before any workbook is read.
if find_spec("defusedxml") is None or os.environ.get("OPENPYXL_DEFUSEDXML", "True") != "True":
    raise ImportError(SAFE_XML_REQUIRED)

if TYPE_CHECKING:  # the same names, for type checkers (imported lazily at run time)
    from converter.cells import Cell as Cell
    from converter.cells import CellRef as CellRef
    from converter.errors import AuthError as AuthError
    from converter.errors import ConverterError as ConverterError
    from converter.errors import CredentialsError as CredentialsError
    from converter.errors import JournalError as JournalError
    from converter.errors import MappingError as MappingError
    from converter.errors import ProfileError as ProfileError
    from converter.errors import UploadError as UploadError
    from converter.errors import WorkbookError as WorkbookError
    from converter.errors import WritebackError as WritebackError
    from converter.mapper import map_sheet as map_sheet
    from converter.mapper import map_workbook as map_workbook
    from converter.models import InvoiceRow as InvoiceRow
    from converter.models import LoginReply as LoginReply
    from converter.models import Offer as Offer
    from converter.models import OperationResult as OperationResult
    from converter.pipeline import UploadRun as UploadRun
    from converter.pipeline import convert_files as convert_files
    from converter.pipeline import expand_paths as expand_paths
    from converter.pipeline import upload_files as upload_files
    from converter.pipeline import validate_file as validate_file
    from converter.pipeline import validate_files as validate_files
    from converter.profile import Profile as Profile
    from converter.profile import load_profile as load_profile
    from converter.reader import SheetData as SheetData
    from converter.reader import WorkbookData as WorkbookData
    from converter.reader import read_workbook as read_workbook
    from converter.report import FileReport as FileReport
    from converter.report import MappedOffer as MappedOffer
    from converter.report import Problem as Problem
    from converter.report import Report as Report
    from converter.uploader import OfferResult as OfferResult
    from converter.uploader import Uploader as Uploader

_EXPORTS = {
    "converter.cells": ("Cell", "CellRef"),
    "converter.errors": (
        "AuthError",
        "ConverterError",
        "CredentialsError",
        "JournalError",
        "MappingError",
        "ProfileError",
        "UploadError",
        "WorkbookError",
        "WritebackError",
    ),
    "converter.mapper": ("map_sheet", "map_workbook"),
    "converter.models": ("InvoiceRow", "LoginReply", "Offer", "OperationResult"),
    "converter.pipeline": (
        "UploadRun",
        "convert_files",
        "expand_paths",
        "upload_files",
        "validate_file",
        "validate_files",
    ),
    "converter.profile": ("Profile", "load_profile"),
    "converter.reader": ("SheetData", "WorkbookData", "read_workbook"),
    "converter.report": ("FileReport", "MappedOffer", "Problem", "Report"),
    "converter.uploader": ("OfferResult", "Uploader"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'converter' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
