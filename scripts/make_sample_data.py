"""Write the sample inbox: a believable office of the Pemerintah Kabupaten Kemuning, November 2026.

Usage: ``python scripts/make_sample_data.py [FOLDER]`` (default: ``<repo>/sample_data``).

The script is deterministic (fixed random seed, fixed dates inside the files, fixed zip timestamps),
so running it twice gives byte-identical workbooks. Before writing it deletes only the ``*.xlsx``
files in FOLDER that it wrote itself (recognised by the workbook's creator property); anything else
in the folder is left alone.

What it writes: ``kriteria.xlsx`` (criteria, thresholds, settings), ``pegawai.xlsx`` (49 employees
in 5 units), one self-report per employee (``laporan_*.xlsx`` and a few human-named files) except
three, and one scores workbook per supervisor (``penilaian_*.xlsx``).

Stories in the data:

- Dinas Pendidikan: Pengawas Sekolah Dr. Endang Sulistyowati ran a teacher-training programme
  (pembelajaran berdiferensiasi); her supervisor recommends continuing it and widening it to
  other schools.
- Yuliana Pangaribuan (Dinas Kependudukan) scores leniently (almost all 5s); Lusiana Tampubolon
  (Badan Keuangan Daerah) scores harshly.
- Evidence that contradicts a score: Asep Saepudin reports only 48% of his complaints target
  (HK-PM-04), yet Yuliana Pangaribuan scores that criterion 5, the top of the scale.
- Rahmawati Harahap gets an override: Rating Hasil Kerja typed "Diatas Ekspektasi", with a reason.
- Two subordinates of Hendra Gunawan are left unscored (status "Belum dinilai").
- Behaviour below expectation (Kurang/Misconduct): Dadang Hermawan (Kecamatan Kemuning Barat) and
  Yudi Permana (Badan Keuangan Daerah); results below expectation: Dewi Kartika Sari, Indah
  Permatasari, Ni Kadek Ayu Puspitasari, Desi Ratnasari Sinaga.
- Three employees sent no self-report (Fajar Nugroho, Ahmad Fauzi, Suparmi).

Deliberate mistakes (and only these; everything else is valid):

1. NIP typed as a number: ``penilaian_*_Hotman_Parulian_Simanjuntak.xlsx``, sheet ``Nilai``, the
   first row for Rizky Maulana Putra holds his NIP as a float (Excel shows 1.98802E+17).
2. Score out of range: ``penilaian_*_La_Ode_Muhammad_Ridwan.xlsx``, sheet ``Nilai``, Ayu
   Kusumawardani's PK-03 (Kompeten) scored 6 on a 1-5 scale.
3. Missing score: ``penilaian_*_Gusti_Ngurah_Putu_Wirawan.xlsx``, sheet ``Nilai``, no row for
   Bonar Situmorang's HK-PD-03.
4. Formula-looking text: Wulan Septiani's self-report, sheet ``Capaian``, the first ``Uraian``
   starts with ``=HYPERLINK("http://contoh.invalid","klik")`` stored as a text cell (not a
   formula). Also text that a spreadsheet could take for a formula in ``Catatan`` cells: one
   starting with "+62 812..." (Andi Sulaiman's sheet) and one starting with "-" (Bayu Aji
   Pamungkas's sheet), whose ``Rekomendasi`` for the same employee is a bullet list starting with
   "- " (it appears in the summary's ``Pegawai`` sheet and must stay text there).

The exact cells are printed when the script runs.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import sys
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

SEED = 20261130
PERIOD_DATE = dt.datetime(2026, 11, 30, 8, 0, 0)
CREATOR = "kinerja-batch make_sample_data"
INSTANSI = "Pemerintah Kabupaten Kemuning"
DOMAIN = "kemuningkab.go.id"

UNITS = {  # key prefix -> (Unit Kerja, Bidang)
    "S": ("Sekretariat Daerah", "Perencanaan"),
    "D": ("Dinas Kependudukan dan Pencatatan Sipil", "Pelayanan Masyarakat"),
    "P": ("Dinas Pendidikan", "Pendidikan"),
    "K": ("Badan Keuangan Daerah", "Administrasi Keuangan"),
    "C": ("Kecamatan Kemuning Barat", "Pelayanan Masyarakat"),
}

# key, name, gender (1 male, 2 female), jabatan, supervisor key, profile, PPPK?
# fmt: off
ROSTER: tuple[tuple[str, str, int, str, str, str, bool], ...] = (
    ("S0", "Dr. Ir. H. Bambang Sutrisno, M.Si.", 1, "Sekretaris Daerah", "", "-", False),
    ("S1", "Drs. Hotman Parulian Simanjuntak, M.Si.", 1,
     "Kepala Bagian Perencanaan dan Keuangan", "S0", "baik", False),
    ("S2", "Andi Nurhayati Rahman, S.Sos., M.AP.", 2, "Kepala Bagian Organisasi", "S0",
     "sangat_baik", False),
    ("S3", "Yohanes Bria Seran, S.E.", 1, "Perencana Ahli Muda", "S1", "baik", False),
    ("S4", "Dewi Kartika Sari, S.Kom.", 2, "Pranata Komputer Ahli Pertama", "S1", "butuh", False),
    ("S5", "Rizky Maulana Putra, S.T.", 1, "Perencana Ahli Pertama", "S1", "baik", False),
    ("S6", "Ni Putu Ayu Lestari, S.AP.", 2, "Analis Kebijakan Ahli Muda", "S2", "baik", False),
    ("S7", "Fajar Nugroho, S.Sos.", 1, "Analis Sumber Daya Manusia Aparatur Ahli Pertama", "S2",
     "baik", False),
    ("S8", "Siti Rohmah", 2, "Pengadministrasi Perkantoran", "S2", "baik", True),
    ("S9", "Muhammad Iqbal Lubis, A.Md.", 1, "Pengelola Layanan Operasional", "S1", "baik", True),
    ("D0", "Drs. Agus Salim Nasution, M.Si.", 1,
     "Kepala Dinas Kependudukan dan Pencatatan Sipil", "S0", "baik", False),
    ("D1", "Yuliana Pangaribuan, S.H.", 2, "Kepala Bidang Pelayanan Pendaftaran Penduduk", "D0",
     "baik", False),
    ("D2", "Hendra Gunawan, S.Sos., M.Si.", 1, "Kepala Bidang Pelayanan Pencatatan Sipil", "D0",
     "sangat_baik", False),
    ("D3", "Asep Saepudin, S.Kom.", 1, "Administrator Database Kependudukan Ahli Pertama", "D1",
     "lenient", False),
    ("D4", "Nining Kurniasih, A.Md.", 2, "Pengelola Data Kependudukan", "D1", "lenient", False),
    ("D5", "I Wayan Sudiarta, S.E.", 1, "Verifikator Data Kependudukan", "D1", "lenient", False),
    ("D6", "Andi Muhammad Fadli, S.IP.", 1, "Penata Layanan Pencatatan Sipil", "D2", "baik",
     False),
    ("D7", "Sri Wahyuningsih, S.Sos.", 2, "Analis Pencatatan Sipil", "D2", "baik", False),
    ("D8", "Rahmat Hidayat", 1, "Operator Layanan Operasional", "D2", "unscored", True),
    ("D9", "Fitri Handayani, S.Kom.", 2, "Pranata Komputer Ahli Pertama", "D2", "unscored", False),
    ("P0", "Dr. H. Syamsul Bahri, M.Pd.", 1, "Kepala Dinas Pendidikan", "S0", "baik", False),
    ("P1", "Dra. Hj. Erna Marlina, M.Pd.", 2,
     "Kepala Bidang Pembinaan Guru dan Tenaga Kependidikan", "P0", "baik", False),
    ("P2", "Gusti Ngurah Putu Wirawan, S.Pd., M.Pd.", 1, "Kepala Bidang Pembinaan Sekolah Dasar",
     "P0", "baik", False),
    ("P3", "Dr. Endang Sulistyowati, M.Pd.", 2, "Pengawas Sekolah Ahli Madya", "P1",
     "sangat_baik", False),
    ("P4", "Rahmawati Harahap, S.Pd., M.Pd.", 2, "Pengawas Sekolah Ahli Muda", "P1", "override",
     False),
    ("P5", "Yusuf Tandirerung, S.Pd.", 1, "Penilik Ahli Pertama", "P1", "baik", False),
    ("P6", "Ni Made Agustini, S.Pd.", 2, "Pengawas Sekolah Ahli Pertama", "P2", "baik", False),
    ("P7", "Bonar Situmorang, S.Pd.", 1, "Pengembang Teknologi Pembelajaran Ahli Pertama", "P2",
     "baik", False),
    ("P8", "Eka Prasetya, S.Kom.", 1, "Penata Kelola Sistem dan Teknologi Informasi", "P2",
     "sangat_baik", True),
    ("P9", "Nurul Aini, A.Md.", 2, "Pengelola Layanan Operasional", "P2", "baik", True),
    ("K0", "Drs. Zulkifli Chaniago, M.M., Ak.", 1, "Kepala Badan Keuangan Daerah", "S0", "baik",
     False),
    ("K1", "Lusiana Tampubolon, S.E., M.Ak.", 2, "Kepala Bidang Anggaran", "K0", "baik", False),
    ("K2", "Bayu Aji Pamungkas, S.E.", 1, "Kepala Bidang Perbendaharaan", "K0", "baik", False),
    ("K3", "Indah Permatasari, S.E.", 2, "Analis Anggaran Ahli Muda", "K1", "harsh_butuh", False),
    ("K4", "Teuku Rizal Fahmi, S.E.", 1, "Analis Anggaran Ahli Pertama", "K1", "harsh_baik", False),
    ("K5", "Ni Kadek Ayu Puspitasari, A.Md.Ak.", 2, "Penata Laporan Keuangan", "K1", "harsh_butuh",
     False),
    ("K6", "Ahmad Fauzi, S.E.", 1, "Bendahara Pengeluaran", "K2", "baik", False),
    ("K7", "Wulan Septiani, A.Md.", 2, "Pengelola Keuangan", "K2", "sangat_baik", False),
    ("K8", "Yudi Permana", 1, "Pengadministrasi Keuangan", "K2", "kurang", True),
    ("C0", "Andi Sulaiman, S.STP., M.Si.", 1, "Camat Kemuning Barat", "S0", "baik", False),
    ("C1", "Hartini, S.Sos.", 2, "Sekretaris Kecamatan", "C0", "baik", False),
    ("C2", "La Ode Muhammad Ridwan, S.IP.", 1, "Kepala Seksi Pelayanan Umum", "C0", "sangat_baik",
     False),
    ("C3", "Ketut Sudarma, S.Sos.", 1, "Kepala Seksi Pemerintahan", "C0", "baik", False),
    ("C4", "Suparmi", 2, "Pengadministrasi Umum", "C1", "baik", False),
    ("C5", "Dadang Hermawan", 1, "Pengadministrasi Layanan", "C2", "kurang", False),
    ("C6", "Ayu Kusumawardani, S.Sos.", 2, "Analis Pelayanan", "C2", "baik", False),
    ("C7", "Nurhaliza Putri", 2, "Penata Layanan Operasional", "C2", "baik", True),
    ("C8", "Paulus Rumbewas, S.IP.", 1, "Analis Pemerintahan", "C3", "baik", False),
    ("C9", "Desi Ratnasari Sinaga, S.H.", 2, "Pengolah Data Pemerintahan", "C3", "butuh", False),
)
NO_EMAIL = {"S8", "C4", "K8"}
NO_REPORT = {"S7", "K6", "C4"}
STORY, OVERRIDE = "P3", "P4"
NIP_AS_NUMBER, OUT_OF_RANGE, MISSING = ("S5", "HK-PR-01"), ("C6", "PK-03"), ("P7", "HK-PD-03")
FORMULA_TEXT, PHONE_NOTE, DASH_NOTE = "K7", ("C2", "HK-PM-02"), ("K6", "HK-AK-01")
WEAK_EVIDENCE = ("D3", "HK-PM-04", 0.48)  # realisation as a share of target, scored 5 anyway

# Kode, Jenis, Bidang, Kriteria, Bobot, Skala Min, Skala Maks, Deskripsi
HK, PK = "Hasil Kerja", "Perilaku Kerja"
CRITERIA: tuple[tuple[str, str, str, str, int, int, int, str], ...] = (
    ("HK-PM-01", HK, "Pelayanan Masyarakat", "Responsivitas layanan", 30, 1, 5,
     "Kecepatan menanggapi dan menyelesaikan permohonan layanan sesuai standar pelayanan."),
    ("HK-PM-02", HK, "Pelayanan Masyarakat", "Kepuasan masyarakat", 30, 1, 5,
     "Tingkat kepuasan masyarakat atas layanan, diukur dengan Survei Kepuasan Masyarakat (SKM)."),
    ("HK-PM-03", HK, "Pelayanan Masyarakat", "Ketepatan data dan dokumen", 20, 1, 5,
     "Dokumen yang diterbitkan benar dan lengkap, tanpa cetak ulang karena kesalahan data."),
    ("HK-PM-04", HK, "Pelayanan Masyarakat", "Penanganan pengaduan", 20, 1, 5,
     "Pengaduan masyarakat ditanggapi dan ditindaklanjuti dalam batas waktu."),
    ("HK-PD-01", HK, "Pendidikan", "Dampak pelatihan guru terhadap metode mengajar", 35, 1, 5,
     "Perubahan praktik mengajar guru setelah pelatihan, dilihat dari observasi kelas."),
    ("HK-PD-02", HK, "Pendidikan", "Pendampingan dan supervisi sekolah", 25, 1, 5,
     "Supervisi akademik dan manajerial di sekolah binaan terlaksana sesuai jadwal."),
    ("HK-PD-03", HK, "Pendidikan", "Perencanaan dan pelaporan program pendidikan", 20, 1, 5,
     "Dokumen program dan laporan kegiatan pendidikan lengkap dan tepat waktu."),
    ("HK-PD-04", HK, "Pendidikan", "Peningkatan mutu pembelajaran", 20, 1, 5,
     "Tindak lanjut rapor pendidikan di sekolah binaan untuk memperbaiki mutu pembelajaran."),
    ("HK-AK-01", HK, "Administrasi Keuangan", "Ketepatan waktu penatausahaan keuangan", 30, 1, 5,
     "Dokumen pencairan (SPM/SP2D) dan penatausahaan diproses sesuai jadwal."),
    ("HK-AK-02", HK, "Administrasi Keuangan", "Kualitas laporan keuangan", 30, 0, 100,
     "Nilai 0-100 dari reviu internal atas laporan dan kertas kerja keuangan yang disusun."),
    ("HK-AK-03", HK, "Administrasi Keuangan", "Penyerapan anggaran sesuai rencana kas", 20, 1, 5,
     "Realisasi belanja sesuai rencana penarikan dana bulanan."),
    ("HK-AK-04", HK, "Administrasi Keuangan", "Tindak lanjut rekomendasi pemeriksaan", 20, 1, 5,
     "Rekomendasi hasil pemeriksaan BPK dan Inspektorat ditindaklanjuti tuntas."),
    ("HK-PR-01", HK, "Perencanaan", "Ketepatan waktu dokumen perencanaan", 35, 1, 5,
     "Dokumen perencanaan, evaluasi dan kelembagaan selesai sesuai jadwal."),
    ("HK-PR-02", HK, "Perencanaan", "Kualitas analisis dan rekomendasi kebijakan", 35, 1, 5,
     "Telaahan dan kajian berbasis data yang dapat langsung dipakai pimpinan."),
    ("HK-PR-03", HK, "Perencanaan", "Koordinasi lintas perangkat daerah", 30, 1, 5,
     "Rapat koordinasi terfasilitasi dengan notulen dan tindak lanjut yang jelas."),
    ("PK-01", PK, "Semua", "Berorientasi Pelayanan", 15, 1, 5,
     "Memahami dan memenuhi kebutuhan masyarakat; ramah, cekatan, solutif dan dapat diandalkan; "
     "terus melakukan perbaikan."),
    ("PK-02", PK, "Semua", "Akuntabel", 15, 1, 5,
     "Jujur, bertanggung jawab, cermat, disiplin dan berintegritas; menggunakan barang milik "
     "negara secara bertanggung jawab dan efisien; tidak menyalahgunakan kewenangan."),
    ("PK-03", PK, "Semua", "Kompeten", 15, 1, 5,
     "Terus meningkatkan kompetensi diri; membantu orang lain belajar; melaksanakan tugas dengan "
     "kualitas terbaik."),
    ("PK-04", PK, "Semua", "Harmonis", 15, 1, 5,
     "Menghargai setiap orang apa pun latar belakangnya; suka menolong; membangun lingkungan kerja "
     "yang kondusif."),
    ("PK-05", PK, "Semua", "Loyal", 10, 1, 5,
     "Memegang teguh Pancasila, UUD 1945, NKRI dan pemerintahan yang sah; menjaga nama baik "
     "sesama ASN, pimpinan, instansi dan negara; menjaga rahasia jabatan."),
    ("PK-06", PK, "Semua", "Adaptif", 15, 1, 5,
     "Cepat menyesuaikan diri menghadapi perubahan; terus berinovasi; bertindak proaktif."),
    ("PK-07", PK, "Semua", "Kolaboratif", 15, 1, 5,
     "Memberi kesempatan kepada berbagai pihak untuk berkontribusi; terbuka bekerja sama untuk "
     "menghasilkan nilai tambah; menggerakkan sumber daya untuk tujuan bersama."),
)

# Kode -> Indikator, Satuan, Target, whole numbers?, Uraian variants ({r} realisasi, {n} count),
# Bukti variants.
INDICATORS: dict[str, tuple[str, str, float, bool, tuple[str, ...], tuple[str, ...]]] = {
    "HK-PM-01": ("Permohonan selesai sesuai standar waktu layanan", "%", 95, False, (
        "Dari {n} permohonan bulan ini, {r}% selesai dalam standar waktu. Loket dibuka pukul "
        "07.30 untuk mengurai antrean pagi.",
        "Penyelesaian permohonan tepat waktu {r}% dari {n} berkas. Berkas yang tertunda menunggu "
        "verifikasi data dari desa."), ("Rekap SIAK November 2026", "Laporan harian loket")),
    "HK-PM-02": ("Nilai Survei Kepuasan Masyarakat (SKM)", "indeks", 85, False, (
        "SKM dengan {n} responden menghasilkan nilai {r}. Keluhan terbanyak tentang ruang tunggu "
        "yang panas.",
        "Nilai SKM bulan ini {r} dari {n} responden. Warga menghargai penjelasan persyaratan yang "
        "jelas."), ("Rekap SKM elektronik (kuesioner QR)", "Laporan hasil SKM November 2026")),
    "HK-PM-03": ("Dokumen terbit tanpa kesalahan data", "%", 98, False, (
        "{r}% dokumen terbit tanpa kesalahan; sisanya dicetak ulang karena salah ketik nama.",
        "Dari {n} dokumen, {r}% benar sejak pertama terbit. Verifikasi ganda diterapkan untuk "
        "akta kelahiran."), ("Register penerbitan dokumen", "Berita acara cetak ulang")),
    "HK-PM-04": ("Pengaduan ditindaklanjuti paling lama 3 hari kerja", "%", 90, False, (
        "{r}% pengaduan ditindaklanjuti dalam 3 hari kerja, dari {n} pengaduan lewat SP4N-LAPOR! "
        "dan WhatsApp.",
        "Tindak lanjut pengaduan tepat waktu {r}%. Semua pelapor dihubungi kembali untuk "
        "konfirmasi."), ("Rekap SP4N-LAPOR!", "Buku register pengaduan")),
    "HK-PD-01": ("Guru peserta pelatihan yang menerapkan metode baru (observasi kelas)", "%", 70,
        False, (
        "Pendampingan pascapelatihan bagi {n} guru; {r}% sudah menerapkan metode baru di kelas.",
        "Observasi kelas terhadap {n} guru peserta bimtek menunjukkan {r}% menerapkan asesmen "
        "formatif."), ("Lembar observasi kelas", "Laporan pendampingan guru")),
    "HK-PD-02": ("Sekolah binaan yang disupervisi", "sekolah", 10, True, (
        "Supervisi akademik dan manajerial dilaksanakan di {r} sekolah binaan.",
        "Kunjungan supervisi ke {r} sekolah; dua kunjungan dijadwalkan ulang karena asesmen."),
        ("Jadwal dan laporan supervisi", "Instrumen supervisi akademik")),
    "HK-PD-03": ("Dokumen program dan laporan selesai tepat waktu", "dokumen", 4, True, (
        "{r} dokumen program dan laporan diselesaikan, termasuk laporan bulanan kepada Kepala "
        "Dinas.",
        "Menyusun {r} dokumen: rencana kerja, laporan kegiatan dan notulen rapat koordinasi."),
        ("Arsip dokumen di aplikasi SRIKANDI", "Tanda terima laporan")),
    "HK-PD-04": ("Sekolah binaan yang menyusun rencana tindak lanjut rapor pendidikan", "%", 80,
        False, (
        "{r}% sekolah binaan sudah menyusun rencana tindak lanjut rapor pendidikan.",
        "Pendampingan perencanaan berbasis data: {r}% sekolah binaan menetapkan prioritas literasi "
        "dan numerasi."), ("Dokumen RKAS sekolah binaan", "Rekap rapor pendidikan")),
    "HK-AK-01": ("SPM/SP2D diproses sesuai jadwal", "%", 100, False, (
        "{r}% dari {n} dokumen SPM/SP2D diproses sesuai jadwal.",
        "Penerbitan SP2D tepat waktu {r}% dari {n} pengajuan; keterlambatan karena SPP belum "
        "lengkap."), ("Register SP2D November 2026", "Laporan SIPD")),
    "HK-AK-02": ("Laporan keuangan bulanan selesai tanpa koreksi material", "laporan", 3, True, (
        "{r} laporan keuangan bulanan selesai dan lolos reviu internal.",
        "Menyusun {r} laporan (posisi kas, realisasi anggaran, rekonsiliasi bank)."),
        ("Kertas kerja reviu internal", "Laporan keuangan bulanan")),
    "HK-AK-03": ("Realisasi belanja terhadap rencana kas bulanan", "%", 90, False, (
        "Realisasi belanja mencapai {r}% dari rencana kas bulan November.",
        "Penyerapan {r}% dari rencana penarikan dana; perangkat daerah yang tertinggal sudah "
        "diingatkan."), ("Laporan realisasi anggaran", "Rencana anggaran kas")),
    "HK-AK-04": ("Rekomendasi hasil pemeriksaan yang ditindaklanjuti", "rekomendasi", 5, True, (
        "{r} rekomendasi hasil pemeriksaan ditindaklanjuti dan dilaporkan ke Inspektorat.",
        "Menuntaskan {r} rekomendasi BPK, termasuk penyetoran kelebihan pembayaran."),
        ("Matriks tindak lanjut LHP", "Bukti setor ke kas daerah")),
    "HK-PR-01": ("Dokumen perencanaan dan evaluasi selesai tepat waktu", "dokumen", 3, True, (
        "Menyelesaikan {r} dokumen: bahan RKPD Perubahan, evaluasi triwulan III dan laporan "
        "kinerja.",
        "{r} dokumen perencanaan diserahkan sesuai jadwal kepada pimpinan."),
        ("Surat pengantar dokumen", "Arsip SRIKANDI")),
    "HK-PR-02": ("Telaahan staf dan kajian yang diterima pimpinan", "telaahan", 4, True, (
        "{r} telaahan staf disusun dan diterima pimpinan, antara lain tentang penataan jabatan "
        "fungsional.",
        "Menyusun {r} kajian berbasis data, satu di antaranya dibahas dalam rapat pimpinan."),
        ("Disposisi pimpinan", "Dokumen telaahan staf")),
    "HK-PR-03": ("Rapat koordinasi difasilitasi dengan notulen dan tindak lanjut", "kegiatan", 4,
        True, (
        "Memfasilitasi {r} rapat koordinasi lintas perangkat daerah lengkap dengan notulen.",
        "{r} rapat koordinasi terlaksana; tindak lanjut dipantau lewat grup kerja."),
        ("Notulen dan daftar hadir", "Undangan rapat")),
}

CHALLENGES: dict[str, tuple[tuple[str, str], ...]] = {
    "Pelayanan Masyarakat": (
        ("Gangguan jaringan SIAK terpusat selama dua hari", "Sekitar 40 permohonan tertunda."),
        ("Dua petugas loket mengikuti diklat", "Waktu tunggu naik dari 25 menjadi 40 menit."),
        ("Pemohon datang tanpa persyaratan lengkap", "Banyak pemohon harus datang dua kali."),
        ("Blangko KTP-el habis pada pertengahan bulan", "Sebagian pemohon hanya menerima Suket."),
    ),
    "Pendidikan": (
        ("Jadwal supervisi berbenturan dengan asesmen sekolah", "Dua kunjungan dijadwalkan ulang."),
        ("Guru senior belum terbiasa dengan perangkat ajar digital", "Penerapan metode melambat."),
        ("Internet terbatas di sekolah wilayah pegunungan", "Pendampingan daring tidak berjalan."),
        ("Data rapor pendidikan beberapa sekolah belum diperbarui", "Analisis mutu belum lengkap."),
    ),
    "Administrasi Keuangan": (
        ("Pengajuan SPP dari perangkat daerah terlambat", "SP2D menumpuk di akhir bulan."),
        ("Perubahan standar harga satuan", "Beberapa dokumen anggaran harus direviu ulang."),
        ("Rekonsiliasi dengan bank belum otomatis", "Laporan posisi kas mundur dua hari."),
        ("Aplikasi SIPD sempat tidak dapat diakses", "Input realisasi dikejar dengan lembur."),
    ),
    "Perencanaan": (
        ("Data dari perangkat daerah terlambat masuk", "Dokumen evaluasi mundur satu minggu."),
        ("Arah kebijakan berubah setelah rapat pimpinan", "Draf telaahan disusun ulang."),
        ("Beban tambahan penyusunan RKPD Perubahan", "Kajian lain dikerjakan lebih singkat."),
        ("Belum ada format baku usulan analisis jabatan", "Verifikasi usulan lebih lama."),
    ),
}
PLANS: dict[str, tuple[tuple[str, str], ...]] = {
    "Pelayanan Masyarakat": (
        ("Menerapkan antrean daring dan jadwal layanan per desa", "Desember 2026"),
        ("Membagikan daftar periksa persyaratan lewat grup WhatsApp desa", "Desember 2026"),
        ("Mengusulkan tambahan petugas loket pada jam sibuk", "Januari 2027")),
    "Pendidikan": (
        ("Menyusun jadwal supervisi semester genap bersama kepala sekolah", "Januari 2027"),
        ("Mengadakan pendampingan sebaya untuk guru senior", "Februari 2027"),
        ("Menyiapkan modul luring untuk sekolah dengan internet terbatas", "Desember 2026")),
    "Administrasi Keuangan": (
        ("Mengedarkan jadwal batas pengajuan SPP ke semua perangkat daerah", "Desember 2026"),
        ("Menyusun kertas kerja rekonsiliasi kas harian", "Januari 2027"),
        ("Mengikuti bimbingan teknis akuntansi berbasis akrual", "Triwulan I 2027")),
    "Perencanaan": (
        ("Menetapkan batas waktu penyampaian data lewat surat edaran", "Desember 2026"),
        ("Menyusun format baku telaahan staf", "Januari 2027"),
        ("Membuat dasbor pemantauan capaian RKPD", "Triwulan I 2027")),
}
# Feedback category -> (Umpan Balik, Rekomendasi) variants.
FEEDBACK: dict[str, tuple[tuple[str, str], ...]] = {
    "sangat_baik": (
        ("Capaian melampaui target pada hampir semua indikator dan bukti dukungnya lengkap. "
         "Sikap kerja Saudara menjadi contoh bagi tim.",
         "Pertahankan; bagikan praktik baik Saudara dalam forum berbagi pengetahuan."),
        ("Kinerja sangat baik: target tercapai lebih awal dan masyarakat memberi tanggapan "
         "positif.", "Ikut seleksi pelatihan kepemimpinan tahun 2027.")),
    "baik": (
        ("Target utama tercapai dan laporan disusun rapi. Ketepatan waktu pelaporan masih bisa "
         "ditingkatkan.", "Susun jadwal kerja mingguan dan laporkan kendala lebih awal."),
        ("Kinerja sesuai ekspektasi. Kerja sama dengan rekan baik; bukti dukung sebagian besar "
         "lengkap.", "Ikuti pelatihan teknis sesuai bidang untuk meningkatkan kualitas hasil."),
        ("Hasil kerja stabil dan sikap kerja baik. Beberapa indikator sedikit di bawah target.",
         "Fokus pada indikator yang belum tercapai dan diskusikan hambatannya setiap pekan.")),
    "butuh": (
        ("Beberapa target utama belum tercapai dan bukti dukung belum lengkap. Sikap kerja "
         "cukup baik.", "Susun rencana perbaikan bersama atasan; pendampingan mingguan."),
        ("Hasil kerja di bawah ekspektasi, terutama ketepatan waktu. Saudara tetap kooperatif.",
         "Ikut bimbingan teknis dan gunakan daftar periksa sebelum menyerahkan pekerjaan.")),
    "kurang": (
        ("Hasil kerja cukup, tetapi perilaku kerja di bawah ekspektasi: lima kali terlambat "
         "tanpa keterangan dan dua pengaduan warga tentang sikap yang kurang ramah.",
         "Pembinaan disiplin oleh atasan langsung dan pelatihan pelayanan prima; dipantau "
         "setiap minggu pada Desember."),
        ("Target tercapai, tetapi kendaraan dinas dipakai untuk keperluan pribadi tanpa izin "
         "dan laporan perjalanan tidak sesuai.",
         "Pembinaan oleh atasan langsung tentang akuntabilitas dan pemakaian barang negara.")),
}
STORY_REPORT = (
    "Menyelenggarakan program Pelatihan Pembelajaran Berdiferensiasi bagi 48 guru dari 12 SD "
    "binaan (3 sesi tatap muka dan pendampingan di kelas). Observasi kelas: 36 dari 48 guru "
    "(75%) sudah mengelompokkan siswa sesuai kesiapan belajar dan memakai asesmen diagnostik awal.",
    "Daftar hadir pelatihan, lembar observasi 48 guru, dokumentasi foto, laporan pelatihan",
)
STORY_FEEDBACK = (
    "Program Pelatihan Pembelajaran Berdiferensiasi yang Ibu rancang berdampak nyata pada metode "
    "mengajar: 36 dari 48 guru (75%) menerapkannya di kelas, di atas target 70%. Laporannya "
    "didukung lembar observasi yang rapi.",
    "Melanjutkan program dan memperluasnya ke sekolah lain, dimulai dari SD di Kecamatan Kemuning "
    "Timur pada semester genap; libatkan guru yang sudah berhasil sebagai pendamping sebaya.",
)
OVERRIDE_FEEDBACK = (
    "Rating Hasil Kerja dinaikkan menjadi Di Atas Ekspektasi: selain sekolah binaannya sendiri, "
    "Ibu mengambil alih supervisi 4 sekolah binaan rekan yang cuti melahirkan, dan pekerjaan "
    "tambahan ini tidak tercermin dalam target.",
    "Sesuaikan target supervisi untuk sekolah tambahan pada periode berikutnya.",
)
NOTES = {"low": ("Bukti dukung belum memadai.", "Perlu perbaikan, lihat umpan balik."),
         "high": ("Melampaui target.", "Bukti lengkap dan rapi."),
         "mid": ("Sesuai target.", "Cukup, bisa lebih cepat.")}
# Profile -> (Hasil Kerja score pool, Perilaku Kerja score pool, accepted rating pairs).
# Ratings: A = Di Atas, S = Sesuai, B = Di Bawah Ekspektasi.
PROFILES: dict[str, tuple[tuple[int, ...], tuple[int, ...], frozenset[str]]] = {
    "sangat_baik": ((4, 5, 5), (4, 5, 5), frozenset({"AA"})),
    "baik": ((3, 4, 4, 4, 5), (3, 4, 4, 4), frozenset({"SS", "AS", "SA"})),
    "butuh": ((2, 2, 3), (3, 4, 4), frozenset({"BS", "BA"})),
    "kurang": ((3, 4, 4), (2, 2, 2, 3), frozenset({"SB", "AB"})),
    "lenient": ((5, 5, 5, 5, 4), (5, 5, 5, 5, 4), frozenset({"AA"})),
    "harsh_butuh": ((2, 2, 2, 3), (3, 3, 3, 3, 4), frozenset({"BS"})),
    "harsh_baik": ((3, 3, 3, 4), (3, 3, 3, 4), frozenset({"SS"})),
    "override": ((3, 4, 4), (4, 5, 5), frozenset({"SA"})),
}
FEEDBACK_OF = {"lenient": "sangat_baik", "harsh_butuh": "butuh", "harsh_baik": "baik"}
PERIOD_FORMS: tuple[str | dt.datetime, ...] = (
    "2026-11", "November 2026", "11/2026", dt.datetime(2026, 11, 28), "Nov 2026")
# fmt: on
SENIOR = {"Dr.", "Drs.", "Dra.", "Ir.", "H.", "Hj."}  # titles of older staff
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class Person:
    key: str
    nip: str
    nama: str
    jabatan: str
    unit: str
    bidang: str
    atasan: str  # the supervisor's key; "" for the head of the organisation
    email: str | None
    profile: str


def plain_name(nama: str) -> str:
    """The name without academic or religious titles: `Dr. H. Syamsul Bahri, M.Pd.` -> ..."""
    return " ".join(w for w in nama.split(",")[0].split() if "." not in w)


def build_roster(rng: random.Random) -> list[Person]:
    """The employees, with valid unique NIPs (PNS or PPPK) and e-mail addresses."""
    has_staff = {row[4] for row in ROSTER}
    used_nips: set[str] = set()
    used_mail: set[str] = set()
    people = []
    for key, nama, gender, jabatan, atasan, profile, pppk in ROSTER:
        if key == "S0":
            born = 1968
        elif key.endswith("0"):
            born = rng.randint(1969, 1976)
        elif key in has_staff or SENIOR & set(nama.replace(",", " ").split()) or "Madya" in jabatan:
            born = rng.randint(1968, 1978)
        else:
            born = rng.randint(1990, 2000) if pppk else rng.randint(1984, 1997)
        birth = f"{born:04d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        while True:
            seq = f"{gender}{rng.randint(1, 999):03d}"
            if pppk:  # birth date + year + '2' (PPPK) + contract count 1 + gender + sequence
                nip = f"{birth}{rng.randint(2022, 2024)}21{seq}"
            else:  # birth date + appointment year and month + gender + sequence
                year = min(born + rng.randint(23, 29), 2021)
                nip = f"{birth}{year:04d}{rng.randint(1, 12):02d}{seq}"
            if nip not in used_nips:
                used_nips.add(nip)
                break
        email = None
        if key not in NO_EMAIL:
            skip = {"ni", "i", "luh", "gusti", "ngurah", "la", "ode"}
            words = [w.lower() for w in plain_name(nama).split() if w.lower() not in skip]
            local = ".".join(dict.fromkeys((words[0], words[-1])))
            email = f"{local}@{DOMAIN}"
            assert email not in used_mail, email
            used_mail.add(email)
        unit, bidang = UNITS[key[0]]
        people.append(Person(key, nip, nama, jabatan, unit, bidang, atasan, email, profile))
    return people


def applicable(bidang: str) -> list[tuple[str, str, str, int, int, int]]:
    """(Kode, Jenis, Kriteria, Bobot, Min, Maks) of a bidang's criteria, Hasil Kerja first."""
    return [(c[0], c[1], c[3], c[4], c[5], c[6]) for c in CRITERIA if c[2] in (bidang, "Semua")]


