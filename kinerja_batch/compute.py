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
from kinerja_batch.settings import RATING_METHODS

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


# --- the item rule (`butir`, PermenPANRB 6/2022) ---------------------------------------------------


def item_bounds(criterion: Criterion) -> tuple[Fraction, Fraction]:
    """(lowest score above expectation, lowest score as expected) on the criterion's own scale.

    Defaults from the scale: above is the top of the scale; as expected starts at the scale's
    middle (on 1-5: 5 above, 3-4 as expected, 1-2 below). `Batas Di Atas` and `Batas Sesuai`
    override either bound per criterion."""
    low, high = exact(criterion.skala_min), exact(criterion.skala_maks)
    di_atas = high if criterion.batas_di_atas is None else exact(criterion.batas_di_atas)
    sesuai = (low + high) / 2 if criterion.batas_sesuai is None else exact(criterion.batas_sesuai)
    return di_atas, sesuai


def item_expectation(criterion: Criterion, nilai: float) -> Rating:
    """One item (a work result or a BerAKHLAK value) read as below / as / above expectation."""
    di_atas, sesuai = item_bounds(criterion)
    score = exact(nilai)
    if score >= di_atas:
        return Rating.DI_ATAS
    if score >= sesuai:
        return Rating.SESUAI
    return Rating.DI_BAWAH


def rate_items(jenis: Jenis, items: Sequence[tuple[Criterion, Rating]]) -> Rating:
    """The item rule: Di Atas Ekspektasi when more than half (or all) items are above expectation
    and, for Hasil Kerja, no Utama item is below; Di Bawah Ekspektasi when more than half are
    below; otherwise Sesuai Ekspektasi. A tie is no majority."""
    if not items:
        raise ValueError("no items")
    above = sum(1 for _, r in items if r is Rating.DI_ATAS)
    below = sum(1 for _, r in items if r is Rating.DI_BAWAH)
    utama_below = jenis is Jenis.HASIL and any(c.utama and r is Rating.DI_BAWAH for c, r in items)
    if 2 * above > len(items) and not utama_below:
        return Rating.DI_ATAS
    if 2 * below > len(items):
        return Rating.DI_BAWAH
    return Rating.SESUAI


def evaluate_dimension(
    jenis: Jenis,
    scored: Sequence[tuple[Criterion, float, str]],
    thresholds: Thresholds,
    override: Rating | None = None,
    method: str = "bobot",
    ekspektasi_khusus: Mapping[str, str] | None = None,
) -> DimensionResult:
    """One Jenis: each criterion's normalised score, the value, the computed and the final rating.

    `scored` holds (criterion, score, supervisor's note) for every applicable criterion of `jenis`.
    `method` is `bobot` (the weighted value against `thresholds`) or `butir` (the item rule); the
    weighted value is computed either way, for the summary and the trends. `ekspektasi_khusus`
    maps a criterion's code (case-folded) to the leader's specific expectation.
    """
    if method not in RATING_METHODS:
        raise ValueError(f"unknown rating method {method!r}")
    value = weighted_value((c, nilai) for c, nilai, _ in scored)
    expectations = [
        item_expectation(c, nilai) if method == "butir" else None for c, nilai, _ in scored
    ]
    if method == "butir":
        computed = rate_items(
            jenis, [(c, r) for (c, _, _), r in zip(scored, expectations, strict=True) if r]
        )
    else:
        computed = rate(value, thresholds)
    special = ekspektasi_khusus or {}
    results = tuple(
        CriterionResult(
            c,
            nilai,
            normalise(nilai, c.skala_min, c.skala_maks),
            catatan,
            expectation=expectation,
            ekspektasi_khusus=special.get(c.kode.casefold(), ""),
        )
        for (c, nilai, catatan), expectation in zip(scored, expectations, strict=True)
    )
    return DimensionResult(
        jenis=jenis,
        value=value,
        computed_rating=computed,
        rating=override or computed,
        thresholds=thresholds,
        criteria=results,
        method=method,
    )
