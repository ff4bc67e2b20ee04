"""Fill workbooks in a running LibreOffice as a person typing would, then save them in other formats.

Run with the system Python, which has the UNO bridge (Debian `python3-uno`); the project's venv
does not: `/usr/bin/python3 tests/libreoffice_fill.py JOB.json`. The job (JSON) names the port of a
LibreOffice started with `--accept="socket,host=127.0.0.1,port=<port>;urp;"` and, per workbook:

- `source`: the workbook to open (it is not changed);
- `cells`: `[sheet, cell, text]` to type: the text is set as the cell's `FormulaLocal`, which
  LibreOffice parses exactly as typing under the document's locale (`85,5` -> 85.5 under id-ID,
  `95%` -> 0.95 with a percent format, `15/12/2026` -> a date);
- `read`: `[sheet, cell]` whose shown text (as the program displays it) is wanted back;
- `hide`: `[sheet, cell]` whose row and column are hidden (after typing);
- `outputs`: `[path, filter]` to save to, e.g. `Calc MS Excel 2007 XML`, `calc8`, `MS Excel 97`,
  `calc_pdf_Export`.

It prints, per workbook, JSON with the cells LibreOffice marks as invalid data (Tools > Detective >
Mark Invalid Data, `XSheetAuditing.showInvalid`) before and after typing (`FormulaLocal` bypasses
data validation, so it is checked this way), and the shown texts of the typed and `read` cells.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]  # only the system Python has it
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

CONNECT_SECONDS = 90.0


def _property(name: str, value: object) -> Any:
    prop = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    prop.Name = name
    prop.Value = value
    return prop


def _connect(port: int) -> Any:
    """The desktop of the LibreOffice listening on `port`; it may still be starting."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except NoConnectException:  # still starting
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def _cell_name(sheet: Any, column: int, row: int) -> str:
    return (
        str(sheet.getCellByPosition(column, row).AbsoluteName).rsplit(".", 1)[-1].replace("$", "")
    )


def _invalid_cells(doc: Any) -> list[list[str]]:
    """`[sheet, cell]` of every cell whose value its data validation refuses (a blank one too,
    where the validation does not allow blanks); the marks are removed again."""
    found = []
    sheets = doc.Sheets
    for i in range(sheets.Count):
        sheet = sheets.getByIndex(i)
        sheet.showInvalid()
        page = sheet.DrawPage
        for k in range(page.Count):
            shape = page.getByIndex(k)
            anchor = shape.Anchor
            if shape.ShapeType == "com.sun.star.drawing.EllipseShape" and hasattr(
                anchor, "CellAddress"
            ):
                address = anchor.CellAddress
                found.append([sheet.Name, _cell_name(sheet, address.Column, address.Row)])
        sheet.clearArrows()
    return sorted(found)


def _fill(desktop: Any, book: dict[str, Any]) -> dict[str, Any]:
    url = uno.systemPathToFileUrl(book["source"])
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (_property("Hidden", True),))
    try:
        result: dict[str, Any] = {"invalid_before": _invalid_cells(doc), "shown": {}}
        for sheet_name, ref, typed in book.get("cells", []):
            cell = doc.Sheets.getByName(sheet_name).getCellRangeByName(ref)
            cell.FormulaLocal = typed
            result["shown"][f"{sheet_name}!{ref}"] = cell.String
        for sheet_name, ref in book.get("read", []):
            cell = doc.Sheets.getByName(sheet_name).getCellRangeByName(ref)
            result["shown"][f"{sheet_name}!{ref}"] = cell.String
        for sheet_name, ref in book.get("hide", []):
            address = doc.Sheets.getByName(sheet_name).getCellRangeByName(ref).CellAddress
            sheet = doc.Sheets.getByName(sheet_name)
            sheet.Rows.getByIndex(address.Row).IsVisible = False
            sheet.Columns.getByIndex(address.Column).IsVisible = False
        result["invalid_after"] = _invalid_cells(doc)
        for path, filter_name in book.get("outputs", []):
            doc.storeToURL(
                uno.systemPathToFileUrl(path),
                (_property("FilterName", filter_name), _property("Overwrite", True)),
            )
        return result
    finally:
        doc.close(True)


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as fh:
        job = json.load(fh)
    desktop = _connect(int(job["port"]))
    results = [_fill(desktop, book) for book in job.get("books", [])]
    json.dump(results, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
