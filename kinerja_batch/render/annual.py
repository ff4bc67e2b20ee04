"""The annual suggestion, rendered: a summary workbook for HR and one PDF per employee.

Both say, where nobody can miss it, that the suggested annual predikat comes from a local rule and
not from a regulation: PermenPANRB No. 6 Tahun 2022 sets no numeric conversion, and the Pejabat
Penilai Kinerja decides the annual predikat (DOMAIN.md, "Annual predikat"; `kinerja_batch.annual`).

The workbook follows the period summary (`render.summary`): the same named styles, every text from
an input written through `cells.write_text`, numbers stored as numbers. The PDF follows the
feedback PDF (`render.pdf`): Jinja2 with autoescape, a stylesheet parsed once, and WeasyPrint
allowed to read nothing but files under `templates_dir()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from kinerja_batch.annual import PREDIKAT_ORDER, AnnualSuggestion
from kinerja_batch.compute import PREDIKAT_MATRIX, exact
from kinerja_batch.fsutil import atomic_path, slug
from kinerja_batch.model import Jenis, Rating, Thresholds
from kinerja_batch.render.pdf import (
    DEFAULT_PLACE,
    MATRIX_COLUMNS,
    MATRIX_ROWS,
    clean_text,
)

# The period summary's styles and sheet writer, shared so both workbooks look and behave alike.
from kinerja_batch.render.summary import SheetStyles, SheetWriter
from kinerja_batch.render.weasy import PdfTemplate

TEMPLATE_NAME = "tahunan.html"
STYLESHEET_NAME = "tahunan.css"

# --- the workbook --------------------------------------------------------------------------------

TAHUNAN_HEADERS: tuple[str, ...] = (
    "NIP",
    "Nama",
    "Unit Kerja",
    "Jumlah Bulan Dinilai",
    "Rata-rata Nilai Hasil Kerja",
    "Rating Hasil Kerja (usulan)",
    "Rata-rata Nilai Perilaku Kerja",
    "Rating Perilaku Kerja (usulan)",
    "Usulan Predikat Tahunan",
    *(f"Bulan {p.value}" for p in PREDIKAT_ORDER),
)
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


def local_rule_note(year: int) -> tuple[str, ...]:
    """The note above the annual table, one line per row (each runs over the empty cells beside)."""
    return (
        "PERHATIAN: Usulan Predikat Tahunan di bawah ini dihitung dengan aturan lokal instansi, "
        "bukan ketentuan peraturan.",
        f"Aturan lokal: rata-rata Nilai Hasil Kerja dan Nilai Perilaku Kerja bulanan tahun {year} "
        "(dibulatkan ke satu desimal) dinilai dengan ambang rating instansi, lalu predikat diambil "
        "dari matriks predikat kinerja.",
        "PermenPANRB No. 6 Tahun 2022 tidak menetapkan konversi angka dari nilai atau predikat "
        "bulanan ke predikat tahunan: Predikat Kinerja tahunan ditetapkan oleh Pejabat Penilai "
        "Kinerja.",
    )


def no_employees_note(year: int) -> str:
    return f"Tidak ada pegawai yang dinilai pada tahun {year}."


_NOTE_FIRST_ROW = 4
_TAHUNAN_HEADER_ROW = 8
_NOTE_FILL = "FFE699"  # the warning colour of the period summary


def write_annual_summary(
    suggestions: Sequence[AnnualSuggestion], year: int, instansi: str, path: Path
) -> None:
    """Write the annual summary workbook (`Tahunan`, `Per Bulan`) to `path`, in one step."""
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
    _write_tahunan(SheetWriter(first, styles), suggestions, year, instansi, note_style)
    _write_per_bulan(SheetWriter(wb.create_sheet("Per Bulan"), styles), suggestions, year)
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _write_tahunan(
    sh: SheetWriter,
    suggestions: Sequence[AnnualSuggestion],
    year: int,
    instansi: str,
    note_style: NamedStyle,
) -> None:
    st = sh.styles
    sh.text(1, 1, instansi, st.title)
    sh.text(2, 1, f"Usulan Predikat Kinerja Tahunan {year}", st.section)
    for row, line in enumerate(local_rule_note(year), start=_NOTE_FIRST_ROW):
        sh.ws.row_dimensions[row].height = 20
        sh.text(row, 1, line, note_style)
        for col in range(2, len(TAHUNAN_HEADERS) + 1):  # a coloured band under the overflowing text
            sh.ws.cell(row=row, column=col).style = note_style.name
    sh.widths.clear()  # the titles and the note run over the columns to their right

    header = _TAHUNAN_HEADER_ROW
    sh.header(header, TAHUNAN_HEADERS, height=45)
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
    sh.table(header, header + max(len(suggestions), 1), len(TAHUNAN_HEADERS), freeze_col=3)
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


@dataclass(frozen=True)
class MeanView:
    """How one Jenis' annual mean was reached, for the PDF's explanation."""

    jenis: Jenis
    values: tuple[float, ...]
    total: float  # the exact sum of one-decimal values, so itself a one-decimal value
    raw: float  # total / number of months, before rounding
    raw_digits: int  # the decimals `raw` is shown with: 2, or 3 where 2 would not be exact
    raw_exact: bool  # whether `raw` shown so is exact (else the PDF writes "about")
    mean: float
    thresholds: Thresholds
    rating: Rating


def _mean_view(
    jenis: Jenis, values: tuple[float, ...], mean: float, thresholds: Thresholds, rating: Rating
) -> MeanView:
    total = sum((exact(v) for v in values), Fraction(0))
    raw = total / len(values)
    # Three decimals never hide which way the mean rounds: a mean of n <= 12 one-decimal values is
    # either exactly x.x5 or at least 1/(20n) >= 1/240 away from it.
    digits = 2 if (raw * 100).denominator == 1 else 3
    exact_shown = (raw * 10**digits).denominator == 1
    return MeanView(
        jenis, values, float(total), float(raw), digits, exact_shown, mean, thresholds, rating
    )


def check_suggestion(suggestion: AnnualSuggestion, year: int) -> None:
    """Refuse to print a suggestion whose months lie outside `year` or whose predikat disagrees
    with the matrix printed beside it."""
    if not suggestion.months:
        raise ValueError(f"NIP {suggestion.nip}: tidak ada bulan yang dinilai pada tahun {year}")
    outside = [m.periode.label for m in suggestion.months if m.periode.year != year]
    if outside:
        raise ValueError(
            f"NIP {suggestion.nip}: periode di luar tahun {year}: {', '.join(outside)}"
        )
    expected = PREDIKAT_MATRIX[(suggestion.rating_hasil, suggestion.rating_perilaku)]
    if expected is not suggestion.predikat:
        raise ValueError(
            f"Usulan predikat {suggestion.predikat} untuk NIP {suggestion.nip} tidak sesuai "
            f"matriks: rating {suggestion.rating_hasil} / {suggestion.rating_perilaku} "
            f"menghasilkan {expected}"
        )


def annual_pdf_file_name(suggestion: AnnualSuggestion, year: int) -> str:
    """`<NIP>_<nama>_tahunan_<year>.pdf`, safe on every file system."""
    return f"{slug(suggestion.nip)}_{slug(suggestion.nama)}_tahunan_{year}.pdf"


class AnnualRenderer:
    """Renders annual-suggestion PDFs. Make one per run and reuse it."""

    def __init__(self, *, place: str = DEFAULT_PLACE) -> None:
        self.place = place
        self._pdf = PdfTemplate(TEMPLATE_NAME, STYLESHEET_NAME, {})

    def render_html(
        self,
        suggestion: AnnualSuggestion,
        year: int,
        instansi: str,
        generated_on: dt.date,
        document_id: str,
    ) -> str:
        """The HTML the PDF is made from (useful to inspect a layout in a browser)."""
        check_suggestion(suggestion, year)
        s = suggestion
        means = (
            _mean_view(
                Jenis.HASIL,
                tuple(m.nilai_hasil for m in s.months),
                s.mean_hasil,
                s.thresholds_hasil,
                s.rating_hasil,
            ),
            _mean_view(
                Jenis.PERILAKU,
                tuple(m.nilai_perilaku for m in s.months),
                s.mean_perilaku,
                s.thresholds_perilaku,
                s.rating_perilaku,
            ),
        )
        context: dict[str, Any] = {
            "s": s,
            "year": year,
            "instansi": clean_text(instansi),
            "nama": clean_text(s.nama),
            "unit_kerja": clean_text(s.unit_kerja),
            "document_id": clean_text(document_id),
            "generated_on": generated_on,
            "place": self.place,
            "means": means,
            "counts": tuple((p, s.predikat_counts.get(p, 0)) for p in PREDIKAT_ORDER),
            "matrix": PREDIKAT_MATRIX,
            "matrix_rows": MATRIX_ROWS,
            "matrix_columns": MATRIX_COLUMNS,
        }
        return self._pdf.html(context)

    def render(
        self,
        suggestion: AnnualSuggestion,
        year: int,
        instansi: str,
        generated_on: dt.date,
        document_id: str,
    ) -> bytes:
        """The PDF as bytes."""
        html = self.render_html(suggestion, year, instansi, generated_on, document_id)
        return self._pdf.pdf(html)

    def write(
        self,
        suggestion: AnnualSuggestion,
        year: int,
        instansi: str,
        path: Path,
        generated_on: dt.date,
        document_id: str,
    ) -> None:
        """Render and write the PDF to `path` atomically (the old file or the new, never half)."""
        data = self.render(suggestion, year, instansi, generated_on, document_id)
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
