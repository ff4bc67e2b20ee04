"""The annual suggestion's PDF, one per employee.

It says, where nobody can miss it, that the suggested annual predikat comes from a local rule and
not from a regulation (DOMAIN.md, "Annual predikat"; `kinerja_batch.annual`). It follows the
feedback PDF (`documents.feedback`): Jinja2 with autoescape, a stylesheet parsed once, and
WeasyPrint allowed to read nothing but files under `templates_dir()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from kinerja_batch.annual import PREDIKAT_ORDER, AnnualSuggestion
from kinerja_batch.compute import PREDIKAT_MATRIX, exact
from kinerja_batch.documents.feedback import (
    DEFAULT_PLACE,
    MATRIX_COLUMNS,
    MATRIX_ROWS,
    clean_text,
)
from kinerja_batch.documents.weasy import PdfTemplate
from kinerja_batch.fsutil import atomic_path
from kinerja_batch.model import Jenis, Rating, Thresholds

TEMPLATE_NAME = "tahunan.html"
STYLESHEET_NAME = "tahunan.css"


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
        raise ValueError(f"NIP {suggestion.nip}: tidak ada periode yang dinilai pada tahun {year}")
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


class AnnualRenderer:
    """Renders annual-suggestion PDFs. Make one per run and reuse it."""

    def __init__(self, *, place: str = DEFAULT_PLACE) -> None:
        self.place = place
        self._pdf = PdfTemplate(TEMPLATE_NAME, STYLESHEET_NAME, {})

    def close(self) -> None:
        """Remove what WeasyPrint keeps on disk for this renderer (its fonts' temporary folder)."""
        self._pdf.close()

    def __enter__(self) -> AnnualRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
            "noun": s.granularity.noun,  # `bulan` or `triwulan`
            "adj": s.granularity.value,  # `bulanan` or `triwulanan`
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
