"""Turn Excel offers into SoftOne GO offers through its REST API.

The pipeline is ``reader → mapper → uploader → writeback``; each stage is a
module with a plain API, and :mod:`converter.pipeline` chains them. The
command line (:mod:`converter.cli`) is a thin shell over this package.
"""

from converter.cells import Cell, CellRef
from converter.errors import (
    AuthError,
    ConverterError,
    CredentialsError,
    JournalError,
    MappingError,
    ProfileError,
    UploadError,
    WorkbookError,
    WritebackError,
)
from converter.mapper import map_sheet, map_workbook
from converter.models import InvoiceRow, LoginReply, Offer, OperationResult
from converter.pipeline import convert_files, expand_paths, validate_file, validate_files
from converter.profile import Profile, load_profile
from converter.reader import SheetData, WorkbookData, read_workbook
from converter.report import FileReport, MappedOffer, Problem, Report

__all__ = [
    "AuthError",
    "Cell",
    "CellRef",
    "ConverterError",
    "CredentialsError",
    "FileReport",
    "InvoiceRow",
    "JournalError",
    "LoginReply",
    "MappedOffer",
    "MappingError",
    "Offer",
    "OperationResult",
    "Problem",
    "Profile",
    "ProfileError",
    "Report",
    "SheetData",
    "UploadError",
    "WorkbookData",
    "WorkbookError",
    "WritebackError",
    "convert_files",
    "expand_paths",
    "load_profile",
    "map_sheet",
    "map_workbook",
    "read_workbook",
    "validate_file",
    "validate_files",
]
