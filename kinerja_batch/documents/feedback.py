"""The per-employee feedback PDF: one employee's result, report and feedback, in Bahasa Indonesia.

A `FeedbackRenderer` is made once per run (and per worker process): its `PdfTemplate` holds the
Jinja2 environment, the parsed stylesheet and the WeasyPrint font configuration, so each PDF costs
only its own layout (see `render.weasy` for how WeasyPrint is driven and what it may read).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from markupsafe import Markup

from kinerja_batch.compute import PREDIKAT_MATRIX, exact
from kinerja_batch.documents.chart import criteria_chart, trend_chart
from kinerja_batch.documents.weasy import PdfTemplate
from kinerja_batch.formatting import MISSING, tanggal_dalam_teks
from kinerja_batch.fsutil import atomic_write_bytes
from kinerja_batch.model import (
    CriterionResult,
    DimensionResult,
    EmployeeResult,
    Jenis,
    Rating,
    TrendPoint,
)
from kinerja_batch.settings import DEFAULT_SETTINGS, RATING_METHOD_LABELS, Settings

TEMPLATE_NAME = "umpan_balik.html"
STYLESHEET_NAME = "umpan_balik.css"
DEFAULT_PLACE = "Kemuning"  # the place on the signature line
TRUNCATION_NOTE = "(teks dipotong, lihat berkas asli)"
EXCERPT_NOTE = "(selengkapnya di bagian Umpan Balik di atas)"

# The matrix as the PDF lays it out (DOMAIN.md): rows rating Hasil Kerja, columns rating Perilaku.
MATRIX_ROWS = (Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH)  # rating Hasil Kerja
MATRIX_COLUMNS = (Rating.DI_BAWAH, Rating.SESUAI, Rating.DI_ATAS)  # rating Perilaku Kerja


# --- what the template shows ---------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None) -> str:
    """Text as typed, minus control characters; line breaks are kept (the CSS shows them)."""
    if not value:
        return ""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def truncate(value: str | None, limit: int) -> tuple[str, bool]:
    """At most `limit` characters of the cleaned text, dates in it shown in Indonesian (a date cell
    already reads `15 Desember 2026`; this catches ISO dates stored as text), and whether anything
    was cut."""
    text = tanggal_dalam_teks(clean_text(value))
    if len(text) <= limit:
        return text, False
    return text[:limit].rstrip(), True


@dataclass(frozen=True)
class CriterionRow:
    item: CriterionResult
    average: float | None


@dataclass(frozen=True)
class DimensionView:
    dimension: DimensionResult
    rows: tuple[CriterionRow, ...]
    total_bobot: float
    # The rows as the table groups them: Hasil Kerja as A. Utama and B. Tambahan (where a
    # Tambahan result exists or the item method is used), otherwise one group without a heading.
    groups: tuple[tuple[str, tuple[CriterionRow, ...]], ...] = ()


@dataclass(frozen=True)
class ItemTally:
    """Under the item method: how many items of a dimension were read as above, as and below
    expectation, and the Utama work results below expectation (they keep Hasil Kerja from Di Atas)."""

    above: int
    as_expected: int
    below: int
    utama_below: tuple[CriterionResult, ...]

    @property
    def total(self) -> int:
        return self.above + self.as_expected + self.below


def item_tally(dimension: DimensionResult) -> ItemTally | None:
    """The counts behind a rating by the item method; None under the weighted method."""
    if dimension.method != "butir":
        return None
    marks = [c.expectation for c in dimension.criteria]
    utama_below = tuple(
        c
        for c in dimension.criteria
        if dimension.jenis is Jenis.HASIL and c.criterion.utama and c.expectation is Rating.DI_BAWAH
    )
    return ItemTally(
        marks.count(Rating.DI_ATAS),
        marks.count(Rating.SESUAI),
        marks.count(Rating.DI_BAWAH),
        utama_below,
    )


def _groups(
    dimension: DimensionResult, rows: tuple[CriterionRow, ...]
) -> tuple[tuple[str, tuple[CriterionRow, ...]], ...]:
    utama = tuple(r for r in rows if r.item.criterion.utama)
    tambahan = tuple(r for r in rows if not r.item.criterion.utama)
    if dimension.jenis is not Jenis.HASIL or (not tambahan and dimension.method != "butir"):
        return (("", rows),)
    named = (("A. Hasil Kerja Utama", utama), ("B. Hasil Kerja Tambahan", tambahan))
    return tuple((label, group) for label, group in named if group)


@dataclass(frozen=True)
class Highlight:
    """A strength or an area to develop."""

    item: CriterionResult
    jenis: Jenis
    position: int  # the criterion's place in the result, the last tie-breaker


def strengths_and_areas(
    result: EmployeeResult, count: int
) -> tuple[tuple[Highlight, ...], tuple[Highlight, ...]]:
    """Up to `count` strengths (highest normalised scores) and `count` areas to develop (lowest).

    Ties go to the heavier weight, then to the earlier criterion. A strength must at least reach
    its Jenis' `Sesuai Ekspektasi` threshold; an area must score below every strength, so no
    criterion is listed twice and none is called weaker than an equal one.
    """
    entries = [
        Highlight(item, jenis, position)
        for position, (jenis, item) in enumerate(
            (d.jenis, c) for d in result.dimensions for c in d.criteria
        )
    ]
    sesuai = {d.jenis: d.thresholds.sesuai for d in result.dimensions}

    def best_first(h: Highlight) -> tuple[float, float, int]:
        return (-h.item.normalised, -h.item.criterion.bobot, h.position)

    def worst_first(h: Highlight) -> tuple[float, float, int]:
        return (h.item.normalised, -h.item.criterion.bobot, h.position)

    strengths = [h for h in sorted(entries, key=best_first) if h.item.normalised >= sesuai[h.jenis]]
    strengths = strengths[:count]
    floor = min((h.item.normalised for h in strengths), default=math.inf)
    areas = [h for h in sorted(entries, key=worst_first) if h.item.normalised < floor][:count]
    return tuple(strengths), tuple(areas)


@dataclass(frozen=True)
class ThresholdStep:
    """Where a dimension's value stands against one threshold, and the criterion that counted most.

    `distance` is value minus threshold (>= 0: reached). `criterion` is, for a reached threshold,
    the one whose weighted lead over it is largest (it raised the value most); for a missed one,
    the one whose weighted shortfall is largest (it held the value back most); None if none did."""

    rating: Rating  # the rating this threshold is the lower bound of
    threshold: float
    distance: float
    criterion: CriterionResult | None

    @property
    def reached(self) -> bool:
        return self.distance >= 0


@dataclass(frozen=True)
class Explanation:
    """What decided one dimension, for the 'how this result was reached' box."""

    dimension: DimensionResult
    heaviest: tuple[CriterionResult, ...]  # weights at least the second largest, heaviest first
    lightest: tuple[CriterionResult, ...]  # the smallest weight, where weights differ
    total_bobot: float
    steps: tuple[ThresholdStep, ...]  # the threshold reached, then the one missed (0-2 of them)

    @property
    def equal_weights(self) -> bool:
        return not self.lightest

    def weight_percent(self, item: CriterionResult) -> float:
        return item.criterion.bobot / self.total_bobot * 100 if self.total_bobot else 0.0


def _threshold_step(dimension: DimensionResult, rating: Rating, threshold: float) -> ThresholdStep:
    distance = float(exact(dimension.value) - exact(threshold))

    def pull(c: CriterionResult) -> float:  # the criterion's weighted lead over the threshold
        return c.criterion.bobot * (c.normalised - threshold)

    criterion: CriterionResult | None
    if distance >= 0:  # max and min keep the first of equals: the earlier criterion
        criterion = max(dimension.criteria, key=pull, default=None)
        criterion = criterion if criterion is not None and pull(criterion) > 0 else None
    else:
        criterion = min(dimension.criteria, key=pull, default=None)
        criterion = criterion if criterion is not None and pull(criterion) < 0 else None
    return ThresholdStep(rating, threshold, distance, criterion)


def explain_dimension(dimension: DimensionResult) -> Explanation:
    """Which criteria weigh most, and which threshold the computed value reached or missed by how
    much, with the criterion that raised it across (or held it below) that threshold."""
    items = dimension.criteria
    by_weight = sorted(items, key=lambda c: -c.criterion.bobot)  # stable: sheet order on ties
    weights = sorted({c.criterion.bobot for c in items}, reverse=True)
    second = weights[1] if len(weights) > 1 else weights[0] if weights else 0.0
    heaviest = tuple(c for c in by_weight if c.criterion.bobot >= second)
    if len(heaviest) == len(items):  # naming every criterion would say nothing
        heaviest = tuple(c for c in by_weight if c.criterion.bobot == weights[0])
    lightest = tuple(c for c in items if len(weights) > 1 and c.criterion.bobot == weights[-1])
    t = dimension.thresholds
    rating = dimension.computed_rating
    steps: list[ThresholdStep] = []
    if rating is Rating.DI_ATAS:
        steps.append(_threshold_step(dimension, Rating.DI_ATAS, t.di_atas))
    elif rating is Rating.SESUAI:
        steps.append(_threshold_step(dimension, Rating.SESUAI, t.sesuai))
        steps.append(_threshold_step(dimension, Rating.DI_ATAS, t.di_atas))
    else:
        steps.append(_threshold_step(dimension, Rating.SESUAI, t.sesuai))
    total = sum(c.criterion.bobot for c in items)
    return Explanation(dimension, heaviest, lightest, total, tuple(steps))


def excerpt_filter(value: str | None, limit: int) -> Markup:
    """The start of a text shown in full elsewhere in the PDF, with a note that says where."""
    text, cut = truncate(value, limit)
    if cut:
        return Markup('{}… <span class="dipotong">{}</span>').format(text, EXCERPT_NOTE)
    return Markup("{}").format(text)


def _dimension_view(
    dimension: DimensionResult, averages: Mapping[str, float] | None
) -> DimensionView:
    rows = tuple(
        CriterionRow(
            item,
            None if averages is None else averages.get(item.criterion.kode.casefold()),
        )
        for item in dimension.criteria
    )
    total = sum(c.criterion.bobot for c in dimension.criteria)
    return DimensionView(dimension, rows, total, _groups(dimension, rows))


def check_predikat(result: EmployeeResult) -> None:
    """The PDF shows the matrix beside the predikat: refuse to print the two disagreeing."""
    expected = PREDIKAT_MATRIX[(result.hasil.rating, result.perilaku.rating)]
    if expected is not result.predikat:
        raise ValueError(
            f"Predikat {result.predikat} untuk NIP {result.employee.nip} tidak sesuai matriks: "
            f"rating {result.hasil.rating} / {result.perilaku.rating} menghasilkan {expected}"
        )


class PdfNotWritten(OSError):
    """A PDF was laid out but could not be written to its path (a folder or a locked file stands
    there, the folder is read-only, the disk is full): the environment's fault, not the layout's."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(error.errno, error.strerror or str(error), str(path))
        self.path = path
        self.error = error