def one_decimal(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def weighted(bidang: str, jenis: str, scores: dict[str, float]) -> float:
    """The weight-averaged normalised score (0-100) of one Jenis, shown with one decimal."""
    rows = [c for c in applicable(bidang) if c[1] == jenis]
    total = sum(w * (scores[k] - lo) / (hi - lo) * 100 for k, _, _, w, lo, hi in rows)
    return one_decimal(total / sum(c[3] for c in rows))


def rating_letter(value: float) -> str:
    return "A" if value >= 80 else "S" if value >= 50 else "B"


def draw_scores(rng: random.Random, person: Person) -> dict[str, float]:
    """Scores for one employee that give the rating pair their profile asks for."""
    hk_pool, pk_pool, accepted = PROFILES[person.profile]
    while True:
        scores: dict[str, float] = {}
        for kode, jenis, _, _, lo, hi in applicable(person.bidang):
            s = rng.choice(hk_pool if jenis == HK else pk_pool)
            if (lo, hi) == (0, 100):  # a 0-100 criterion: a plausible review mark
                scores[kode] = {1: 35, 2: 50, 3: 64, 4: 78, 5: 90}[s] + rng.randint(0, 8)
            else:
                scores[kode] = s
        if person.key == STORY:
            scores["HK-PD-01"] = 5
        pair = "".join(rating_letter(weighted(person.bidang, j, scores)) for j in (HK, PK))
        if pair in accepted:
            return scores


def id_number(value: float) -> str:
    """A number as an Indonesian reader writes it: `92,5`."""
    return f"{value:g}".replace(".", ",")


# --- writing ---------------------------------------------------------------------------------


def new_workbook(first_sheet: str) -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = first_sheet
    return wb, ws


def add_sheet(wb: Workbook, title: str) -> Worksheet:
    ws = wb.create_sheet(title)
    assert isinstance(ws, Worksheet)
    return ws


def put(ws: Worksheet, row: int, col: int, value: object, *, as_text: bool = False) -> str:
    """Write one cell; `as_text` stores an identifier as text (format `@`). Returns the address."""
    cell = ws.cell(row=row, column=col)
    cell.value = value  # type: ignore[assignment]
    if as_text:
        cell.number_format = "@"
    if isinstance(value, dt.datetime):
        cell.number_format = "mmmm yyyy"
    return str(cell.coordinate)


def table(
    ws: Worksheet,
    headers: list[str],
    rows: list[list[object]],
    *,
    title: str = "",
    text_cols: tuple[int, ...] = (),
) -> int:
    """Write a header (optionally under a title row) and rows; returns the first data row."""
    top = 1
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
        top = 2
    for col, name in enumerate(headers, start=1):
        cell = ws.cell(row=top, column=col, value=name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        width = max([len(name)] + [len(str(r[col - 1] or "")) for r in rows])
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 10), 60)
    for r, values in enumerate(rows, start=top + 1):
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value, as_text=c in text_cols and isinstance(value, str))
    ws.freeze_panes = f"A{top + 1}"
    return top + 1


