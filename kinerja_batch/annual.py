"""A suggested annual predikat per employee, from the year's monthly (or, in a quarterly agency,
quarterly) results. Pure: no I/O.

This is a LOCAL RULE, not a regulation. PermenPANRB No. 6 Tahun 2022 sets no numeric conversion from
monthly results or predikat to the annual predikat: the Pejabat Penilai Kinerja decides it by
judging the whole year through the same matrix (DOMAIN.md, "Annual predikat"). What is computed here
is a transparent proposal for that decision, nothing more:

1. the mean of the employee's monthly Nilai Hasil Kerja and Nilai Perilaku Kerja of the year
   (the one-decimal values people saw), computed exactly and rounded half up to one decimal, the
   same way `compute.weighted_value` rounds a monthly value;
2. each mean rated with the given thresholds (`compute.rate`);
3. the two ratings through the predikat matrix (`compute.predikat`).

The monthly predikat are counted alongside, for the supervisor to weigh; they do not enter the
suggestion. A month whose rating the supervisor decided differently from the computed one counts
with its value in the mean and with its decided predikat in the counts.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from kinerja_batch.compute import exact, predikat, rate, round_half_up
from kinerja_batch.history import StoredResult
from kinerja_batch.model import (
    Granularity,
    Jenis,
    Predikat,
    Rating,
    Thresholds,
    TrendPoint,
    unit_key,
)

PREDIKAT_ORDER: tuple[Predikat, ...] = tuple(Predikat)  # Sangat Baik ... Sangat Kurang


@dataclass(frozen=True)
class AnnualSuggestion:
    """One employee's suggested annual predikat (a local rule; the supervisor decides).

    `months` are the year's evaluated periods, oldest first. `predikat_counts` has every canonical
    predikat as a key, in `PREDIKAT_ORDER`, with the number of months that had it (0 included).
    `thresholds_hasil` and `thresholds_perilaku` are the thresholds the means were rated with.
    """

    nip: str
    nama: str  # as in the latest evaluated month of the year
    unit_kerja: str  # as in the latest evaluated month of the year
    months: tuple[TrendPoint, ...]
    mean_hasil: float
    mean_perilaku: float
    rating_hasil: Rating
    rating_perilaku: Rating
    predikat: Predikat
    predikat_counts: dict[Predikat, int]
    thresholds_hasil: Thresholds
    thresholds_perilaku: Thresholds

    @property
    def granularity(self) -> Granularity:
        """Whether `months` are months or quarters (one granularity per suggestion)."""
        return self.months[0].periode.granularity if self.months else Granularity.BULANAN


def mean_value(values: Sequence[float]) -> float:
    """The mean of one-decimal values, exact, rounded half up to one decimal (79.95 -> 80.0)."""
    if not values:
        raise ValueError("no values to average")
    total = sum((exact(v) for v in values), Fraction(0))
    return float(round_half_up(total / len(values)))


def suggest_annual(
    results: Sequence[StoredResult],
    year: int,
    thresholds: Mapping[Jenis, Thresholds],
    granularity: Granularity = Granularity.BULANAN,
) -> list[AnnualSuggestion]:
    """The suggested annual predikat of every employee evaluated in `year` (a local rule).

    `results` are stored evaluated results (`History.evaluated()`), in any order; only those whose
    period lies in `year` and is of the agency's `granularity` count (a quarterly agency averages
    the year's quarters; months recorded before it went quarterly are left out). The suggestion is
    the local rule described in the module docstring: mean of the periods' values -> `thresholds`
    -> matrix. It is a proposal: no regulation converts monthly results into an annual predikat,
    and the Pejabat Penilai Kinerja decides it.

    Employees come sorted by Unit Kerja (case and spacing ignored), then name, then NIP. Two results
    for the same NIP and period are a caller's mistake and raise `ValueError`.
    """
    hasil_thresholds = thresholds[Jenis.HASIL]
    perilaku_thresholds = thresholds[Jenis.PERILAKU]

    by_nip: dict[str, list[StoredResult]] = {}
    for stored in results:
        periode = stored.point.periode
        if periode.year == year and periode.granularity is granularity:
            by_nip.setdefault(stored.nip, []).append(stored)

    suggestions = []
    for nip, stored_results in by_nip.items():
        stored_results.sort(key=lambda s: s.point.periode)
        months = tuple(s.point for s in stored_results)
        for earlier, later in itertools.pairwise(months):
            if earlier.periode == later.periode:
                raise ValueError(f"NIP {nip}: dua hasil untuk periode {later.periode.label}")
        latest = stored_results[-1]
        mean_hasil = mean_value([m.nilai_hasil for m in months])
        mean_perilaku = mean_value([m.nilai_perilaku for m in months])
        rating_hasil = rate(mean_hasil, hasil_thresholds)
        rating_perilaku = rate(mean_perilaku, perilaku_thresholds)
        counts = {p: 0 for p in PREDIKAT_ORDER}
        for m in months:
            counts[m.predikat] += 1
        suggestions.append(
            AnnualSuggestion(
                nip=nip,
                nama=latest.nama,
                unit_kerja=latest.unit_kerja,
                months=months,
                mean_hasil=mean_hasil,
                mean_perilaku=mean_perilaku,
                rating_hasil=rating_hasil,
                rating_perilaku=rating_perilaku,
                predikat=predikat(rating_hasil, rating_perilaku),
                predikat_counts=counts,
                thresholds_hasil=hasil_thresholds,
                thresholds_perilaku=perilaku_thresholds,
            )
        )
    suggestions.sort(key=lambda s: (unit_key(s.unit_kerja), s.nama.casefold(), s.nip))
    return suggestions
