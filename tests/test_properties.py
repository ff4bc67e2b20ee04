"""Property-based: random cell values, types and shapes in contract workbooks never crash the reader or
the validator, and every row with data either yields a value or a finding that points into it."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja_batch.loading import NoProgress, load_inbox
from kinerja_batch.model import Periode
from kinerja_batch.parsing import ParseError, parse_nip, parse_number, parse_periode
from kinerja_batch.pipeline import assess
from kinerja_batch.settings import Settings
from kinerja_batch.validate.reports import read_score_sheet
from kinerja_batch.workbooks.kinds import SHEETS, Kind
from kinerja_batch.workbooks.reader import open_workbook

from factories import NIP_E1, valid_inbox, write_with_specials

# Text Excel can hold (no XML-illegal control characters), including tricky shapes.
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=40,
)
_tricky = st.sampled_from(
    ["", " ", "\u00a0", "=1+1", "+62", "-", "@x", "85,5", "1.250", "85%", "N/A", "#DIV/0!",
     "1.98503E+17", "19850312 201001 1 005", "November 2026", "Diatas Ekspektasi", "HK-PM-01"]
)  # fmt: skip
cell_values = st.one_of(
    st.none(),
    _text,
    _tricky,
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
)
NILAI_HEADERS = ["NIP", "Kode Kriteria", "Nilai", "Catatan", "Lain"]
header_rows = st.lists(st.sampled_from(NILAI_HEADERS), min_size=0, max_size=5, unique=True)
grids = st.lists(st.lists(cell_values, min_size=0, max_size=5), min_size=0, max_size=8)


def _write(
    path: Path, identitas: list[list[object]], header: list[str], rows: list[list[object]]
) -> None:
    wb = openpyxl.Workbook()
    assert wb.active is not None
    wb.active.title = "Identitas"
    for row in identitas:
        wb.active.append(row)
    ws = wb.create_sheet("Nilai")
    ws.append(header)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text that looks like a formula stays text
    wb.save(path)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(penilai=cell_values, periode=cell_values, header=header_rows, rows=grids)
def test_score_sheet_rows_yield_a_value_or_a_finding(
    penilai: object, periode: object, header: list[str], rows: list[list[object]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "penilaian.xlsx"
        _write(
            path,
            [["NIP Penilai", penilai], ["Nama Penilai", "X"], ["Periode", periode]],
            header,
            rows,
        )
        book = open_workbook(path, path.name, SHEETS[Kind.PENILAIAN], Settings().limits)
        sheet, findings = read_score_sheet(book)
        if sheet is None:
            assert findings  # nothing usable is never silent
            return
        used = {s.source.cell for s in sheet.scores}
        flagged_rows = {
            f.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for f in findings if f.sheet == "Nilai"
        }
        if not {"NIP", "Kode Kriteria", "Nilai"} <= set(header):
            assert any(f.code == "kolom-wajib-tidak-ada" for f in findings)
            return
        nilai_col = "ABCDE"[header.index("Nilai")]
        known = [
            header.index(h) for h in ("NIP", "Kode Kriteria", "Nilai", "Catatan") if h in header
        ]
        for r, row in enumerate(rows, start=2):
            has_data = any(
                i < len(row) and row[i] is not None and str(row[i]).strip() not in ("",)
                for i in known
            )
            if has_data:
                assert f"{nilai_col}{r}" in used or str(r) in flagged_rows, (r, row)


@settings(max_examples=200, deadline=None)
@given(cell_values)
def test_parsers_return_a_value_or_a_parse_error(value: object) -> None:
    for parse in (parse_number, parse_nip, parse_periode):
        try:
            parse(value)
        except ParseError as e:
            assert e.code


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(cell_values, min_size=4, max_size=4), st.integers(min_value=1, max_value=8))
def test_random_values_in_a_valid_inbox_never_crash_the_run(values: list[object], row: int) -> None:
    spec = valid_inbox()
    nilai = spec.sheet("penilaian_a.xlsx", "Nilai")
    nilai[row] = list(values)
    with tempfile.TemporaryDirectory() as tmp:
        inbox = write_with_specials(spec, Path(tmp) / "inbox")
        outcome = assess(
            load_inbox(inbox, Settings(), NoProgress()), Periode(2026, 11), requested=True
        )
    # The other employee's result is never lost to a bad row of this one.
    assert len(outcome.outcomes) == 5
    assert all(o.result is not None or o.status.value != "Dinilai" for o in outcome.outcomes)
    assert NIP_E1 in {o.employee.nip for o in outcome.outcomes}
