"""Data flows one way: no module imports from a stage further down the pipeline.

The stages, first to last: the foundations (``model``, ``i18n``, ``errors``,
``paths``, ``fileio``, ``wrapping``), ``read``, ``map``, ``erp``, ``writeback``, then
``pipeline`` and ``migration``, ``desktop``, ``cli``. A module may import from
its own stage and from earlier ones; never from a later stage, never from the
package root ``converter`` (the public API, which imports everything). The
sandbox stands apart: only ``cli`` and the tests import it. Every import
counts, also one inside a function or under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import converter

PACKAGE = Path(converter.__file__).parent
STAGES: dict[str, int] = {
    "model": 0,
    "i18n": 0,
    "errors": 0,
    "paths": 0,
    "fileio": 0,
    "wrapping": 0,
    "templates": 0,
    "read": 1,
    "map": 2,
    "erp": 3,
    "writeback": 4,
    "pipeline": 5,
    "migration": 5,
    "desktop": 6,
    "cli": 7,
}
SANDBOX = "sandbox"
MAY_IMPORT_THE_SANDBOX = {"cli"}
# the package's own entry points sit above every stage
ABOVE = {"__init__", "__main__"}
MODULES = set(STAGES) | {SANDBOX} | ABOVE


def stage_of(module: str) -> str:
    """``converter.erp.client`` → ``erp``; ``converter.pipeline`` → ``pipeline``."""
    parts = module.split(".")
    assert parts[0] == "converter", module
    return parts[1] if len(parts) > 1 else ""


def imports(tree: ast.Module, package: str) -> list[tuple[int, str]]:
    """(line, module) for every import of the package in ``tree`` (relative ones resolved)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module == "converter":  # `from converter import erp` or a name of the root's
                found += [
                    (node.lineno, f"converter.{a.name}" if a.name in MODULES else module)
                    for a in node.names
                ]
            else:
                found.append((node.lineno, module))
    return [(line, m) for line, m in found if m == "converter" or m.startswith("converter.")]


def violations(sources: dict[str, ast.Module]) -> list[str]:
    """Every import that goes against the flow, as ``erp/client.py:12 → converter.cli``."""
    found = []
    for source, tree in sorted(sources.items()):
        module = "converter." + source.removesuffix(".py").replace("/", ".")
        module = module.removesuffix(".__init__")
        own = stage_of(module) if module != "converter" else "__init__"
        if source in ("__init__.py", "__main__.py"):
            continue
        package = module if source.endswith("__init__.py") else module.rsplit(".", 1)[0]
        for line, target in imports(tree, package):
            where = f"{source}:{line} → {target}"
            if target == "converter":
                found.append(where)
                continue
            other = stage_of(target)
            if own == "i18n" and source.endswith("catalogue.py"):
                found.append(where)  # the catalogue imports nothing from the package
            elif other == SANDBOX:
                if own not in MAY_IMPORT_THE_SANDBOX and own != SANDBOX:
                    found.append(where)
            elif own == SANDBOX:
                continue  # the emulator may use the product's pieces
            elif other in ABOVE:
                found.append(where)
            elif STAGES[other] > STAGES[own]:
                found.append(where)
    return found


def package_sources() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(PACKAGE)): ast.parse(path.read_text(encoding="utf-8"))
        for path in PACKAGE.rglob("*.py")
    }


def test_every_module_belongs_to_a_stage() -> None:
    stages = {
        stage_of("converter." + s.removesuffix(".py").replace("/", "."))
        for s in package_sources()
        if s not in ("__init__.py", "__main__.py")
    }
    assert stages <= set(STAGES) | {SANDBOX}


def test_no_module_imports_from_a_later_stage_or_the_package_root() -> None:
    assert violations(package_sources()) == []


def test_the_catalogue_imports_nothing_from_the_package() -> None:
    catalogue = package_sources()["i18n/catalogue.py"]
    assert imports(catalogue, "converter.i18n") == []


@pytest.mark.parametrize(
    ("source", "text", "expected"),
    [
        ("erp/client.py", "from converter.writeback.workbook import x", "converter.writeback"),
        ("read/xlsx.py", "def f():\n    from converter.map import values", "converter.map"),
        ("model/cells.py", "import converter.read.xlsx", "converter.read.xlsx"),
        ("map/values.py", "from converter import load_profile", "converter"),
        ("pipeline.py", "from converter.sandbox import practice_server", "converter.sandbox"),
        ("erp/session.py", "from ..cli import _common", "converter.cli"),
        ("i18n/catalogue.py", "from converter.paths import APP_NAME", "converter.paths"),
        (
            "cli/_common.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import converter",
            "converter",
        ),
    ],
)
def test_the_scan_finds_an_import_against_the_flow(source: str, text: str, expected: str) -> None:
    found = violations({source: ast.parse(text)})
    assert len(found) == 1 and found[0].split(" → ")[1].startswith(expected), found


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("erp/client.py", "from converter.model.api import Offer"),
        ("cli/upload.py", "from converter.sandbox import practice_server"),
        ("sandbox/state.py", "from converter.fileio import write_atomically"),
        ("writeback/workbook.py", "from . import records"),
    ],
)
def test_the_scan_allows_the_flow(source: str, text: str) -> None:
    assert violations({source: ast.parse(text)}) == []
