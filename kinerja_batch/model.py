"""Plain data shared by the stages: what the workbooks say, once validated, and what is computed.

Every record that came from a workbook keeps a `Source` (file, sheet, cell) so that later checks can
point at the cell a person has to fix.
"""

from __future__ import annotations

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


@dataclass(frozen=True, order=True)
class Periode:
    """An evaluation period: one calendar month."""

    year: int
    month: int

    @property
    def key(self) -> str:
        """Machine form, used for folder and file names: `2026-11`."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """What people read: `November 2026`."""
        return f"{MONTHS_ID[self.month - 1]} {self.year}"

    def __str__(self) -> str:
        return self.label


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


@dataclass(frozen=True)
class Thresholds:
    """Lower bounds, on the 0-100 scale, of the two upper ratings."""

    di_atas: float
    sesuai: float


@dataclass(frozen=True)
class CriteriaSet:
    criteria: tuple[Criterion, ...]
    thresholds: Mapping[Jenis, Thresholds]
    nama_instansi: str
    predikat_organisasi: str | None
    source_file: str

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


@dataclass(frozen=True)
class DimensionResult:
    """The outcome for one Jenis: the shown one-decimal value, the computed and the decided rating."""

    jenis: Jenis
    value: float
    computed_rating: Rating
    rating: Rating
    thresholds: Thresholds
    criteria: tuple[CriterionResult, ...]

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

    @property
    def results(self) -> tuple[EmployeeResult, ...]:
        return tuple(o.result for o in self.outcomes if o.result is not None)