# --- the renderer --------------------------------------------------------------------------------


class FeedbackRenderer:
    """Renders feedback PDFs. Make one per run (or per worker process) and reuse it."""

    def __init__(
        self, settings: Settings = DEFAULT_SETTINGS, *, place: str = DEFAULT_PLACE
    ) -> None:
        self.strengths_count = settings.strengths_count
        self.max_text_chars = settings.max_text_chars
        self.unit_average_min_employees = settings.unit_average_min_employees
        self.place = place

        self._pdf = PdfTemplate(
            TEMPLATE_NAME,
            STYLESHEET_NAME,
            {"teks": self._text_filter, "kutipan": excerpt_filter},
        )

    def _text_filter(self, value: str | None) -> Markup:
        """Free text, escaped, cut at `max_text_chars` with a visible note; a dash when empty."""
        text, cut = truncate(value, self.max_text_chars)
        if not text:
            return Markup('<span class="kosong">{}</span>').format(MISSING)
        if cut:
            return Markup('{}… <span class="dipotong">{}</span>').format(text, TRUNCATION_NOTE)
        return Markup("{}").format(text)

    def render_html(
        self,
        result: EmployeeResult,
        *,
        instansi: str,
        unit_average: Mapping[str, float] | None,
        generated_on: dt.date,
        document_id: str,
        trend: Sequence[TrendPoint] = (),
    ) -> str:
        """The HTML the PDF is made from (useful to inspect a layout in a browser).

        `trend` is the employee's evaluated periods (the current one included), as many as should be
        shown: none leaves out the `Tren Kinerja` section, one gives a sentence saying the trend
        comes later, two or more give a line chart and a table."""
        check_predikat(result)
        averages = (
            None if unit_average is None else {k.casefold(): v for k, v in unit_average.items()}
        )
        strengths, areas = strengths_and_areas(result, self.strengths_count)
        points = tuple(sorted(trend, key=attrgetter("periode")))  # oldest first, whatever the order
        context: dict[str, Any] = {
            "r": result,
            "e": result.employee,
            "periode": result.periode,
            "instansi": clean_text(instansi),
            "document_id": clean_text(document_id),
            "generated_on": generated_on,
            "place": self.place,
            "show_average": averages is not None,
            "min_employees": self.unit_average_min_employees,
            "dimensions": tuple(_dimension_view(d, averages) for d in result.dimensions),
            "explanations": tuple(explain_dimension(d) for d in result.dimensions),
            "tallies": tuple(item_tally(d) for d in result.dimensions),
            "method": result.hasil.method,
            "method_label": RATING_METHOD_LABELS.get(result.hasil.method, result.hasil.method),
            "strengths": strengths,
            "areas": areas,
            "matrix": PREDIKAT_MATRIX,
            "matrix_rows": MATRIX_ROWS,
            "matrix_columns": MATRIX_COLUMNS,
            "chart": Markup(criteria_chart(result.dimensions, averages)),  # built escaped
            "trend": points,
            "trend_chart": Markup(trend_chart(points)) if len(points) > 1 else "",  # escaped
            "Jenis": Jenis,
        }
        return self._pdf.html(context)

    def render(
        self,
        result: EmployeeResult,
        *,
        instansi: str,
        unit_average: Mapping[str, float] | None,
        generated_on: dt.date,
        document_id: str,
        trend: Sequence[TrendPoint] = (),
    ) -> bytes:
        """The PDF as bytes."""
        html = self.render_html(
            result,
            instansi=instansi,
            unit_average=unit_average,
            generated_on=generated_on,
            document_id=document_id,
            trend=trend,
        )
        return self._pdf.pdf(html)

    def write(
        self,
        result: EmployeeResult,
        path: Path,
        *,
        instansi: str,
        unit_average: Mapping[str, float] | None,
        generated_on: dt.date,
        document_id: str,
        trend: Sequence[TrendPoint] = (),
    ) -> None:
        """Render and write the PDF to `path` atomically (the old file or the new, never half)."""
        data = self.render(
            result,
            instansi=instansi,
            unit_average=unit_average,
            generated_on=generated_on,
            document_id=document_id,
            trend=trend,
        )
        try:
            atomic_write_bytes(path, data)
        except OSError as error:
            raise PdfNotWritten(path, error) from error

    def close(self) -> None:
        """Remove what WeasyPrint keeps on disk for this renderer (its fonts' temporary folder)."""
        self._pdf.close()

    def __enter__(self) -> FeedbackRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
