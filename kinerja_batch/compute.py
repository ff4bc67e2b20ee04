"""Scoring, ratings and predikat. Pure: no I/O, no clock, no globals.

Arithmetic is exact (fractions of the decimal numbers people typed), so a value that is 79.95 on paper
is shown as 80.0 and rated against an 80 threshold the way a person checking by hand would expect.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from kinerja_batch.model import (
    Criterion,
    CriterionResult,
    DimensionResult,
    Jenis,
    Predikat,
    Rating,
    Thresholds,
)

PREDIKAT_MATRIX: Mapping[tuple[Rating, Rating], Predikat] = {
    # (rating Hasil Kerja, rating Perilaku Kerja) -> predikat (PermenPANRB 6/2022; DOMAIN.md)
    (Rating.DI_ATAS, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.DI_ATAS, Rating.SESUAI): Predikat.BAIK,
    (Rating.DI_ATAS, Rating.DI_ATAS): Predikat.SANGAT_BAIK,
    (Rating.SESUAI, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.SESUAI, Rating.SESUAI): Predikat.BAIK,
    (Rating.SESUAI, Rating.DI_ATAS): Predikat.BAIK,
    (Rating.DI_BAWAH, Rating.DI_BAWAH): Predikat.SANGAT_KURANG,
    (Rating.DI_BAWAH, Rating.SESUAI): Predikat.BUTUH_PERBAIKAN,
    (Rating.DI_BAWAH, Rating.DI_ATAS): Predikat.BUTUH_PERBAIKAN,
}


def exact(x: float) -> Fraction:
    """The decimal a person typed, exactly: 0.1 -> 1/10 (not the nearest binary float)."""
    return Fraction(repr(float(x)))


def round_half_up(x: Fraction, digits: int = 1) -> Fraction:
    scale = 10**digits
    return Fraction(math.floor(x * scale + Fraction(1, 2)), scale)


def normalise_exact(nilai: float, skala_min: float, skala_maks: float) -> Fraction:
    return (exact(nilai) - exact(skala_min)) / (exact(skala_maks) - exact(skala_min)) * 100


def normalise(nilai: float, skala_min: float, skala_maks: float) -> float:
    """A score on the criterion's scale, as 0-100."""
    return float(normalise_exact(nilai, skala_min, skala_maks))


def weighted_value(scored: Iterable[tuple[Criterion, float]]) -> float:
    """The weight-averaged normalised score, rounded half up to the one decimal users see."""
    total_weight = Fraction(0)
    total = Fraction(0)
    for criterion, nilai in scored:
        weight = exact(criterion.bobot)
        total_weight += weight
        total += weight * normalise_exact(nilai, criterion.skala_min, criterion.skala_maks)
    if total_weight == 0:
        raise ValueError("no weighted criteria")
    return float(round_half_up(total / total_weight))


def rate(value: float, thresholds: Thresholds) -> Rating:
    """The rating of a shown one-decimal value (so a shown 80.0 is never below an 80 threshold)."""
    shown = round_half_up(exact(value))
    if shown >= exact(thresholds.di_atas):
        return Rating.DI_ATAS
    if shown >= exact(thresholds.sesuai):
        return Rating.SESUAI
    return Rating.DI_BAWAH


def predikat(hasil: Rating, perilaku: Rating) -> Predikat:
    return PREDIKAT_MATRIX[(hasil, perilaku)]


def evaluate_dimension(
    jenis: Jenis,
    scored: Sequence[tuple[Criterion, float, str]],
    thresholds: Thresholds,
    override: Rating | None = None,
) -> DimensionResult:
    """One Jenis: each criterion's normalised score, the value, the computed and the final rating.

    `scored` holds (criterion, score, supervisor's note) for every applicable criterion of `jenis`.
    """
    value = weighted_value((c, nilai) for c, nilai, _ in scored)
    computed = rate(value, thresholds)
    results = tuple(
        CriterionResult(c, nilai, normalise(nilai, c.skala_min, c.skala_maks), catatan)
        for c, nilai, catatan in scored
    )
    return DimensionResult(
        jenis=jenis,
        value=value,
        computed_rating=computed,
        rating=override or computed,
        thresholds=thresholds,
        criteria=results,
    )
