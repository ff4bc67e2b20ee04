"""Where a period stands (`kinerja status`): who has sent what, per unit, as rows and as a workbook
HR can send to supervisors as a reminder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from kinerja_batch.findings import Severity, sort_key
from kinerja_batch.model import STATUS_ORDER as STATUS_ORDER  # re-exported for the console
from kinerja_batch.model import PeriodOutcome, Status
from kinerja_batch.tally import PeriodTally, tally_of
from kinerja_batch.workbooks.cells import cell_at, save_workbook, write_text
from kinerja_batch.workbooks.forms import page_setup

HEADERS = ("Unit Kerja", "NIP", "Nama", "Jabatan", "Atasan Langsung", "Status", "Keterangan")
WIDTHS = (34, 21, 32, 30, 32, 18, 80)


@dataclass(frozen=True)
class StatusRow:
    unit_kerja: str
    nip: str
    nama: str
    jabatan: str
    atasan: str
    status: Status
    keterangan: str


def status_rows(outcome: PeriodOutcome, tally: PeriodTally | None = None) -> list[StatusRow]:
    """One row per roster employee, by unit (shown as first spelled), then by status in
    STATUS_ORDER, then by name (`PeriodTally.roster_by_unit`). `tally`: the period's, where the
    caller has it already."""
    tally = tally_of(outcome, tally)
    names = {o.employee.nip: o.employee.nama for o in outcome.outcomes}
    first_block = {}
    for f in sorted(outcome.findings, key=sort_key):
        if f.severity is Severity.GALAT and f.nip and f.nip not in first_block:
            first_block[f.nip] = f"{f.file} {f.sheet}!{f.cell}: {f.message}".replace("!:", ":")
    rows = []
    for unit, o in tally.roster_by_unit():
        e = o.employee
        note = {
            Status.BELUM_ADA_LAPORAN: "Laporan kinerja (Capaian) belum diterima.",
            Status.BELUM_DINILAI: "Laporan sudah diterima; penilaian atasan belum diterima.",
            Status.DIBLOKIR: first_block.get(e.nip, "Ada galat; lihat sheet Validasi."),
            Status.DINILAI: "Selesai.",
        }[o.status]
        atasan = names.get(e.nip_atasan or "", e.nip_atasan or "-")
        rows.append(StatusRow(unit, e.nip, e.nama, e.jabatan, atasan, o.status, note))
    return rows


def write_status(rows: Sequence[StatusRow], title: str, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Status"
    write_text(cell_at(ws, 1, 1), title)
    cell_at(ws, 1, 1).font = Font(name="Calibri", bold=True, size=14)
    for c, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = cell_at(ws, 3, c)
        write_text(cell, header)
        cell.font = Font(name="Calibri", bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        ws.column_dimensions[cell.column_letter].width = width
    for r, row in enumerate(rows, start=4):
        values = (row.unit_kerja, row.nip, row.nama, row.jabatan, row.atasan, row.status.value)
        for c, value in enumerate((*values, row.keterangan), start=1):
            write_text(cell_at(ws, r, c), value)
        cell_at(ws, r, 2).number_format = "@"
        cell_at(ws, r, 7).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:G{max(len(rows) + 3, 3)}"
    page_setup(ws, header_row=3)  # A4 landscape, one page wide, headers on every page
    save_workbook(wb, path)
