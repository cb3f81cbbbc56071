"""The public surface: everything in ``converter.__all__`` exists and is documented."""

from __future__ import annotations

import subprocess
import sys

import converter


def test_all_exported_members_resolve_and_have_docstrings() -> None:
    for name in converter.__all__:
        member = getattr(converter, name)
        assert member.__doc__, f"converter.{name} has no docstring"
        assert name in dir(converter)


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        converter.no_such_thing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_importing_the_package_loads_no_stage() -> None:
    code = (
        "import sys, converter; "
        "print(sorted(m for m in sys.modules if m.startswith(('converter.', 'openpyxl', "
        "'httpx', 'pydantic', 'pandas'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
