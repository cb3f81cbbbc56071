"""Type into a workbook in LibreOffice, as a person at the keyboard would, and print it.

Run by a Python that has LibreOffice's ``uno`` module (Debian: ``python3-uno``),
not by the project's virtualenv::

    python3 tests/lo_type.py SOURCE.xlsx OUT.pdf SHEET CELL=TEXT [CELL=TEXT ...]

Each TEXT (``\\n`` for a line break) is entered into its CELL through the API,
which LibreOffice treats as typing: a row of no fixed height grows to the wrapped
text. Then the workbook is printed to OUT.pdf. It prints one JSON line: each
cell's row height (1/100 mm) before and after.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(source: str, out: str, sheet_name: str, entries: list[str]) -> None:
    pipe = f"offer_converter_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="lo-type-") as profile:
        office = subprocess.Popen(
            ["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--norestore", f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local
            )
            deadline = time.monotonic() + 120
            while True:  # soffice takes a moment to open its pipe
                try:
                    ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                    break
                except Exception:
                    if time.monotonic() > deadline or office.poll() is not None:
                        raise
                    time.sleep(0.2)
            desktop = ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", ctx
            )
            doc = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),)
            )
            sheet = doc.Sheets.getByName(sheet_name)
            heights = {}
            for entry in entries:
                name, _, text = entry.partition("=")
                cell = sheet.getCellRangeByName(name)
                row = sheet.Rows.getByIndex(cell.CellAddress.Row)
                before = row.Height
                cell.setString(text.replace("\\n", "\n"))
                heights[name] = [before, row.Height]
            doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", "calc_pdf_Export"),))
            doc.close(True)
            print(json.dumps(heights))
        finally:
            try:
                desktop.terminate()
            except Exception:
                pass
            try:
                office.wait(timeout=30)
            except subprocess.TimeoutExpired:
                office.kill()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
