"""A contract-conformant inbox for N employees, for the throughput benchmark (benchmarks/run.py).

    python benchmarks/generate.py N FOLDER [--periode 2026-11] [--seed 1]

Writes `kriteria.xlsx`, `pegawai.xlsx` (N employees: one head, units of about 200 with a unit head,
groups of about 10 under a supervisor), one self-report per employee but the head
(`laporan_<NIP>.xlsx`) and one scores workbook per supervisor (`penilaian_<NIP>.xlsx`). Texts have
the lengths people type: one to three sentences per achievement, two to five in the feedback, now and
then a long paragraph. Every employee with a supervisor is scored, so the run has N - 1 results and
no findings above `info`. Deterministic for a given N and seed; workbooks are written in openpyxl's
write-only mode (about 10 ms each).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

INSTANSI = "Pemerintah Kabupaten Kemuning"
UNIT_SIZE = 200
GROUP_SIZE = 10
HK, PK = "Hasil Kerja", "Perilaku Kerja"

# Bidang -> Hasil Kerja criteria (kode, kriteria, bobot, indikator, satuan, target).
BIDANG: dict[str, tuple[tuple[str, str, int, str, str, float], ...]] = {
    "Pelayanan Masyarakat": (
        ("HK-PM-01", "Responsivitas layanan", 30, "Permohonan selesai tepat waktu", "%", 95),
        ("HK-PM-02", "Kepuasan masyarakat", 30, "Nilai Survei Kepuasan Masyarakat", "indeks", 85),
        ("HK-PM-03", "Ketepatan data dan dokumen", 20, "Dokumen terbit tanpa kesalahan", "%", 98),
        ("HK-PM-04", "Penanganan pengaduan", 20, "Pengaduan ditindaklanjuti 3 hari", "%", 90),
    ),
    "Pendidikan": (
        ("HK-PD-01", "Dampak pelatihan guru", 35, "Guru yang menerapkan metode baru", "%", 70),
        ("HK-PD-02", "Supervisi sekolah", 25, "Sekolah binaan yang disupervisi", "sekolah", 10),
        ("HK-PD-03", "Perencanaan dan pelaporan", 20, "Dokumen selesai tepat waktu", "dokumen", 4),
        ("HK-PD-04", "Mutu pembelajaran", 20, "Sekolah dengan rencana tindak lanjut", "%", 80),
    ),
    "Administrasi Keuangan": (
        ("HK-AK-01", "Ketepatan penatausahaan", 40, "SPM/SP2D diproses sesuai jadwal", "%", 100),
        (
            "HK-AK-02",
            "Kualitas laporan keuangan",
            30,
            "Laporan tanpa koreksi material",
            "laporan",
            3,
        ),
        ("HK-AK-03", "Penyerapan anggaran", 30, "Realisasi terhadap rencana kas", "%", 90),
    ),
    "Perencanaan": (
        (
            "HK-PR-01",
            "Ketepatan dokumen perencanaan",
            35,
            "Dokumen selesai tepat waktu",
            "dokumen",
            3,
        ),
        (
            "HK-PR-02",
            "Kualitas analisis kebijakan",
            35,
            "Telaahan diterima pimpinan",
            "telaahan",
            4,
        ),
        (
            "HK-PR-03",
            "Koordinasi lintas perangkat daerah",
            30,
            "Rapat dengan notulen",
            "kegiatan",
            4,
        ),
    ),
}
BEHAVIOUR = (  # Perilaku Kerja: the seven core values (BerAKHLAK)
    ("PK-01", "Berorientasi Pelayanan", 15),
    ("PK-02", "Akuntabel", 15),
    ("PK-03", "Kompeten", 15),
    ("PK-04", "Harmonis", 15),
    ("PK-05", "Loyal", 10),
    ("PK-06", "Adaptif", 15),
    ("PK-07", "Kolaboratif", 15),
)
UNIT_NAMES = (
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Pendidikan",
    "Badan Keuangan Daerah",
    "Badan Perencanaan Pembangunan Daerah",
    "Dinas Kesehatan",
    "Kecamatan",
)
FIRST = ("Siti", "Ahmad", "Dewi", "Budi", "Ni Putu", "I Wayan", "Andi", "Rahmat", "Yuliana", "Agus",
         "Sri", "Hendra", "Fitri", "Teuku", "Nurul", "La Ode", "Yohanes", "Ketut", "Desi", "Eka")  # fmt: skip
LAST = ("Aminah", "Hartono", "Lestari", "Santoso", "Simanjuntak", "Harahap", "Wirawan", "Nasution",
        "Pangaribuan", "Sulistyowati", "Rumbewas", "Tandirerung", "Chaniago", "Permana", "Sinaga",
        "Kusumawardani", "Saepudin", "Hidayat", "Gunawan", "Puspitasari")  # fmt: skip
TITLES = ("", "", "S.Sos.", "S.E.", "S.Pd.", "S.Kom.", "A.Md.", "S.H., M.H.", "S.IP., M.Si.")
SENTENCES = (
    "Dari {n} permohonan bulan ini, sebagian besar selesai dalam standar waktu layanan.",
    "Loket dibuka pukul 07.30 untuk mengurai antrean pagi, sehingga waktu tunggu turun.",
    "Berkas yang tertunda menunggu verifikasi data dari desa dan kelurahan.",
    "Pendampingan dilakukan bersama {n} peserta, dengan observasi langsung di lapangan.",
    "Laporan disusun tepat waktu dan diunggah ke aplikasi SRIKANDI beserta bukti dukung.",
    "Koordinasi dengan perangkat daerah terkait berjalan baik melalui rapat mingguan.",
    "Kendala jaringan sempat menghambat input data selama dua hari kerja.",
    "Tindak lanjut pengaduan lewat SP4N-LAPOR! dan WhatsApp dicatat dalam buku register.",
    "Realisasi kegiatan dibandingkan dengan rencana kas bulanan dan selisihnya dijelaskan.",
    "Sebagian pekerjaan dikerjakan dengan lembur karena perubahan jadwal dari pimpinan.",
)
FEEDBACK = (
    "Target utama tercapai dan laporan disusun rapi.",
    "Ketepatan waktu pelaporan masih bisa ditingkatkan.",
    "Kerja sama dengan rekan baik; bukti dukung sebagian besar lengkap.",
    "Beberapa indikator sedikit di bawah target karena kendala di luar kendali Saudara.",
    "Sikap kerja Saudara menjadi contoh bagi tim, terutama dalam melayani masyarakat.",
    "Dokumentasi kegiatan perlu lebih lengkap agar capaian dapat diverifikasi.",
    "Inisiatif Saudara memperbaiki alur layanan patut diapresiasi dan dilanjutkan.",
)
ADVICE = (
    "Susun jadwal kerja mingguan dan laporkan kendala lebih awal.",
    "Ikuti pelatihan teknis sesuai bidang untuk meningkatkan kualitas hasil.",
    "Bagikan praktik baik Saudara dalam forum berbagi pengetahuan.",
    "Gunakan daftar periksa sebelum menyerahkan pekerjaan.",
)
CHALLENGES = (
    ("Gangguan jaringan aplikasi selama dua hari", "Sekitar 40 berkas tertunda."),
    ("Dua rekan mengikuti diklat", "Beban kerja naik dan waktu tunggu bertambah."),
    ("Data dari perangkat daerah terlambat masuk", "Dokumen mundur satu minggu."),
    ("Perubahan arah kebijakan setelah rapat pimpinan", "Draf disusun ulang."),
)
PLANS = (
    ("Menerapkan antrean daring dan jadwal layanan per desa", "Desember 2026"),
    ("Menyusun format baku laporan bulanan", "Januari 2027"),
    ("Mengikuti bimbingan teknis sesuai bidang", "Triwulan I 2027"),
)


@dataclass(frozen=True)
class Person:
    nip: str
    nama: str
    jabatan: str
    unit: str
    bidang: str
    atasan: str | None
    email: str | None


def people(n: int, rng: random.Random) -> list[Person]:
    """The head, then units of about UNIT_SIZE: a unit head, supervisors, their staff."""
    used: set[str] = set()

    def nip(born: int) -> str:
        while True:
            birth = f"{born:04d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            year = min(born + rng.randint(22, 30), 2024)
            value = f"{birth}{year:04d}{rng.randint(1, 12):02d}{rng.randint(1, 2)}{rng.randint(1, 999):03d}"
            if value not in used:
                used.add(value)
                return value

    def person(
        i: int, jabatan: str, unit: str, bidang: str, atasan: str | None, born: int
    ) -> Person:
        title = rng.choice(TITLES)
        nama = f"{rng.choice(FIRST)} {rng.choice(LAST)}" + (f", {title}" if title else "")
        email = f"pegawai{i}@kemuningkab.go.id" if i % 13 else None
        return Person(nip(born), nama, jabatan, unit, bidang, atasan, email)

    head = person(0, "Sekretaris Daerah", "Sekretariat Daerah", "Perencanaan", None, 1968)
    everyone = [head]
    bidang_names = sorted(BIDANG)
    unit_index = 0
    while len(everyone) < n:
        bidang = bidang_names[unit_index % len(bidang_names)]
        unit = f"{UNIT_NAMES[unit_index % len(UNIT_NAMES)]} {unit_index + 1}"
        unit_head = person(len(everyone), f"Kepala {unit}", unit, bidang, head.nip, 1972)
        everyone.append(unit_head)
        members = 1
        while members < UNIT_SIZE and len(everyone) < n:
            boss = person(len(everyone), "Kepala Seksi", unit, bidang, unit_head.nip, 1978)
            everyone.append(boss)
            members += 1
            for _ in range(GROUP_SIZE - 1):
                if members >= UNIT_SIZE or len(everyone) >= n:
                    break
                born = rng.randint(1980, 2000)
                everyone.append(person(len(everyone), "Analis", unit, bidang, boss.nip, born))
                members += 1
        unit_index += 1
    return everyone


def sentences(rng: random.Random, pool: Sequence[str], low: int, high: int) -> str:
    count = rng.randint(low, high)
    if rng.random() < 0.05:  # now and then someone writes a long paragraph
        count *= 4
    return " ".join(rng.choice(pool).format(n=rng.randint(12, 600)) for _ in range(count))


def criteria_of(bidang: str) -> list[str]:
    """The codes of the criteria that apply to a bidang, Hasil Kerja first."""
    return [c[0] for c in BIDANG[bidang]] + [c[0] for c in BEHAVIOUR]


def save(sheets: dict[str, Sequence[Sequence[object]]], path: Path) -> None:
    wb = Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    wb.save(path)


def write_criteria(path: Path) -> None:
    rows: list[list[object]] = [
        ["Kode", "Jenis", "Bidang", "Kriteria", "Bobot", "Skala Min", "Skala Maks", "Deskripsi"]
    ]
    for bidang, items in BIDANG.items():
        rows += [[k, HK, bidang, name, w, 1, 5, indikator] for k, name, w, indikator, _, _ in items]
    rows += [[k, PK, "Semua", name, w, 1, 5, ""] for k, name, w in BEHAVIOUR]
    save(
        {
            "Kriteria": rows,
            "Ambang": [
                [*("Jenis", "Di Atas Ekspektasi", "Sesuai Ekspektasi")],
                [HK, 80, 50],
                [PK, 80, 50],
            ],
            "Pengaturan": [["Nama Instansi", INSTANSI], ["Predikat Kinerja Organisasi", "Baik"]],
        },
        path,
    )


def write_roster(path: Path, everyone: Sequence[Person]) -> None:
    header: list[object] = ["NIP", "Nama", "Jabatan", "Unit Kerja", "Bidang", "NIP Atasan", "Email"]
    rows = [[p.nip, p.nama, p.jabatan, p.unit, p.bidang, p.atasan, p.email] for p in everyone]
    save({"Pegawai": [header, *rows]}, path)


def write_report(path: Path, p: Person, periode: str, rng: random.Random) -> None:
    capaian: list[list[object]] = [
        ["Kode Kriteria", "Indikator", "Target", "Realisasi", "Satuan", "Uraian", "Bukti"]
    ]
    for kode, _, _, indikator, satuan, target in BIDANG[p.bidang]:
        real = round(target * rng.uniform(0.8, 1.1), 1 if satuan in ("%", "indeks") else 0)
        uraian = sentences(rng, SENTENCES, 1, 3)
        capaian.append([kode, indikator, target, real, satuan, uraian, "Laporan bulanan; arsip"])
    save(
        {
            "Identitas": [["NIP", p.nip], ["Nama", p.nama], ["Periode", periode]],
            "Capaian": capaian,
            "Tantangan": [("Tantangan", "Dampak"), *rng.sample(CHALLENGES, 2)],
            "Rencana Perbaikan": [("Rencana", "Target Waktu"), *rng.sample(PLANS, 2)],
        },
        path,
    )


def write_scores(
    path: Path, boss: Person, staff: Sequence[Person], periode: str, rng: random.Random
) -> None:
    nilai: list[list[object]] = [["NIP", "Kode Kriteria", "Nilai", "Catatan"]]
    feedback: list[list[object]] = [
        ["NIP", "Umpan Balik", "Rekomendasi", "Rating Hasil Kerja", "Rating Perilaku Kerja"]
    ]
    for p in staff:
        level = rng.choice((3, 4, 4, 4, 5, 2))
        for kode in criteria_of(p.bidang):
            score = min(5, max(1, level + rng.choice((-1, 0, 0, 0, 1))))
            note = (
                rng.choice(("Sesuai target.", "Bukti lengkap dan rapi."))
                if rng.random() < 0.15
                else None
            )
            nilai.append([p.nip, kode, score, note])
        feedback.append([p.nip, sentences(rng, FEEDBACK, 2, 5), rng.choice(ADVICE), None, None])
    save(
        {
            "Identitas": [
                ["NIP Penilai", boss.nip],
                ["Nama Penilai", boss.nama],
                ["Periode", periode],
            ],
            "Nilai": nilai,
            "Umpan Balik": feedback,
        },
        path,
    )


def generate(n: int, folder: Path, periode: str = "2026-11", seed: int = 1) -> dict[str, int]:
    """Write the inbox; returns how many workbooks of each kind."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    everyone = people(n, rng)
    write_criteria(folder / "kriteria.xlsx")
    write_roster(folder / "pegawai.xlsx", everyone)
    staff: dict[str, list[Person]] = {}
    for p in everyone:
        if p.atasan is not None:
            write_report(folder / f"laporan_{p.nip}.xlsx", p, periode, rng)
            staff.setdefault(p.atasan, []).append(p)
    by_nip = {p.nip: p for p in everyone}
    for boss_nip, group in staff.items():
        write_scores(folder / f"penilaian_{boss_nip}.xlsx", by_nip[boss_nip], group, periode, rng)
    return {"pegawai": len(everyone), "laporan": len(everyone) - 1, "penilaian": len(staff)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("n", type=int, help="how many employees")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--periode", default="2026-11")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts = generate(args.n, args.folder, args.periode, args.seed)
    seconds = time.perf_counter() - start
    print(
        ", ".join(f"{k}: {v}" for k, v in counts.items()) + f" ({seconds:.1f} s) in {args.folder}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
