"""The annual suggestion (a local rule): means, ratings, predikat and counts checked against values
worked out by hand, then the workbook and the PDF read back as HR and the employee would."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
import re
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from kinerja_batch.annual import AnnualSuggestion, mean_value, suggest_annual
from kinerja_batch.documents.annual import AnnualRenderer
from kinerja_batch.history import StoredResult
from kinerja_batch.model import MONTHS_ID, Jenis, Periode, Predikat, Rating, Thresholds, TrendPoint
from kinerja_batch.paths import OutputPaths
from kinerja_batch.sheets.annual import PER_BULAN_HEADERS, TAHUNAN_HEADERS, write_annual_summary

YEAR = 2026
INSTANSI = "Pemerintah Kabupaten Kemuning"
GENERATED_ON = dt.date(2027, 1, 8)
DOC_ID = "KB-T-2026-000001"
# Different thresholds per Jenis, so a mix-up shows.
THRESHOLDS = {
    Jenis.HASIL: Thresholds(di_atas=80.0, sesuai=50.0),
    Jenis.PERILAKU: Thresholds(di_atas=85.0, sesuai=60.0),
}

A, S, B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH
SB, BK, BP = Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN
SK = Predikat.SANGAT_KURANG

SITI = "198503122010012005"
BAMBANG = "198811202012121001"
CITRA = "199205052019032001"

Month = tuple[int, float, Rating, float, Rating, Predikat]

# Siti Aminah, Dinas Pendidikan, all 12 months. The monthly ratings and predikat are what was
# decided each month (thresholds above, matrix of DOMAIN.md).
SITI_MONTHS: list[Month] = [
    # month, Nilai HK, rating HK, Nilai PK, rating PK, predikat
    (1, 78.0, S, 84.0, S, BK),
    (2, 79.0, S, 86.0, A, BK),
    (3, 80.0, A, 85.0, A, SB),
    (4, 81.0, A, 85.0, A, SB),
    (5, 79.5, S, 85.0, A, BK),
    (6, 80.5, A, 85.0, A, SB),
    (7, 79.0, S, 85.0, A, BK),
    (8, 81.0, A, 85.0, A, SB),
    (9, 80.0, A, 85.0, A, SB),
    (10, 80.0, A, 85.0, A, SB),
    (11, 80.4, A, 85.0, A, SB),
    (12, 81.0, A, 84.4, S, BK),
]
# HK: 78+79+80+81+79.5+80.5+79+81+80+80+80.4+81 = 959.4; / 12 = 79.95 -> 80.0 -> Di Atas (>= 80)
# PK: 84+86+85*9+84.4 = 1019.4; / 12 = 84.95 -> 85.0 -> Di Atas (>= 85)
# predikat (Di Atas, Di Atas) = Sangat Baik; months: Sangat Baik 7 (3, 4, 6, 8-11), Baik 5 (1, 2, 5,
# 7, 12).

# Bambang Wijaya, Dinas Pendidikan, September to December. October's Perilaku Kerja (59.0, computed
# Di Bawah) was raised to Sesuai by the supervisor: (Di Bawah, Sesuai) = Butuh Perbaikan.
BAMBANG_MONTHS: list[Month] = [
    (9, 50.0, S, 60.0, S, BK),
    (10, 49.0, B, 59.0, S, BP),
    (11, 50.4, S, 60.5, S, BK),
    (12, 50.4, S, 60.3, S, BK),
]
# HK: 50+49+50.4+50.4 = 199.8; / 4 = 49.95 -> 50.0 -> Sesuai (>= 50)
# PK: 60+59+60.5+60.3 = 239.8; / 4 = 59.95 -> 60.0 -> Sesuai (>= 60); the override changes no value
# predikat (Sesuai, Sesuai) = Baik; months: Baik 3, Butuh Perbaikan 1.
BAMBANG_OTHER_YEARS = [
    # Far from 2026's values: counted, they would change every figure.
    TrendPoint(Periode(2025, 12), 10.0, B, 10.0, B, SK),
    TrendPoint(Periode(2027, 1), 99.0, A, 99.0, A, SB),
]

# Citra Lestari, March to December; moved from Dinas Pendidikan to Badan Keuangan Daerah in July
# and got her degree (name as of the latest month: "Citra Lestari, S.E.").
CITRA_MONTHS: list[Month] = [
    (3, 48.0, B, 85.0, A, BP),
    (4, 50.0, S, 84.0, S, BK),
    (5, 49.0, B, 86.0, A, BP),
    (6, 51.0, S, 85.5, A, BK),
    (7, 47.5, B, 84.5, S, BP),
    (8, 50.5, S, 85.0, A, BK),
    (9, 49.0, B, 84.0, S, BP),
    (10, 50.0, S, 85.0, A, BK),
    (11, 49.5, B, 85.5, A, BP),
    (12, 50.0, S, 85.0, A, BK),
]
# HK: 48+50+49+51+47.5+50.5+49+50+49.5+50 = 494.5; / 10 = 49.45 -> 49.5 -> Di Bawah (< 50)
# PK: 85+84+86+85.5+84.5+85+84+85+85.5+85 = 849.5; / 10 = 84.95 -> 85.0 -> Di Atas (>= 85)
# predikat (Di Bawah, Di Atas) = Butuh Perbaikan; months: Butuh Perbaikan 5, Baik 5.


def _point(month: Month, year: int = YEAR) -> TrendPoint:
    m, hk, rating_hk, pk, rating_pk, predikat = month
    return TrendPoint(Periode(year, m), hk, rating_hk, pk, rating_pk, predikat)


def _results() -> list[StoredResult]:
    rows = [
        StoredResult(SITI, "Dr. Siti Aminah, M.Pd.", "Dinas Pendidikan", _point(m))
        for m in SITI_MONTHS
    ]
    rows += [
        StoredResult(BAMBANG, "Bambang Wijaya", "Dinas Pendidikan", _point(m))
        for m in BAMBANG_MONTHS
    ]
    rows += [
        StoredResult(BAMBANG, "Bambang Wijaya", "Dinas Pendidikan", p) for p in BAMBANG_OTHER_YEARS
    ]
    for m in CITRA_MONTHS:
        moved = m[0] >= 7
        nama = "Citra Lestari, S.E." if moved else "Citra Lestari"
        unit = "Badan Keuangan Daerah" if moved else "Dinas Pendidikan"
        rows.append(StoredResult(CITRA, nama, unit, _point(m)))
    random.Random(2026).shuffle(rows)  # the order of the input must not matter
    return rows


@pytest.fixture(scope="module")
def suggestions() -> list[AnnualSuggestion]:
    return suggest_annual(_results(), YEAR, THRESHOLDS)


def _by_nip(suggestions: list[AnnualSuggestion]) -> dict[str, AnnualSuggestion]:
    return {s.nip: s for s in suggestions}


# --- the computation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "mean"),
    [
        ([60.0, 60.3], 60.2),  # 60.15 half up; the float mean 60.149999... would give 60.1
        ([49.4, 49.5], 49.5),  # 49.45
        ([80.0, 80.0, 80.1], 80.0),  # 80.0333...
        ([70.0], 70.0),
    ],
)
def test_mean_value_rounds_half_up_exactly(values: list[float], mean: float) -> None:
    assert mean_value(values) == mean


def test_mean_value_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        mean_value([])


def test_sorted_by_unit_then_name(suggestions: list[AnnualSuggestion]) -> None:
    # Citra's latest unit is Badan Keuangan Daerah (before Dinas Pendidikan); Bambang before Siti.
    assert [s.nip for s in suggestions] == [CITRA, BAMBANG, SITI]


@pytest.mark.parametrize(
    ("nip", "months", "mean_hasil", "rating_hasil", "mean_perilaku", "rating_perilaku", "predikat"),
    [
        (SITI, 12, 80.0, A, 85.0, A, SB),
        (BAMBANG, 4, 50.0, S, 60.0, S, BK),
        (CITRA, 10, 49.5, B, 85.0, A, BP),
    ],
)
def test_means_ratings_and_predikat(
    suggestions: list[AnnualSuggestion],
    nip: str,
    months: int,
    mean_hasil: float,
    rating_hasil: Rating,
    mean_perilaku: float,
    rating_perilaku: Rating,
    predikat: Predikat,
) -> None:
    s = _by_nip(suggestions)[nip]
    assert len(s.months) == months
    assert (s.mean_hasil, s.rating_hasil) == (mean_hasil, rating_hasil)
    assert (s.mean_perilaku, s.rating_perilaku) == (mean_perilaku, rating_perilaku)
    assert s.predikat is predikat
    assert s.thresholds_hasil == THRESHOLDS[Jenis.HASIL]
    assert s.thresholds_perilaku == THRESHOLDS[Jenis.PERILAKU]


@pytest.mark.parametrize(
    ("nip", "counts"),
    [
        (SITI, {SB: 7, BK: 5}),
        (BAMBANG, {BK: 3, BP: 1}),
        (CITRA, {BK: 5, BP: 5}),
    ],
)
def test_predikat_counts(
    suggestions: list[AnnualSuggestion], nip: str, counts: dict[Predikat, int]
) -> None:
    got = _by_nip(suggestions)[nip].predikat_counts
    assert list(got) == list(Predikat)  # every canonical predikat, in order, zeros included
    assert got == {p: counts.get(p, 0) for p in Predikat}


def test_months_are_the_years_in_order(suggestions: list[AnnualSuggestion]) -> None:
    bambang = _by_nip(suggestions)[BAMBANG]
    assert [m.periode for m in bambang.months] == [Periode(YEAR, m) for m in (9, 10, 11, 12)]
    assert bambang.months[1] == _point(BAMBANG_MONTHS[1])  # the decided rating, as stored
    citra = _by_nip(suggestions)[CITRA]
    assert [m.periode.month for m in citra.months] == list(range(3, 13))


def test_latest_name_and_unit(suggestions: list[AnnualSuggestion]) -> None:
    citra = _by_nip(suggestions)[CITRA]
    assert (citra.nama, citra.unit_kerja) == ("Citra Lestari, S.E.", "Badan Keuangan Daerah")


def test_other_years_are_ignored() -> None:
    only_2025 = suggest_annual(_results(), 2025, THRESHOLDS)
    assert [(s.nip, len(s.months), s.mean_hasil, s.predikat) for s in only_2025] == [
        (BAMBANG, 1, 10.0, SK)
    ]
    assert suggest_annual(_results(), 2030, THRESHOLDS) == []


def test_two_results_for_one_month_are_refused() -> None:
    twice = [
        StoredResult(SITI, "Siti", "Dinas", _point(SITI_MONTHS[0])),
        StoredResult(SITI, "Siti", "Dinas", _point(SITI_MONTHS[0])),
    ]
    with pytest.raises(ValueError, match="Januari 2026"):
        suggest_annual(twice, YEAR, THRESHOLDS)


# --- the workbook --------------------------------------------------------------------------------

HEADER_ROW = 8


def _workbook(path: Path, suggestions: list[AnnualSuggestion]) -> tuple[Worksheet, Worksheet]:
    write_annual_summary(suggestions, YEAR, INSTANSI, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Tahunan", "Per Bulan"]
    return wb["Tahunan"], wb["Per Bulan"]


def _row(ws: Worksheet, row: int) -> list[object]:
    return [c.value for c in ws[row]]


def test_workbook_tahunan(tmp_path: Path, suggestions: list[AnnualSuggestion]) -> None:
    ws, _ = _workbook(tmp_path / "tahunan.xlsx", suggestions)
    assert ws["A1"].value == INSTANSI
    assert ws["A2"].value == "Usulan Predikat Kinerja Tahunan 2026"
    note = " ".join(str(ws.cell(r, 1).value) for r in range(3, HEADER_ROW))
    assert "aturan lokal" in note
    assert "bukan ketentuan peraturan" in note
    assert "PermenPANRB No. 6 Tahun 2022 tidak menetapkan konversi" in note
    assert "ditetapkan oleh Pejabat Penilai Kinerja" in note
    assert ws["A4"].font.b and ws["A4"].fill.fgColor.rgb.endswith("FFE699")

    assert tuple(_row(ws, HEADER_ROW)) == TAHUNAN_HEADERS
    assert TAHUNAN_HEADERS[-5:] == (
        "Bulan Sangat Baik",
        "Bulan Baik",
        "Bulan Butuh Perbaikan",
        "Bulan Kurang/Misconduct",
        "Bulan Sangat Kurang",
    )
    assert _row(ws, HEADER_ROW + 1) == [
        CITRA, "Citra Lestari, S.E.", "Badan Keuangan Daerah", 10,
        49.5, "Di Bawah Ekspektasi", 85.0, "Di Atas Ekspektasi", "Butuh Perbaikan",
        0, 5, 5, 0, 0,
    ]  # fmt: skip
    assert _row(ws, HEADER_ROW + 2) == [
        BAMBANG, "Bambang Wijaya", "Dinas Pendidikan", 4,
        50.0, "Sesuai Ekspektasi", 60.0, "Sesuai Ekspektasi", "Baik",
        0, 3, 1, 0, 0,
    ]  # fmt: skip
    assert _row(ws, HEADER_ROW + 3) == [
        SITI, "Dr. Siti Aminah, M.Pd.", "Dinas Pendidikan", 12,
        80.0, "Di Atas Ekspektasi", 85.0, "Di Atas Ekspektasi", "Sangat Baik",
        7, 5, 0, 0, 0,
    ]  # fmt: skip
    assert ws.max_row == HEADER_ROW + 3

    nip = ws.cell(HEADER_ROW + 1, 1)
    assert nip.data_type == "s" and nip.number_format == "@"
    for col in (4, 5, 7, *range(10, 15)):
        assert ws.cell(HEADER_ROW + 3, col).data_type == "n"
    assert ws.cell(HEADER_ROW + 1, 5).number_format == "0.0"
    assert all(c.font.b for c in ws[HEADER_ROW])
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:N{HEADER_ROW + 3}"
    assert (ws.column_dimensions["B"].width or 0) >= len("Dr. Siti Aminah, M.Pd.")


def test_workbook_per_bulan(tmp_path: Path, suggestions: list[AnnualSuggestion]) -> None:
    _, ws = _workbook(tmp_path / "tahunan.xlsx", suggestions)
    assert tuple(_row(ws, 1)) == PER_BULAN_HEADERS
    assert ws.max_row == 1 + 10 + 4 + 12
    assert _row(ws, 2) == [
        CITRA, "Citra Lestari, S.E.", "Maret 2026", 48.0, "Di Bawah Ekspektasi", 85.0,
        "Di Atas Ekspektasi", "Butuh Perbaikan",
    ]  # fmt: skip
    assert _row(ws, 1 + 10 + 2) == [  # Bambang's October: the supervisor's decided rating
        BAMBANG, "Bambang Wijaya", "Oktober 2026", 49.0, "Di Bawah Ekspektasi", 59.0,
        "Sesuai Ekspektasi", "Butuh Perbaikan",
    ]  # fmt: skip
    assert _row(ws, ws.max_row)[2:4] == ["Desember 2026", 81.0]
    assert ws["A2"].data_type == "s" and ws["D2"].data_type == "n"
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == f"A1:H{ws.max_row}"


def test_workbook_texts_are_never_formulas(
    tmp_path: Path, suggestions: list[AnnualSuggestion]
) -> None:
    injected = dataclasses.replace(
        suggestions[0], nama='=HYPERLINK("http://x","y")', unit_kerja="+62 812"
    )
    tahunan, per_bulan = _workbook(tmp_path / "tahunan.xlsx", [injected])
    for cell in (tahunan.cell(HEADER_ROW + 1, 2), tahunan.cell(HEADER_ROW + 1, 3), per_bulan["B2"]):
        assert cell.data_type == "s"
    assert tahunan.cell(HEADER_ROW + 1, 2).value == '=HYPERLINK("http://x","y")'


def test_workbook_without_employees(tmp_path: Path) -> None:
    tahunan, per_bulan = _workbook(tmp_path / "kosong.xlsx", [])
    assert (
        tahunan.cell(HEADER_ROW + 1, 1).value == "Tidak ada pegawai yang dinilai pada tahun 2026."
    )
    assert per_bulan["A2"].value == "Tidak ada pegawai yang dinilai pada tahun 2026."


# --- the PDF -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def renderer() -> AnnualRenderer:
    return AnnualRenderer()


@pytest.fixture(scope="module")
def siti_pdf(
    renderer: AnnualRenderer,
    suggestions: list[AnnualSuggestion],
    tmp_path_factory: pytest.TempPathFactory,
) -> bytes:
    path = (
        OutputPaths(tmp_path_factory.mktemp("pdf"))
        .annual(YEAR)
        .pdf(SITI, _by_nip(suggestions)[SITI].nama)
    )
    renderer.write(_by_nip(suggestions)[SITI], YEAR, INSTANSI, path, GENERATED_ON, DOC_ID)
    assert path.name == f"{SITI}_Dr_Siti_Aminah_M_Pd_tahunan_2026.pdf"
    return path.read_bytes()


def _text(pdf: bytes) -> list[str]:
    """Each page's text, with line breaks and repeated spaces folded."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_pdf_text(siti_pdf: bytes) -> None:
    pages = _text(siti_pdf)
    text = " ".join(pages)
    assert "Usulan Predikat Kinerja Tahunan 2026" in pages[0]
    assert INSTANSI.upper() in pages[0]
    assert "Dr. Siti Aminah, M.Pd." in pages[0]
    assert "19850312 201001 2 005" in pages[0]
    assert "Dinas Pendidikan" in pages[0]
    assert "USULAN PREDIKAT TAHUNAN Sangat Baik" in pages[0]
    # The local rule, unmistakably, on the first page and again in the explanation.
    assert "USULAN MENURUT ATURAN LOKAL, BUKAN KETENTUAN PERATURAN" in pages[0]
    assert "aturan lokal" in pages[0]
    assert "Predikat Kinerja tahunan ditetapkan oleh Pejabat Penilai Kinerja" in pages[0]
    assert "Cara hitung ini adalah aturan lokal instansi, bukan ketentuan peraturan." in text
    assert "PermenPANRB No. 6 Tahun 2022 tidak menetapkan konversi" in text
    assert "Bagaimana usulan ini dihitung" in text
    # Every month, with its figures and decimal commas.
    for m in SITI_MONTHS:
        label = f"{MONTHS_ID[m[0] - 1]} 2026"
        assert label in text
    assert "Januari 2026 78,0 Sesuai Ekspektasi 84,0 Sesuai Ekspektasi Baik" in text
    assert "Desember 2026 81,0 Di Atas Ekspektasi 84,4 Sesuai Ekspektasi Baik" in text
    assert (
        "Rata-rata (12 bulan) 80,0 Di Atas Ekspektasi 85,0 Di Atas Ekspektasi Sangat Baik" in text
    )
    assert "= 959,4 ÷ 12 = 79,95 → dibulatkan 80,0" in text
    assert "= 1.019,4 ÷ 12 = 84,95 → dibulatkan 85,0" in text
    assert "Rata-rata 80,0 → Di Atas Ekspektasi" in text
    assert not re.search(r"\d\.\d(?!\d)", text)  # no decimal point anywhere
    # The months per predikat, then the total.
    assert (
        "Sangat Baik Baik Butuh Perbaikan Kurang/Misconduct Sangat Kurang Jumlah 7 5 0 0 0 12"
        in text
    )
    assert "Pegawai yang Dinilai" in text and "Pejabat Penilai Kinerja," in text
    assert "Halaman 1 dari 2" in pages[0] and "Halaman 2 dari 2" in pages[1]
    assert f"No. Dokumen: {DOC_ID}" in pages[-1]


