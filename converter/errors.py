"""The converter's exceptions, one small tree.

Foreign exceptions (openpyxl, zipfile, pydantic, httpx, sqlite3) are translated
once, at the edge of the stage that meets them, with ``raise ... from exc``.
Problems *inside* a sheet are not exceptions: they are ``Problem`` records in a
``Report`` (see ``converter.model.mapped``). Only conditions that stop the work raise.

    ConverterError
     └── CodedError           its text is in converter.i18n, English and Swedish
          ├── WorkbookError   the file cannot be read as a workbook
          ├── WritebackError  results cannot be written into the workbook
          │    └── WorkbookBusy  another upload or an editor holds the workbook
          ├── SettingsError   an option or setting can't be used (a URL with a password)
          ├── UploadError     talking to SoftOne GO failed
          │    ├── AuthError  the login or the token was refused
          │    ├── LookupFailed  an article or customer could not be looked up
          │    └── UnreachableError  SoftOne GO did not answer: not the details' fault
          ├── ProfileError    a layout profile is missing or invalid
          │    └── ProfileRuleError  one rule of the profile is broken (raised in its checks)
          ├── MappingError    offers were requested from a report with errors
          ├── CredentialsError  credentials are missing or cannot be stored
          └── JournalError    the local journal cannot be opened or written

Every error a user can see is a :class:`CodedError`: a message code and its
parameters, rendered in the user's language (``tests/test_messages.py`` finds
any raise with an English text). Messages never contain URLs, tokens, keys or
passwords.
"""

from __future__ import annotations

from converter.i18n import Lang, render


class ConverterError(Exception):
    """Base of every error the converter raises on purpose."""


class CodedError(ConverterError):
    """An error whose text is a message of ``converter.i18n``, in either language.

    ``code`` and ``params`` name the message, so the same error can be shown in
    Swedish with :meth:`message`; ``str()`` is the English text.
    """

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "en") -> str:
        """The message in ``lang``."""
        return render(self.code, lang, **self.params)


class WorkbookError(CodedError):
    """The file cannot be read as a workbook (missing, locked, corrupt, wrong format)."""


class ProfileError(CodedError):
    """A layout profile is missing, is not valid TOML, or has unknown or bad keys."""


class ProfileRuleError(ProfileError, ValueError):
    """One rule of a profile is broken; raised inside the profile's checks, where pydantic
    collects ``ValueError``s, and shown with the key it belongs to."""


class MappingError(CodedError):
    """Offers were asked for, but the sheets have errors; carries the report."""

    def __init__(self, code: str, report: object, **params: object) -> None:
        super().__init__(code, **params)
        self.report = report


class CredentialsError(CodedError):
    """Credentials are missing, incomplete, or cannot be stored."""


class UploadError(CodedError):
    """Talking to SoftOne GO failed in a way that stops the run."""


class AuthError(UploadError):
    """SoftOne GO refused the login, the API keys or the token."""


class LookupFailed(UploadError):
    """An article or the customer could not be looked up: the offer is not sent unchecked."""


class UnreachableError(UploadError):
    """SoftOne GO could not be reached or did not answer, so the details were not tested."""


class JournalError(CodedError):
    """The local journal (SQLite) cannot be opened or written."""


class WritebackError(CodedError):
    """Results cannot be written into the workbook (locked, read-only, changed on disk)."""


class WorkbookBusy(WritebackError):
    """Another upload or an editor holds the workbook: it is not uploaded now."""


class SettingsError(CodedError):
    """An option or setting has a value that can't be used (``--timeout 0``, an API
    address with a password in it)."""


def system_reason(exc: BaseException) -> str:
    """Why a file could not be read or written, without the path the message names already:
    the system's words (``Permission denied``), or the kind of failure."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__


def foreign_reason(exc: BaseException) -> str:
    """A foreign exception, briefly, for the ``reason`` of a :class:`WorkbookError`."""
    return f"{type(exc).__name__}: {exc}"[:200]
