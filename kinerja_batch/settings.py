"""Defaults in one place: every tunable number the stages use comes from a `Settings` object."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum

from kinerja_batch.model import Granularity, Jenis, Predikat, Rating, Thresholds


def usable_cpus() -> int:
    """The CPUs this process may run on (a container or `taskset` may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _default_thresholds() -> dict[Jenis, Thresholds]:
    return {jenis: Thresholds(di_atas=80.0, sesuai=50.0) for jenis in Jenis}


class Bound(StrEnum):
    """How a distribution rule bounds the share of some predikat (see `ShareRule`)."""

    TERBANYAK = "terbanyak"  # the most frequent predikat (ties allowed)
    MINIMAL = "minimal"  # at least `percent` percent
    MAKSIMAL = "maksimal"  # at most `percent` percent
    ADA = "ada"  # at least one employee


@dataclass(frozen=True)
class ShareRule:
    """One rule on the period's predikat distribution: the share of employees whose predikat is
    any of `predikat` is bounded as `bound` says (DOMAIN.md, "Distribution of predikat")."""

    predikat: tuple[Predikat, ...]
    bound: Bound
    percent: float = 0.0


def _default_distribution_rules() -> dict[str, tuple[ShareRule, ...]]:
    """SE MenPANRB No. 3 Tahun 2023 as DOMAIN.md summarises it (medium confidence): per
    organisation predikat, the rules on its employees' predikat. Checked as warnings only."""
    sb, b, bp = Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN
    k, sk = Predikat.KURANG, Predikat.SANGAT_KURANG
    return {
        "Istimewa": (ShareRule((sb,), Bound.TERBANYAK), ShareRule((sb,), Bound.MAKSIMAL, 70.0)),
        "Baik": (
            ShareRule((b,), Bound.TERBANYAK),
            ShareRule((b,), Bound.MAKSIMAL, 70.0),
            ShareRule((bp, k), Bound.ADA),
        ),
        "Butuh Perbaikan": (
            ShareRule((bp,), Bound.MINIMAL, 60.0),
            ShareRule((sb,), Bound.MAKSIMAL, 10.0),
        ),
        "Kurang": (
            ShareRule((k,), Bound.MINIMAL, 60.0),
            ShareRule((bp,), Bound.MINIMAL, 10.0),
            ShareRule((sb,), Bound.MAKSIMAL, 10.0),
        ),
        "Sangat Kurang": (
            ShareRule((sk,), Bound.MINIMAL, 60.0),
            ShareRule((k, bp), Bound.MINIMAL, 10.0),
            ShareRule((sb,), Bound.MAKSIMAL, 0.0),
        ),
    }


# How a dimension's rating is computed (`[penilaian] metode` in kinerja.toml): `bobot`, the weighted
# value against the `Ambang` thresholds (a local method), or `butir`, the item rule of PermenPANRB
# 6/2022 (each criterion read as below / as / above expectation, then the majority).
RATING_METHODS = ("bobot", "butir")
# How the documents name each method (the PDF's identity block, the summary's `Ringkasan`).
RATING_METHOD_LABELS = {
    "bobot": "Bobot (nilai berbobot dan ambang instansi)",
    "butir": "Butir (per hasil kerja dan perilaku, PermenPANRB No. 6 Tahun 2022)",
}


def _default_unit_head_ratings() -> dict[str, Rating]:
    """SE MenPANRB No. 3 Tahun 2023 as DOMAIN.md summarises it (medium confidence): a unit head's
    Rating Hasil Kerja follows the Capaian Kinerja Organisasi of the unit they lead."""
    return {
        "Istimewa": Rating.DI_ATAS,
        "Baik": Rating.SESUAI,
        "Butuh Perbaikan": Rating.DI_BAWAH,
        "Kurang": Rating.DI_BAWAH,
        "Sangat Kurang": Rating.DI_BAWAH,
    }


@dataclass(frozen=True)
class ReadLimits:
    """What a workbook may be before it is parsed; beyond these it is reported, not read."""

    max_file_bytes: int = 50_000_000
    max_zip_entries: int = 5_000
    max_uncompressed_bytes: int = 150_000_000
    max_compression_ratio: int = 200  # zip bombs reach thousands; real sheets stay below ~50
    max_rows: int = 200_000


@dataclass(frozen=True)
class Settings:
    # Criteria defaults (CONTRACT.md).
    skala_min: float = 1.0
    skala_maks: float = 5.0
    weight_tolerance: float = 0.01
    thresholds: dict[Jenis, Thresholds] = field(default_factory=_default_thresholds)
    rating_method: str = "bobot"  # one of RATING_METHODS

    # The agency's name when the criteria workbook's `Pengaturan` sheet does not give one.
    nama_instansi: str = ""
    # How long the agency's evaluation period is (`[periode] granularitas` in kinerja.toml): a
    # period read from a workbook is the agency's (a month in a quarterly agency is its quarter).
    granularity: Granularity = Granularity.BULANAN

    # Feedback PDF.
    unit_average_min_employees: int = (
        5  # below this a unit average could reveal a colleague's score
    )
    strengths_count: int = 2
    max_text_chars: int = 4000  # longer texts are cut in the PDF, with a visible note
    trend_periods: int = 6  # periods of history shown in the PDF's trend

    # Reading.
    supported_suffixes: tuple[str, ...] = (".xlsx", ".xlsm", ".xls", ".ods")
    limits: ReadLimits = field(default_factory=ReadLimits)

    # Rendering: how many processes write the feedback PDFs (1: all in the running process).
    workers: int = field(default_factory=usable_cpus)

    # Checks for HR (calibration.py): information only, nothing is changed by them.
    # A supervisor is marked only for a pattern across at least `calibration_min_employees`
    # evaluated employees (never fewer than 2), compared with at least `calibration_min_others`
    # other supervisors:
    # (a) their mean Nilai of a Jenis outside the range expected for a team of their size: the
    #     other supervisors' mean (Hasil Kerja: moved for the team's achievement) plus or minus
    #     `calibration_z_threshold` standard deviations of such a team's mean, and never less
    #     than `calibration_min_difference` points;
    calibration_min_employees: int = 3
    calibration_min_others: int = 3
    calibration_z_threshold: float = 2.5
    calibration_min_difference: float = 10.0
    # How far ordinary supervisors' own tendencies spread (standard deviation, points): the
    # office's own robust estimate, combined with `..._typical_sd` counted as if it came from
    # `..._typical_weight` supervisors, so that a small office gets neither a needle-thin nor a
    # huge range from the few supervisors it has (empirical Bayes).
    calibration_typical_sd: float = 5.0
    calibration_typical_weight: float = 10.0
    # Achievement (realisation as a percent of target) is capped at `..._cap` per row; Hasil
    # Kerja is adjusted for it when at least `..._min_employees` employees in teams of two or
    # more reported figures (benchmarks/calibration_sim.py measures all of these defaults).
    calibration_achievement_cap: float = 150.0
    calibration_achievement_min_employees: int = 10
    # (b) more than `calibration_straight_line_share` of their employees straight-lined: every
    #     criterion (at least `..._min_criteria`) got the same score;
    calibration_straight_line_share: float = 0.5
    calibration_straight_line_min_criteria: int = 3
    # (c) more than `calibration_top_share` of their criterion scores at the scale's top.
    calibration_top_share: float = 0.5
    # The organisation's predikat when the criteria workbook's `Pengaturan` does not give one.
    predikat_organisasi: str = ""
    distribution_rules: dict[str, tuple[ShareRule, ...]] = field(
        default_factory=_default_distribution_rules
    )
    # A unit head's Rating Hasil Kerja per Capaian Kinerja Organisasi of their unit.
    unit_head_ratings: dict[str, Rating] = field(default_factory=_default_unit_head_ratings)
    # Units with fewer evaluated employees than this are listed but their shares not judged.
    distribution_min_employees: int = 5
    # Evidence: realisation below `evidence_low_percent` of target scored at the scale's maximum,
    # or at least `evidence_high_percent` scored at its minimum.
    evidence_low_percent: float = 60.0
    evidence_high_percent: float = 100.0


DEFAULT_SETTINGS = Settings()
