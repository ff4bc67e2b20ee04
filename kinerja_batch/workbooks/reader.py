"""Opening a workbook file and reading its sheets as grids of cell values.

Values come from python-calamine (xlsx, xlsm, xls, ods; cached values, macros never run). Calamine
shows a formula that was never calculated, and an Excel error such as `#DIV/0!`, as an empty cell;
for xlsx/xlsm the sheet XML is scanned (with defusedxml) for those cells so that they become findings
rather than silent blanks.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from kinerja_batch.parsing import Raw, label_key
from kinerja_batch.settings import ReadLimits
from kinerja_batch.workbooks.guard import WorkbookError, check_file

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

FORMULA_WITHOUT_VALUE = "rumus-tanpa-nilai"


def cell_ref(row: int, col: int) -> str:
    """Zero-based indices to an A1 reference: (6, 2) -> `C7`."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return f"{letters}{row + 1}"


def parse_ref(ref: str) -> tuple[int, int]:
    """`C7` -> (6, 2)."""
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = ref[len(letters) :]
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - ord("A") + 1
    return int(digits) - 1, col - 1


@dataclass
class Sheet:
    """One sheet as a grid: `rows[0][0]` is A1. `bad_cells` maps (row, col) to a finding code or an
    Excel error text (`#N/A`) for cells whose value is not usable."""

    name: str
    rows: Sequence[Sequence[Raw]]
    bad_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)  # zero-based
    hidden_cols: set[int] = field(default_factory=set)

    def value(self, row: int, col: int) -> Raw:
        if row < len(self.rows) and col < len(self.rows[row]):
            v = self.rows[row][col]
            return None if v == "" else v
        return None


@dataclass
class Workbook:
    """The sheets of one file, looked up by name ignoring case and spacing."""

    path: Path
    name: str  # as shown to users (relative to the inbox)
    sheet_names: list[str]
    sheets: dict[str, Sheet]
    properties: dict[str, str] = field(default_factory=dict)  # custom document properties

    def sheet(self, name: str) -> Sheet | None:
        return self.sheets.get(label_key(name))

    def has_sheet(self, name: str) -> bool:
        return label_key(name) in {label_key(n) for n in self.sheet_names}


def open_workbook(
    path: Path, name: str, wanted_sheets: Iterable[str], limits: ReadLimits
) -> Workbook:
    """Read the sheets whose names (compared by `label_key`) are in `wanted_sheets`.

    Raises WorkbookError (with a finding code) for a file that is not a readable workbook."""
    check_file(path, limits)
    wanted = {label_key(s) for s in wanted_sheets}
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise WorkbookError("berkas-terkunci") from None
    except (python_calamine.CalamineError, python_calamine.ZipError, python_calamine.XmlError) as e:
        raise _content_error(e) from None
    sheets: dict[str, Sheet] = {}
    try:
        worksheet_names = [
            m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        for sheet_name in worksheet_names:
            key = label_key(sheet_name)
            if key in wanted and key not in sheets:
                calamine_sheet = book.get_sheet_by_name(sheet_name)
                if calamine_sheet.total_height > limits.max_rows:
                    raise WorkbookError(
                        "berkas-terlalu-besar",
                        what=f"sheet '{sheet_name}' dengan {calamine_sheet.total_height} baris",
                        limit=f"{limits.max_rows} baris",
                    )
                grid = calamine_sheet.to_python(skip_empty_area=False)
                merged = calamine_sheet.merged_cell_ranges or []
                sheets[key] = Sheet(sheet_name, _fill_merged(grid, merged))
    except (python_calamine.CalamineError, python_calamine.XmlError, ValueError) as e:
        raise _content_error(e) from None
    finally:
        book.close()
    properties: dict[str, str] = {}
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        if sheets:
            _mark_cells(path, {s.name: s for s in sheets.values()})
        properties = _custom_properties(path)
    return Workbook(path, name, worksheet_names, sheets, properties)


def _custom_properties(path: Path) -> dict[str, str]:
    """The custom document properties (docProps/custom.xml) as text."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "docProps/custom.xml" not in archive.namelist():
                return {}
            root = SafeET.fromstring(archive.read("docProps/custom.xml"))
    except DefusedXmlException:
        raise WorkbookError("xml-berbahaya") from None
    except (zipfile.BadZipFile, SafeET.ParseError, OSError, EOFError):
        return {}  # the properties are a convenience; a workbook without them reads by its sheets
    properties = {}
    for prop in root:
        name = prop.get("name")
        value = next(iter(prop), None)
        if name and value is not None and value.text is not None:
            properties[name] = value.text.strip()
    return properties


def _content_error(error: BaseException) -> WorkbookError:
    text = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    if "entity" in text.lower() or "doctype" in text.lower():
        return WorkbookError("xml-berbahaya")
    return WorkbookError("berkas-rusak", reason=text or type(error).__name__)


def _fill_merged(
    grid: list[list[Any]], merged: Sequence[tuple[tuple[int, int], tuple[int, int]]]
) -> list[list[Any]]:
    """A merged range means one value for all its cells (a header, or a NIP merged down across an
    employee's rows): give every cell the top-left value."""
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0) and row[c] == "":
                    row[c] = value
    return grid


def _mark_cells(path: Path, by_name: dict[str, Sheet]) -> None:
    """Find in the sheets' XML what calamine does not show: formulas with no cached value, Excel
    error values, hidden rows and columns."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            present = set(archive.namelist())
            for sheet_name, sheet in by_name.items():
                part = parts.get(sheet_name)
                if part is None or part not in present:
                    continue
                data = archive.read(part)
                if not any(marker in data for marker in (b"<f", b't="e"', b"hidden=")):
                    continue
                _scan_sheet_xml(data, sheet)
    except DefusedXmlException:
        raise WorkbookError("xml-berbahaya") from None
    except (zipfile.BadZipFile, KeyError, SafeET.ParseError, OSError, EOFError):
        raise WorkbookError("berkas-rusak", reason="struktur xlsx rusak") from None


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


def _scan_sheet_xml(data: bytes, sheet: Sheet) -> None:
    root = SafeET.fromstring(data)
    for col in root.iter(f"{NS_MAIN}col"):
        if col.get("hidden") in ("1", "true"):
            low, high = int(col.get("min", "1")), int(col.get("max", "1"))
            sheet.hidden_cols.update(range(low - 1, min(high, low + 16384)))
    for row in root.iter(f"{NS_MAIN}row"):
        if row.get("hidden") in ("1", "true") and row.get("r", "").isdigit():
            sheet.hidden_rows.add(int(row.get("r", "0")) - 1)
        for c in row.iter(f"{NS_MAIN}c"):
            ref = c.get("r")
            if not ref:
                continue
            v = c.find(f"{NS_MAIN}v")
            cached = v.text if v is not None else None
            if c.get("t") == "e":
                sheet.bad_cells[parse_ref(ref)] = cached or "#N/A"
            elif c.find(f"{NS_MAIN}f") is not None and not cached:
                sheet.bad_cells[parse_ref(ref)] = FORMULA_WITHOUT_VALUE
