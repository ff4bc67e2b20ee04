"""Writing text that came from an input into a spreadsheet cell without it becoming a formula.

Texts in the inbox are typed by many people; one that starts with `=` (or `+`, `-`, `@`, which
spreadsheet programs also read as the start of a formula) must be shown as typed and never
evaluated: neither when the summary is opened nor when someone later edits the cell (formula
injection, OWASP "CSV injection").

In an `.xlsx` file the guarantee comes from the cell type, not from the text: a cell stored as a
string (`t="inlineStr"` as openpyxl writes it, or `t="s"`) is never evaluated, whatever it begins
with; only a cell with an `<f>` element is a formula. openpyxl turns any `str` value that starts
with `=` into a formula (and `#N/A`-like texts into error cells), so `write_text` forces the string
type after assigning. It also sets the cell style's `quotePrefix` on risky texts: Excel and
LibreOffice then keep the text a text when someone edits the cell (F2, Enter), as a typed leading
apostrophe does in the program itself. The text is stored unchanged, so it reads back identically.

`neutralise` is the OWASP form for plain-text exports (CSV and the like), where there is no cell
type and the only defence is a leading apostrophe. It is not used for `.xlsx` cells, where the
apostrophe would be shown as part of the text.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from typing import cast

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from kinerja_batch.fsutil import atomic_write_bytes

# First characters that make Excel, LibreOffice or Google Sheets read a typed entry as a formula,
# plus tab and carriage return (which can hide such a character at the start of a CSV field), and
# the full-width forms that some input methods turn into the ASCII ones.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")

# Control characters that XML 1.0 (so an .xlsx file) cannot hold; openpyxl raises on them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_REPLACEMENT = "\ufffd"

# Excel's limit on the length of a cell's text.
MAX_CELL_CHARS = 32767


def is_risky(text: str) -> bool:
    """Whether a spreadsheet program could read `text` as a formula if it were typed or imported."""
    return bool(text) and text[0] in FORMULA_STARTS


def neutralise(text: str) -> str:
    """`text` with a leading apostrophe if it could be read as a formula (plain-text exports)."""
    return "'" + text if is_risky(text) else text


def cell_text(text: str) -> str:
    """The text as an `.xlsx` cell can hold it.

    Control characters that XML forbids are shown as `\ufffd` (openpyxl would raise on them);
    carriage returns become line feeds (XML readers turn a raw CR into LF anyway, and a cell breaks
    lines on LF); the text is cut to Excel's 32,767 characters (openpyxl would cut silently).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL.sub(_REPLACEMENT, text)[:MAX_CELL_CHARS]


def write_text(cell: Cell, text: str) -> None:
    """Store `text` in `cell` as a string cell, never a formula or an error value.

    An empty text leaves the cell empty. The cell's other style (font, fill, number format) is kept;
    set it before calling this, since assigning a named style afterwards resets `quotePrefix`.
    """
    if not text:
        cell.value = None
        return
    cell.value = cell_text(text)
    # openpyxl has just made "=..." a formula ("f") and "#N/A" and the like an error ("e").
    cell.data_type = "s"
    if is_risky(text):
        cell.quotePrefix = True


def cell_at(ws: Worksheet, row: int, col: int) -> Cell:
    """A worksheet cell, typed as the plain cell it is in the sheets this package writes (which
    merge no cells)."""
    return cast(Cell, ws.cell(row=row, column=col))


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save `wb` to `path` in one step: made in memory first, so a full disk or a folder that
    cannot be written fails before anything is on disk, and leaves the old file or none."""
    buffer = BytesIO()
    wb.save(buffer)
    atomic_write_bytes(path, buffer.getvalue())
