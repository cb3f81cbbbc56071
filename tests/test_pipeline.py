"""The library's pipeline calls, used as Python code would use them: no click, no CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from converter.model.profile import load_profile
from converter.pipeline import convert_files, validate_files
from converter.sandbox import SandboxState

EXAMPLES = Path(__file__).resolve().parent.parent / "example_sheets"

# click is made unimportable: the library must not need it (httpx only tries it for its
# own command line and goes on without it).
_UPLOAD = """
import json, sys

class NoClick:
    def find_spec(self, name, path=None, target=None):
        if name == "click" or name.startswith("click."):
            raise ModuleNotFoundError(name)

sys.meta_path.insert(0, NoClick())
from pathlib import Path
from converter import load_profile
from converter.erp.session import Connection, open_session
from converter.pipeline import run_upload, upload_files
from converter.sandbox import practice_server

book, state, journal = (Path(p) for p in sys.argv[1:4])
connection = Connection(practice=lambda: practice_server(state), journal_path=journal)
run = run_upload([book], load_profile(), connection)
with open_session(connection) as session:
    again = upload_files([book], session.uploader, load_profile())
print(json.dumps({
    "first": [(r.status, r.offer_nr) for r in run.results],
    "again": [(r.status, r.offer_nr) for r in again.results],
    "click": "click" in sys.modules,
}))
"""


def test_the_library_uploads_to_the_sandbox_without_click(tmp_path: Path) -> None:
    book = tmp_path / "offer.xlsx"
    shutil.copy(EXAMPLES / "spec_offer.xlsx", book)
    state, journal = tmp_path / "sandbox.json", tmp_path / "journal.sqlite"
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    argv = [sys.executable, "-c", _UPLOAD, str(book), str(state), str(journal)]
    out = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
    result = json.loads(out.stdout)
    assert result["click"] is False
    [(state_first, number)] = result["first"]
    assert state_first == "created" and number
    assert result["again"] == [["skipped", number]]
    offers = SandboxState.open(state).offers()
    assert [o["CustomerInvoiceNr"] for o in offers] == [number]


def test_validate_and_convert_are_library_calls() -> None:
    report = validate_files([EXAMPLES / "spec_offer.xlsx"], load_profile())
    assert report.ok
    bodies = convert_files([EXAMPLES / "spec_offer.xlsx"])
    expected = json.loads((EXAMPLES / "spec_offer.expected.json").read_text(encoding="utf-8"))
    assert bodies == expected
