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

# Start-up check, without importing openpyxl (slow): the reader parses package
# XML with defusedxml (converter.read.package) and expat without DTDs, and
# openpyxl, which the write-back and the template use, only parses with
# defusedxml when it is installed and not switched off.
if find_spec("defusedxml") is None or os.environ.get("OPENPYXL_DEFUSEDXML", "True") != "True":
    from converter.i18n import render, system_lang

    raise ImportError(render("safe_xml_required", system_lang()))

if TYPE_CHECKING:  # the same names, for type checkers (imported lazily at run time)
    from converter.erp.uploader import OfferResult as OfferResult
    from converter.erp.uploader import Uploader as Uploader
    from converter.errors import AuthError as AuthError
    from converter.errors import ConverterError as ConverterError
    from converter.errors import CredentialsError as CredentialsError
    from converter.errors import JournalError as JournalError
    from converter.errors import LookupFailed as LookupFailed
    from converter.errors import MappingError as MappingError
    from converter.errors import ProfileError as ProfileError
    from converter.errors import UploadError as UploadError
    from converter.errors import WorkbookError as WorkbookError
    from converter.errors import WritebackError as WritebackError
    from converter.map.offer_sheet import map_sheet as map_sheet
    from converter.map.offer_sheet import map_workbook as map_workbook
    from converter.model.api import InvoiceRow as InvoiceRow
    from converter.model.api import LoginReply as LoginReply
    from converter.model.api import Offer as Offer
    from converter.model.api import OperationResult as OperationResult
    from converter.model.cells import Cell as Cell
    from converter.model.cells import CellRef as CellRef
    from converter.model.mapped import FileReport as FileReport
    from converter.model.mapped import MappedOffer as MappedOffer
    from converter.model.mapped import Problem as Problem
    from converter.model.mapped import Report as Report
    from converter.model.profile import Profile as Profile
    from converter.model.profile import load_profile as load_profile
    from converter.pipeline import UploadRun as UploadRun
    from converter.pipeline import convert_files as convert_files
    from converter.pipeline import expand_paths as expand_paths
    from converter.pipeline import upload_files as upload_files
    from converter.pipeline import validate_file as validate_file
    from converter.pipeline import validate_files as validate_files
    from converter.pipeline import validate_online as validate_online
    from converter.read.xlsx import SheetData as SheetData
    from converter.read.xlsx import WorkbookData as WorkbookData
    from converter.read.xlsx import read_workbook as read_workbook

_EXPORTS = {
    "converter.model.cells": ("Cell", "CellRef"),
    "converter.errors": (
        "AuthError",
        "ConverterError",
        "CredentialsError",
        "JournalError",
        "LookupFailed",
        "MappingError",
        "ProfileError",
        "UploadError",
        "WorkbookError",
        "WritebackError",
    ),
    "converter.map.offer_sheet": ("map_sheet", "map_workbook"),
    "converter.model.api": ("InvoiceRow", "LoginReply", "Offer", "OperationResult"),
    "converter.pipeline": (
        "UploadRun",
        "convert_files",
        "expand_paths",
        "upload_files",
        "validate_file",
        "validate_files",
        "validate_online",
    ),
    "converter.model.profile": ("Profile", "load_profile"),
    "converter.read.xlsx": ("SheetData", "WorkbookData", "read_workbook"),
    "converter.model.mapped": ("FileReport", "MappedOffer", "Problem", "Report"),
    "converter.erp.uploader": ("OfferResult", "Uploader"),
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
