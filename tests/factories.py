"""Fixture factories: a small valid inbox as plain rows, and functions that plant one flaw each.

`valid_inbox()` describes a tiny office: the head (H), a section head (A) who reports to H and scores
two staff (E1, E2) in bidang Pelayanan Masyarakat. Each flaw function changes that description in one
way and returns where the finding must point.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

Rows = list[list[object]]

NIP_H = "197001011995031001"
NIP_A = "198001012005011002"
NIP_E1 = "199002142015032001"
NIP_E2 = "199505052020121001"
NIP_PPPK = "199812312024211002"  # a PPPK number, in the roster but not scored


@dataclass
class Book:
    sheets: dict[str, Rows]

    def write(self, path: Path) -> None:
        wb = openpyxl.Workbook()
        assert wb.active is not None
        wb.remove(wb.active)
        for name, rows in self.sheets.items():
            ws = wb.create_sheet(name)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row, start=1):
                    if value is None:
                        continue
                    cell = ws.cell(row=r, column=c, value=value)
                    if isinstance(value, str):
                        cell.data_type = "s"  # text stays text, even when it starts with '='
                        cell.number_format = "@"
        wb.save(path)


@dataclass
class InboxSpec:
    books: dict[str, Book] = field(default_factory=dict)
    copies: dict[str, str] = field(default_factory=dict)  # name -> the book whose bytes it repeats

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, book in self.books.items():
            book.write(folder / name)
        _write_copies(self, folder)
        return folder

    def sheet(self, file: str, sheet: str) -> Rows:
        return self.books[file].sheets[sheet]


KRITERIA = "kriteria.xlsx"
PEGAWAI = "pegawai.xlsx"
LAPORAN_E1 = "laporan_e1.xlsx"
LAPORAN_E2 = "laporan_e2.xlsx"
NILAI_A = "penilaian_a.xlsx"
NILAI_H = "penilaian_h.xlsx"

CRITERIA_ROWS: Rows = [
    ["Kriteria Penilaian Kinerja - Kabupaten Kemuning"],  # a title above the header
    ["Kode", "Jenis", "Bidang", "Kriteria", "Bobot", "Skala Min", "Skala Maks", "Deskripsi"],
    ["HK-PM-01", "Hasil Kerja", "Pelayanan Masyarakat", "Responsivitas layanan", 60, 1, 5, "Cepat"],
    ["HK-PM-02", "Hasil Kerja", "Pelayanan Masyarakat", "Kepuasan masyarakat", 40, 1, 5, "Puas"],
    ["HK-PD-01", "Hasil Kerja", "Pendidikan", "Dampak pelatihan guru", 100, 1, 5, ""],
    ["HK-MN-01", "Hasil Kerja", "Manajemen", "Capaian unit", 100, 1, 5, ""],
    ["PK-01", "Perilaku Kerja", "Semua", "Berorientasi Pelayanan", 50, 1, 5, ""],
    ["PK-02", "Perilaku Kerja", "Semua", "Akuntabel", 50, 1, 5, ""],
]


def valid_inbox() -> InboxSpec:
    spec = InboxSpec()
    spec.books[KRITERIA] = Book(
        {
            "Kriteria": copy.deepcopy(CRITERIA_ROWS),
            "Ambang": [
                ["Jenis", "Di Atas Ekspektasi", "Sesuai Ekspektasi"],
                ["Hasil Kerja", 80, 50],
                ["Perilaku Kerja", 80, 50],
            ],
            "Pengaturan": [
                ["Nama Instansi", "Pemerintah Kabupaten Kemuning"],
                ["Predikat Kinerja Organisasi", "Baik"],
            ],
        }
    )
    header: list[object] = ["NIP", "Nama", "Jabatan", "Unit Kerja", "Bidang", "NIP Atasan", "Email"]
    spec.books[PEGAWAI] = Book(
        {
            "Pegawai": [
                header,
                [NIP_H, "Drs. Hadi Santoso", "Sekretaris Daerah", "Setda", "Manajemen", None, None],
                [
                    NIP_A,
                    "Ayu Lestari, S.Sos.",
                    "Kepala Seksi",
                    "Dukcapil",
                    "Manajemen",
                    NIP_H,
                    "ayu@kemuningkab.go.id",
                ],
                [
                    NIP_E1,
                    "Siti Aminah, S.E.",
                    "Pengadministrasi",
                    "Dukcapil",
                    "Pelayanan Masyarakat",
                    NIP_A,
                    "siti@kemuningkab.go.id",
                ],
                [
                    NIP_E2,
                    "Budi Hartono",
                    "Petugas Loket",
                    "Dukcapil",
                    "Pelayanan Masyarakat",
                    NIP_A,
                    None,
                ],
                [
                    NIP_PPPK,
                    "Made Wirawan, A.Md.",
                    "Operator",
                    "Dukcapil",
                    "Pelayanan Masyarakat",
                    NIP_A,
                    None,
                ],
            ]
        }
    )
    for file, nip, nama in (
        (LAPORAN_E1, NIP_E1, "Siti Aminah, S.E."),
        (LAPORAN_E2, NIP_E2, "Budi Hartono"),
    ):
        spec.books[file] = Book(
            {
                "Identitas": [["NIP", nip], ["Nama", nama], ["Periode", "2026-11"]],
                "Capaian": [
                    [
                        "Kode Kriteria",
                        "Indikator",
                        "Target",
                        "Realisasi",
                        "Satuan",
                        "Uraian",
                        "Bukti",
                    ],
                    ["HK-PM-01", "Waktu layanan KTP", 100, 92, "%", "Layanan lebih cepat", "Log"],
                    ["HK-PM-02", "Indeks kepuasan", 80, "85,5", "indeks", "Survei", "SKM"],
                ],
                "Tantangan": [["Tantangan", "Dampak"], ["Server lambat", "Antrean panjang"]],
                "Rencana Perbaikan": [["Rencana", "Target Waktu"], ["Pelatihan", "Desember 2026"]],
            }
        )
    spec.books[NILAI_A] = Book(
        {
            "Identitas": [
                ["NIP Penilai", NIP_A],
                ["Nama Penilai", "Ayu Lestari, S.Sos."],
                ["Periode", dt.date(2026, 11, 30)],
            ],
            "Nilai": [
                ["NIP", "Kode Kriteria", "Nilai", "Catatan"],
                [NIP_E1, "HK-PM-01", 5, "Sangat responsif"],  # row 2
                [NIP_E1, "HK-PM-02", 4, ""],
                [NIP_E1, "PK-01", 5, ""],
                [NIP_E1, "PK-02", 4, ""],
                [NIP_E2, "HK-PM-01", 3, ""],  # row 6
                [NIP_E2, "HK-PM-02", "3,5", ""],
                [NIP_E2, "PK-01", 3, ""],
                [NIP_E2, "PK-02", 4, ""],
            ],
            "Umpan Balik": [
                [
                    "NIP",
                    "Umpan Balik",
                    "Rekomendasi",
                    "Rating Hasil Kerja",
                    "Rating Perilaku Kerja",
                ],
                [NIP_E1, "Kerja bagus", "Lanjutkan", None, None],
                [NIP_E2, "Cukup baik", "Ikuti pelatihan", None, None],
            ],
        }
    )
    return spec


# Hand-computed results of the valid inbox.
# E1: hasil 60%*100 + 40%*75 = 90.0 (Di Atas); perilaku 50%*100 + 50%*75 = 87.5 (Di Atas) -> Sangat Baik
# E2: hasil 60%*50 + 40%*62.5 = 55.0 (Sesuai); perilaku 50%*50 + 50%*75 = 62.5 (Sesuai) -> Baik
EXPECTED = {
    NIP_E1: (90.0, "Di Atas Ekspektasi", 87.5, "Di Atas Ekspektasi", "Sangat Baik"),
    NIP_E2: (55.0, "Sesuai Ekspektasi", 62.5, "Sesuai Ekspektasi", "Baik"),
}


@dataclass(frozen=True)
class Expected:
    """Where a planted flaw's finding must point: the file, the sheet and the exact cell (blank
    only where the fault is a whole file or sheet), and what its message must say (for a finding
    about rows: how many, and the first)."""

    code: str
    file: str
    sheet: str
    cell: str
    blocks: str | None = None  # the NIP whose result the finding blocks, if any
    says: tuple[str, ...] = ()  # texts the message holds


Flaw = Callable[[InboxSpec], Expected]
FLAWS: dict[str, Flaw] = {}


def flaw(fn: Flaw) -> Flaw:
    FLAWS[fn.__name__] = fn
    return fn


@flaw
def nip_typed_as_number(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Nilai")[5][0] = float(NIP_E2)  # row 6: the score goes missing too
    return Expected("nip-angka", NILAI_A, "Nilai", "A6")


@flaw
def score_out_of_range(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Nilai")[1][2] = 6
    return Expected("nilai-di-luar-skala", NILAI_A, "Nilai", "C2", blocks=NIP_E1)


@flaw
def score_missing_row(spec: InboxSpec) -> Expected:
    del spec.sheet(NILAI_A, "Nilai")[4]  # E1's PK-02; E1's rows are 2-4
    return Expected(
        "nilai-tidak-lengkap", NILAI_A, "Nilai", "A2", blocks=NIP_E1, says=("PK-02", "3 baris")
    )


@flaw
def score_blank(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Nilai")[2][2] = None
    return Expected("nilai-kosong", NILAI_A, "Nilai", "C3", blocks=NIP_E1)


@flaw
def score_not_a_number(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Nilai")[2][2] = "empat"
    return Expected("bukan-angka", NILAI_A, "Nilai", "C3", blocks=NIP_E1)


@flaw
def score_ambiguous_thousands(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Nilai")[2][2] = "4.000"
    return Expected("angka-ambigu", NILAI_A, "Nilai", "C3", blocks=NIP_E1)


@flaw
def score_twice(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Nilai").insert(3, [NIP_E1, "hk-pm-01", 4, ""])  # row 4, code in lower case
    return Expected("nilai-ganda", NILAI_A, "Nilai", "B4", blocks=NIP_E1, says=("juga di B2",))


@flaw
def score_for_criterion_of_other_bidang(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Nilai").append([NIP_E1, "HK-PD-01", 4, ""])  # row 10
    return Expected("kode-nilai-tidak-berlaku", NILAI_A, "Nilai", "B10", blocks=NIP_E1)


@flaw
def lowest_score_without_note(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Nilai")[7][2] = 1  # row 8: E2's PK-01, Catatan blank
    return Expected("nilai-terendah-tanpa-catatan", NILAI_A, "Nilai", "C8", says=("PK-01", "1-5"))


@flaw
def scored_by_someone_else(spec: InboxSpec) -> Expected:
    rows = spec.sheet(NILAI_A, "Nilai")
    spec.books[NILAI_H] = Book(
        {
            "Identitas": [
                ["NIP Penilai", NIP_H],
                ["Nama Penilai", "Drs. Hadi"],
                ["Periode", "2026-11"],
            ],
            "Nilai": [rows[0], *[r for r in rows[1:] if r[0] == NIP_E2]],  # rows 2-5
            "Umpan Balik": [["NIP", "Umpan Balik"], [NIP_E2, "ok"]],
        }
    )
    return Expected(
        "penilai-bukan-atasan", NILAI_H, "Nilai", "A2", blocks=NIP_E2, says=("4 baris", "A2")
    )


@flaw
def scored_employee_not_in_roster(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Nilai").append(["199901012022031001", "HK-PM-01", 4, ""])  # row 10
    return Expected("nip-tidak-dikenal", NILAI_A, "Nilai", "A10")


@flaw
def override_without_reason(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Umpan Balik")[2] = [NIP_E2, "", "", "Diatas Ekspektasi", None]
    return Expected("override-tanpa-alasan", NILAI_A, "Umpan Balik", "B3", blocks=NIP_E2)


@flaw
def override_unknown_rating(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Umpan Balik")[2] = [NIP_E2, "Alasan", "", "Luar biasa", None]
    return Expected("rating-tidak-valid", NILAI_A, "Umpan Balik", "D3", blocks=NIP_E2)


@flaw
def feedback_missing(spec: InboxSpec) -> Expected:
    del spec.sheet(NILAI_A, "Umpan Balik")[2]  # no row to point at: the sheet lacks it
    return Expected("umpan-balik-kosong", NILAI_A, "Umpan Balik", "")


@flaw
def feedback_blank(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Umpan Balik")[2][1] = None
    return Expected("umpan-balik-kosong", NILAI_A, "Umpan Balik", "B3")


@flaw
def feedback_for_unscored(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Umpan Balik").append([NIP_PPPK, "Semangat", "", None, None])
    return Expected("umpan-balik-tanpa-nilai", NILAI_A, "Umpan Balik", "A4")


@flaw
def feedback_twice(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Umpan Balik").append([NIP_E2, "Lagi", "", None, None])
    return Expected("umpan-balik-ganda", NILAI_A, "Umpan Balik", "A4")


@flaw
def period_unreadable(spec: InboxSpec) -> Expected:
    spec.sheet(LAPORAN_E1, "Identitas")[2][1] = "bulan depan"
    return Expected("periode-tidak-valid", LAPORAN_E1, "Identitas", "B3", blocks=NIP_E1)


@flaw
def identity_label_missing(spec: InboxSpec) -> Expected:
    del spec.sheet(LAPORAN_E1, "Identitas")[1]  # Nama
    return Expected("isian-wajib-tidak-ada", LAPORAN_E1, "Identitas", "A:A")


@flaw
def identity_sheet_missing(spec: InboxSpec) -> Expected:
    del spec.books[LAPORAN_E1].sheets["Identitas"]
    return Expected("sheet-wajib-tidak-ada", LAPORAN_E1, "", "")


@flaw
def challenges_sheet_missing(spec: InboxSpec) -> Expected:
    del spec.books[LAPORAN_E1].sheets["Tantangan"]
    return Expected("sheet-tidak-ada", LAPORAN_E1, "", "")


@flaw
def required_column_missing(spec: InboxSpec) -> Expected:
    for row in spec.sheet(LAPORAN_E1, "Capaian"):
        del row[3]  # Realisasi
    return Expected("kolom-wajib-tidak-ada", LAPORAN_E1, "Capaian", "1:1")


@flaw
def unknown_extra_column(spec: InboxSpec) -> Expected:
    spec.sheet(LAPORAN_E1, "Capaian")[0].append("Keterangan Lain")
    return Expected("kolom-tidak-dikenal", LAPORAN_E1, "Capaian", "H1")


@flaw
def duplicate_column(spec: InboxSpec) -> Expected:
    rows = spec.sheet(LAPORAN_E1, "Capaian")
    rows[0].append("uraian ")
    return Expected("kolom-ganda", LAPORAN_E1, "Capaian", "H1")


@flaw
def data_only_in_unknown_column(spec: InboxSpec) -> Expected:
    rows = spec.sheet(LAPORAN_E1, "Capaian")
    rows[0].append("Catatan Pribadi")
    rows.append([None] * 7 + ["ingat kirim bukti"])  # row 4
    return Expected("baris-diabaikan", LAPORAN_E1, "Capaian", "H4")


@flaw
def target_not_a_number(spec: InboxSpec) -> Expected:
    spec.sheet(LAPORAN_E1, "Capaian")[1][2] = "seratus"
    return Expected("bukan-angka", LAPORAN_E1, "Capaian", "C2", blocks=NIP_E1)


@flaw
def achievement_code_of_other_bidang(spec: InboxSpec) -> Expected:
    spec.sheet(LAPORAN_E1, "Capaian")[2][0] = "HK-PD-01"
    return Expected("kode-capaian-tidak-berlaku", LAPORAN_E1, "Capaian", "A3")


@flaw
def report_name_differs(spec: InboxSpec) -> Expected:
    spec.sheet(LAPORAN_E1, "Identitas")[1][1] = "Siti Rahma"
    return Expected("nama-tidak-cocok", LAPORAN_E1, "Identitas", "B2")


@flaw
def report_twice(spec: InboxSpec) -> Expected:
    revised = copy.deepcopy(spec.books[LAPORAN_E1])
    revised.sheets["Capaian"][1][3] = 95  # D2: Realisasi 92 -> 95
    revised.sheets["Tantangan"].append(["Listrik padam", "Layanan berhenti"])  # A3, B3
    spec.books["laporan_e1_revisi.xlsx"] = revised
    says = ("laporan_e1_revisi.xlsx", "sheet Capaian (1 sel, pertama di D2)", "Tantangan (2 sel")
    return Expected("laporan-ganda", LAPORAN_E1, "Capaian", "D2", blocks=NIP_E1, says=says)


@flaw
def report_saved_twice(spec: InboxSpec) -> Expected:
    spec.copies["salinan_laporan_e1.xlsx"] = LAPORAN_E1  # the very same bytes
    return Expected("berkas-salinan", "salinan_laporan_e1.xlsx", "", "", says=(LAPORAN_E1,))


@flaw
def report_of_unknown_employee(spec: InboxSpec) -> Expected:
    spec.sheet(LAPORAN_E1, "Identitas")[0][1] = "199901012022031001"
    return Expected("nip-tidak-dikenal", LAPORAN_E1, "Identitas", "B1")


@flaw
def scored_without_report(spec: InboxSpec) -> Expected:
    del spec.books[LAPORAN_E2]
    return Expected("laporan-tidak-ada", PEGAWAI, "Pegawai", "A5")


@flaw
def scored_twice_in_two_books(spec: InboxSpec) -> Expected:
    other = copy.deepcopy(spec.books[NILAI_A])
    other.sheets["Nilai"][6][2] = 4  # C7: E2's HK-PM-02 3,5 -> 4
    spec.books["penilaian_a_salinan.xlsx"] = other
    says = ("4 baris mulai A2", "penilaian_a_salinan.xlsx di sheet Nilai (1 sel, pertama di C7)")
    return Expected("penilaian-ganda", NILAI_A, "Nilai", "A2", blocks=NIP_E1, says=says)


@flaw
def formula_never_calculated(spec: InboxSpec) -> Expected:
    # openpyxl writes formulas without a cached value, like any program that never opened Excel.
    spec.sheet(NILAI_A, "Nilai")[6][2] = "__FORMULA__=2+1.5"
    return Expected("rumus-tanpa-nilai", NILAI_A, "Nilai", "C7", blocks=NIP_E2)


@flaw
def excel_error_value(spec: InboxSpec) -> Expected:
    spec.sheet(NILAI_A, "Nilai")[6][2] = "__ERROR__#DIV/0!"
    return Expected("sel-galat-excel", NILAI_A, "Nilai", "C7", blocks=NIP_E2)


@flaw
def roster_nip_duplicate(spec: InboxSpec) -> Expected:
    rows = spec.sheet(PEGAWAI, "Pegawai")
    rows.append(list(rows[3]))  # E1 again, row 7
    return Expected("nip-ganda", PEGAWAI, "Pegawai", "A7", blocks=NIP_E1)


@flaw
def roster_bidang_unknown(spec: InboxSpec) -> Expected:
    spec.sheet(PEGAWAI, "Pegawai")[4][4] = "Pelayanan Masyarakatt"
    return Expected("bidang-tidak-dikenal", PEGAWAI, "Pegawai", "E5", blocks=NIP_E2)


@flaw
def roster_atasan_unknown(spec: InboxSpec) -> Expected:
    spec.sheet(PEGAWAI, "Pegawai")[5][5] = "198801012010011009"
    return Expected("atasan-tidak-dikenal", PEGAWAI, "Pegawai", "F6")


@flaw
def roster_atasan_self(spec: InboxSpec) -> Expected:
    spec.sheet(PEGAWAI, "Pegawai")[5][5] = NIP_PPPK
    return Expected("atasan-diri-sendiri", PEGAWAI, "Pegawai", "F6", blocks=NIP_PPPK)


@flaw
def roster_two_without_atasan(spec: InboxSpec) -> Expected:
    spec.sheet(PEGAWAI, "Pegawai")[5][5] = None
    return Expected("atasan-kosong", PEGAWAI, "Pegawai", "F6")


@flaw
def roster_bad_email(spec: InboxSpec) -> Expected:
    spec.sheet(PEGAWAI, "Pegawai")[3][6] = "siti at kemuning"
    return Expected("email-tidak-valid", PEGAWAI, "Pegawai", "G4")


@flaw
def roster_required_blank(spec: InboxSpec) -> Expected:
    spec.sheet(PEGAWAI, "Pegawai")[4][2] = None
    return Expected("isian-kosong", PEGAWAI, "Pegawai", "C5", blocks=NIP_E2)


@flaw
def roster_nip_with_spaces_and_birth_date_impossible(spec: InboxSpec) -> Expected:
    spec.sheet(PEGAWAI, "Pegawai")[5][0] = "19981331 2024 2 1 1 002"
    return Expected("nip-tanggal-lahir", PEGAWAI, "Pegawai", "A6")


@flaw
def roster_nip_gender_digit(spec: InboxSpec) -> Expected:
    spec.sheet(PEGAWAI, "Pegawai")[5][0] = "199812312024213002"
    return Expected("nip-jenis-kelamin", PEGAWAI, "Pegawai", "A6")


@flaw
def roster_nip_short(spec: InboxSpec) -> Expected:
    spec.sheet(PEGAWAI, "Pegawai")[5][0] = "19981231202421100"
    return Expected("nip-format", PEGAWAI, "Pegawai", "A6")


@flaw
def organisation_predikat_unknown(spec: InboxSpec) -> Expected:
    spec.sheet(KRITERIA, "Pengaturan")[1][1] = "Luar Biasa"
    return Expected("predikat-organisasi-tidak-valid", KRITERIA, "Pengaturan", "B2")


@flaw
def unsupported_file(spec: InboxSpec) -> Expected:
    spec.books["catatan.csv"] = Book({})
    return Expected("format-tidak-didukung", "catatan.csv", "", "")


@flaw
def unknown_workbook(spec: InboxSpec) -> Expected:
    spec.books["rekap_lama.xlsx"] = Book({"Sheet1": [["apa saja"]]})
    return Expected("jenis-tidak-dikenal", "rekap_lama.xlsx", "", "")


@flaw
def report_and_scores_in_one_book(spec: InboxSpec) -> Expected:
    book = copy.deepcopy(spec.books[LAPORAN_E1])
    book.sheets["Nilai"] = [["NIP", "Kode Kriteria", "Nilai"]]
    spec.books["campur.xlsx"] = book
    return Expected("jenis-ganda", "campur.xlsx", "", "")


@flaw
def corrupt_workbook(spec: InboxSpec) -> Expected:
    spec.books["rusak.xlsx"] = Book({})  # written as garbage bytes by write_with_specials
    return Expected("berkas-terpotong", "rusak.xlsx", "", "")


def write_with_specials(spec: InboxSpec, folder: Path) -> Path:
    """Write the inbox; `__FORMULA__`/`__ERROR__` markers become a formula without a cached value or
    an error cell, and empty books become non-workbook files."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, book in spec.books.items():
        path = folder / name
        if not book.sheets:
            path.write_bytes(b"NIP;Nama\n1;x\n" if name.endswith(".csv") else b"PK\x03\x04 garbage")
            continue
        book.write(path)
        _apply_markers(path)
    _write_copies(spec, folder)
    return folder


