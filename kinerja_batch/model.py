"""Plain data shared by the stages: what the workbooks say, once validated, and what is computed.

Every record that came from a workbook keeps a `Source` (file, sheet, cell) so that later checks can
point at the cell a person has to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from kinerja_batch.findings import Finding, Source


class Jenis(StrEnum):
    HASIL = "Hasil Kerja"
    PERILAKU = "Perilaku Kerja"


class Rating(StrEnum):
    DI_ATAS = "Di Atas Ekspektasi"
    SESUAI = "Sesuai Ekspektasi"
    DI_BAWAH = "Di Bawah Ekspektasi"


class Predikat(StrEnum):
    SANGAT_BAIK = "Sangat Baik"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    KURANG = "Kurang/Misconduct"
    SANGAT_KURANG = "Sangat Kurang"


class Status(StrEnum):
    """An employee's state in a period's summary."""

    DINILAI = "Dinilai"
    BELUM_DINILAI = "Belum dinilai"
    BELUM_ADA_LAPORAN = "Belum ada laporan"
    DIBLOKIR = "Diblokir temuan"


STATUS_ORDER: tuple[Status, ...] = tuple(Status)  # the one order of statuses in every table


MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


ROMAN = ("I", "II", "III", "IV")  # the quarters as the regulation's form writes them


class Granularity(StrEnum):
    """How long an agency's evaluation period is (`kinerja.toml`, `[periode] granularitas`)."""

    BULANAN = "bulanan"  # a calendar month
    TRIWULANAN = "triwulanan"  # a calendar quarter (Triwulan I-IV)

    @property
    def noun(self) -> str:
        """One such period, as people say it: `bulan`, `triwulan` (the value is the adjective)."""
        return "bulan" if self is Granularity.BULANAN else "triwulan"


