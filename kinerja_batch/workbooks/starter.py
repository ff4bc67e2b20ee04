"""The starter criteria and roster workbooks that `kinerja init` puts in a new working folder.

They hold the documented columns, example rows HR replaces, and a `Petunjuk` sheet. They are not
protected: HR edits them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kinerja_batch.model import Jenis
from kinerja_batch.settings import DEFAULT_SETTINGS
from kinerja_batch.workbooks.cells import cell_at, save_workbook, write_text
from kinerja_batch.workbooks.contract import (
    AMBANG,
    CAPAIAN_ORGANISASI,
    KRITERIA,
    PEGAWAI,
    PENGATURAN,
    TableSheet,
)
from kinerja_batch.workbooks.forms import (
    TITLE_FONT,
    WRAP,
    letter,
    page_setup,
    write_header,
    write_instructions,
)

# The seven BerAKHLAK core values (SE MenPANRB No. 20 Tahun 2021) as Perilaku Kerja criteria.
BERAKHLAK: tuple[tuple[str, str, float, str], ...] = (
    ("PK-01", "Berorientasi Pelayanan", 15,
     "Memahami dan memenuhi kebutuhan masyarakat; ramah, cekatan, solutif dan dapat diandalkan; "
     "terus melakukan perbaikan."),
    ("PK-02", "Akuntabel", 15,
     "Jujur, bertanggung jawab, cermat, disiplin dan berintegritas; menggunakan barang milik negara "
     "secara bertanggung jawab dan efisien; tidak menyalahgunakan kewenangan."),
    ("PK-03", "Kompeten", 15,
     "Terus meningkatkan kompetensi diri; membantu orang lain belajar; melaksanakan tugas dengan "
     "kualitas terbaik."),
    ("PK-04", "Harmonis", 15,
     "Menghargai setiap orang apa pun latar belakangnya; suka menolong; membangun lingkungan kerja "
     "yang kondusif."),
    ("PK-05", "Loyal", 10,
     "Memegang teguh Pancasila, UUD 1945, NKRI dan pemerintahan yang sah; menjaga nama baik sesama "
     "ASN, pimpinan, instansi dan negara; menjaga rahasia jabatan."),
    ("PK-06", "Adaptif", 15,
     "Cepat menyesuaikan diri menghadapi perubahan; terus berinovasi; bertindak proaktif."),
    ("PK-07", "Kolaboratif", 15,
     "Memberi kesempatan kepada berbagai pihak untuk berkontribusi; terbuka bekerja sama untuk "
     "menghasilkan nilai tambah; menggerakkan sumber daya untuk tujuan bersama."),
)  # fmt: skip

EXAMPLE_HASIL: tuple[tuple[str, str, str, float, str], ...] = (
    ("HK-PM-01", "Pelayanan Masyarakat", "Responsivitas layanan", 50,
     "Kecepatan dan ketepatan menanggapi permohonan dan pengaduan warga."),
    ("HK-PM-02", "Pelayanan Masyarakat", "Kepuasan masyarakat", 50,
     "Hasil survei kepuasan masyarakat atas layanan yang diberikan."),
    ("HK-PD-01", "Pendidikan", "Dampak pelatihan guru terhadap metode mengajar", 60,
     "Perubahan praktik mengajar guru setelah pelatihan, dilihat dari observasi kelas."),
    ("HK-PD-02", "Pendidikan", "Pendampingan sekolah binaan", 40,
     "Supervisi dan pendampingan sekolah binaan sesuai rencana."),
)  # fmt: skip

KRITERIA_GUIDE = (
    "Sheet Kriteria berisi kriteria penilaian. Kolom wajib: Kode (unik), Jenis (Hasil Kerja atau "
    "Perilaku Kerja), Bidang (kelompok jabatan, atau Semua), Kriteria, Bobot (persen). Skala Min dan "
    "Skala Maks boleh dikosongkan (1 dan 5).",
    "Untuk setiap bidang yang dipakai di daftar pegawai, jumlah bobot kriteria Hasil Kerja (baris "
    "bidang itu ditambah baris Semua) harus 100, demikian juga Perilaku Kerja. Tanpa itu proses berhenti.",
    "Tujuh nilai dasar BerAKHLAK sudah diisi sebagai kriteria Perilaku Kerja untuk Semua. Baris Hasil "
    "Kerja adalah contoh: ganti dengan kriteria instansi Anda.",
    "Sheet Ambang: batas nilai (0-100) untuk rating Di Atas Ekspektasi dan Sesuai Ekspektasi. Sheet "
    "Pengaturan: nama instansi (kop PDF) dan predikat kinerja organisasi.",
    "Sheet Capaian Organisasi (boleh kosong): Capaian Kinerja Organisasi tiap unit per periode "
    "(Istimewa, Baik, Butuh Perbaikan, Kurang, Sangat Kurang). Unit Kerja kosong atau nama instansi "
    "berarti seluruh instansi.",
)

PEGAWAI_GUIDE = (
    "Sheet Pegawai berisi semua pegawai yang dinilai, satu baris per pegawai. Baris contoh harus "
    "diganti dengan data pegawai Anda.",
    "NIP dan NIP Atasan ditulis 18 digit tanpa spasi. Kolom ini sudah berformat Teks; jangan ubah "
    "formatnya, karena Excel menghapus digit terakhir NIP yang disimpan sebagai angka.",
    "Bidang harus sama dengan salah satu bidang di buku kerja kriteria. NIP Atasan adalah atasan "
    "langsung yang menilai pegawai; kosongkan hanya untuk kepala instansi. Email dipakai untuk "
    "mengirim umpan balik.",
    "Kepala Unit: tulis Ya pada baris kepala unit kerja itu; Rating Hasil Kerja-nya mengikuti "
    "Capaian Kinerja Organisasi unitnya.",
)

ROSTER_ROWS = 2000  # rows formatted as Text for NIPs


def _put_row(
    ws: Worksheet, row: int, declared: TableSheet, values: Mapping[str, str | float]
) -> None:
    """One example row, each value under its declared header; text in wrapped columns wraps."""
    for c, col in enumerate(declared.columns, start=1):
        if col.header not in values:
            continue
        cell = cell_at(ws, row, c)
        value = values[col.header]
        if isinstance(value, str):
            write_text(cell, value)
        else:
            cell.value = value
        if col.wrap:
            cell.alignment = WRAP


def _plain(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def write_starter_criteria(path: Path, nama_instansi: str) -> None:
    wb = Workbook()
    assert wb.active is not None
    write_instructions(wb.active, "Petunjuk Buku Kerja Kriteria", KRITERIA_GUIDE)
    wb.active.title = "Petunjuk"
    ws = wb.create_sheet(KRITERIA.name)
    write_text(cell_at(ws, 1, 1), "Kriteria Penilaian Kinerja")
    cell_at(ws, 1, 1).font = TITLE_FONT
    write_header(ws, 2, KRITERIA)
    rows = [(k, Jenis.HASIL.value, b, n, w, 1, 5, d) for k, b, n, w, d in EXAMPLE_HASIL]
    rows += [(k, Jenis.PERILAKU.value, "Semua", n, w, 1, 5, d) for k, n, w, d in BERAKHLAK]
    for r, row in enumerate(rows, start=3):
        # Optional columns after the examples' values stay blank (Jenis Hasil blank = Utama).
        _put_row(ws, r, KRITERIA, dict(zip(KRITERIA.headers, row, strict=False)))
    # The rows below the examples are for criteria HR adds: blank until then, never invalid.
    jenis_list = DataValidation(
        type="list",
        formula1='"' + ",".join(KRITERIA.column("Jenis").choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        error="Pilih Hasil Kerja atau Perilaku Kerja.",
    )
    jenis_col = letter(KRITERIA, "Jenis")
    jenis_list.add(f"{jenis_col}3:{jenis_col}500")
    ws.add_data_validation(jenis_list)
    positive = DataValidation(
        type="decimal",
        operator="greaterThan",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        error="Bobot harus angka lebih dari 0.",
    )
    bobot_col = letter(KRITERIA, "Bobot")
    positive.add(f"{bobot_col}3:{bobot_col}500")
    ws.add_data_validation(positive)
    page_setup(ws, header_row=2)

    ambang = wb.create_sheet(AMBANG.name)
    write_header(ambang, 1, AMBANG)
    for r, (jenis, t) in enumerate(DEFAULT_SETTINGS.thresholds.items(), start=2):
        _put_row(
            ambang,
            r,
            AMBANG,
            {
                "Jenis": jenis.value,
                "Di Atas Ekspektasi": _plain(t.di_atas),
                "Sesuai Ekspektasi": _plain(t.sesuai),
            },
        )
    page_setup(ambang, header_row=1)
    settings = wb.create_sheet(PENGATURAN.name)
    settings.column_dimensions["A"].width = PENGATURAN.label_width
    settings.column_dimensions["B"].width = PENGATURAN.value_width
    given = {"Nama Instansi": nama_instansi, "Predikat Kinerja Organisasi": "Baik"}
    for r, label in enumerate(PENGATURAN.labels, start=1):
        write_text(cell_at(settings, r, 1), label.label)
        write_text(cell_at(settings, r, 2), given[label.label])
    page_setup(settings)
    capaian = wb.create_sheet(CAPAIAN_ORGANISASI.name)  # optional: blank until HR fills it in
    write_header(capaian, 1, CAPAIAN_ORGANISASI)
    page_setup(capaian, header_row=1)
    save_workbook(wb, path)


def write_starter_roster(path: Path) -> None:
    wb = Workbook()
    assert wb.active is not None
    write_instructions(wb.active, "Petunjuk Daftar Pegawai", PEGAWAI_GUIDE)
    wb.active.title = "Petunjuk"
    ws = wb.create_sheet(PEGAWAI.name)
    write_header(ws, 1, PEGAWAI)
    examples = (
        ("197001011995031001", "Drs. Contoh Kepala, M.Si.", "Kepala Dinas", "Dinas Contoh",
         "Pelayanan Masyarakat", "", "kepala@contoh.go.id", "Ya"),
        ("198503122010012005", "Contoh Pegawai, S.Sos.", "Pengelola Layanan", "Dinas Contoh",
         "Pelayanan Masyarakat", "197001011995031001", "pegawai@contoh.go.id", ""),
    )  # fmt: skip
    for r, row in enumerate(examples, start=2):
        # Optional columns after the examples' values (Pangkat/Golongan) stay blank.
        _put_row(ws, r, PEGAWAI, dict(zip(PEGAWAI.headers, row, strict=False)))
    text_columns = [c for c, col in enumerate(PEGAWAI.columns, start=1) if col.text]
    for r in range(2, ROSTER_ROWS + 2):
        for c in text_columns:
            cell_at(ws, r, c).number_format = "@"
    page_setup(ws, header_row=1)
    save_workbook(wb, path)
