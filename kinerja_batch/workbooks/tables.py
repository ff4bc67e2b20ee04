"""Tables and forms inside a sheet, with every value's position kept.

A table's header row is the first row that holds all required headers, a title excepted (see
`find_header_row`); columns are found by name, ignoring case and spacing, in any order. A form
(`Identitas`) has labels in column A and values in column B. Which headers a table needs is
declared in `contract.py`.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

from kinerja_batch.findings import Finding, Source, finding
from kinerja_batch.parsing import Raw, is_blank, label_key, text
from kinerja_batch.workbooks.contract import TableSheet
from kinerja_batch.workbooks.reader import Sheet, Workbook, cell_ref

HEADER_SEARCH_ROWS = 50


@dataclass(frozen=True)
class Cell:
    raw: Raw  # None when blank
    source: Source
    bad: str | None = None  # a formula without a cached value, or an Excel error such as `#N/A`

    @property
    def blank(self) -> bool:
        return self.bad is None and is_blank(self.raw)

    @property
    def text(self) -> str:
        return text(self.raw)


@dataclass(frozen=True)
class Row:
    number: int  # the row number people see (1-based)
    cells: dict[str, Cell]  # keyed by label_key(header)

    def __getitem__(self, header: str) -> Cell:
        return self.cells[label_key(header)]


@dataclass(frozen=True)
class Table:
    sheet: str
    header_row: int  # 1-based
    rows: tuple[Row, ...]
    columns: frozenset[str]  # label_key of every header found (required or optional)

    def has(self, header: str) -> bool:
        return label_key(header) in self.columns


def _cell(sheet: Sheet, file: str, row: int, col: int) -> Cell:
    return Cell(
        raw=sheet.value(row, col),
        source=Source(file, sheet.name, cell_ref(row, col)),
        bad=sheet.bad_cells.get((row, col)),
    )


def find_header_row(
    rows: Sequence[Sequence[Raw]], required: Sequence[str], known: Set[str]
) -> int | None:
    """The zero-based header row among the first `HEADER_SEARCH_ROWS` rows, or None.

    It is the first row that holds every `required` header, unless that row is a title: a row
    whose filled cells all read one and the same header (`Tantangan`, as the sheet named
    `Tantangan` is titled; a merged title repeats it) while a later row holds more of the `known`
    headers (required, optional and informational). A title or instructions that name no header
    never hold the required ones, so they are passed over anyway."""
    wanted = [label_key(h) for h in required]
    candidates: list[tuple[int, int, bool]] = []  # (row, known headers held, looks like a title)
    for r, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {label_key(v) for v in values if not is_blank(v)}
        if all(w in keys for w in wanted):
            candidates.append((r, len(keys & known), len(keys) == 1))
    for i, (r, held, title_like) in enumerate(candidates):
        if not (title_like and any(later > held for _, later, _ in candidates[i + 1 :])):
            return r
    return None


def read_table(
    book: Workbook, sheet: Sheet, declared: TableSheet
) -> tuple[Table | None, list[Finding]]:
    """Find the header row of the table `declared` describes and read every non-empty row below it.

    Its required headers must all stand in one row; its optional and informational ones are known
    (read when present, blank when absent); any other header is reported and ignored."""
    findings: list[Finding] = []
    required, optional = declared.required_headers, declared.optional_headers
    wanted = [label_key(h) for h in required]
    known = set(wanted) | {label_key(h) for h in optional}
    header_row = find_header_row(sheet.rows, required, known)
    if header_row is None:
        best_row, best_hits = 0, -1  # the row that comes closest, to point at
        for r, values in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            keys = {label_key(v) for v in values if not is_blank(v)}
            hits = sum(1 for w in wanted if w in keys)
            if hits > best_hits:
                best_row, best_hits = r, hits
        keys = {label_key(v) for v in sheet.rows[best_row]} if sheet.rows else set()
        missing = [h for h in required if label_key(h) not in keys]
        findings.append(
            finding(
                "kolom-wajib-tidak-ada",
                Source(
                    book.name, sheet.name, f"{best_row + 1}:{best_row + 1}" if best_hits > 0 else ""
                ),
                columns=", ".join(missing),
                required=", ".join(required),
            )
        )
        return None, findings

    columns: dict[str, int] = {}
    unknown: list[int] = []
    for c, raw in enumerate(sheet.rows[header_row]):
        if is_blank(raw):
            continue
        key = label_key(raw)
        src = Source(book.name, sheet.name, cell_ref(header_row, c))
        if key not in known:
            unknown.append(c)
            findings.append(finding("kolom-tidak-dikenal", src, column=text(raw)))
        elif key in columns:
            findings.append(finding("kolom-ganda", src, column=text(raw)))
        else:
            columns[key] = c
            if c in sheet.hidden_cols:
                findings.append(finding("kolom-tersembunyi", src, column=text(raw)))

    rows: list[Row] = []
    for r in range(header_row + 1, len(sheet.rows)):
        cells = {key: _cell(sheet, book.name, r, c) for key, c in columns.items()}
        for key in known - columns.keys():  # optional columns that are absent read as blank
            cells[key] = Cell(None, Source(book.name, sheet.name, ""))
        if all(cell.blank for cell in cells.values()):
            extra = [c for c in unknown if not is_blank(sheet.value(r, c))]
            if extra:
                findings.append(
                    finding("baris-diabaikan", Source(book.name, sheet.name, cell_ref(r, extra[0])))
                )
            continue
        if r in sheet.hidden_rows:
            findings.append(
                finding("baris-tersembunyi", Source(book.name, sheet.name, f"A{r + 1}"))
            )
        rows.append(Row(number=r + 1, cells=cells))
    table = Table(sheet.name, header_row + 1, tuple(rows), frozenset(columns))
    return table, findings


def read_form(book: Workbook, sheet: Sheet) -> dict[str, Cell]:
    """Key/value form: label (column A) -> value cell (column B). The first label wins."""
    form: dict[str, Cell] = {}
    for r in range(len(sheet.rows)):
        label = sheet.value(r, 0)
        if is_blank(label):
            continue
        form.setdefault(label_key(label), _cell(sheet, book.name, r, 1))
    return form
