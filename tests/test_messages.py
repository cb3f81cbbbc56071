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
# every module of the package: any of them may raise what a user sees
SOURCES = sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py"))
CODE = re.compile(r"[a-z][a-z0-9_]*")
# callables (other than our coded errors) whose n-th positional argument is a message code
CODE_ARGUMENT = {
    "Problem": 1,
    "problem": 1,
    "CellValueError": 0,
    "render": 0,
    "_os_error": 2,
    "os_error": 2,
    "SheetPatchError": 0,
    "OfferResult": 2,
    "Difference": 0,
}
# click's errors print their text as it is: it must come from render()
CLICK_ERRORS = {"ClickException", "BadParameter", "UsageError", "FileError", "BadOptionUsage"}
# programmer errors: a bug, not a message (but inside a profile check pydantic shows them)
PROGRAMMER_ERRORS = {
    "AssertionError",
    "AttributeError",
    "KeyError",
    "NotImplementedError",
    "RuntimeError",
    "TypeError",
    "ValueError",
}
VALIDATORS = {"field_validator", "model_validator", "validator", "root_validator"}


def _trees() -> dict[str, ast.Module]:
    return {s: ast.parse((PACKAGE / s).read_text(encoding="utf-8")) for s in SOURCES}


def coded_errors(trees: dict[str, ast.Module] | None = None) -> set[str]:
    """Names of the exception classes whose first argument is a message code: the
    ``ConverterError`` tree, wherever in the package a class joins it."""
    names = {"ConverterError"}
    classes = [
        node
        for tree in (trees or _trees()).values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    ]
    grown = True
    while grown:
        grown = False
        for node in classes:
            bases = {
                b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
            }
            if node.name not in names and bases & names:
                names.add(node.name)
                grown = True
    return names


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


def _code_positions() -> dict[str, int]:
    return {**CODE_ARGUMENT, **dict.fromkeys(coded_errors(), 0)}


def emitted_codes() -> dict[str, list[tuple[str, set[str] | None]]]:
    """code → [(where, keyword parameters given or None when unknown)] over the package."""
    codes: dict[str, list[tuple[str, set[str] | None]]] = {}
    positions = _code_positions()
    for source, tree in _trees().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node) in positions:
                name = _called_name(node)
                assert name is not None
                position = positions[name]
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
                    "MappingError",  # the report comes second, positionally
                ):
                    # **params, a params= dict, or a field the mapper adds: checked elsewhere
                    keywords = None
                for code in _strings(node.args[position]):
                    codes.setdefault(code, []).append((f"{source}:{node.lineno}", keywords))
            # `code = "summa_no_value" if word == "Summa" else "formula_no_value"`
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "code" for t in node.targets
            ):
                for code in _strings(node.value):
                    if CODE.fullmatch(code):  # not, say, a number format
                        codes.setdefault(code, []).append((f"{source}:{node.lineno}", None))
    return codes


def test_both_catalogues_have_the_same_keys() -> None:
    assert set(EN) == set(SV)
    assert set(CATALOGUES) == {"en", "sv"}


def test_every_entry_has_both_languages() -> None:
    from converter.i18n.catalogue import MESSAGES

    empty = [code for code, text in MESSAGES.items() if not text.en.strip() or not text.sv.strip()]
    assert empty == []
    # a sentence left in English on the Swedish side (one-word entries such as "info" may agree)
    untranslated = [
        code for code, text in MESSAGES.items() if text.en == text.sv and len(text.en.split()) > 2
    ]
    assert untranslated == []


def test_the_catalogue_imports_nothing_from_the_package() -> None:
    tree = ast.parse((PACKAGE / "i18n" / "catalogue.py").read_text(encoding="utf-8"))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names]
    assert [m for m in imported if m.split(".")[0] == "converter"] == []


def _text_not_code(node: ast.expr) -> bool:
    """An argument that is English text rather than a message code."""
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        return True  # an f-string, or text glued together
    if isinstance(node, ast.Call) and _called_name(node) == "format":
        return True
    return any(not CODE.fullmatch(text) for text in _strings(node))


