"""Keep secrets out of everything we print, log, raise or write.

API keys, the password and the token travel in URLs (the API takes them as
query parameters), so any text that might hold a URL or an exception message
goes through :func:`redact` first. Every secret is registered the moment it is
loaded; redaction replaces it, and its URL-encoded forms, with ``***``.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote, quote_plus

MASK = "***"
_MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words
_secrets: set[str] = set()
_lock = threading.Lock()
# query parameters that always carry secrets, whatever their value
_SECRET_PARAMS = re.compile(
    r"(?i)\b(token|companyApiKey|connectApiKey|password|license)=([^&\s\"'>]*)"
)


def register_secret(value: str | None) -> None:
    """Remember ``value`` (and its URL-encoded forms) as a secret to mask."""
    if not value or len(value) < _MIN_SECRET_LENGTH:
        return
    with _lock:
        _secrets.update({value, quote(value, safe=""), quote_plus(value)})


def redact(text: str) -> str:
    """``text`` with every registered secret and every secret query parameter masked."""
    text = _SECRET_PARAMS.sub(lambda m: f"{m.group(1)}={MASK}", text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that redacts each record's message (and drops its args)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
