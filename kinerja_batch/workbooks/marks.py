"""What a cell's value alone does not say, read from the file itself: marks per cell.

python-calamine gives each cell's value but loses its number format, shows a formula that was never
calculated and an error value such as `#DIV/0!` as an empty cell, and does not tell hidden rows and
columns. The scanners here read that from the file (with defusedxml for XML):

- xlsx/xlsm: the sheet XML (`<f>` without `<v>`, `t="e"`, `hidden=`) and each cell's style `s` ->
  `styles.xml` `cellXfs` -> `numFmtId`: the built-in percent formats 9 and 10, or a custom format
  whose code holds a `%` that is not quoted or escaped;
- ods: `content.xml`, cells with `office:value-type="percentage"`, `calcext:value-type="error"` or
  a `table:formula` without a value, rows and columns with `table:visibility` other than
  `visible`, and the text of cells with line breaks, tabs or several paragraphs (calamine drops
  the breaks and tabs, gluing `Kinerja terjaga.` and the next line into one word);
- xls: see `biff.py`.

A percent cell keeps its meaning only when the reader is told: `95%` typed is stored as 0.95.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from kinerja_batch.workbooks.guard import WorkbookError

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

NS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
NS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
NS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
NS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"

FORMULA_WITHOUT_VALUE = "rumus-tanpa-nilai"

# Excel's built-in number formats that show a percentage: `0%` and `0.00%`.
BUILTIN_PERCENT_FORMATS = frozenset({9, 10})

Size = tuple[int, int]  # (rows, columns) of a sheet's grid: marks beyond it are not kept


@dataclass
class Marks:
    """Per sheet: cells whose value is not usable (a finding code or an Excel error text such as
    `#N/A`), cells shown as a percentage, hidden rows and columns; all zero-based."""

    bad_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    percent: set[tuple[int, int]] = field(default_factory=set)
    texts: dict[tuple[int, int], str] = field(
        default_factory=dict
    )  # the text, where calamine's differs
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)


def parse_ref(ref: str) -> tuple[int, int]:
    """`C7` -> (6, 2)."""
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = ref[len(letters) :]
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - ord("A") + 1
    return int(digits) - 1, col - 1


_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')


def is_percent_format(code: str) -> bool:
    """Whether a number format code shows its number as a percentage (multiplies it by 100): a `%`
    outside quoted text (`"%"`), escapes (`\\%`), padding (`_%`), fills (`*%`) and brackets."""
    return "%" in _LITERALS.sub("", code)


# --- xlsx and xlsm --------------------------------------------------------------------------------


def scan_xlsx(path: Path, sizes: Mapping[str, Size]) -> dict[str, Marks]:
    """Marks of the named sheets. Raises WorkbookError for unsafe or broken XML."""
    out: dict[str, Marks] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            present = set(archive.namelist())
            percent_styles = _percent_styles(archive) if "xl/styles.xml" in present else set()
            style_markers = [f's="{i}"'.encode() for i in sorted(percent_styles)]
            for sheet_name, size in sizes.items():
                part = parts.get(sheet_name)
                if part is None or part not in present:
                    continue
                data = archive.read(part)
                markers = (b"<f", b't="e"', b"hidden=", *style_markers)
                if any(marker in data for marker in markers):
                    out[sheet_name] = _scan_sheet_xml(data, size, percent_styles)
    except DefusedXmlException:
        raise WorkbookError("xml-berbahaya") from None
    except (zipfile.BadZipFile, KeyError, ValueError, SafeET.ParseError, OSError, EOFError):
        raise WorkbookError("berkas-rusak", reason="struktur xlsx rusak") from None
    return out


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> path of its XML part inside the zip."""
    workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iter(f"{NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(target)
    parts = {}
    for sheet in workbook.iter(f"{NS_MAIN}sheet"):
        rid = sheet.get(f"{NS_REL}id")
        if rid in targets:
            parts[sheet.get("name", "")] = targets[rid]
    return parts


def _percent_styles(archive: zipfile.ZipFile) -> set[int]:
    """The indices of the cell formats (`cellXfs`, what a cell's `s` points at) that show their
    number as a percentage."""
    root = SafeET.fromstring(archive.read("xl/styles.xml"))
    custom: dict[int, str] = {}
    for fmt in root.iter(f"{NS_MAIN}numFmt"):
        number = fmt.get("numFmtId", "")
        if number.isdigit():
            custom[int(number)] = fmt.get("formatCode", "")
    styles: set[int] = set()
    cell_xfs = root.find(f"{NS_MAIN}cellXfs")
    for index, xf in enumerate(cell_xfs if cell_xfs is not None else ()):
        number = xf.get("numFmtId", "0")
        fmt_id = int(number) if number.isdigit() else 0
        if fmt_id in custom:
            percent = is_percent_format(custom[fmt_id])
        else:
            percent = fmt_id in BUILTIN_PERCENT_FORMATS
        if percent:
            styles.add(index)
    return styles


def _style(c: Element) -> int:
    s = c.get("s", "0")
    return int(s) if s.isdigit() else 0


def _scan_sheet_xml(data: bytes, size: Size, percent_styles: set[int]) -> Marks:
    marks = Marks()
    width = size[1]
    root = SafeET.fromstring(data)
    for col in root.iter(f"{NS_MAIN}col"):
        if col.get("hidden") in ("1", "true"):
            low, high = int(col.get("min", "1")), int(col.get("max", "1"))
            marks.hidden_cols.update(range(low - 1, min(high, width)))
    for row in root.iter(f"{NS_MAIN}row"):
        if row.get("hidden") in ("1", "true") and row.get("r", "").isdigit():
            marks.hidden_rows.add(int(row.get("r", "0")) - 1)
        for c in row.iter(f"{NS_MAIN}c"):
            ref = c.get("r")
            if not ref:
                continue
            v = c.find(f"{NS_MAIN}v")
            cached = v.text if v is not None else None
            kind = c.get("t", "n")
            if kind == "e":
                marks.bad_cells[parse_ref(ref)] = cached or "#N/A"
            elif c.find(f"{NS_MAIN}f") is not None and not cached:
                marks.bad_cells[parse_ref(ref)] = FORMULA_WITHOUT_VALUE
            elif kind == "n" and cached and _style(c) in percent_styles:
                marks.percent.add(parse_ref(ref))
    return marks


# --- ods ------------------------------------------------------------------------------------------

T_TABLE, T_NAME = f"{NS_TABLE}table", f"{NS_TABLE}name"
T_ROW, T_COLUMN = f"{NS_TABLE}table-row", f"{NS_TABLE}table-column"
T_CELL, T_COVERED = f"{NS_TABLE}table-cell", f"{NS_TABLE}covered-table-cell"
T_ROWS_REPEATED = f"{NS_TABLE}number-rows-repeated"
T_COLUMNS_REPEATED = f"{NS_TABLE}number-columns-repeated"
T_VISIBILITY, T_FORMULA = f"{NS_TABLE}visibility", f"{NS_TABLE}formula"
X_P, X_H, X_SPACES = f"{NS_TEXT}p", f"{NS_TEXT}h", f"{NS_TEXT}s"
X_TAB, X_LINE_BREAK, X_COUNT = f"{NS_TEXT}tab", f"{NS_TEXT}line-break", f"{NS_TEXT}c"
O_VALUE_TYPE = f"{NS_OFFICE}value-type"
C_VALUE_TYPE = f"{NS_CALCEXT}value-type"


def scan_ods(path: Path, sizes: Mapping[str, Size]) -> dict[str, Marks]:
    """Marks of the named sheets, read from `content.xml` as a stream (one row in memory at a
    time). Raises WorkbookError for unsafe or broken XML."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
            return _scan_content(content, sizes)
    except DefusedXmlException:
        raise WorkbookError("xml-berbahaya") from None
    except (zipfile.BadZipFile, KeyError, ValueError, SafeET.ParseError, OSError, EOFError):
        raise WorkbookError("berkas-rusak", reason="struktur ods rusak") from None


def _repeat(element: Element, attribute: str) -> int:
    value = element.get(attribute, "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _scan_content(content: IO[bytes], sizes: Mapping[str, Size]) -> dict[str, Marks]:
    out: dict[str, Marks] = {}
    marks: Marks | None = None
    size: Size = (0, 0)
    row = col = 0
    for event, element in SafeET.iterparse(content, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == T_TABLE:
                name = element.get(T_NAME, "")
                marks = out.setdefault(name, Marks()) if name in sizes else None
                size = sizes.get(name, (0, 0))
                row = col = 0
            continue
        if tag == T_COLUMN:
            count = _repeat(element, T_COLUMNS_REPEATED)
            if marks is not None and element.get(T_VISIBILITY, "visible") != "visible":
                marks.hidden_cols.update(range(col, min(col + count, size[1])))
            col += count
        elif tag == T_ROW:
            count = _repeat(element, T_ROWS_REPEATED)
            if marks is not None and row < size[0]:
                rows = range(row, min(row + count, size[0]))
                if element.get(T_VISIBILITY, "visible") != "visible":
                    marks.hidden_rows.update(rows)
                _scan_ods_row(element, rows, size[1], marks)
            row += count
            element.clear()  # rows are read one at a time
        elif tag == T_TABLE:
            marks = None
            element.clear()
    return out


def _scan_ods_row(element: Element, rows: range, width: int, marks: Marks) -> None:
    col = 0
    for cell in element:
        if cell.tag not in (T_CELL, T_COVERED):
            continue
        count = _repeat(cell, T_COLUMNS_REPEATED)
        cols = range(col, min(col + count, width))
        col += count
        if not cols:
            break
        value_type = cell.get(O_VALUE_TYPE)
        if cell.get(C_VALUE_TYPE) == "error":
            shown = "".join(cell.itertext()).strip() or "#N/A"
            marks.bad_cells.update({(r, c): shown for r in rows for c in cols})
        elif cell.get(T_FORMULA) is not None and value_type is None:
            marks.bad_cells.update({(r, c): FORMULA_WITHOUT_VALUE for r in rows for c in cols})
        elif value_type == "percentage":
            marks.percent.update((r, c) for r in rows for c in cols)
        elif value_type == "string":
            paragraphs = [p for p in cell if p.tag in (X_P, X_H)]
            breaks = any(e.tag in (X_TAB, X_LINE_BREAK) for p in paragraphs for e in p.iter())
            if len(paragraphs) > 1 or breaks:
                text = "\n".join(_odf_text(p) for p in paragraphs)
                marks.texts.update({(r, c): text for r in rows for c in cols})


def _odf_text(element: Element) -> str:
    """The text of an ODF paragraph as typed: `<text:s text:c="3"/>` three spaces, `<text:tab/>`
    a tab, `<text:line-break/>` a line break, spans and links by their text."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == X_SPACES:
            parts.append(" " * _repeat(child, X_COUNT))
        elif child.tag == X_TAB:
            parts.append("\t")
        elif child.tag == X_LINE_BREAK:
            parts.append("\n")
        else:
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
