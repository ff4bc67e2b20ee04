"""End to end: `kinerja run sample_data` in-process, checked the way HR and employees would check it."""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from kinerja_batch.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"

ENDANG = "197808162003082654"  # Pendidikan; ran the teacher training
INDAH = "198404112011082067"  # Administrasi Keuangan; harsh supervisor; a 0-100 criterion
RAHMAWATI = "199002162015112576"  # Hasil Kerja rating overridden by her supervisor
BULLETED = "199307232021051886"  # Rekomendasi typed as a list starting with "- "
WULAN = "199107082017102556"  # Uraian starting with =HYPERLINK(...)


@dataclass
class Run:
    code: int
    out: str
    folder: Path


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    out_dir = tmp_path_factory.mktemp("hasil")
    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
        pytest.raises(SystemExit) as info,
    ):
        main(["run", str(SAMPLE), "--out", str(out_dir)])
    code = info.value.code
    return Run(code if isinstance(code, int) else 0, stdout.getvalue(), out_dir / "2026-11")


def pegawai_rows(run: Run) -> dict[str, dict[str, object]]:
    wb = openpyxl.load_workbook(run.folder / "ringkasan_2026-11.xlsx")
    rows = list(wb["Pegawai"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return {str(r[0]): dict(zip(header, r, strict=True)) for r in rows[1:]}


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_exit_code_and_closing_summary(sample_run: Run) -> None:
    # The sample holds deliberate mistakes that block three employees.
    assert sample_run.code == 1
    assert (
        "Periode November 2026: 43 pegawai dinilai, 2 belum dinilai, 1 belum ada laporan, "
        "3 diblokir temuan." in sample_run.out
    )
    assert "(43 berkas)" in sample_run.out
    assert "Temuan: 4 galat" in sample_run.out
    assert "Nilai!A23 (nip-angka)" in sample_run.out
    assert "Nilai!C20 (nilai-di-luar-skala)" in sample_run.out


def test_one_pdf_per_evaluated_employee(sample_run: Run) -> None:
    pdfs = sorted((sample_run.folder / "umpan_balik").glob("*.pdf"))
    assert len(pdfs) == 43
    assert all(re.fullmatch(r"\d{18}_[A-Za-z0-9_]+\.pdf", p.name) for p in pdfs)
    rows = pegawai_rows(sample_run)
    evaluated = {nip for nip, row in rows.items() if row["Status"] == "Dinilai"}
    assert {p.name[:18] for p in pdfs} == evaluated


def test_pdf_of_the_education_officer(sample_run: Run) -> None:
    (pdf,) = (sample_run.folder / "umpan_balik").glob(f"{ENDANG}_*.pdf")
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    assert "Endang Sulistyowati" in text
    assert "19780816 200308 2 654" in flat or ENDANG in flat
    assert "Sangat Baik" in text
    assert "Halaman 1 dari" in text
    assert "November 2026" in text
    assert "95,0" in flat and "88,8" in flat  # values with a decimal comma
    assert "memperluasnya ke sekolah lain" in flat
    assert "Pemerintah Kabupaten Kemuning" in text
    # one employee's data only: no other employee's name
    others = [row["Nama"] for nip, row in pegawai_rows(sample_run).items() if nip != ENDANG]
    assert not [n for n in others if isinstance(n, str) and n in text and "Erna Marlina" not in n]
    meta = PdfReader(pdf).metadata
    assert meta is not None and "Endang Sulistyowati" in str(meta.title)


def test_hand_computed_values_in_the_summary(sample_run: Run) -> None:
    rows = pegawai_rows(sample_run)
    endang, indah, rahma = rows[ENDANG], rows[INDAH], rows[RAHMAWATI]
    # Endang: HK (35*100 + 25*100 + 20*75 + 20*100)/100 = 95.0; PK 88.75 -> 88.8 (half up)
    assert (endang["Nilai Hasil Kerja"], endang["Rating Hasil Kerja"]) == (95, "Di Atas Ekspektasi")
    assert (endang["Nilai Perilaku Kerja"], endang["Rating Perilaku Kerja"]) == (
        88.8,
        "Di Atas Ekspektasi",
    )
    assert endang["Predikat"] == "Sangat Baik" and endang["Status"] == "Dinilai"
    # Indah: HK (30*25 + 30*55 + 20*50 + 20*25)/100 = 39.0; PK 56.25 -> 56.3
    assert (indah["Nilai Hasil Kerja"], indah["Rating Hasil Kerja"]) == (39, "Di Bawah Ekspektasi")
    assert (indah["Nilai Perilaku Kerja"], indah["Rating Perilaku Kerja"]) == (
        56.3,
        "Sesuai Ekspektasi",
    )
    assert indah["Predikat"] == "Butuh Perbaikan"
    assert indah["HK-AK-02 Kualitas laporan keuangan"] == 55  # raw score on its 0-100 scale
    # Rahmawati: HK 61.25 -> 61.3, computed Sesuai, decided Di Atas by her supervisor
    assert rahma["Nilai Hasil Kerja"] == 61.3
    assert rahma["Rating Dihitung Hasil Kerja"] == "Sesuai Ekspektasi"
    assert rahma["Rating Hasil Kerja"] == "Di Atas Ekspektasi"
    assert rahma["Diubah Atasan"] == "Ya"
    assert rahma["Predikat"] == "Sangat Baik"


def test_every_predikat_follows_the_matrix(sample_run: Run) -> None:
    matrix = {
        ("Di Atas Ekspektasi", "Di Bawah Ekspektasi"): "Kurang/Misconduct",
        ("Di Atas Ekspektasi", "Sesuai Ekspektasi"): "Baik",
        ("Di Atas Ekspektasi", "Di Atas Ekspektasi"): "Sangat Baik",
        ("Sesuai Ekspektasi", "Di Bawah Ekspektasi"): "Kurang/Misconduct",
        ("Sesuai Ekspektasi", "Sesuai Ekspektasi"): "Baik",
        ("Sesuai Ekspektasi", "Di Atas Ekspektasi"): "Baik",
        ("Di Bawah Ekspektasi", "Di Bawah Ekspektasi"): "Sangat Kurang",
        ("Di Bawah Ekspektasi", "Sesuai Ekspektasi"): "Butuh Perbaikan",
        ("Di Bawah Ekspektasi", "Di Atas Ekspektasi"): "Butuh Perbaikan",
    }
    evaluated = [r for r in pegawai_rows(sample_run).values() if r["Status"] == "Dinilai"]
    assert len(evaluated) == 43
    for row in evaluated:
        ratings = (str(row["Rating Hasil Kerja"]), str(row["Rating Perilaku Kerja"]))
        assert row["Predikat"] == matrix[ratings]


def kalibrasi_rows(run: Run) -> dict[str, dict[str, object]]:
    wb = openpyxl.load_workbook(run.folder / "ringkasan_2026-11.xlsx")
    rows = list(wb["Kalibrasi"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return {str(r[0]): dict(zip(header, r, strict=True)) for r in rows[1:] if r[1]}


def test_kalibrasi_marks_only_the_supervisor_a_reader_would(sample_run: Run) -> None:
    """Yuliana Pangaribuan gives almost only 5s to a team whose achievement is like everyone's:
    marked. Lusiana Tampubolon's low Hasil Kerja is what her team's own figures predict (two of
    her three employees reported about 76-79% of target): not marked. Teams of 1-2 are listed
    but not judged."""
    assert "Kalibrasi: 1 dari 16 penilai ditandai karena pola pada timnya" in sample_run.out
    rows = kalibrasi_rows(sample_run)
    assert len(rows) == 16
    assert {name for name, row in rows.items() if row["Ditandai"] == "Ya"} == {
        "Yuliana Pangaribuan, S.H."
    }
    yuliana = rows["Yuliana Pangaribuan, S.H."]
    assert str(yuliana["Alasan"]).split("\n") == [
        "Rata-rata Nilai Hasil Kerja 94,2 di atas rentang wajar untuk tim 3 pegawai (55,8 s.d. "
        "92,2; yang diharapkan 74,0).",
        "24 dari 33 nilai (72,7%) adalah nilai tertinggi skala, 0 di antaranya dengan catatan "
        "(ditandai bila lebih dari 50% nilai).",
    ]
    lusiana = rows["Lusiana Tampubolon, S.E., M.Ak."]
    assert lusiana["Rata-rata Nilai Hasil Kerja"] == pytest.approx((39 + 63.4 + 32.8) / 3, abs=0.1)
    assert lusiana["Rata-rata Capaian Tim"] == pytest.approx(0.838, abs=0.001)
    assert lusiana["Rentang Wajar Hasil Kerja"] == "33,4 s.d. 69,8"
    assert str(lusiana["Perbandingan Hasil Kerja"]).split("\n") == [
        "Dalam rentang wajar: rata-rata 45,1, yang diharapkan 51,6.",
        "Capaian tim 83,8% dari target, rata-rata semua pegawai 96,2%; karena itu yang diharapkan "
        "19,2 poin di bawah nilai tengah penilai lain (70,8).",
    ]
    assert lusiana["Ditandai"] is None
    small = [row for row in rows.values() if int(str(row["Jumlah Pegawai Dinilai"])) < 3]
    assert len(small) == 7 and all(row["Ditandai"] is None for row in small)
    assert all(
        str(row["Perbandingan Perilaku Kerja"]).startswith("Tidak dibandingkan:") for row in small
    )


def test_validasi_sheet_lists_the_deliberate_mistakes(sample_run: Run) -> None:
    wb = openpyxl.load_workbook(sample_run.folder / "ringkasan_2026-11.xlsx")
    rows = list(wb["Validasi"].iter_rows(values_only=True))
    assert rows[0][:6] == ("Berkas", "Sheet", "Sel", "Tingkat", "Kode", "Pesan")
    found = {(r[1], r[2], r[3], r[4]) for r in rows[1:]}
    assert ("Nilai", "A23", "Galat", "nip-angka") in found
    assert ("Nilai", "C20", "Galat", "nilai-di-luar-skala") in found
    # Incomplete scores point at the employee's rows: the first (here right below the row whose
    # NIP was typed as a number, A23, and so lost) and, in the message, how many.
    assert ("Nilai", "A24", "Galat", "nilai-tidak-lengkap") in found
    assert ("Nilai", "A14", "Galat", "nilai-tidak-lengkap") in found
    incomplete = next(r for r in rows[1:] if r[2] == "A24")
    assert "(9 baris untuk NIP ini, mulai A24)" in str(incomplete[5])


def test_text_that_looks_like_a_formula_stays_text(sample_run: Run) -> None:
    path = sample_run.folder / "ringkasan_2026-11.xlsx"
    row = pegawai_rows(sample_run)[BULLETED]
    assert str(row["Rekomendasi"]).startswith("- Fokus pada indikator")
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and all(b"<f>" not in z.read(n) for n in sheets if "sheet2" in n)
    wb = openpyxl.load_workbook(path)
    cells = [c for r in wb["Pegawai"].iter_rows() for c in r if c.value == row["Rekomendasi"]]
    assert cells and all(c.data_type == "s" for c in cells)
    # In the PDF, the =HYPERLINK text shows literally (and is no link).
    (pdf,) = (sample_run.folder / "umpan_balik").glob(f"{WULAN}_*.pdf")
    assert '=HYPERLINK("http://contoh.invalid","klik")' in " ".join(pdf_text(pdf).split())
    assert all("/Annots" not in page for page in PdfReader(pdf).pages)