def test_pdf_metadata_and_page_size(siti_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(siti_pdf))
    assert reader.metadata is not None
    assert reader.metadata.title == "Usulan Predikat Kinerja Tahunan 2026 - Dr. Siti Aminah, M.Pd."
    assert reader.metadata.author == INSTANSI
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


def test_pdf_shows_one_employee(
    renderer: AnnualRenderer, suggestions: list[AnnualSuggestion]
) -> None:
    text = " ".join(
        _text(renderer.render(_by_nip(suggestions)[CITRA], YEAR, "", GENERATED_ON, "X"))
    )
    assert "Citra Lestari, S.E." in text and "Butuh Perbaikan" in text
    assert "Maret 2026 48,0 Di Bawah Ekspektasi 85,0 Di Atas Ekspektasi Butuh Perbaikan" in text
    assert "= 494,5 ÷ 10 = 49,45 → dibulatkan 49,5" in text
    assert "Januari 2026" not in text  # she was first evaluated in March
    assert "Siti" not in text and "Bambang" not in text


def test_pdf_mean_that_does_not_terminate(renderer: AnnualRenderer) -> None:
    rows = [
        StoredResult(SITI, "Siti", "Dinas", TrendPoint(Periode(YEAR, m), v, A, 90.0, A, SB))
        for m, v in ((1, 80.0), (2, 80.0), (3, 80.1))
    ]
    (s,) = suggest_annual(rows, YEAR, THRESHOLDS)
    html = renderer.render_html(s, YEAR, INSTANSI, GENERATED_ON, DOC_ID)
    # 240.1 / 3 = 80.0333...: shown as about 80,033, rounded to 80,0.
    assert "= 240,1 &divide; 3 &asymp; 80,033" in " ".join(html.split())


def test_pdf_escapes_input_text(
    renderer: AnnualRenderer, suggestions: list[AnnualSuggestion]
) -> None:
    hostile = dataclasses.replace(suggestions[0], nama="<script>alert(1)</script>")
    html = renderer.render_html(hostile, YEAR, "<b>Instansi</b>", GENERATED_ON, DOC_ID)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>Instansi</b>" not in html


def test_pdf_refuses_inconsistent_suggestion(
    renderer: AnnualRenderer, suggestions: list[AnnualSuggestion]
) -> None:
    siti = _by_nip(suggestions)[SITI]
    with pytest.raises(ValueError, match="di luar tahun 2025"):
        renderer.render(siti, 2025, INSTANSI, GENERATED_ON, DOC_ID)
    with pytest.raises(ValueError, match="tidak sesuai matriks"):
        renderer.render(
            dataclasses.replace(siti, predikat=Predikat.BAIK), YEAR, INSTANSI, GENERATED_ON, DOC_ID
        )
