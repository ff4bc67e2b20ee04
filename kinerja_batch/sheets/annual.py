"""The annual suggestion's summary workbook for HR (`Tahunan`, `Per Bulan`; `Per Triwulan` in a
quarterly agency).

It says, where nobody can miss it, that the suggested annual predikat comes from a local rule and
not from a regulation: PermenPANRB No. 6 Tahun 2022 sets no numeric conversion, and the Pejabat
Penilai Kinerja decides the annual predikat (DOMAIN.md, "Annual predikat"; `kinerja_batch.annual`).
It follows the period summary: the same named styles (`sheets.writer`), every text from an input
written through `workbooks.cells.write_text`, numbers stored as numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from kinerja_batch.annual import PREDIKAT_ORDER, AnnualSuggestion
from kinerja_batch.model import Granularity
from kinerja_batch.sheets.writer import SheetStyles, SheetWriter
from kinerja_batch.workbooks.cells import save_workbook


def tahunan_headers(granularity: Granularity) -> tuple[str, ...]:
    """The `Tahunan` sheet's headers; the periods counted are months or quarters."""
    noun = granularity.noun.capitalize()
    return (
        "NIP",
        "Nama",
        "Unit Kerja",
        f"Jumlah {noun} Dinilai",
        "Rata-rata Nilai Hasil Kerja",
        "Rating Hasil Kerja (usulan)",
        "Rata-rata Nilai Perilaku Kerja",
        "Rating Perilaku Kerja (usulan)",
        "Usulan Predikat Tahunan",
        *(f"{noun} {p.value}" for p in PREDIKAT_ORDER),
    )


TAHUNAN_HEADERS = tahunan_headers(Granularity.BULANAN)
PER_BULAN_HEADERS: tuple[str, ...] = (
    "NIP",
    "Nama",
    "Periode",
    "Nilai Hasil Kerja",
    "Rating Hasil Kerja",
    "Nilai Perilaku Kerja",
    "Rating Perilaku Kerja",
    "Predikat",
)


def local_rule_note(year: int, granularity: Granularity = Granularity.BULANAN) -> tuple[str, ...]:
    """The note above the annual table, one line per row (each runs over the empty cells beside)."""
    adj = granularity.value
    return (
        "PERHATIAN: Usulan Predikat Tahunan di bawah ini dihitung dengan aturan lokal instansi, "
        "bukan ketentuan peraturan.",
        f"Aturan lokal: rata-rata Nilai Hasil Kerja dan Nilai Perilaku Kerja {adj} tahun {year} "
        "(dibulatkan ke satu desimal) dinilai dengan ambang rating instansi, lalu predikat diambil "
        "dari matriks predikat kinerja.",
        "PermenPANRB No. 6 Tahun 2022 tidak menetapkan konversi angka dari nilai atau predikat "
        f"{adj} ke predikat tahunan: Predikat Kinerja tahunan ditetapkan oleh Pejabat Penilai "
        "Kinerja.",
    )


def no_employees_note(year: int) -> str:
    return f"Tidak ada pegawai yang dinilai pada tahun {year}."


_NOTE_FIRST_ROW = 4
_TAHUNAN_HEADER_ROW = 8
_NOTE_FILL = "FFE699"  # the warning colour of the period summary


def write_annual_summary(
    suggestions: Sequence[AnnualSuggestion],
    year: int,
    instansi: str,
    path: Path,
    granularity: Granularity = Granularity.BULANAN,
) -> None:
    """Write the annual summary workbook (`Tahunan`, `Per Bulan` or `Per Triwulan`) to `path`, in
    one step."""
    wb = Workbook()
    styles = SheetStyles(wb)
    note_style = NamedStyle(
        "Kinerja Catatan Aturan Lokal",
        font=Font(name="Calibri", size=11, bold=True),
        fill=PatternFill("solid", fgColor=_NOTE_FILL),
        alignment=Alignment(vertical="center"),
    )
    wb.add_named_style(note_style)
    wb.properties.title = f"Usulan Predikat Kinerja Tahunan {year}"
    wb.properties.creator = "kinerja-batch"
    first = cast(Worksheet, wb.active)
    first.title = "Tahunan"
    _write_tahunan(SheetWriter(first, styles), suggestions, year, instansi, note_style, granularity)
    per_period = wb.create_sheet(f"Per {granularity.noun.capitalize()}")
    _write_per_bulan(SheetWriter(per_period, styles), suggestions, year)
    save_workbook(wb, path)


def _write_tahunan(
    sh: SheetWriter,
    suggestions: Sequence[AnnualSuggestion],
    year: int,
    instansi: str,
    note_style: NamedStyle,
    granularity: Granularity,
) -> None:
    st = sh.styles
    headers = tahunan_headers(granularity)
    sh.text(1, 1, instansi, st.title)
    sh.text(2, 1, f"Usulan Predikat Kinerja Tahunan {year}", st.section)
    for row, line in enumerate(local_rule_note(year, granularity), start=_NOTE_FIRST_ROW):
        sh.ws.row_dimensions[row].height = 20
        sh.text(row, 1, line, note_style)
        for col in range(2, len(headers) + 1):  # a coloured band under the overflowing text
            sh.ws.cell(row=row, column=col).style = note_style.name
    sh.widths.clear()  # the titles and the note run over the columns to their right

    header = _TAHUNAN_HEADER_ROW
    sh.header(header, headers, height=45)
    if not suggestions:
        sh.text(header + 1, 1, no_employees_note(year))
        sh.widths.pop(1, None)
    for row, s in enumerate(suggestions, start=header + 1):
        sh.text(row, 1, s.nip, st.nip)
        sh.text(row, 2, s.nama)
        sh.text(row, 3, s.unit_kerja)
        sh.number(row, 4, len(s.months))
        sh.number(row, 5, s.mean_hasil, st.value)
        sh.text(row, 6, s.rating_hasil.value)
        sh.number(row, 7, s.mean_perilaku, st.value)
        sh.text(row, 8, s.rating_perilaku.value)
        sh.text(row, 9, s.predikat.value)
        for col, p in enumerate(PREDIKAT_ORDER, start=10):
            sh.number(row, col, s.predikat_counts.get(p, 0))
    sh.table(header, header + max(len(suggestions), 1), len(headers), freeze_col=3)
    sh.landscape(header)
    sh.fit_columns()


def _write_per_bulan(sh: SheetWriter, suggestions: Sequence[AnnualSuggestion], year: int) -> None:
    st = sh.styles
    sh.header(1, PER_BULAN_HEADERS, height=30)
    row = 1
    for s in suggestions:
        for m in s.months:
            row += 1
            sh.text(row, 1, s.nip, st.nip)
            sh.text(row, 2, s.nama)
            sh.text(row, 3, m.periode.label)
            sh.number(row, 4, m.nilai_hasil, st.value)
            sh.text(row, 5, m.rating_hasil.value)
            sh.number(row, 6, m.nilai_perilaku, st.value)
            sh.text(row, 7, m.rating_perilaku.value)
            sh.text(row, 8, m.predikat.value)
    if row == 1:
        row += 1
        sh.text(row, 1, no_employees_note(year))
        sh.widths.pop(1, None)
    sh.table(1, row, len(PER_BULAN_HEADERS), freeze_col=3)
    sh.landscape(1)
    sh.fit_columns()


# --- the PDF -------------------------------------------------------------------------------------