def form(ws: Worksheet, pairs: list[tuple[str, object]]) -> None:
    """A key/value sheet: labels in column A, values in column B."""
    for r, (label, value) in enumerate(pairs, start=1):
        ws.cell(row=r, column=1, value=label).font = Font(bold=True)
        put(ws, r, 2, value, as_text=label.startswith("NIP"))
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 45


def save(wb: Workbook, path: Path) -> None:
    """Save with fixed dates and zip timestamps so the bytes do not depend on the clock."""
    wb.properties.creator = CREATOR
    wb.properties.created = PERIOD_DATE
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = PERIOD_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            entry = zipfile.ZipInfo(info.filename, date_time=PERIOD_DATE.timetuple()[:6])
            dst.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)


def written_here(path: Path) -> bool:
    """Whether a workbook was written by this script (its creator property says so)."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return f"<dc:creator>{CREATOR}</dc:creator>".encode() in core


def remove_previous(folder: Path) -> int:
    """Delete the workbooks this script wrote before, and nothing else."""
    ours = [path for path in sorted(folder.glob("*.xlsx")) if written_here(path)]
    for path in ours:
        path.unlink()
    return len(ours)


def write_kriteria(path: Path) -> None:
    wb, ws = new_workbook("Kriteria")
    headers = ["Kode", "Jenis", "Bidang", "Kriteria", "Bobot", "Skala Min", "Skala Maks"]
    table(ws, [*headers, "Deskripsi"], [list(c) for c in CRITERIA],
          title=f"Kriteria Penilaian Kinerja Pegawai - {INSTANSI}")  # fmt: skip
    ambang = add_sheet(wb, "Ambang")
    table(
        ambang, ["Jenis", "Di Atas Ekspektasi", "Sesuai Ekspektasi"], [[HK, 80, 50], [PK, 80, 50]]
    )
    form(add_sheet(wb, "Pengaturan"),
         [("Nama Instansi", INSTANSI), ("Predikat Kinerja Organisasi", "Baik")])  # fmt: skip
    save(wb, path)


def write_pegawai(path: Path, people: list[Person]) -> None:
    nip_of = {p.key: p.nip for p in people}
    rows: list[list[object]] = [
        [p.nip, p.nama, p.jabatan, p.unit, p.bidang, nip_of.get(p.atasan), p.email] for p in people
    ]
    wb, ws = new_workbook("Pegawai")
    headers = ["NIP", "Nama", "Jabatan", "Unit Kerja", "Bidang", "NIP Atasan", "Email"]
    table(ws, headers, rows, text_cols=(1, 6))
    save(wb, path)


def report_name(p: Person, index: int) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", plain_name(p.nama)).strip("_")
    if index % 7 == 3:
        return f"Laporan Kinerja Nov - {plain_name(p.nama)}.xlsx"
    return f"laporan_{p.nip}_{slug}.xlsx"


def write_laporan(path: Path, p: Person, index: int, rng: random.Random, log: list[str]) -> None:
    wb, ident = new_workbook("Identitas")
    form(ident, [("NIP", p.nip), ("Nama", p.nama), ("Periode", PERIOD_FORMS[index % 5])])
    ratio = {"sangat_baik": (1.0, 1.12), "lenient": (0.98, 1.1), "butuh": (0.7, 0.86),
             "harsh_butuh": (0.72, 0.88)}.get(p.profile, (0.9, 1.03))  # fmt: skip
    rows: list[list[object]] = []
    for kode, _, _, _, _, _ in applicable(p.bidang):
        if kode not in INDICATORS:
            continue
        indikator, satuan, target, whole, texts, proofs = INDICATORS[kode]
        real = target * rng.uniform(*ratio)
        real = float(round(real)) if whole else min(round(real, 1), 100.0)
        if (p.key, kode) == WEAK_EVIDENCE[:2]:
            real = round(target * WEAK_EVIDENCE[2], 1)
        uraian = rng.choice(texts).format(r=id_number(real), n=rng.randint(40, 600))
        bukti = rng.choice(proofs)
        if p.key == STORY and kode == "HK-PD-01":
            real, (uraian, bukti) = 75, STORY_REPORT
        row: list[object] = [kode, indikator, target, real, satuan, uraian, bukti]
        if satuan == "%" and rng.random() < 0.15:  # typed as text, the way people do
            row[2:4] = [f"{id_number(target)}%", f"{id_number(real)}%"]
        elif satuan != "%" and not whole and rng.random() < 0.3:
            row[3] = id_number(real)
        rows.append(row)
    capaian = add_sheet(wb, "Capaian")
    title = "Isi satu baris untuk setiap kriteria Hasil Kerja." if index % 3 == 0 else ""
    top = table(capaian, ["Kode Kriteria", "Indikator", "Target", "Realisasi", "Satuan", "Uraian",
                          "Bukti"], rows, title=title)  # fmt: skip
    if p.key == FORMULA_TEXT:  # looks like a formula, but is stored as text
        cell = capaian.cell(row=top, column=6)
        cell.value = '=HYPERLINK("http://contoh.invalid","klik") ' + str(rows[0][5])
        cell.data_type = "s"
        cell.quotePrefix = True
        log.append(f"{path.name}, Capaian!{cell.coordinate}: teks diawali =HYPERLINK(...)")
    challenges = list(CHALLENGES[p.bidang])
    plans = list(PLANS[p.bidang])
    if p.key == STORY:
        challenges.insert(
            0,
            (
                "Sebagian guru senior ragu mengubah cara mengajar",
                "Delapan guru memerlukan satu kunjungan pendampingan tambahan.",
            ),
        )
        plans.insert(0, ("Membentuk komunitas belajar guru per gugus untuk berbagi praktik",
                         "Januari 2027"))  # fmt: skip
    k = rng.randint(1, 3)
    picked = challenges[:1] + rng.sample(challenges[1:], k - 1)
    table(add_sheet(wb, "Tantangan"), ["Tantangan", "Dampak"], [list(c) for c in picked])
    picked = plans[:1] + rng.sample(plans[1:], rng.randint(0, 2))
    table(
        add_sheet(wb, "Rencana Perbaikan"), ["Rencana", "Target Waktu"], [list(c) for c in picked]
    )
    save(wb, path)


def write_penilaian(
    path: Path,
    boss: Person,
    staff: list[Person],
    scores: dict[str, dict[str, float]],
    index: int,
    rng: random.Random,
    log: list[str],
) -> None:
    wb, ident = new_workbook("Identitas")
    form(ident, [("NIP Penilai", boss.nip), ("Nama Penilai", boss.nama),
                 ("Periode", PERIOD_FORMS[(index + 2) % 5])])  # fmt: skip
    nilai_rows: list[list[object]] = []
    feedback_rows: list[list[object]] = []
    marks: list[tuple[str, int, str]] = []  # deliberate mistakes: column, row index, what
    for p in staff:
        for kode, _, _, _, lo, hi in applicable(p.bidang):
            value = scores[p.nip][kode]
            if (p.key, kode) == MISSING:
                marks.append(("A", len(nilai_rows), f"baris {kode} untuk NIP {p.nip} dihapus"))
                continue
            norm = (value - lo) / (hi - lo)
            level = "low" if norm <= 0.25 else "high" if norm >= 0.9 else "mid"
            note = rng.choice(NOTES[level]) if rng.random() < 0.15 else None
            nip: object = p.nip
            if (p.key, kode) == NIP_AS_NUMBER:
                nip = float(p.nip)
                marks.append(("A", len(nilai_rows), f"NIP {p.nip} sebagai angka ({kode})"))
            if (p.key, kode) == OUT_OF_RANGE:
                value = 6
                marks.append(("C", len(nilai_rows), f"nilai 6 (skala 1-5) untuk {p.nip} {kode}"))
            if (p.key, kode) == PHONE_NOTE:
                note = "+62 812-3456-7890 (nomor warga untuk konfirmasi)"
                marks.append(("D", len(nilai_rows), "Catatan diawali +62"))
            if (p.key, kode) == DASH_NOTE:
                note = "- SPJ dua kegiatan belum lengkap"
                marks.append(("D", len(nilai_rows), "Catatan diawali -"))
            nilai_rows.append([nip, kode, value, note])
        choices = FEEDBACK.get(FEEDBACK_OF.get(p.profile, p.profile), ())
        if p.profile == "kurang":  # the counter story for public service, the car story elsewhere
            choices = choices[:1] if p.bidang == "Pelayanan Masyarakat" else choices[1:]
        special = {STORY: STORY_FEEDBACK, OVERRIDE: OVERRIDE_FEEDBACK}.get(p.key)
        text, advice = special or rng.choice(choices)
        override = "Diatas Ekspektasi" if p.key == OVERRIDE else None
        if p.key == DASH_NOTE[0]:  # a recommendation typed as a bullet list
            advice = f"- {advice}\n- Selesaikan SPJ sebelum tanggal 5 bulan berikutnya."
            log.append(f"{path.name}, Umpan Balik C{len(feedback_rows) + 2}: Rekomendasi diawali -")
        feedback_rows.append([p.nip, text, advice, override, None])
    ws = add_sheet(wb, "Nilai")
    title = "Penilaian Kinerja Bulanan - satu baris per pegawai dan kriteria" if index % 3 else ""
    top = table(ws, ["NIP", "Kode Kriteria", "Nilai", "Catatan"], nilai_rows, title=title,
                text_cols=(1,))  # fmt: skip
    for col, i, what in marks:
        where = f"sebelum baris {top + i}" if "dihapus" in what else f"{col}{top + i}"
        log.append(f"{path.name}, Nilai {where}: {what}")
    headers = ["NIP", "Umpan Balik", "Rekomendasi", "Rating Hasil Kerja", "Rating Perilaku Kerja"]
    table(add_sheet(wb, "Umpan Balik"), headers, feedback_rows, text_cols=(1,))
    save(wb, path)


# --- checking what was written ----------------------------------------------------------------


def nip_problem(nip: object) -> str | None:
    """Why a NIP cell is not a valid 18-digit PNS or PPPK number stored as text, or None."""
    if not isinstance(nip, str) or not re.fullmatch(r"\d{18}", nip):
        return f"not 18 digits as text: {nip!r}"
    try:
        born = dt.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return f"impossible birth date: {nip}"
    pns = 1 <= int(nip[12:14]) <= 12
    pppk = nip[12] == "2" and nip[13] != "0"
    if not (pns or pppk) or int(nip[8:12]) < born.year + 18 or nip[14] not in "12":
        return f"bad appointment or gender digits: {nip}"
    return None


def verify(folder: Path) -> dict[str, int]:
    """Read the files back: weights sum to 100, NIPs are valid; returns counts."""
    ws = load_workbook(folder / "kriteria.xlsx")["Kriteria"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    for bidang in {str(r[2]) for r in rows} - {"Semua"}:
        for jenis in (HK, PK):
            total = sum(
                float(str(r[4])) for r in rows if r[1] == jenis and r[2] in (bidang, "Semua")
            )
            assert abs(total - 100) < 1e-9, (bidang, jenis, total)
    roster = list(load_workbook(folder / "pegawai.xlsx")["Pegawai"].iter_rows(min_row=2))
    nips = {str(r[0].value) for r in roster}
    assert len(nips) == len(roster)
    for r in roster:
        for cell in (r[0], r[5]):
            if cell.value is not None:
                assert cell.number_format == "@" and nip_problem(cell.value) is None, cell.value
    sheets = [load_workbook(p).sheetnames for p in folder.glob("*.xlsx") if written_here(p)]
    reports = [names for names in sheets if "Capaian" in names]
    scored = [names for names in sheets if "Nilai" in names]
    return {"pegawai": len(roster), "unit kerja": len({r[3].value for r in roster}),
            "laporan": len(reports), "penilaian": len(scored)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "sample_data"
    folder.mkdir(parents=True, exist_ok=True)
    removed = remove_previous(folder)
    rng = random.Random(SEED)
    people = build_roster(rng)
    by_key = {p.key: p for p in people}
    scores = {p.nip: draw_scores(rng, p) for p in people if p.atasan and p.profile != "unscored"}
    log: list[str] = []
    write_kriteria(folder / "kriteria.xlsx")
    write_pegawai(folder / "pegawai.xlsx", people)
    for index, p in enumerate(people):
        if p.atasan and p.key not in NO_REPORT:
            write_laporan(folder / report_name(p, index), p, index, rng, log)
    for index, boss in enumerate(people):
        staff = [p for p in people if p.atasan == boss.key and p.nip in scores]
        if staff:
            slug = re.sub(r"[^A-Za-z0-9]+", "_", plain_name(boss.nama)).strip("_")
            path = folder / f"penilaian_{boss.nip}_{slug}.xlsx"
            write_penilaian(path, boss, staff, scores, index, rng, log)
    counts = verify(folder)
    print(f"Folder: {folder} ({removed} berkas lama dihapus)")
    print(", ".join(f"{name}: {n}" for name, n in counts.items()))
    print(f"Pengawas sekolah: {by_key[STORY].nip}; atasannya: {by_key[by_key[STORY].atasan].nip}")
    print("Kesalahan yang disengaja:")
    for line in log:
        print(f"  - {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
