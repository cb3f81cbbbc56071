"""The message catalogues: both languages complete, and every emitted code has a message."""

from __future__ import annotations

import ast
import re
import string
from decimal import Decimal
from pathlib import Path

import pytest

import converter
from converter.i18n import CATALOGUES, EN, SV, format_amount, render, system_lang

PACKAGE = Path(converter.__file__).parent
# the stages whose problems and errors a user is shown
SOURCES = (
    "map/offer_sheet.py",
    "writeback/workbook.py",
    "writeback/patch.py",
    "writeback/backup.py",
    "writeback/sheet_patch.py",
    "read/legacy.py",
    "read/sheet_xml.py",
    "map/values.py",
    "pipeline.py",
    "model/report.py",
    "read/xlsx.py",
    "erp/uploader.py",
    "erp/client.py",
    "erp/lookups.py",
    "erp/readback.py",
    "erp/guard.py",
    "migration/report.py",
    "cli/check.py",
    "cli/_common.py",
)
# where a message code is the n-th positional argument
CODE_ARGUMENT = {
    "Problem": 1,
    "problem": 1,
    "CellValueError": 0,
    "render": 0,
    "WorkbookError": 0,
    "WritebackError": 0,
    "UploadError": 0,
    "AuthError": 0,
    "OutcomeUnknown": 0,
    "_os_error": 2,
    "os_error": 2,
    "SheetPatchError": 0,
    "OfferResult": 2,
    "Difference": 0,
    "LookupFailed": 0,
}


def placeholders(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _strings(node: ast.AST) -> list[str]:
    """String constants an expression can evaluate to (``"a" if x else "b"`` gives both)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def emitted_codes() -> dict[str, list[tuple[str, set[str] | None]]]:
    """code → [(where, keyword parameters given or None when unknown)] over the package."""
    codes: dict[str, list[tuple[str, set[str] | None]]] = {}
    for source in SOURCES:
        path = PACKAGE / source
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node) in CODE_ARGUMENT:
                name = _called_name(node)
                assert name is not None
                position = CODE_ARGUMENT[name]
                if len(node.args) <= position:
                    continue
                keywords: set[str] | None = {k.arg for k in node.keywords if k.arg}
                if any(k.arg is None for k in node.keywords) or name in (
                    "Problem",
                    "CellValueError",
                    "OfferResult",  # its parameters come as a dict
                    "Difference",  # so do these
                    "_os_error",  # it adds file and reason itself
                    "os_error",  # so does this one
                    "SheetPatchError",  # the write-back adds file and cell
                ):
                    # **params, a params= dict, or a field the mapper adds: checked elsewhere
                    keywords = None
                for code in _strings(node.args[position]):
                    codes.setdefault(code, []).append((f"{path.name}:{node.lineno}", keywords))
            # `code = "summa_no_value" if word == "Summa" else "formula_no_value"`
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "code" for t in node.targets
            ):
                for code in _strings(node.value):
                    if re.fullmatch(r"[a-z][a-z0-9_]*", code):  # not, say, a number format
                        codes.setdefault(code, []).append((f"{path.name}:{node.lineno}", None))
    return codes


def test_both_catalogues_have_the_same_keys() -> None:
    assert set(EN) == set(SV)
    assert set(CATALOGUES) == {"en", "sv"}


@pytest.mark.parametrize("code", sorted(EN))
def test_both_catalogues_have_the_same_placeholders(code: str) -> None:
    assert placeholders(EN[code]) == placeholders(SV[code])


@pytest.mark.parametrize("code", sorted(EN))
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_message_renders(code: str, lang: str) -> None:
    params = {name: f"<{name}>" for name in placeholders(EN[code])}
    text = render(code, lang, **params)  # type: ignore[arg-type]
    assert text.strip()
    assert "{" not in text and "}" not in text
    for value in params.values():
        assert value in text


def test_the_scan_finds_the_codes_it_should() -> None:
    codes = emitted_codes()
    for known in (
        "not_a_number",
        "ambiguous_number",
        "text_date",
        "priced_without_article",
        "missing_label",
        "missing_value",
        "formula_no_value",
        "summa_no_value",
        "summa_not_number",
        "summa_mismatch",
        "sheet_hidden",
        "no_offers",
        "file_locked",
        "damaged_workbook",
        "upload_refused",
        "upload_skipped",
        "wb_locked",
        "wb_changed",
        "wb_no_backup_disk_full",
        "wb_cannot_save",
        "login_refused",
        "no_reply",
        "no_answer",
        "customer_not_in_go",
        "article_not_in_go",
        "customer_changed",
        "copy_changed",
        "lookup_failed",
        "upload_not_sent",
        "upload_skipped_copy",
        "readback_failed",
        "update_not_editable",
        "diff_quantity",
        "diff_total",
    ):
        assert known in codes


def test_every_emitted_code_is_in_the_catalogue() -> None:
    missing = {code: places for code, places in emitted_codes().items() if code not in EN}
    assert missing == {}


def test_messages_only_use_the_parameters_they_are_given() -> None:
    unfilled = []
    for code, places in emitted_codes().items():
        if code not in EN:
            continue
        for where, keywords in places:
            if keywords is not None and not placeholders(EN[code]) <= keywords:
                unfilled.append((code, where, sorted(placeholders(EN[code]) - keywords)))
    assert unfilled == []


def test_cell_value_errors_need_only_field_and_value() -> None:
    """The mapper adds ``field`` to a CellValueError's ``value``; nothing else is known."""
    for code, places in emitted_codes().items():
        if any(where.startswith("map/values.py") for where, _ in places):
            assert placeholders(EN[code]) <= {"field", "value"}, code


@pytest.mark.parametrize(
    ("value", "en", "sv"),
    [
        (Decimal("10550"), "10,550.00", "10\u00a0550,00"),
        (Decimal("2900.005"), "2,900.00", "2\u00a0900,00"),
        (Decimal("0.5"), "0.50", "0,50"),
        (Decimal("-1234.5"), "-1,234.50", "-1\u00a0234,50"),
        (Decimal("1234567.891"), "1,234,567.89", "1\u00a0234\u00a0567,89"),
    ],
)
def test_format_amount(value: Decimal, en: str, sv: str) -> None:
    assert format_amount(value, "en") == en
    assert format_amount(value, "sv") == sv


def test_render_formats_amounts_in_the_language() -> None:
    assert render("summa_mismatch", "en", value=Decimal("2950"), expected=Decimal("2900")) == (
        "Summa 2,950.00 does not match Antal × Pris × (1 − Rabatt) = 2,900.00"
    )
    assert render("not_a_number", "sv", field="Antal", value="fem") == "Antal 'fem' är inte ett tal"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LC_ALL": "sv_SE.UTF-8"}, "sv"),
        ({"LC_ALL": "C.UTF-8", "LANG": "sv_SE.UTF-8"}, "en"),  # LC_ALL wins
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LC_MESSAGES": "sv_FI", "LANG": "en_US.UTF-8"}, "sv"),
        ({"LANGUAGE": "sv"}, "sv"),
    ],
)
def test_system_lang(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert system_lang() == expected
