"""Keep secrets out of everything we print, log, raise or write, and odd characters
out of what the server says.

API keys, the password and the token travel in URLs (the API takes them as
query parameters), so any text that might hold a URL or an exception message
goes through :func:`redact` first. Every secret is registered the moment it is
loaded; redaction replaces it with ``***`` in any letter case (SoftOne GO
compares keys case-insensitively and may echo one back in lower case) and in
the forms in which it reaches a log: URL-encoded (either case of hex digits),
form-encoded, JSON-escaped and base64.

Text from the server (error messages, offer numbers) goes through
:func:`server_text`: redacted, and cleaned of control characters and
bidirectional overrides, which could hide or reorder what a user reads in a
terminal, a log or a cell.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import unicodedata
from urllib.parse import quote, quote_plus

MASK = "***"
_MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None
_lock = threading.Lock()
# query parameters that always carry secrets, whatever their value
_SECRET_PARAMS = re.compile(
    r"(?i)\b(token|companyApiKey|connectApiKey|password|license)=([^&\s\"'>]*)"
)
# user info in any URL: scheme://user:password@host
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@\"'<>]+@")
# bidirectional embeddings, overrides and isolates, and the invisible direction marks
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def encoded_forms(value: str) -> set[str]:
    """``value`` as it may appear in a URL, a form, a JSON text or a base64 header."""
    raw = value.encode("utf-8")
    forms = {
        value,
        quote(value, safe=""),
        quote_plus(value),
        json.dumps(value, ensure_ascii=True)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        base64.b64encode(raw).decode("ascii").rstrip("="),
        base64.urlsafe_b64encode(raw).decode("ascii").rstrip("="),
    }
    return {f for f in forms if len(f) >= _MIN_SECRET_LENGTH}


def register_secret(value: str | None) -> None:
    """Remember ``value`` (and its encoded forms) as a secret to mask."""
    global _pattern
    if not value or len(value) < _MIN_SECRET_LENGTH:
        return
    with _lock:
        before = len(_secrets)
        _secrets.update(encoded_forms(value))
        if len(_secrets) != before:
            _pattern = None  # rebuilt on the next redact()


def _secret_pattern() -> re.Pattern[str] | None:
    global _pattern
    with _lock:
        if _pattern is None and _secrets:
            # longest first, so a secret's encoded form is masked whole
            alternatives = sorted(_secrets, key=len, reverse=True)
            _pattern = re.compile("|".join(map(re.escape, alternatives)), re.IGNORECASE)
        return _pattern


def redact(text: str) -> str:
    """``text`` with every registered secret, secret query parameter and URL user info
    masked, in any letter case."""
    text = _SECRET_PARAMS.sub(lambda m: f"{m.group(1)}={MASK}", text)
    text = _URL_USERINFO.sub(lambda m: f"{m.group(1)}{MASK}@", text)
    pattern = _secret_pattern()
    return text if pattern is None else pattern.sub(MASK, text)


def clean_text(text: str) -> str:
    """``text`` without control characters (line breaks and tabs become spaces) and
    without bidirectional overrides and marks."""
    out = []
    for char in text:
        if char in _BIDI:
            continue
        if unicodedata.category(char) == "Cc":
            if char in "\t\n\r":
                out.append(" ")
            continue
        out.append(char)
    return "".join(out)


def server_text(text: str) -> str:
    """Text the server sent, fit to print, log or write into a cell: redacted and cleaned."""
    return clean_text(redact(text))


class RedactingFilter(logging.Filter):
    """A logging filter that redacts each record's message (and drops its args)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
