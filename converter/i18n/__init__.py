"""Languages: which one the user reads, and every text rendered in it.

:func:`render` turns a message code and its parameters into text, from the
catalogue (:mod:`converter.i18n.catalogue`), in English or Swedish. Nothing here
imports from the rest of the package; errors and reports render through it.
"""

from __future__ import annotations

import locale
import os
from decimal import Decimal
from typing import Literal, Protocol, runtime_checkable

from converter.i18n.catalogue import EN, SV

Lang = Literal["en", "sv"]

CATALOGUES: dict[Lang, dict[str, str]] = {"en": EN, "sv": SV}

__all__ = [
    "CATALOGUES",
    "EN",
    "SV",
    "Lang",
    "format_amount",
    "located",
    "render",
    "system_lang",
]


@runtime_checkable
class Localized(Protocol):
    """Anything that can say itself in either language (our coded errors)."""

    def message(self, lang: Lang = "en") -> str:
        """The text in ``lang``."""
        ...


def system_lang() -> Lang:
    """Swedish when the system language is Swedish, English otherwise."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return _lang_of(value)
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return _lang_of(code)


def _lang_of(code: str) -> Lang:
    # POSIX says "sv_SE.UTF-8"; Windows says "Swedish_Sweden"
    return "sv" if code.lower().startswith(("sv", "swedish")) else "en"


def format_amount(value: Decimal, lang: Lang) -> str:
    """``10550`` → ``10 550,00`` (Swedish) or ``10,550.00`` (English)."""
    text = f"{value:,.2f}"
    if lang == "sv":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def render(code: str, lang: Lang = "en", **params: object) -> str:
    """The message for ``code`` in ``lang`` with ``params`` filled in."""
    shown = {k: _shown(v, lang) for k, v in params.items()}
    return CATALOGUES[lang][code].format(**shown)


def located(where: str | None, text: str) -> str:
    """``Offert!D12: Antal 'fem' is not a number``: the place (when there is one), then the
    text. The one way a message is put after its cell, sheet or key."""
    return f"{where}: {text}" if where else text


def _shown(value: object, lang: Lang) -> object:
    """A parameter as the message shows it: amounts in the language's style, and one of
    our errors (say, the reason an upload failed) in the same language as the message."""
    if isinstance(value, Decimal):
        return format_amount(value, lang)
    if isinstance(value, Localized):
        return value.message(lang)
    return value