def english_raise_sites(trees: dict[str, ast.Module] | None = None) -> list[str]:
    """Every ``raise`` a user could see whose message is text instead of a catalogue code."""
    trees = trees or _trees()
    coded = coded_errors(trees)
    found = []
    for source, tree in trees.items():
        in_validator: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                _called_name(d) in VALIDATORS
                for d in node.decorator_list
                if isinstance(d, ast.Call)
            ):
                in_validator |= {id(n) for n in ast.walk(node)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            name = _called_name(node.exc)
            args = node.exc.args
            if not args or name is None:
                continue
            # click prints its errors' text, pydantic shows what a profile check raises
            shown_as_is = name in CLICK_ERRORS or (
                name in PROGRAMMER_ERRORS and id(node) in in_validator
            )
            literal = isinstance(args[0], ast.JoinedStr | ast.BinOp) or bool(_strings(args[0]))
            if (name in coded and _text_not_code(args[0])) or (shown_as_is and literal):
                found.append(f"{source}:{node.lineno}: {name}({ast.unparse(args[0])[:60]})")
    return found


def test_no_english_raise_sites() -> None:
    assert english_raise_sites() == []


# what prints, prompts or asks: its text must come from render()
SHOWN = {"echo", "secho", "prompt", "confirm", "write", "print"}


def _literal_words(node: ast.expr) -> list[str]:
    """Words written into ``node`` itself: a string, an f-string's text, a ``+`` of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.findall(r"[^\W\d_]{2,}", node.value)
    if isinstance(node, ast.JoinedStr):
        return [w for v in node.values for w in _literal_words(v)]
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) + _literal_words(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_words(node.body) + _literal_words(node.orelse)
    return []


def english_output_sites(trees: dict[str, ast.Module] | None = None) -> list[str]:
    """Every echo, prompt or write (outside the emulator) whose text is written in the code."""
    found = []
    for source, tree in (trees or _trees()).items():
        if source.startswith("sandbox/"):
            continue  # the emulator speaks as SoftOne GO does
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node) in SHOWN and node.args:
                if _literal_words(node.args[0]):
                    found.append(f"{source}:{node.lineno}: {ast.unparse(node.args[0])[:60]}")
    return found


def test_nothing_is_printed_or_asked_in_words_written_in_the_code() -> None:
    assert english_output_sites() == []


def test_the_output_scan_would_find_english() -> None:
    probe = ast.parse(
        "import click\n"
        "click.echo(f'{path} already exists. Choose another name')\n"
        "click.prompt('SoftOne GO password', hide_input=True)\n"
        "click.echo('  ' + render('summary', lang))\n"  # fine: rendered
        "click.echo(f'  {located(where, text)}')\n"  # fine: no words of its own
    )
    found = english_output_sites({"cli/_probe.py": probe})
    assert [f.split(":")[1] for f in found] == ["2", "3"]


def test_the_raise_scan_would_find_english() -> None:
    """The scan itself can fail: a module raising English text is found."""
    text = (
        "import click\n"
        "from pydantic import BaseModel, field_validator\n"
        "from converter.errors import ProfileError, CodedError\n"
        "class LocalError(CodedError): ...\n"
        "def f(path):\n"
        "    raise ProfileError(f'{path}: layout profile not found')\n"
        "def g():\n"
        "    raise LocalError('something broke')\n"
        "def h():\n"
        "    raise click.BadParameter('give a name ending in .xlsx')\n"
        "class P(BaseModel):\n"
        "    x: int\n"
        "    @field_validator('x')\n"
        "    @classmethod\n"
        "    def _x(cls, v):\n"
        "        raise ValueError('x must be small')\n"
        "def fine():\n"
        "    raise ValueError('a bug, never shown')\n"
    )
    trees = {**_trees(), "model/_scan_probe.py": ast.parse(text)}
    found = [site.split(": ", 1)[1] for site in english_raise_sites(trees) if "_scan_probe" in site]
    assert [f.split("(")[0] for f in found] == [
        "ProfileError",
        "LocalError",
        "BadParameter",
        "ValueError",
    ]


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


def test_codes_built_from_a_prefix_have_entries() -> None:
    """``render(f"severity_{problem.severity}", lang)``: every severity has an entry."""
    prefixes = set()
    for source, tree in _trees().items():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and _called_name(node) == "render"
                and node.args
                and isinstance(node.args[0], ast.JoinedStr)
            ):
                first = node.args[0].values[0]
                assert isinstance(first, ast.Constant), f"{source}:{node.lineno}"
                prefixes.add(str(first.value))
    assert {"severity_", "state_"} <= prefixes
    for prefix in prefixes:
        assert any(code.startswith(prefix) for code in EN), prefix
    assert {f"severity_{s}" for s in ("error", "warning", "info")} <= set(EN)
    assert (render("severity_error", "sv"), render("severity_warning", "sv")) == ("fel", "varning")


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