def _write_copies(spec: InboxSpec, folder: Path) -> None:
    for name, original in spec.copies.items():
        (folder / name).write_bytes((folder / original).read_bytes())


def _apply_markers(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    changed = False
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("__FORMULA__"):
                    cell.value = cell.value.removeprefix("__FORMULA__")
                    cell.data_type = "f"
                    changed = True
                elif isinstance(cell.value, str) and cell.value.startswith("__ERROR__"):
                    cell.value = cell.value.removeprefix("__ERROR__")
                    cell.data_type = "e"
                    changed = True
    if changed:
        wb.save(path)


def make_workspace(
    tmp_path: Path, spec: InboxSpec | None = None, drop: tuple[str, ...] = ()
) -> Path:
    """A working folder (`kinerja init`) whose criteria and roster come from `spec` (the valid inbox
    by default), with the named person workbooks dropped into inbox/."""
    from kinerja_batch.workspace import init_workspace

    root = tmp_path / "kantor"
    init_workspace(root, "Pemerintah Kabupaten Kemuning")
    staging = write_with_specials(spec or valid_inbox(), tmp_path / "staging")
    (root / "kriteria.xlsx").write_bytes((staging / KRITERIA).read_bytes())
    (root / "pegawai.xlsx").write_bytes((staging / PEGAWAI).read_bytes())
    for name in drop:
        (root / "inbox" / name).write_bytes((staging / name).read_bytes())
    return root


def drop_file(root: Path, spec: InboxSpec, name: str, as_name: str | None = None) -> Path:
    """Write `spec`'s workbook `name` into the working folder's inbox (as `as_name`)."""
    import time

    staging = write_with_specials(spec, root.parent / f"staging-{time.monotonic_ns()}")
    target = root / "inbox" / (as_name or name)
    target.write_bytes((staging / name).read_bytes())
    return target


# --- Capaian Kinerja Organisasi and unit heads (issue 16) -----------------------------------------


def with_capaian_organisasi(spec: InboxSpec, *rows: tuple[str, str, str]) -> InboxSpec:
    """The criteria workbook gets the sheet `Capaian Organisasi` with (Unit Kerja, Periode,
    Capaian) rows below its header."""
    sheet: Rows = [["Unit Kerja", "Periode", "Capaian"], *(list[object](r) for r in rows)]
    spec.books[KRITERIA].sheets["Capaian Organisasi"] = sheet
    return spec


def with_head_scored(spec: InboxSpec, hasil: float, pk01: float, pk02: float) -> InboxSpec:
    """H scores A (Kepala Seksi of Dukcapil, bidang Manajemen: HK-MN-01 100%, PK-01 and PK-02 50%
    each) in `penilaian_h.xlsx`, for the period of `penilaian_a.xlsx`."""
    periode = spec.sheet(NILAI_A, "Identitas")[2][1]
    spec.books[NILAI_H] = Book(
        {
            "Identitas": [
                ["NIP Penilai", NIP_H],
                ["Nama Penilai", "Drs. Hadi Santoso"],
                ["Periode", periode],
            ],
            "Nilai": [
                ["NIP", "Kode Kriteria", "Nilai", "Catatan"],
                [NIP_A, "HK-MN-01", hasil, "Capaian unit"],
                [NIP_A, "PK-01", pk01, "Pelayanan"],
                [NIP_A, "PK-02", pk02, "Akuntabel"],
            ],
            "Umpan Balik": [["NIP", "Umpan Balik"], [NIP_A, "Pimpin unit dengan baik"]],
        }
    )
    return spec


def run_cli(*argv: str, cwd: Path | None = None) -> tuple[int, str]:
    """`kinerja ARGV` in this process, as a user runs it (in `cwd` where given): its exit code and
    what it printed on standard output."""
    import contextlib
    import io

    import pytest

    from kinerja_batch.cli import main

    out = io.StringIO()
    with (
        contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext(),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(io.StringIO()),
        pytest.raises(SystemExit) as info,
    ):
        main(list(argv))
    code = info.value.code
    return (code if isinstance(code, int) else 0), out.getvalue()
