"""Writing a sheet of an output workbook: the named styles every output workbook shares, and a
writer that stores texts safely (`workbooks.cells.write_text`), numbers as numbers, and fits columns.

Styles are a few named styles registered once and shared by all cells, so 10,000 rows stay cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from kinerja_batch.findings import Severity
from kinerja_batch.workbooks.cells import write_text

_MIN_WIDTH, _MAX_WIDTH, _MAX_WIDTH_WRAPPED = 6, 45, 70
_FONT = "Calibri"


class SheetStyles:
    """The workbook's named styles (shown in Excel's cell-style gallery under these names)."""

    def __init__(self, wb: Workbook) -> None:
        def add(name: str, bold: bool = False, size: int = 11, **style: Any) -> NamedStyle:
            font = Font(name=_FONT, size=size, bold=bold)  # unnamed fonts fall back to a serif
            named = NamedStyle(f"Kinerja {name}", font=font, **style)
            wb.add_named_style(named)
            return named

        wrap = Alignment(wrap_text=True, vertical="top")
        self.header = add("Judul Kolom", bold=True, fill=_fill("D9E1F2"), alignment=wrap)
        self.title = add("Judul", bold=True, size=14)
        self.section = add("Subjudul", bold=True, size=12)
        line = Border(top=Side("thin"))
        self.total = add("Jumlah", bold=True, border=line)
        self.total_percent = add("Jumlah Persen", bold=True, border=line, number_format="0.0%")
        self.nip = add("NIP", number_format="@")
        self.value = add("Nilai", number_format="0.0")
        self.percent = add("Persen", number_format="0.0%")
        self.wrapped = add("Teks Panjang", alignment=wrap)
        self.period_start = add(
            "Awal Periode", border=Border(left=Side("thin")), alignment=Alignment(indent=1)
        )
        self.by_severity = {
            Severity.GALAT: add("Galat", fill=_fill("F8CBAD")),
            Severity.PERINGATAN: add("Peringatan", fill=_fill("FFE699")),
        }


def _fill(rgb: str) -> PatternFill:
    return PatternFill("solid", fgColor=rgb)


class SheetWriter:
    """A worksheet being filled: writes cells with a shared style and remembers column widths."""

    def __init__(self, ws: Worksheet, styles: SheetStyles) -> None:
        self.ws = ws
        self.styles = styles
        self.widths: dict[int, int] = {}

    def _cell(self, row: int, col: int, style: NamedStyle | None) -> Cell:
        cell = cast(Cell, self.ws.cell(row=row, column=col))
        if style is not None:
            cell.style = style.name
        return cell

    def _measure(self, col: int, width: int) -> None:
        if width > self.widths.get(col, 0):
            self.widths[col] = width

    def text(self, row: int, col: int, text: str, style: NamedStyle | None = None) -> None:
        write_text(self._cell(row, col, style), text)
        if text:
            self._measure(col, max(len(line) for line in text.splitlines() or [""]))

    def number(
        self, row: int, col: int, value: float | None, style: NamedStyle | None = None
    ) -> None:
        cell = self._cell(row, col, style)
        cell.value = value
        if value is not None:
            self._measure(col, len(f"{value:.1f}") + 1)

    def header(self, row: int, headers: Iterable[str], height: float = 30) -> None:
        self.ws.row_dimensions[row].height = height
        for col, title in enumerate(headers, start=1):
            write_text(self._cell(row, col, self.styles.header), title)
            # Headers wrap, so the longest word matters more than the whole title.
            self._measure(col, min(len(title), max(len(w) for w in title.split()) + 8))

    def fit_columns(self, wrapped: Iterable[int] = (), first_row: int = 2) -> None:
        """Set column widths from the content; rows whose wrapped texts need more than one line
        get the height for them (not every reader grows rows to fit wrapped text by itself)."""
        wrapped_cols = set(wrapped)
        final: dict[int, int] = {}
        for col, width in self.widths.items():
            cap = _MAX_WIDTH_WRAPPED if col in wrapped_cols else _MAX_WIDTH
            final[col] = max(_MIN_WIDTH, min(width + 2, cap))
            self.ws.column_dimensions[get_column_letter(col)].width = final[col]
        if not wrapped_cols:
            return
        for row in range(first_row, self.ws.max_row + 1):
            lines = 1
            for col in wrapped_cols:
                value = self.ws.cell(row=row, column=col).value
                if isinstance(value, str) and value:
                    per_line = max(final.get(col, _MAX_WIDTH) - 2, 1)
                    lines = max(
                        lines, sum(-(-max(len(p), 1) // per_line) for p in value.split("\n"))
                    )
            if lines > 1:
                self.ws.row_dimensions[row].height = min(15 * lines, 409)

    def note(self, row: int, text: str, last_col: int) -> None:
        """A paragraph under a table: wrapped across the table's width (columns 1 to `last_col`,
        merged; call after `fit_columns`), so it prints within the table instead of running far to
        its right and shrinking the whole page."""
        self.text(row, 1, text, self.styles.wrapped)
        self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
        width = sum(
            self.ws.column_dimensions[get_column_letter(c)].width or _MIN_WIDTH
            for c in range(1, last_col + 1)
        )
        per_line = max(int(width) - 2, 1)
        lines = sum(-(-max(len(p), 1) // per_line) for p in text.split("\n"))
        self.ws.row_dimensions[row].height = min(15 * lines, 409)

    def table(self, header_row: int, last_row: int, last_col: int, freeze_col: int = 1) -> None:
        """Freeze the header (and columns left of `freeze_col`) and put a filter on the table."""
        ref = f"A{header_row}:{get_column_letter(last_col)}{max(last_row, header_row)}"
        self.ws.auto_filter.ref = ref
        self.ws.freeze_panes = f"{get_column_letter(freeze_col)}{header_row + 1}"

    def landscape(self, header_row: int | None = None, *, print_cols: int | None = None) -> None:
        """Print on A4 landscape, as wide as the page, repeating the header row on every page.
        `print_cols` limits printing to the first columns of a table too wide to read on paper."""
        setup = self.ws.page_setup
        setup.orientation = "landscape"
        setup.paperSize = self.ws.PAPERSIZE_A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        if print_cols is not None:
            self.ws.print_area = f"A1:{get_column_letter(print_cols)}{self.ws.max_row}"
        if header_row is not None:
            self.ws.print_title_rows = f"{header_row}:{header_row}"
