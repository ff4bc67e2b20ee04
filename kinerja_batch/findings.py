"""Findings: what is wrong with the inputs, as data.

A finding has a stable `code`, a severity, the place (file, sheet, cell), the offending value, the NIP it
concerns (if any) and a message in Bahasa Indonesia rendered from the one template of its code in
`CATALOGUE`. Stages collect findings and return them; only what stops the whole run raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Source:
    """Where a value was read: file name, sheet name and cell (`C7`), any of which may be blank."""

    file: str = ""
    sheet: str = ""
    cell: str = ""

    def at(self, cell: str) -> Source:
        return Source(self.file, self.sheet, cell)


class Severity(StrEnum):
    GALAT = "Galat"  # blocks the employee it concerns (or the file it is in)
    PERINGATAN = "Peringatan"  # worth fixing; results still go out
    INFO = "Info"


SEVERITY_ORDER = {Severity.GALAT: 0, Severity.PERINGATAN: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Entry:
    severity: Severity
    template: str


G, P = Severity.GALAT, Severity.PERINGATAN

# One template per code. Each says what is wrong and how to fix it.
CATALOGUE: dict[str, Entry] = {
    # Files in the inbox.
    "format-tidak-didukung": Entry(
        P,
        "Berkas ini bukan buku kerja yang bisa dibaca ({suffix}). Simpan sebagai .xlsx dari Excel, "
        "atau pindahkan dari folder masukan. Berkas dibiarkan di tempatnya.",
    ),
    "berkas-rusak": Entry(
        G,
        "Buku kerja tidak bisa dibuka: isinya rusak ({reason}). Buka berkas di Excel, simpan ulang "
        "sebagai .xlsx, lalu jalankan lagi.",
    ),
    "berkas-kosong": Entry(
        G,
        "Berkas kosong (0 byte), mungkin gagal tersalin. Salin ulang berkas dari sumbernya, atau "
        "simpan ulang dari Excel.",
    ),
    "berkas-terpotong": Entry(
        G,
        "Berkas terpotong atau rusak (tidak lengkap saat disalin atau diunduh). Salin ulang berkas "
        "dari sumbernya.",
    ),
    "berkas-terkunci": Entry(
        G,
        "Buku kerja dilindungi kata sandi, sehingga tidak bisa dibaca. Buka di Excel, hapus kata "
        "sandinya (File > Info > Lindungi Buku Kerja), simpan, lalu taruh lagi di folder masukan.",
    ),
    "berkas-bukan-excel": Entry(
        G,
        "Berkas ini bukan buku kerja Excel walaupun namanya berakhiran seperti itu (isinya: "
        "{actual}). Buka berkas aslinya di Excel dan simpan sebagai .xlsx.",
    ),
    "berkas-terlalu-besar": Entry(
        G,
        "Berkas tidak dibaca karena terlalu besar: {what} (batas {limit}). Buku kerja penilaian "
        "biasanya jauh lebih kecil; periksa apakah ini berkas yang benar.",
    ),
    "xml-berbahaya": Entry(
        G,
        "Berkas berisi XML dengan deklarasi entitas (DTD), yang tidak pernah dibuat oleh Excel dan "
        "bisa dipakai untuk serangan. Berkas tidak dibaca; minta pengirim menyimpan ulang dari Excel.",
    ),
    "tautan-luar": Entry(
        P,
        "Berkas ini adalah tautan (symlink) ke luar folder masukan, sehingga tidak dibaca. Salin "
        "berkas aslinya ke folder masukan.",
    ),
    "jenis-tidak-dikenal": Entry(
        P,
        "Jenis buku kerja tidak dikenali: tidak ada sheet Kriteria, Pegawai, Capaian, atau Nilai "
        "(sheet yang ada: {sheets}). Periksa nama sheet, atau pindahkan berkas dari folder masukan.",
    ),
    "berkas-diganti": Entry(
        Severity.INFO,
        "Versi ini diganti oleh {newer} yang datang kemudian; hasil periode memakai versi baru itu. "
        "Kedua versi tetap disimpan di arsip.",
    ),
    "berkas-salinan": Entry(
        Severity.INFO,
        "Isi berkas ini sama persis dengan {other} (byte demi byte), sehingga keduanya dihitung "
        "sebagai satu masukan dan yang dipakai adalah {other}. Salinan ini tidak perlu disimpan.",
    ),
    "templat-versi": Entry(
        P,
        "Buku kerja ini dibuat dari templat {kind} versi {value}, sedangkan versi yang berlaku "
        "adalah {current}. Isinya tetap dibaca; untuk periode berikutnya pakai templat baru dari "
        "`kinerja templat`.",
    ),
    "jenis-ganda": Entry(
        G,
        "Buku kerja ini berisi sheet untuk lebih dari satu jenis ({kinds}). Laporan pegawai (Capaian) "
        "dan penilaian atasan (Nilai) harus dalam berkas terpisah.",
    ),
    "sheet-tidak-ada": Entry(
        P,
        "Sheet '{name}' tidak ada, sehingga bagian ini kosong. Tambahkan sheet '{name}' bila perlu.",
    ),
    "sheet-wajib-tidak-ada": Entry(
        G, "Sheet '{name}' tidak ada. Tambahkan sheet '{name}' sesuai format yang dibakukan."
    ),
    "kolom-wajib-tidak-ada": Entry(
        G,
        "Kolom wajib tidak ditemukan: {columns}. Pastikan satu baris judul memuat semua kolom wajib "
        "({required}).",
    ),
    "baris-tersembunyi": Entry(
        P,
        "Baris ini tersembunyi di Excel, tetapi tetap dibaca. Tampilkan baris (Unhide) dan periksa "
        "isinya, atau hapus bila tidak dipakai.",
    ),
    "kolom-tersembunyi": Entry(
        P,
        "Kolom '{column}' tersembunyi di Excel, tetapi tetap dibaca. Tampilkan kolom (Unhide) dan "
        "periksa isinya.",
    ),
    "kolom-tidak-dikenal": Entry(Severity.INFO, "Kolom '{column}' tidak dikenal dan diabaikan."),
    "kolom-ganda": Entry(
        P, "Kolom '{column}' muncul lebih dari sekali; hanya kolom pertama yang dibaca."
    ),
    "baris-diabaikan": Entry(
        P,
        "Baris ini hanya berisi data di kolom yang tidak dikenal, sehingga dilewati. Pindahkan isinya "
        "ke kolom yang sesuai.",
    ),
    "isian-wajib-tidak-ada": Entry(
        G,
        "Isian '{label}' tidak ditemukan di kolom A. Tambahkan '{label}' dan isi nilainya di kolom B.",
    ),
    "isian-kosong": Entry(G, "'{label}' wajib diisi. Isi sel ini."),
    # Cell values.
    "bukan-angka": Entry(
        G,
        "'{column}' harus berupa angka, tetapi berisi '{value}'. Tulis angka saja, misalnya 85 atau "
        "85,5.",
    ),
    "angka-ambigu": Entry(
        G,
        "'{column}' berisi '{value}', yang bisa berarti ribuan atau desimal. Tulis tanpa pemisah "
        "ribuan (1250) atau dengan koma desimal (1,25).",
    ),
    "rumus-tanpa-nilai": Entry(
        G,
        "Sel berisi rumus yang belum pernah dihitung (berkas tidak disimpan dari Excel). Buka berkas di "
        "Excel atau LibreOffice, simpan ulang, lalu jalankan lagi.",
    ),
    "sel-galat-excel": Entry(
        G, "Sel berisi galat Excel {value}. Perbaiki rumus atau isi sel dengan nilai yang benar."
    ),
    "periode-tidak-valid": Entry(
        G,
        "Periode '{value}' tidak dikenali. Tulis bulan dan tahun, misalnya 2026-11, 11/2026, atau "
        "November 2026; bila instansi menilai per triwulan, triwulan dan tahun, misalnya Triwulan "
        "III 2026 atau 2026-Q3.",
    ),
    "periode-triwulan-di-instansi-bulanan": Entry(
        G,
        "Periode '{value}' adalah triwulan ({found}), tetapi instansi ini menilai per bulan "
        '(granularitas = "bulanan" di kinerja.toml). Tulis bulan dan tahun, misalnya 2026-11 atau '
        'November 2026. Bila instansi menilai per triwulan, tulis granularitas = "triwulanan" di '
        "bagian [periode] kinerja.toml (di luar folder kerja: sebutkan triwulannya, misalnya "
        "--periode 2026-Q3).",
    ),
    "periode-lain": Entry(
        P,
        "Berkas ini untuk periode {found}, bukan {wanted} yang sedang diproses; berkas tidak dipakai.",
    ),
    "nip-angka": Entry(
        G,
        "NIP tersimpan sebagai angka ({shown}), sehingga Excel sudah menghilangkan digit terakhirnya. "
        "Format kolom NIP sebagai Teks, lalu ketik ulang NIP 18 digit.",
    ),
    "nip-format": Entry(
        G,
        "NIP '{value}' tidak valid: NIP harus 18 digit angka (saat ini {digits} digit). Periksa dan "
        "ketik ulang NIP.",
    ),
    "nip-tanggal-lahir": Entry(
        G,
        "NIP '{value}' tidak valid: 8 digit pertama ({part}) bukan tanggal lahir yang mungkin. Periksa "
        "dan ketik ulang NIP.",
    ),
    "nip-jenis-kelamin": Entry(
        G,
        "NIP '{value}' tidak valid: digit jenis kelamin ({part}) harus 1 atau 2. Periksa dan ketik "
        "ulang NIP.",
    ),
    "nip-tmt": Entry(
        G,
        "NIP '{value}' tidak valid: digit 9-14 ({part}) bukan bulan dan tahun pengangkatan PNS, "
        "dan bukan nomor PPPK. Periksa dan ketik ulang NIP.",
    ),
    # Criteria workbook.
    "kriteria-tidak-ada": Entry(
        G,
        "Tidak ada buku kerja kriteria (sheet 'Kriteria') di folder masukan. Tambahkan buku kerja "
        "kriteria, lalu jalankan lagi.",
    ),
    "kriteria-ganda": Entry(
        G,
        "Ada lebih dari satu buku kerja kriteria ({files}). Simpan hanya satu di folder masukan.",
    ),
    "kriteria-kosong": Entry(G, "Sheet Kriteria tidak berisi satu kriteria pun."),
    "kode-ganda": Entry(
        G,
        "Kode kriteria '{value}' dipakai lebih dari sekali (juga di sel {other}). Setiap kriteria "
        "harus berkode unik.",
    ),
    "jenis-kriteria-tidak-valid": Entry(
        G, "Jenis '{value}' tidak dikenal. Tulis 'Hasil Kerja' atau 'Perilaku Kerja'."
    ),
    "bobot-tidak-positif": Entry(G, "Bobot harus lebih besar dari 0, tetapi berisi {value}."),
    "skala-tidak-valid": Entry(
        G,
        "Skala tidak valid: Skala Min ({low}) harus lebih kecil dari Skala Maks ({high}).",
    ),
    "bobot-tidak-100": Entry(
        G,
        "Jumlah bobot kriteria {jenis} untuk bidang '{bidang}' adalah {total}, bukan 100 ({count} "
        "kriteria: {codes}). Perbaiki kolom Bobot baris-baris itu agar jumlahnya tepat 100; tanpa "
        "itu tidak ada nilai yang bermakna.",
    ),
    "ambang-tidak-valid": Entry(
        G,
        "Ambang {jenis} tidak valid ({detail}). Kedua ambang harus antara 0 dan 100, dan ambang Di "
        "Atas Ekspektasi lebih besar dari ambang Sesuai Ekspektasi.",
    ),
    "jenis-hasil-tidak-valid": Entry(
        G,
        "Jenis Hasil '{value}' tidak dikenal. Tulis Utama (hasil kerja utama) atau Tambahan (hasil "
        "kerja tambahan); kosong berarti Utama.",
    ),
    "jenis-hasil-bukan-hasil-kerja": Entry(
        P,
        "Jenis Hasil '{value}' hanya berlaku untuk baris Hasil Kerja; pada baris {jenis} isian ini "
        "diabaikan. Kosongkan sel ini.",
    ),
    "batas-butir-tidak-valid": Entry(
        G,
        "Batas butir kriteria {kode} tidak valid ({detail}). Batas Sesuai harus lebih kecil dari "
        "Batas Di Atas, dan keduanya di dalam skala {low}-{high}. Perbaiki angkanya, atau "
        "kosongkan agar batas bawaan skala dipakai.",
    ),
    "predikat-organisasi-tidak-valid": Entry(
        P,
        "Predikat Kinerja Organisasi '{value}' tidak dikenal. Tulis Istimewa, Baik, Butuh "
        "Perbaikan, Kurang, atau Sangat Kurang.",
    ),
    "capaian-organisasi-tidak-valid": Entry(
        P,
        "Capaian Kinerja Organisasi '{value}' tidak dikenal. Tulis Istimewa, Baik, Butuh "
        "Perbaikan, Kurang, atau Sangat Kurang. Baris ini tidak dipakai.",
    ),
    "capaian-organisasi-ganda": Entry(
        P,
        "Capaian Kinerja Organisasi unit '{unit}' periode {periode} sudah ditulis di sel {other}. "
        "Hapus salah satu baris; yang dipakai adalah baris pertama.",
    ),
    "capaian-kepala-unit-tidak-ada": Entry(
        P,
        "Pegawai ini kepala unit '{unit}', tetapi Capaian Kinerja Organisasi unit itu untuk "
        "{periode} tidak ada. Rating Hasil Kerja dihitung dari nilai seperti pegawai lain. Isi "
        "sheet 'Capaian Organisasi' di buku kerja kriteria agar Rating Hasil Kerja mengikutinya.",
    ),
    # Roster.
    "pegawai-tidak-ada": Entry(
        G,
        "Tidak ada buku kerja daftar pegawai (sheet 'Pegawai') di folder masukan. Tambahkan daftar "
        "pegawai, lalu jalankan lagi.",
    ),
    "pegawai-ganda": Entry(
        G,
        "Ada lebih dari satu buku kerja daftar pegawai ({files}). Simpan hanya satu di folder masukan.",
    ),
    "nip-ganda": Entry(
        G,
        "NIP {value} muncul lebih dari sekali di daftar pegawai (juga di sel {other}). Hapus baris "
        "ganda.",
    ),
    "bidang-tidak-dikenal": Entry(
        G,
        "Bidang '{value}' tidak ada di sheet Kriteria, dan kriteria 'Semua' saja tidak berjumlah bobot "
        "100. Perbaiki ejaan bidang atau tambahkan kriterianya.",
    ),
    "atasan-tidak-dikenal": Entry(
        P,
        "NIP Atasan {value} tidak ada di daftar pegawai. Tambahkan atasan ke daftar pegawai atau "
        "perbaiki NIP Atasan.",
    ),
    "atasan-diri-sendiri": Entry(
        G, "NIP Atasan sama dengan NIP pegawai. Isi NIP atasan langsung pegawai ini."
    ),
    "atasan-kosong": Entry(
        P,
        "NIP Atasan kosong. Hanya kepala instansi yang boleh tanpa atasan; pegawai ini tidak dapat "
        "dinilai sampai NIP Atasan diisi.",
    ),
    "kepala-unit-tidak-valid": Entry(
        P,
        "Kepala Unit '{value}' tidak dikenal. Tulis Ya untuk kepala unit, atau kosongkan. Nilai ini "
        "diabaikan.",
    ),
    "kepala-unit-ganda": Entry(
        P,
        "Unit '{unit}' punya lebih dari satu Kepala Unit (juga di sel {other}). Tulis Ya hanya pada "
        "baris kepala unit itu.",
    ),
    "email-tidak-valid": Entry(
        P, "Alamat email '{value}' tidak valid. Perbaiki alamat agar umpan balik bisa dikirim."
    ),
    # Self-report.
    "nip-tidak-dikenal": Entry(
        G,
        "NIP {value} tidak ada di daftar pegawai. Periksa NIP, atau tambahkan pegawai ke daftar pegawai.",
    ),
    "nama-tidak-cocok": Entry(
        P,
        "Nama '{value}' berbeda dengan nama di daftar pegawai ('{expected}'). Periksa NIP dan nama.",
    ),
    "laporan-ganda": Entry(
        G,
        "Ada lebih dari satu laporan untuk NIP {nip} pada periode ini ({files}). {difference}Simpan "
        "hanya satu laporan per pegawai di folder masukan.",
    ),
    "kode-capaian-tidak-berlaku": Entry(
        P,
        "Kode kriteria '{value}' bukan kriteria Hasil Kerja untuk bidang '{bidang}'. Pilih salah satu: "
        "{choices}.",
    ),
    "laporan-tidak-ada": Entry(
        P,
        "Pegawai ini sudah dinilai tetapi belum mengirim laporan kinerja (Capaian). Umpan balik tetap "
        "dibuat, tanpa bagian laporan.",
    ),
    # Supervisor scores.
    "penilai-bukan-atasan": Entry(
        G,
        "{penilai} bukan atasan langsung pegawai {value} menurut daftar pegawai (atasan: {atasan}), "
        "sehingga {rows} baris nilai pegawai ini mulai {first} tidak dipakai. Hanya atasan langsung "
        "yang boleh menilai; perbaiki NIP di baris-baris itu atau NIP Atasan di daftar pegawai.",
    ),
    "kode-nilai-tidak-berlaku": Entry(
        G,
        "Kode kriteria '{value}' tidak berlaku untuk pegawai ini (bidang '{bidang}'). Pilih salah "
        "satu: {choices}.",
    ),
    "nilai-kosong": Entry(G, "Nilai untuk kriteria '{kode}' kosong. Isi nilai {low}-{high}."),
    "nilai-di-luar-skala": Entry(
        G,
        "Nilai {value} untuk kriteria '{kode}' di luar skala {low}-{high}. Isi nilai antara {low} dan "
        "{high}.",
    ),
    "nilai-ganda": Entry(
        G,
        "Kriteria '{kode}' untuk NIP {nip} dinilai lebih dari sekali (juga di {other}). Hapus salah "
        "satu.",
    ),
    "nilai-tidak-lengkap": Entry(
        G,
        "Penilaian untuk NIP {nip} belum lengkap: kriteria {missing} belum dinilai ({rows} baris "
        "untuk NIP ini, mulai {first}). Tambahkan baris untuk kriteria tersebut.",
    ),
    "nilai-terendah-tanpa-catatan": Entry(
        P,
        "Nilai {value} untuk kriteria '{kode}' adalah nilai terendah skala {low}-{high}, tetapi "
        "Catatan kosong. Nilai terendah perlu alasan tertulis: tuliskan alasannya di kolom Catatan "
        "baris ini.",
    ),
    "rating-tidak-valid": Entry(
        G,
        "Rating '{value}' tidak dikenal. Tulis Di Atas Ekspektasi, Sesuai Ekspektasi, atau Di Bawah "
        "Ekspektasi, atau kosongkan.",
    ),
    "override-tanpa-alasan": Entry(
        G,
        "Rating diubah oleh atasan tetapi Umpan Balik kosong. Tuliskan alasan perubahan rating di "
        "kolom Umpan Balik.",
    ),
    "umpan-balik-tanpa-nilai": Entry(
        P,
        "Ada umpan balik untuk NIP {value}, tetapi tidak ada nilai untuk pegawai ini di sheet Nilai.",
    ),
    "umpan-balik-ganda": Entry(
        P,
        "Umpan balik untuk NIP {value} ditulis lebih dari sekali; yang dipakai adalah baris pertama.",
    ),
    "umpan-balik-kosong": Entry(
        P,
        "Belum ada umpan balik untuk NIP {value}. Tambahkan baris di sheet Umpan Balik agar pegawai "
        "tahu apa yang perlu dipertahankan dan diperbaiki.",
    ),
    "penilaian-ganda": Entry(
        G,
        "Pegawai {value} dinilai di lebih dari satu buku kerja ({files}); di berkas ini {rows} baris "
        "mulai {first}. {difference}Simpan hanya satu penilaian per pegawai.",
    ),
    "periode-tidak-ada": Entry(
        G,
        "Tidak ada laporan atau penilaian dengan periode yang terbaca di folder masukan. Tambahkan "
        "berkas laporan/penilaian, atau sebutkan periode dengan --periode (misalnya --periode 2026-11).",
    ),
    "riwayat-kosong": Entry(
        G,
        "Belum ada hasil penilaian tahun {year} di riwayat folder kerja ini. Usulan tahunan dihitung "
        "dari hasil bulanan yang diproses dengan `kinerja run` di folder kerja.",
    ),
    "render-gagal": Entry(
        G,
        "PDF umpan balik tidak dapat dibuat: {reason}. Proses berikutnya mencoba lagi; bila tetap "
        "gagal, laporkan kepada pengelola aplikasi.",
    ),
    "pdf-gagal-ditulis": Entry(
        G,
        "PDF umpan balik tidak dapat disimpan di {path} ({reason}). Periksa apakah ada folder atau "
        "berkas terkunci dengan nama itu, dan apakah folder hasil bisa ditulis dan disknya tidak "
        "penuh; lalu jalankan lagi: PDF ini dibuat pada proses berikutnya.",
    ),
}


# HR's checks on a computed period (calibration.py): one template per check code. They inform; none
# changes a result. A placeholder may name how its number reads in Indonesian (formatting.py,
# `check_message`): `{mean:desimal}` 82,5; `{z:desimal.2}` 1,75; `{limit:angka}` 4,5;
# `{percent:persen}` 48,0%; a list reads `{names:daftar}` (a, b) or `{predikat:atau}` (a atau b).
CHECK_CATALOGUE: dict[str, str] = {
    # Why a supervisor is marked: a pattern across their team (calibration.py).
    "nilai-tinggi": (
        "Rata-rata Nilai {jenis} {mean:desimal} di atas rentang wajar untuk tim {employees} "
        "pegawai ({low:desimal} s.d. {high:desimal}; yang diharapkan {expected:desimal})."
    ),
    "nilai-rendah": (
        "Rata-rata Nilai {jenis} {mean:desimal} di bawah rentang wajar untuk tim {employees} "
        "pegawai ({low:desimal} s.d. {high:desimal}; yang diharapkan {expected:desimal})."
    ),
    "nilai-seragam": (
        "{count} dari {employees} pegawai mendapat nilai yang sama pada semua kriteria: "
        "{names:daftar} (ditandai bila lebih dari {limit:angka}% pegawai). Periksa apakah setiap "
        "kriteria sungguh dinilai."
    ),
    "nilai-tertinggi-dominan": (
        "{count} dari {scores} nilai ({percent:persen}) adalah nilai tertinggi skala, {noted} di "
        "antaranya dengan catatan (ditandai bila lebih dari {limit:angka}% nilai)."
    ),
    # A team's mean Nilai against its expected range, per Jenis in Kalibrasi (calibration.Standing).
    "rentang-wajar": "{low:desimal} s.d. {high:desimal}",
    "dalam-rentang": (
        "Dalam rentang wajar: rata-rata {mean:desimal}, yang diharapkan {expected:desimal}."
    ),
    "di-atas-rentang": (
        "Di atas rentang wajar: rata-rata {mean:desimal}, {gap:desimal} poin di atas yang "
        "diharapkan {expected:desimal}."
    ),
    "di-bawah-rentang": (
        "Di bawah rentang wajar: rata-rata {mean:desimal}, {gap:desimal} poin di bawah yang "
        "diharapkan {expected:desimal}."
    ),
    "sedikit-pegawai": (
        "Tidak dibandingkan: {employees} pegawai dinilai; pola baru dinilai mulai {min} pegawai."
    ),
    "sedikit-penilai-lain": (
        "Tidak dibandingkan: hanya {others_count} penilai lain; perlu paling sedikit {min}."
    ),
    "penyesuaian-naik": (
        "Capaian tim {team_capaian:persen} dari target, rata-rata semua pegawai {centre:persen}; "
        "karena itu yang diharapkan {shift:desimal} poin di atas nilai tengah penilai lain "
        "({reference:desimal})."
    ),
    "penyesuaian-turun": (
        "Capaian tim {team_capaian:persen} dari target, rata-rata semua pegawai {centre:persen}; "
        "karena itu yang diharapkan {shift:desimal} poin di bawah nilai tengah penilai lain "
        "({reference:desimal})."
    ),
    # Below the Kalibrasi table: the rules (calibration.marking_rules), then how the expected
    # ranges were made (calibration.Spread).
    "aturan-penandaan": (
        "Penilai ditandai hanya karena pola pada timnya, tidak karena satu nilai atau satu "
        "pegawai, dan hanya bila menilai paling sedikit {min_employees} pegawai: (a) rata-rata "
        "Nilai di luar rentang wajar; (b) lebih dari {straight:angka}% pegawainya mendapat nilai "
        "yang sama pada semua kriteria; (c) lebih dari {top:angka}% nilainya adalah nilai "
        "tertinggi skala. Rentang wajar adalah rentang rata-rata yang diharapkan untuk tim "
        "sebesar itu bila penilainya menilai seperti penilai lain: tim kecil mendapat rentang "
        "lebih lebar, karena rata-ratanya mudah berubah oleh satu-dua pegawai. Nilai tengah "
        "penilai lain adalah median berbobot rata-rata mereka (tim besar berbobot lebih), "
        "sehingga penilai yang sangat longgar atau sangat ketat tidak menggeser pembanding."
    ),
    "capaian-tim": (
        "Rata-rata Capaian Tim: rata-rata realisasi terhadap target dalam laporan pegawai yang "
        "mengisinya; setiap baris dihitung paling banyak {cap:angka}%."
    ),
    "sebaran": (
        "{jenis}: Nilai pegawai dari penilai yang sama tersebar {sigma:desimal} poin (simpangan "
        "baku). Kecenderungan penilai biasa tersebar {tau:desimal} poin: {estimate:desimal} "
        "menurut {supervisors} penilai periode ini, digabung dengan nilai lazim {typical:angka} "
        "poin yang dihitung seolah dari {weight:angka} penilai. Rentang wajar = yang diharapkan ± "
        "{threshold:angka} × √({tau:desimal}² + {sigma:desimal}² ÷ jumlah pegawai + "
        "ketidakpastian nilai tengah penilai lain), paling sedikit ± {min_difference:angka} poin: "
        "untuk tim 3 pegawai sekitar ± {allowance3:desimal}, 10 pegawai ± {allowance10:desimal}, "
        "25 pegawai ± {allowance25:desimal}."
    ),
    "capaian-dipakai": (
        "Hasil Kerja: yang diharapkan memperhitungkan capaian tim (realisasi terhadap target "
        "dalam laporan pegawai). Pada penilai yang sama, pegawai dengan capaian 10 poin persen "
        "lebih tinggi mendapat Nilai Hasil Kerja rata-rata {slope10:desimal} poin lebih tinggi "
        "(dari {count} pegawai). Nilai tengah penilai lain dihitung pada capaian rata-rata semua "
        "pegawai ({centre:persen}); pegawai tanpa angka capaian dihitung pada rata-rata itu."
    ),
    "capaian-sedikit": (
        "Hasil Kerja: yang diharapkan tidak memperhitungkan capaian, karena hanya {count} pegawai "
        "(dalam tim 2 pegawai atau lebih) melaporkan realisasi dan target; perlu paling sedikit "
        "{min}."
    ),
    "capaian-tidak-sejalan": (
        "Hasil Kerja: yang diharapkan tidak memperhitungkan capaian, karena pada penilai yang "
        "sama capaian yang lebih tinggi tidak sejalan dengan Nilai Hasil Kerja yang lebih tinggi."
    ),
    # A self-reported realisation that contradicts the score on the same criterion.
    "capaian-rendah-nilai-tertinggi": (
        "Realisasi {percent:persen} dari target (di bawah {limit:angka}%), tetapi nilainya "
        "tertinggi pada skala."
    ),
    "capaian-tinggi-nilai-terendah": (
        "Realisasi {percent:persen} dari target (mencapai {limit:angka}% atau lebih), tetapi "
        "nilainya terendah pada skala."
    ),
    # One rule on the predikat distribution, per bound (settings.Bound).
    "distribusi-terbanyak": "{predikat:atau} paling banyak di antara predikat pegawai",
    "distribusi-minimal": "{predikat:atau} paling sedikit {percent:angka}%",
    "distribusi-maksimal": "{predikat:atau} paling banyak {percent:angka}%",
    "distribusi-ada": "Ada pegawai dengan predikat {predikat:atau}",
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    file: str
    sheet: str
    cell: str
    value: str
    message: str
    nip: str | None = None

    @property
    def place(self) -> str:
        """`berkas.xlsx, Nilai!C7` style location for the console."""
        where = self.sheet
        if self.cell:
            where = f"{where}!{self.cell}" if where else self.cell
        return f"{self.file}, {where}" if where and self.file else (self.file or where)


def finding(
    code: str,
    source: Source,
    *,
    value: object = None,
    nip: str | None = None,
    **params: Any,
) -> Finding:
    """Build a finding from its code's catalogue entry."""
    entry = CATALOGUE[code]
    shown = "" if value is None else str(value)
    message = entry.template.format(value=shown, nip=nip or "", **params)
    return Finding(
        code=code,
        severity=entry.severity,
        file=source.file,
        sheet=source.sheet,
        cell=source.cell,
        value=shown,
        message=message,
        nip=nip,
    )


class RunStopped(Exception):
    """Raised when the inputs cannot give any meaningful result (no or invalid criteria/roster)."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__("; ".join(f.message for f in self.findings))


_CELL = re.compile(r"([A-Z]*)(\d*)")


def _cell_order(cell: str) -> tuple[int, int, str]:
    """Reading order of a cell reference: `C9` before `C10`, row by row."""
    m = _CELL.fullmatch(cell.upper())
    if not m or not (m.group(1) or m.group(2)):
        return (0, 0, cell)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - ord("A") + 1
    return (int(m.group(2) or 0), col, "")


def sort_key(f: Finding) -> tuple[int, str, str, tuple[int, int, str]]:
    return (SEVERITY_ORDER[f.severity], f.file, f.sheet, _cell_order(f.cell))


def blocked_nips(findings: Iterable[Finding]) -> set[str]:
    return {f.nip for f in findings if f.severity is Severity.GALAT and f.nip}
