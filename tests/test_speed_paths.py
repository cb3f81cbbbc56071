"""What the salesperson waits for loads only what it needs (issue 16).

Timings are the benchmark command's job (``tests/benchmarks/run_benchmarks.py``);
these tests check the causes it measured: which modules a command imports,
that a plain-http client builds no certificate store, and that the entry
point's quick exit still delivers all of the output.
"""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, REPO

from converter.erp.session import http_client
from converter.writeback.patch import read_records

HEAVY = ("httpx", "openpyxl", "numpy", "pandas", "httpcore", "certifi")


def imported_modules(
    *args: str, env: dict[str, str] | None = None, whole_names: bool = False
) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The top-level packages ``python -m converter ARGS`` imports (every module's whole
    name with ``whole_names``), and the run itself."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "converter", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
        env=env,
    )
    names = {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    modules = names if whole_names else {name.split(".")[0] for name in names}
    assert "converter" in modules  # the import log was read
    return modules, done


def test_validate_imports_neither_httpx_nor_openpyxl_nor_numpy() -> None:
    modules, done = imported_modules("validate", str(EXAMPLES / "spec_offer.xlsx"))
    assert done.returncode == 0, done.stdout
    assert "OK" in done.stdout
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))


@pytest.mark.slow
def test_upload_to_the_sandbox_imports_neither_openpyxl_nor_numpy(tmp_path: Path) -> None:
    """The write-back patches the package itself: openpyxl (and numpy, Pillow) stay out."""
    offer = tmp_path / "offer.xlsx"
    offer.write_bytes((EXAMPLES / "spec_offer.xlsx").read_bytes())
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    names, done = imported_modules(
        "--lang", "en", "upload", "--sandbox", str(offer), env=env, whole_names=True
    )
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "1 created" in done.stdout
    modules = {name.split(".")[0] for name in names}
    assert modules.isdisjoint({"openpyxl", "numpy", "pandas", "PIL"}), sorted(
        modules & {"openpyxl", "numpy", "pandas", "PIL"}
    )
    # the practice server's login needs no stored credentials: no keyring, no setup
    assert "keyring" not in modules
    # nor what other commands use: the migration, fill's price look-ups, the desktop icon
    others = (
        "converter.migration",
        "converter.erp.fill",
        "converter.desktop",
        "converter.cli.drop",
    )
    assert not [n for n in names if n.startswith(others)], sorted(
        n for n in names if n.startswith(others)
    )
    assert read_records(offer)  # written back all the same


def test_convert_imports_no_http_stack() -> None:
    modules, done = imported_modules("convert", str(EXAMPLES / "spec_offer.xlsx"))
    assert done.returncode == 0
    assert json.loads(done.stdout)[0]["CustomerNr"] == "013"
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))


def test_the_console_script_keeps_numpy_out_even_where_it_is_installed(tmp_path: Path) -> None:
    """openpyxl imports numpy whenever it can; the entry point makes that import fail."""
    pytest.importorskip("numpy")  # installed with the bench extra
    script = (
        "import sys\n"
        "from converter.cli import _keep_numpy_out\n"
        "_keep_numpy_out()\n"
        "import openpyxl\n"
        "from openpyxl.compat.numbers import NUMPY\n"
        "print(NUMPY, sys.modules['numpy'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["False", "None"]


def test_help_imports_no_stage() -> None:
    modules, done = imported_modules("--help")
    assert done.returncode == 0 and "validate" in done.stdout
    assert modules.isdisjoint({*HEAVY, "pydantic"})


def _ssl_context(client: object) -> ssl.SSLContext:
    transport = client._transport  # type: ignore[attr-defined]
    context = transport._pool._ssl_context
    assert isinstance(context, ssl.SSLContext)
    return context


def test_a_plain_http_client_loads_no_certificates_and_trusts_nobody() -> None:
    with http_client("http://127.0.0.1:9") as client:
        context = _ssl_context(client)
    assert context.cert_store_stats()["x509_ca"] == 0
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_an_https_client_verifies_against_the_certificate_store() -> None:
    with http_client("https://apiexternal.softone.se") as client:
        context = _ssl_context(client)
    assert context.cert_store_stats()["x509_ca"] > 0
    assert context.verify_mode == ssl.CERT_REQUIRED


@pytest.mark.slow
def test_the_quick_exit_delivers_every_line_through_a_pipe(tmp_path: Path) -> None:
    """Many files' report through a pipe: all of it arrives before the process ends."""
    example = (EXAMPLES / "spec_offer.xlsx").read_bytes()
    files = []
    for i in range(40):
        path = tmp_path / f"offer{i:02d}.xlsx"
        path.write_bytes(example)
        files.append(str(path))
    done = subprocess.run(
        [sys.executable, "-m", "converter", "validate", "--json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert len(report["files"]) == 40
