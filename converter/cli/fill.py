"""``fill``: names, units and the customer's prices from SoftOne GO into the offer sheets.

The library does the work (:func:`~converter.pipeline.run_fill`); this module
only takes the options and shows the result, which the drop window
(``drop --fill``, the *Hämta priser och namn* icon) shows the same way::

    Offert Berglunds.xlsx
      ✓ Offert: fyllde i Kundnamn, 3 Beskrivning, 3 Enhet, 3 Pris
      ✗ Offert!B17: Artikel A99 finns inte i SoftOne GO; menade du A09 Arbetskostnad natt?
      i Offert!F15: Pris 500,00 är lägre än kundens pris för A01 i SoftOne GO, 595,00
      Ifyllt i arbetsboken (säkerhetskopia: …).

    9 celler ifyllda i 1 fil(er); 1 att titta på
    Nästa steg: …
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import click

from converter.cli import lang_option
from converter.cli._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    FILES,
    add_target_options,
    connection_of,
    file_label,
    get_profile,
    lang_of,
    profile_option,
)
from converter.desktop.shortcut import shortcut_name
from converter.i18n import Lang, render
from converter.model.mapped import Problem
from converter.pipeline import FileFill, FillRun, run_fill

_MARK = {"error": "✗", "warning": "!", "info": "i"}


def note_line(problem: Problem, lang: Lang) -> str:
    """``✗ Offert!B17: Artikel A99 …``: a mark (✗ error, ! a look, i information), the cell."""
    return f"{_MARK[problem.severity]} {problem.located(lang)}"


def file_lines(file: FileFill, shown: str, lang: Lang) -> list[str]:
    """One file: each sheet's fills and notes, then what happened to the workbook."""
    lines = [shown]
    lines += [f"  {note_line(p, lang)}" for p in file.problems]
    for sheet in file.sheets:
        if sheet.fills and file.written:
            counts = Counter(f.field for f in sheet.fills)
            what = ", ".join(f if n == 1 else f"{n} {f}" for f, n in counts.items())
            lines.append("  ✓ " + render("fill_sheet_filled", lang, sheet=sheet.sheet, what=what))
        elif not sheet.fills:
            lines.append("  = " + render("fill_sheet_nothing", lang, sheet=sheet.sheet))
        lines += [f"  {note_line(n, lang)}" for n in sheet.notes]
    outcome = file.outcome(lang)
    if outcome is not None:
        mark = "✗ " if file.outcome_code == "fill_not_written" else ""
        lines.append(f"  {mark}{outcome}")
    return lines


def fill_lines(run: FillRun, lang: Lang) -> list[str]:
    """The whole result: per file, then the count and what to do next."""
    names = [f.path.name for f in run.files]
    lines: list[str] = []
    for file in run.files:
        lines += ["", *file_lines(file, file_label(file.path, names), lang)]
    cells = sum(f.cells_filled for f in run.files)
    looks = sum(len(f.needs_a_look) for f in run.files)
    lines += ["", render("fill_summary", lang, cells=cells, files=len(run.files), looks=looks)]
    icon = shortcut_name(lang, sandbox=False)  # where the offer goes next: the upload icon
    lines.append(render("fill_next" if run.ok else "fill_next_fix", lang, icon=f'"{icon}"'))
    return lines


def run_to_dict(run: FillRun, lang: Lang) -> dict[str, Any]:
    """A JSON-ready form of the run, as ``fill --json`` prints it."""
    return {
        "ok": run.ok,
        "files": [
            {
                "file": str(f.path),
                "written": f.written,
                "outcome": f.outcome(lang),
                "problems": [p.to_dict(lang) for p in f.problems],
                "sheets": [
                    {
                        "sheet": s.sheet,
                        "customer": s.customer.number if s.customer else None,
                        "filled": [
                            {"cell": str(c.ref), "field": c.field, "value": str(c.value)}
                            for c in s.fills
                        ],
                        "notes": [n.to_dict(lang) for n in s.notes],
                    }
                    for s in f.sheets
                ],
            }
            for f in run.files
        ],
    }


@click.command()
@FILES
@profile_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@lang_option
@click.pass_context
def fill(
    ctx: click.Context,
    /,
    files: tuple[Path, ...],
    profile_path: Path | None,
    as_json: bool,
    **_: Any,
) -> None:
    """Fill empty names, units and prices of the offers in FILES from SoftOne GO.

    For each offer sheet the customer is looked up by Kundnr, and each row's
    Artikel: an empty Beskrivning gets the article's name, an empty Enhet its
    unit, an empty Pris this customer's price for the row's Antal, and an empty
    Rabatt the customer's discount. Cells already filled in (and formulas) are
    never changed; where they differ from SoftOne GO it is said, per cell.
    Nothing is uploaded. Exits 0 when everything was filled and nothing needs a
    look, 1 otherwise.
    """
    lang = lang_of(ctx)
    profile = get_profile(profile_path)
    if ctx.params["sandbox"] and not as_json:
        click.echo(render("fill_sandbox_banner", lang))
    run = run_fill(files, profile, connection_of(ctx.params))
    if as_json:
        click.echo(json.dumps(run_to_dict(run, lang), ensure_ascii=False, indent=2))
    else:
        for line in fill_lines(run, lang):
            click.echo(line)
    ctx.exit(EXIT_OK if run.ok else EXIT_PROBLEMS)


add_target_options(fill, "Fetch from the built-in practice SoftOne GO (no credentials).")
