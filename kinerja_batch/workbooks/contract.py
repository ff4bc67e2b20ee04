"""The workbook contract (v1), declared once: each kind of input workbook, its sheets and their columns.

The validators take their required and optional headers and form labels from here, the blank-template
writers (`forms.py`, `starter.py`) their header rows, widths, wrapping and Text format, `kinds.py` the
sheets that tell and make up each kind, and `scripts/make_format_docs.py` the tables in
docs/format.md. The contract is public: a sheet, column or label is never renamed or removed; the
contract grows only by optional additions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kinerja_batch.model import Jenis, Rating
from kinerja_batch.parsing import label_key
from kinerja_batch.settings import DEFAULT_SETTINGS


class Kind(StrEnum):
    KRITERIA = "kriteria"
    PEGAWAI = "pegawai"
    LAPORAN = "laporan"
    PENILAIAN = "penilaian"


@dataclass(frozen=True)
class Column:
    """A column of a table sheet."""

    header: str
    meaning: str  # a short English description, for the docs
    required: bool = False
    width: float = 12.0  # in the blank templates
    wrap: bool = False  # the templates wrap its text
    text: bool = False  # the templates format it as Text (NIPs)
    informational: bool = False  # shown in the templates, ignored when read
    default: str = ""  # what a blank or missing value means, where the contract gives one
    choices: tuple[str, ...] = ()  # the values it accepts, where it is a choice


@dataclass(frozen=True)
class TableSheet:
    """A sheet holding a table: a header row (a title may stand above it), then one row per item."""

    name: str
    columns: tuple[Column, ...]  # in the order the templates write them
    required: bool  # a workbook of its kind without this sheet is an error
    meaning: str

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def required_headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns if c.required)

    @property
    def optional_headers(self) -> tuple[str, ...]:
        """Headers read when present, informational ones included (they are known, not reported)."""
        return tuple(c.header for c in self.columns if not c.required)

    def column(self, header: str) -> Column:
        key = label_key(header)
        return next(c for c in self.columns if label_key(c.header) == key)


@dataclass(frozen=True)
class Label:
    """A label of a form sheet (column A), whose value stands beside it (column B)."""

    label: str
    meaning: str
    required: bool = True
    informational: bool = False  # written in the templates for people, not read
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormSheet:
    """A key/value sheet: labels in column A, values in column B."""

    name: str
    labels: tuple[Label, ...]  # in the order the templates write them
    required: bool
    meaning: str
    label_width: float  # column A in the templates
    value_width: float  # column B

    @property
    def required_labels(self) -> tuple[str, ...]:
        return tuple(x.label for x in self.labels if x.required)

    def label(self, label: str) -> Label:
        key = label_key(label)
        return next(x for x in self.labels if label_key(x.label) == key)


Sheet = TableSheet | FormSheet


@dataclass(frozen=True)
class WorkbookKind:
    """One kind of input workbook: the sheet that tells it, and every sheet it is read from."""

    kind: Kind
    marker: str
    sheets: tuple[Sheet, ...]

    def sheet(self, name: str) -> Sheet:
        key = label_key(name)
        return next(s for s in self.sheets if label_key(s.name) == key)


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _threshold_default(values: dict[Jenis, float]) -> str:
    distinct = set(values.values())
    if len(distinct) == 1:
        return _number(distinct.pop())
    return ", ".join(f"{jenis.value} {_number(v)}" for jenis, v in values.items())


JENIS = tuple(j.value for j in Jenis)
RATINGS = tuple(r.value for r in Rating)
JENIS_HASIL = ("Utama", "Tambahan")
KEPALA_UNIT_YES = "Ya"
PREDIKAT_ORGANISASI = ("Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")
_THRESHOLDS = DEFAULT_SETTINGS.thresholds


# --- the criteria workbook ------------------------------------------------------------------------

KRITERIA = TableSheet(
    "Kriteria",
    (
        Column("Kode", "unique code (ignoring case), e.g. `HK-PM-01`", required=True, width=12),
        Column("Jenis", "the kind of criterion", required=True, width=16, choices=JENIS),
        Column(
            "Bidang",
            "the role family it applies to (e.g. `Pendidikan`), or `Semua` for every one",
            required=True,
            width=24,
        ),
        Column(
            "Kriteria",
            "the criterion's name, e.g. `Responsivitas layanan`",
            required=True,
            width=38,
        ),
        Column("Bobot", "weight in percent, > 0", required=True, width=9),
        Column("Skala Min", "lowest score", width=10, default=_number(DEFAULT_SETTINGS.skala_min)),
        Column(
            "Skala Maks", "highest score", width=10, default=_number(DEFAULT_SETTINGS.skala_maks)
        ),
        Column("Deskripsi", "what is assessed, shown in the feedback PDF", width=70, wrap=True),
        Column(
            "Jenis Hasil",
            "Hasil Kerja rows only: a main (`Utama`) or additional (`Tambahan`) work result; under "
            '`metode = "butir"` a `Utama` result below expectation keeps the rating from '
            "*Di Atas Ekspektasi*",
            width=13,
            default="Utama",
            choices=JENIS_HASIL,
        ),
        Column(
            "Batas Di Atas",
            "item method (`butir`): lowest score, on the criterion's own scale, read as above "
            "expectation",
            width=13,
            default="Skala Maks",
        ),
        Column(
            "Batas Sesuai",
            "item method (`butir`): lowest score, on the criterion's own scale, read as expected; "
            "below it is below expectation",
            width=13,
            default="(Skala Min + Skala Maks) / 2",
        ),
    ),
    required=True,
    meaning="the criteria, one row each",
)

AMBANG = TableSheet(
    "Ambang",
    (
        Column(
            "Jenis", "the kind of criterion the row is for", required=True, width=18, choices=JENIS
        ),
        Column(
            "Di Atas Ekspektasi",
            "lowest weighted score (0-100) rated *Di Atas Ekspektasi*",
            required=True,
            width=20,
            default=_threshold_default({j: t.di_atas for j, t in _THRESHOLDS.items()}),
        ),
        Column(
            "Sesuai Ekspektasi",
            "lowest weighted score (0-100) rated *Sesuai Ekspektasi*; below it is "
            "*Di Bawah Ekspektasi*",
            required=True,
            width=20,
            default=_threshold_default({j: t.sesuai for j, t in _THRESHOLDS.items()}),
        ),
    ),
    required=False,
    meaning="the rating thresholds per Jenis; the defaults apply to a Jenis without a row",
)

PENGATURAN = FormSheet(
    "Pengaturan",
    (
        Label("Nama Instansi", "the agency's name, in the PDF letterhead", required=False),
        Label(
            "Predikat Kinerja Organisasi",
            "the organisation's own rating, for the distribution check",
            required=False,
            choices=PREDIKAT_ORGANISASI,
        ),
    ),
    required=False,
    meaning="settings for the whole agency",
    label_width=30,
    value_width=45,
)

CAPAIAN_ORGANISASI = TableSheet(
    "Capaian Organisasi",
    (
        Column(
            "Unit Kerja",
            "the unit, as in the roster's `Unit Kerja`; blank or the agency's name (`Nama Instansi`) "
            "for the whole agency",
            width=32,
        ),
        Column("Periode", "the period, e.g. `November 2026`", required=True, width=18),
        Column(
            "Capaian",
            "the unit's Capaian Kinerja Organisasi for the period; it sets the pola distribusi of "
            "the unit and its head's Rating Hasil Kerja (SE MenPANRB 3/2023 as summarised by a "
            "secondary source: a setting, checked as warnings)",
            required=True,
            width=18,
            choices=PREDIKAT_ORGANISASI,
        ),
    ),
    required=False,
    meaning="each unit's Capaian Kinerja Organisasi per period; where a unit has none for a period "
    "the agency-wide row applies, else `Predikat Kinerja Organisasi` of `Pengaturan`",
)

# --- the roster -----------------------------------------------------------------------------------

PEGAWAI = TableSheet(
    "Pegawai",
    (
        Column("NIP", "18-digit NIP, unique", required=True, width=21, text=True),
        Column("Nama", "full name with titles", required=True, width=32),
        Column("Jabatan", "position", required=True, width=32),
        Column("Unit Kerja", "unit (department)", required=True, width=32),
        Column(
            "Bidang",
            "role family; a `Bidang` of `Kriteria`, unless its `Semua` rows alone are complete",
            required=True,
            width=24,
        ),
        Column(
            "NIP Atasan",
            "the direct supervisor's NIP; blank only for the head of the organisation",
            width=21,
            text=True,
        ),
        Column("Email", "where the feedback PDF is sent", width=34),
        Column(
            "Kepala Unit",
            "`Ya` for the head of the `Unit Kerja` on that row; where no row of a unit says `Ya`, "
            "the head is the one person of the unit whose own supervisor is outside the unit (or "
            "who has none) and who supervises staff of the unit, if exactly one person fits",
            width=12,
            choices=(KEPALA_UNIT_YES,),
        ),
        Column(
            "Pangkat/Golongan",
            "rank and grade, e.g. `Penata Tk. I (III/d)`, shown in the feedback PDF",
            width=26,
        ),
    ),
    required=True,
    meaning="every employee evaluated, one row each",
)

# --- the employee's self-report -------------------------------------------------------------------

IDENTITAS_LAPORAN = FormSheet(
    "Identitas",
    (
        Label("NIP", "the employee's NIP"),
        Label("Nama", "the employee's name"),
        Label(
            "Periode",
            "the month reported on, e.g. `November 2026` (quarterly: `Triwulan III 2026`)",
        ),
        Label("Jabatan", "the employee's position", required=False, informational=True),
        Label("Unit Kerja", "the employee's unit", required=False, informational=True),
        Label("Bidang", "the employee's role family", required=False, informational=True),
        Label(
            "Atasan Langsung",
            "the direct supervisor's name and NIP",
            required=False,
            informational=True,
        ),
    ),
    required=True,
    meaning="who reports, for which period",
    label_width=22,
    value_width=48,
)

CAPAIAN = TableSheet(
    "Capaian",
    (
        Column(
            "Kode Kriteria",
            "a Hasil Kerja criterion of the employee's bidang",
            required=True,
            width=14,
        ),
        Column("Kriteria", "the criterion's name", width=30, wrap=True, informational=True),
        Column("Indikator", "what is measured", required=True, width=32, wrap=True),
        Column("Target", "the target, a number", required=True, width=11),
        Column("Realisasi", "what was reached, a number", required=True, width=11),
        Column("Satuan", "the unit of Target and Realisasi", width=12),
        Column("Uraian", "what was achieved, free text", width=55, wrap=True),
        Column("Bukti", "evidence", width=32, wrap=True),
    ),
    required=True,
    meaning="the achievements, one row per indicator",
)

TANTANGAN = TableSheet(
    "Tantangan",
    (
        Column("Tantangan", "a challenge met in the period", required=True, width=60, wrap=True),
        Column("Dampak", "its effect on the work", width=60, wrap=True),
    ),
    required=False,
    meaning="challenges met",
)

RENCANA_PERBAIKAN = TableSheet(
    "Rencana Perbaikan",
    (
        Column("Rencana", "what the employee will do better", required=True, width=70, wrap=True),
        Column("Target Waktu", "by when", width=24, wrap=True),
    ),
    required=False,
    meaning="plans to improve",
)

# --- the supervisor's scores ----------------------------------------------------------------------

IDENTITAS_PENILAIAN = FormSheet(
    "Identitas",
    (
        Label("NIP Penilai", "the supervisor's NIP"),
        Label("Nama Penilai", "the supervisor's name"),
        Label("Periode", "the month scored, e.g. `November 2026` (quarterly: `Triwulan III 2026`)"),
        Label("Jabatan", "the supervisor's position", required=False, informational=True),
        Label("Unit Kerja", "the supervisor's unit", required=False, informational=True),
    ),
    required=True,
    meaning="who scores, for which period",
    label_width=22,
    value_width=48,
)

NILAI = TableSheet(
    "Nilai",
    (
        Column("NIP", "the employee scored", required=True, width=21, text=True),
        Column("Nama", "the employee's name", width=28, wrap=True, informational=True),
        Column("Kode Kriteria", "the criterion scored", required=True, width=13),
        Column("Kriteria", "the criterion's name", width=34, wrap=True, informational=True),
        Column("Skala", "the criterion's scale, e.g. `1-5`", width=8, informational=True),
        Column("Nilai", "the score, within the criterion's scale", required=True, width=9),
        Column("Catatan", "a note on the score", width=45, wrap=True),
        Column(
            "Ekspektasi Khusus",
            "Perilaku Kerja rows: the leader's specific expectation for that value, shown in the "
            "feedback PDF",
            width=40,
            wrap=True,
        ),
    ),
    required=True,
    meaning="the scores, one row per employee and criterion",
)

UMPAN_BALIK = TableSheet(
    "Umpan Balik",
    (
        Column("NIP", "the employee", required=True, width=21, text=True),
        Column("Nama", "the employee's name", width=28, wrap=True, informational=True),
        Column("Umpan Balik", "feedback to the employee", required=True, width=55, wrap=True),
        Column(
            "Rekomendasi",
            "e.g. continue and widen a programme, training to take",
            width=45,
            wrap=True,
        ),
        Column(
            "Rating Hasil Kerja",
            "overrides the computed rating; needs a non-empty `Umpan Balik`",
            width=22,
            choices=RATINGS,
        ),
        Column(
            "Rating Perilaku Kerja",
            "overrides the computed rating; needs a non-empty `Umpan Balik`",
            width=22,
            choices=RATINGS,
        ),
    ),
    required=False,
    meaning="feedback and recommendations, one row per employee",
)

# --- the kinds ------------------------------------------------------------------------------------

WORKBOOKS: dict[Kind, WorkbookKind] = {
    Kind.KRITERIA: WorkbookKind(
        Kind.KRITERIA, KRITERIA.name, (KRITERIA, AMBANG, PENGATURAN, CAPAIAN_ORGANISASI)
    ),
    Kind.PEGAWAI: WorkbookKind(Kind.PEGAWAI, PEGAWAI.name, (PEGAWAI,)),
    Kind.LAPORAN: WorkbookKind(
        Kind.LAPORAN, CAPAIAN.name, (IDENTITAS_LAPORAN, CAPAIAN, TANTANGAN, RENCANA_PERBAIKAN)
    ),
    Kind.PENILAIAN: WorkbookKind(
        Kind.PENILAIAN, NILAI.name, (IDENTITAS_PENILAIAN, NILAI, UMPAN_BALIK)
    ),
}