@dataclass(frozen=True, order=True, repr=False)
class Periode:
    """An evaluation period: one calendar month, or one calendar quarter.

    `Periode(2026, 11)` is November 2026. A quarter is `Periode.triwulan(2026, 3)`, stored with the
    quarter's first month (`Periode(2026, 7, Granularity.TRIWULANAN)`), so that periods sort by
    their first day (a quarter right after the month it starts with)."""

    year: int
    month: int
    granularity: Granularity = Granularity.BULANAN

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1-12")
        if self.is_quarter and self.month % 3 != 1:
            raise ValueError(f"a quarter starts in month 1, 4, 7 or 10, not {self.month}")

    @classmethod
    def triwulan(cls, year: int, quarter: int) -> Periode:
        """The quarter `quarter` (1-4) of `year`."""
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter {quarter} is not 1-4")
        return cls(year, 3 * quarter - 2, Granularity.TRIWULANAN)

    @property
    def is_quarter(self) -> bool:
        return self.granularity is Granularity.TRIWULANAN

    @property
    def quarter(self) -> int:
        """The quarter (1-4) the period lies in (a month's too)."""
        return (self.month - 1) // 3 + 1

    def within(self, granularity: Granularity) -> Periode | None:
        """This period in an agency of `granularity`: a month lies in its quarter; a quarter is
        no month (None)."""
        if granularity is self.granularity:
            return self
        if granularity is Granularity.TRIWULANAN:
            return Periode.triwulan(self.year, self.quarter)
        return None

    @property
    def key(self) -> str:
        """Machine form, used for folder and file names: `2026-11`, `2026-Q3`."""
        if self.is_quarter:
            return f"{self.year:04d}-Q{self.quarter}"
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """What people read: `November 2026`, `Triwulan III 2026`."""
        if self.is_quarter:
            return f"Triwulan {ROMAN[self.quarter - 1]} {self.year}"
        return f"{MONTHS_ID[self.month - 1]} {self.year}"

    @property
    def short_label(self) -> str:
        """For narrow places (chart axes): `Nov 2026`, `TW III 2026`."""
        if self.is_quarter:
            return f"TW {ROMAN[self.quarter - 1]} {self.year}"
        return f"{MONTHS_ID[self.month - 1][:3]} {self.year}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        last_month = self.month + (2 if self.is_quarter else 0)
        following = dt.date(self.year + last_month // 12, last_month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:  # a month's as before quarters existed (document ids hash it)
        if self.is_quarter:
            return (
                f"Periode(year={self.year}, month={self.month}, granularity={self.granularity!r})"
            )
        return f"Periode(year={self.year}, month={self.month})"


@dataclass(frozen=True)
class Criterion:
    kode: str
    jenis: Jenis
    bidang: str  # as written in the workbook; `Semua` applies to every bidang
    nama: str
    bobot: float
    skala_min: float
    skala_maks: float
    deskripsi: str
    source: Source  # the Kode cell
    bobot_source: Source = field(default_factory=Source)  # the Bobot cell
    # Contract v2 (all optional): `Jenis Hasil` (Utama, the default, or Tambahan; Hasil Kerja only)
    # and the item method's bounds on the criterion's own scale (None: the scale's defaults).
    utama: bool = True
    batas_di_atas: float | None = None
    batas_sesuai: float | None = None


@dataclass(frozen=True)
class Thresholds:
    """Lower bounds, on the 0-100 scale, of the two upper ratings."""

    di_atas: float
    sesuai: float


@dataclass(frozen=True)
class OrganisationCapaian:
    """One row of the criteria workbook's `Capaian Organisasi` sheet: the Capaian Kinerja
    Organisasi of a unit (blank: the whole agency) in a period."""

    unit_kerja: str  # blank for the agency-wide value
    periode: Periode
    capaian: str  # one of `Istimewa`, `Baik`, `Butuh Perbaikan`, `Kurang`, `Sangat Kurang`
    source: Source  # the Capaian cell


@dataclass(frozen=True)
class CriteriaSet:
    criteria: tuple[Criterion, ...]
    thresholds: Mapping[Jenis, Thresholds]
    nama_instansi: str
    predikat_organisasi: str | None
    source_file: str
    capaian_organisasi: tuple[OrganisationCapaian, ...] = ()

    def by_code(self) -> dict[str, Criterion]:
        return {c.kode.casefold(): c for c in self.criteria}

    def known_bidang(self) -> set[str]:
        """Bidang (case-folded) that have rows of their own."""
        return {bidang_key(c.bidang) for c in self.criteria if not is_semua(c.bidang)}

    def applicable(self, bidang: str, jenis: Jenis | None = None) -> tuple[Criterion, ...]:
        """The criteria that apply to a bidang: its own rows plus the `Semua` rows, in sheet order."""
        key = bidang_key(bidang)
        return tuple(
            c
            for c in self.criteria
            if (is_semua(c.bidang) or bidang_key(c.bidang) == key)
            and (jenis is None or c.jenis is jenis)
        )


def capaian_organisasi(
    criteria: CriteriaSet, unit_kerja: str | None, periode: Periode, fallback: str | None = None
) -> str | None:
    """The Capaian Kinerja Organisasi of `unit_kerja` (None: the whole agency) in `periode`: the
    unit's own row for the period, else the agency-wide row for the period, else `Pengaturan`'s
    `Predikat Kinerja Organisasi`, else `fallback` (the configuration's), else None."""
    own = unit_capaian(criteria, unit_kerja, periode) if unit_kerja else None
    return (
        own
        or unit_capaian(criteria, "", periode)
        or criteria.predikat_organisasi
        or fallback
        or None
    )


def unit_capaian(criteria: CriteriaSet, unit_kerja: str, periode: Periode) -> str | None:
    """The `Capaian Organisasi` row of exactly this unit (blank: the agency-wide row) and period."""
    key = unit_key(unit_kerja)
    rows = criteria.capaian_organisasi
    return next(
        (r.capaian for r in rows if r.periode == periode and unit_key(r.unit_kerja) == key), None
    )


def bidang_key(bidang: str) -> str:
    return " ".join(bidang.split()).casefold()


def unit_key(unit_kerja: str) -> str:
    """Units are the same unit whatever their case and spacing."""
    return " ".join(unit_kerja.split()).casefold()


def is_semua(bidang: str) -> bool:
    return bidang_key(bidang) == "semua"


@dataclass(frozen=True)
class Employee:
    nip: str
    nama: str
    jabatan: str
    unit_kerja: str
    bidang: str
    nip_atasan: str | None
    email: str | None
    source: Source
    pangkat: str = ""  # `Pangkat/Golongan`, e.g. `Penata Tk. I (III/d)` (contract v2, optional)
    kepala_unit: bool = False  # heads its `unit_kerja` (roster `Kepala Unit`, or derived)


@dataclass(frozen=True)
class Achievement:
    """One row of the self-report's `Capaian` sheet."""

    kode: str
    indikator: str
    target: float | None
    realisasi: float | None
    satuan: str
    uraian: str
    bukti: str
    source: Source

    @property
    def percent(self) -> float | None:
        """Realisation as a percentage of the target, where both are known and the target is not 0."""
        if self.target is None or self.realisasi is None or self.target == 0:
            return None
        return self.realisasi / self.target * 100


@dataclass(frozen=True)
class Challenge:
    tantangan: str
    dampak: str


@dataclass(frozen=True)
class Plan:
    rencana: str
    target_waktu: str


@dataclass(frozen=True)
class SelfReport:
    nip: str
    nama: str
    periode: Periode
    achievements: tuple[Achievement, ...]
    challenges: tuple[Challenge, ...]
    plans: tuple[Plan, ...]
    source_file: str
    # The `Identitas` cells of NIP, Nama and Periode.
    nip_source: Source = field(default_factory=Source)
    nama_source: Source = field(default_factory=Source)
    periode_source: Source = field(default_factory=Source)


@dataclass(frozen=True)
class Score:
    nip: str
    kode: str
    nilai: float | None  # None when the cell was left blank (a finding, found later)
    catatan: str
    source: Source  # the Nilai cell
    nip_source: Source = field(default_factory=Source)  # the NIP cell of the same row
    kode_source: Source = field(default_factory=Source)  # the Kode Kriteria cell of the same row
    unreadable: bool = False  # the cell holds something that is not a score (already reported)
    ekspektasi_khusus: str = ""  # the leader's specific expectation (Perilaku Kerja rows; v2)


@dataclass(frozen=True)
class Feedback:
    nip: str
    umpan_balik: str
    rekomendasi: str
    override_hasil: Rating | None
    override_perilaku: Rating | None
    source: Source  # the NIP cell
    umpan_balik_source: Source = field(default_factory=Source)  # the row's Umpan Balik cell


@dataclass(frozen=True)
class ScoreSheet:
    """One supervisor's workbook of scores (`Nilai`) and feedback (`Umpan Balik`)."""

    nip_penilai: str
    nama_penilai: str
    periode: Periode
    scores: tuple[Score, ...]
    feedback: tuple[Feedback, ...]
    source_file: str


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    nilai: float
    normalised: float
    catatan: str
    # Under the item method (`butir`): the score read against the criterion's bounds.
    expectation: Rating | None = None
    ekspektasi_khusus: str = ""  # the leader's specific expectation, where one was written


@dataclass(frozen=True)
class DimensionResult:
    """The outcome for one Jenis: the shown one-decimal value, the computed and the decided rating."""

    jenis: Jenis
    value: float
    computed_rating: Rating
    rating: Rating
    thresholds: Thresholds
    criteria: tuple[CriterionResult, ...]
    method: str = "bobot"  # how `computed_rating` was reached: `bobot` or `butir` (RatingMethod)

    @property
    def overridden(self) -> bool:
        return self.rating is not self.computed_rating


@dataclass(frozen=True)
class EmployeeResult:
    employee: Employee
    periode: Periode
    hasil: DimensionResult
    perilaku: DimensionResult
    predikat: Predikat
    feedback: Feedback | None
    report: SelfReport | None
    penilai: ScoreSheet  # the supervisor's workbook the scores came from
    atasan: Employee | None  # the supervisor's roster entry, where the roster has one
    # The unit's Capaian Kinerja Organisasi for the period, where known; for a unit head whose
    # Rating Hasil Kerja follows it (SE MenPANRB 3/2023), `hasil_follows_capaian` is True.
    capaian_organisasi: str | None = None
    hasil_follows_capaian: bool = False

    @property
    def dimensions(self) -> tuple[DimensionResult, DimensionResult]:
        return (self.hasil, self.perilaku)


@dataclass(frozen=True)
class TrendPoint:
    """One evaluated period of an employee's history (from the working folder's database)."""

    periode: Periode
    nilai_hasil: float
    rating_hasil: Rating
    nilai_perilaku: float
    rating_perilaku: Rating
    predikat: Predikat


@dataclass(frozen=True)
class EmployeeOutcome:
    """One roster employee in one period: the status, and the result where one was computed."""

    employee: Employee
    status: Status
    result: EmployeeResult | None


@dataclass(frozen=True)
class PeriodOutcome:
    """Everything the summary workbook shows for one period."""

    periode: Periode
    criteria: CriteriaSet
    outcomes: tuple[EmployeeOutcome, ...]  # one per roster employee, in roster order
    findings: tuple[Finding, ...]  # every finding of the run that concerns this period
    rating_method: str = "bobot"  # how ratings were computed: `bobot` or `butir`

    @property
    def results(self) -> tuple[EmployeeResult, ...]:
        return tuple(o.result for o in self.outcomes if o.result is not None)
