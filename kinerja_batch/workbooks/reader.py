"""Opening a workbook file and reading its sheets as grids of cell values.

Values come from python-calamine (xlsx, xlsm, xls, ods; cached values, macros never run). What the
values alone do not say is read from the file by `marks.py` (xlsx, xlsm, ods) and `biff.py` (xls):
formulas never calculated and Excel error values (calamine shows both as empty cells), hidden rows
and columns, and percent-formatted numbers, which become `Percent` values (`95%` typed is stored as
0.95; people mean the 95 they see).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from kinerja_batch.parsing import Percent, Raw, label_key
from kinerja_batch.settings import ReadLimits
from kinerja_batch.workbooks.biff import scan_xls
from kinerja_batch.workbooks.guard import WorkbookError, check_file
from kinerja_batch.workbooks.marks import (
    FORMULA_WITHOUT_VALUE,
    Marks,
    Size,
    parse_ref,
    scan_ods,
    scan_xlsx,
)

__all__ = [
    "FORMULA_WITHOUT_VALUE",
    "Sheet",
    "Workbook",
    "WorkbookError",
    "cell_ref",
    "open_workbook",
    "parse_ref",
]


def cell_ref(row: int, col: int) -> str:
    """Zero-based indices to an A1 reference: (6, 2) -> `C7`."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return f"{letters}{row + 1}"


@dataclass
class Sheet:
    """One sheet as a grid: `rows[0][0]` is A1, a percent-formatted number is a `Percent`.
    `bad_cells` maps (row, col) to a finding code or an Excel error text (`#N/A`) for cells whose
    value is not usable."""

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
    grids: dict[str, list[list[Any]]] = {}
    merged: dict[str, Sequence[tuple[tuple[int, int], tuple[int, int]]]] = {}
    seen: set[str] = set()  # the first sheet of each name (ignoring case and spacing) is read
    try:
        worksheet_names = [
            m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        for sheet_name in worksheet_names:
            key = label_key(sheet_name)
            if key in wanted and key not in seen:
                seen.add(key)
                calamine_sheet = book.get_sheet_by_name(sheet_name)
                if calamine_sheet.total_height > limits.max_rows:
                    raise WorkbookError(
                        "berkas-terlalu-besar",
                        what=f"sheet '{sheet_name}' dengan {calamine_sheet.total_height} baris",
                        limit=f"{limits.max_rows} baris",
                    )
                grids[sheet_name] = calamine_sheet.to_python(skip_empty_area=False)
                merged[sheet_name] = calamine_sheet.merged_cell_ranges or []
    except (python_calamine.CalamineError, python_calamine.XmlError, ValueError) as e:
        raise _content_error(e) from None
    finally:
        book.close()
    sizes = {n: (len(grid), max(map(len, grid), default=0)) for n, grid in grids.items()}
    marks = _marks(path, sizes) if grids else {}
    sheets: dict[str, Sheet] = {}
    for sheet_name, grid in grids.items():
        found = marks.get(sheet_name) or Marks()
        _apply_marks(grid, found)
        sheets[label_key(sheet_name)] = Sheet(
            sheet_name,
            _fill_merged(grid, merged[sheet_name]),
            found.bad_cells,
            found.hidden_rows,
            found.hidden_cols,
        )
    properties: dict[str, str] = {}
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        properties = _custom_properties(path)
    return Workbook(path, name, worksheet_names, sheets, properties)


def _marks(path: Path, sizes: Mapping[str, Size]) -> dict[str, Marks]:
    """What calamine does not show, by the file's format (its suffix: guard.check_file has made
    sure the content matches it)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return scan_xlsx(path, sizes)
    if suffix == ".ods":
        return scan_ods(path, sizes)
    if suffix == ".xls":
        return scan_xls(path, sizes)
    return {}


def _apply_marks(grid: list[list[Any]], marks: Marks) -> None:
    """A number in a percent-formatted cell becomes a `Percent` (the format is part of the value);
    a text calamine misread is replaced by the text the file holds."""
    for r, c in marks.percent:
        if r < len(grid) and c < len(grid[r]):
            value = grid[r][c]
            if isinstance(value, int | float) and not isinstance(value, bool):
                grid[r][c] = Percent(float(value))
    for (r, c), text in marks.texts.items():
        if r < len(grid) and c < len(grid[r]) and isinstance(grid[r][c], str):
            grid[r][c] = text


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
