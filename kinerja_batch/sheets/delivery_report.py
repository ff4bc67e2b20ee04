"""The delivery report workbook written by `kinerja kirim`: every hand-over of the period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from kinerja_batch.history import STATUS_WORDS, Delivery
from kinerja_batch.workbooks.cells import cell_at, save_workbook, write_text

HEADERS = ("NIP", "Nama", "Tujuan", "Cara", "Berkas", "SHA-256", "Status", "Waktu", "Galat")
WIDTHS = (21, 32, 36, 9, 44, 66, 12, 20, 50)


def write_delivery_report(
    deliveries: Sequence[Delivery], names: Mapping[str, str], files: Mapping[str, str], path: Path
) -> None:
    """`names` and `files` map a NIP to the employee's name and PDF file name. A status is written
    in words people read: an attempt still `mengirim` is "tidak pasti" (it may or may not have
    arrived)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Pengiriman"
    for c, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = cell_at(ws, 1, c)
        write_text(cell, header)
        cell.font = Font(name="Calibri", bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        ws.column_dimensions[cell.column_letter].width = width
    for r, d in enumerate(deliveries, start=2):
        values = (
            d.nip,
            names.get(d.nip, ""),
            d.recipient,
            "email" if d.channel == "email" else "folder",
            files.get(d.nip, ""),
            d.pdf_sha256,
            STATUS_WORDS.get(d.status, d.status),
            d.at.replace("T", " "),
            d.error,
        )
        for c, value in enumerate(values, start=1):
            write_text(cell_at(ws, r, c), value)
        cell_at(ws, r, 1).number_format = "@"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:I{max(len(deliveries) + 1, 1)}"
    save_workbook(wb, path)
