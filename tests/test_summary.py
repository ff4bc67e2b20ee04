"""The summary workbook: sheets, headers, values, types, and no input text becoming a formula."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from kinerja_batch.findings import Finding, Severity, Source
from kinerja_batch.model import (
    CriteriaSet,
    Criterion,
    CriterionResult,
    DimensionResult,
    Employee,
    EmployeeOutcome,
    EmployeeResult,
    Feedback,
    Jenis,
    Periode,
    PeriodOutcome,
    Predikat,
    Rating,
    ScoreSheet,
    Status,
    Thresholds,
    TrendPoint,
)
from kinerja_batch.sheets.summary import NO_FINDINGS, TREN_MAX_PERIODS, write_summary
from kinerja_batch.workbooks.cells import is_risky, neutralise, write_text

INJECTED_NAME = '=HYPERLINK("http://x","y")'
INJECTED_VALUE = "+62 812 555"
PERIODE = Periode(2026, 11)
THRESHOLDS = Thresholds(di_atas=80.0, sesuai=50.0)
SRC = Source("kriteria.xlsx", "Kriteria", "A2")

PEGAWAI_HEADERS = [
    "NIP",
    "Nama",
    "Jabatan",
    "Unit Kerja",
    "Bidang",
    "Nilai Hasil Kerja",
    "Rating Hasil Kerja",
    "Nilai Perilaku Kerja",
    "Rating Perilaku Kerja",
    "Predikat",
    "Status",
    "Rating Dihitung Hasil Kerja",
    "Rating Dihitung Perilaku Kerja",
    "Diubah Atasan",
    "Pejabat Penilai",
    "Umpan Balik",
    "Rekomendasi",
    "Capaian Kinerja Organisasi",
    "Kepala Unit",
    "HK-PM-01 Responsivitas layanan",
    "HK-PM-02 Kepuasan warga",
    "HK-PD-01 Dampak pelatihan guru",
    "PK-01 Berorientasi Pelayanan",
    "PK-02 Akuntabel",
]
VALIDASI_HEADERS = ["Berkas", "Sheet", "Sel", "Tingkat", "Kode", "Pesan", "Nilai", "NIP"]


def _criterion(kode: str, jenis: Jenis, bidang: str, nama: str, bobot: float) -> Criterion:
    return Criterion(kode, jenis, bidang, nama, bobot, 1.0, 5.0, "", SRC)


CRITERIA = (
    _criterion("HK-PM-01", Jenis.HASIL, "Pelayanan Masyarakat", "Responsivitas layanan", 60),
    _criterion("HK-PM-02", Jenis.HASIL, "Pelayanan Masyarakat", "Kepuasan warga", 40),
    _criterion("HK-PD-01", Jenis.HASIL, "Pendidikan", "Dampak pelatihan guru", 100),
    _criterion("PK-01", Jenis.PERILAKU, "Semua", "Berorientasi Pelayanan", 50),
    _criterion("PK-02", Jenis.PERILAKU, "Semua", "Akuntabel", 50),
)
BY_CODE = {c.kode: c for c in CRITERIA}
CRITERIA_SET = CriteriaSet(
    criteria=CRITERIA,
    thresholds={Jenis.HASIL: THRESHOLDS, Jenis.PERILAKU: THRESHOLDS},
    nama_instansi="Pemerintah Kabupaten Kemuning",
    predikat_organisasi="Baik",
    source_file="kriteria.xlsx",
)
SHEET = ScoreSheet("197001012000011001", "Drs. Kepala Dinas", PERIODE, (), (), "nilai.xlsx")


def _employee(nip: str, nama: str, unit: str, bidang: str, row: int) -> Employee:
    src = Source("pegawai.xlsx", "Pegawai", f"A{row}")
    return Employee(nip, nama, "Staf", unit, bidang, SHEET.nip_penilai, None, src)


def _dimension(
    jenis: Jenis,
    value: float,
    computed: Rating,
    scores: dict[str, float],
    rating: Rating | None = None,
) -> DimensionResult:
    crit = tuple(CriterionResult(BY_CODE[k], v, (v - 1) / 4 * 100, "") for k, v in scores.items())
    return DimensionResult(jenis, value, computed, rating or computed, THRESHOLDS, crit)


def _scored(
    e: Employee, hasil: DimensionResult, perilaku: DimensionResult, predikat: Predikat
) -> EmployeeOutcome:
    fb = Feedback(e.nip, "Pertahankan.", "- Ikuti pelatihan layanan prima", None, None, Source())
    result = EmployeeResult(e, PERIODE, hasil, perilaku, predikat, fb, None, SHEET, None)
    return EmployeeOutcome(e, Status.DINILAI, result)


SITI = _employee(
    "198503122010012005", "Siti Aminah, S.Sos.", "Dinas Kependudukan", "Pelayanan Masyarakat", 2
)
INJECTED = _employee("199001012015031002", INJECTED_NAME, "Dinas Pendidikan", "Pendidikan", 3)
BUDI = _employee("198811202012121001", "Budi Santoso", "Dinas Pendidikan", "Pendidikan", 4)
ANI = _employee(
    "199205052019032001", "Ani Lestari", "Dinas Kependudukan", "Pelayanan Masyarakat", 5
)
JOKO = _employee("198001012005011003", "Joko Widodo", "Dinas Pendidikan", "Pendidikan", 6)
RINA = _employee("198707072011012004", "Rina", " dinas  kependudukan", "Pelayanan Masyarakat", 7)

OUTCOMES = (
    _scored(
        SITI,
        _dimension(Jenis.HASIL, 87.5, Rating.DI_ATAS, {"HK-PM-01": 5, "HK-PM-02": 3.5}),
        _dimension(Jenis.PERILAKU, 75.0, Rating.SESUAI, {"PK-01": 4, "PK-02": 4}),
        Predikat.BAIK,
    ),
    _scored(  # Hasil Kerja computed Di Bawah, raised by the supervisor to Sesuai
        INJECTED,
        _dimension(Jenis.HASIL, 40.0, Rating.DI_BAWAH, {"HK-PD-01": 2.6}, Rating.SESUAI),
        _dimension(Jenis.PERILAKU, 90.0, Rating.DI_ATAS, {"PK-01": 5, "PK-02": 4.2}),
        Predikat.BAIK,
    ),
    EmployeeOutcome(BUDI, Status.DIBLOKIR, None),
    EmployeeOutcome(ANI, Status.BELUM_DINILAI, None),
    EmployeeOutcome(JOKO, Status.BELUM_ADA_LAPORAN, None),
    _scored(
        RINA,
        _dimension(Jenis.HASIL, 100.0, Rating.DI_ATAS, {"HK-PM-01": 5, "HK-PM-02": 5}),
        _dimension(Jenis.PERILAKU, 87.5, Rating.DI_ATAS, {"PK-01": 5, "PK-02": 4}),
        Predikat.SANGAT_BAIK,
    ),
)


def _finding(
    severity: Severity, file: str, cell: str, code: str, value: str = "", nip: str | None = None
) -> Finding:
    return Finding(code, severity, file, "Nilai", cell, value, f"Pesan untuk {code}.", nip)


FINDINGS = (
    _finding(Severity.INFO, "a.xlsx", "F1", "kolom-tidak-dikenal", "Keterangan"),
    _finding(Severity.PERINGATAN, "b.xlsx", "B2", "umpan-balik-kosong", ANI.nip, ANI.nip),
    _finding(Severity.GALAT, "b.xlsx", "C10", "bukan-angka", "sepuluh", BUDI.nip),
    _finding(Severity.GALAT, "b.xlsx", "C9", "bukan-angka", INJECTED_VALUE, BUDI.nip),
    _finding(Severity.GALAT, "a.xlsx", "D3", "nilai-kosong", "", BUDI.nip),
)

OUTCOME = PeriodOutcome(PERIODE, CRITERIA_SET, OUTCOMES, FINDINGS)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("out") / "ringkasan-2026-11.xlsx"
    write_summary(OUTCOME, path)
    return path


def _rows(ws: Worksheet) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def _sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {
            n: z.read(n).decode("utf-8")
            for n in z.namelist()
            if n.startswith("xl/worksheets/sheet")
        }


_FORMULA = re.compile(r"<(\w+:)?f[\s>/]")


# --- the workbook ---------------------------------------------------------------------------------


def test_sheets_in_order_and_nothing_left_beside_it(written: Path) -> None:
    wb = load_workbook(written)
    assert wb.sheetnames == ["Ringkasan", "Pegawai", "Per Unit", "Validasi"]
    assert sorted(p.name for p in written.parent.iterdir()) == [written.name]


def test_no_formula_anywhere(written: Path) -> None:
    xml = _sheet_xml(written)
    assert len(xml) == 4
    for name, text in xml.items():
        assert not _FORMULA.search(text), name
        assert 't="e"' not in text, name


def test_pegawai_headers_values_and_types(written: Path) -> None:
    ws = load_workbook(written)["Pegawai"]
    rows = _rows(ws)
    assert list(rows[0]) == PEGAWAI_HEADERS
    assert len(rows) == 1 + len(OUTCOMES)
    col = {h: i for i, h in enumerate(PEGAWAI_HEADERS)}
    by_nip = {r[0]: r for r in rows[1:]}
    assert [r[0] for r in rows[1:]] == [o.employee.nip for o in OUTCOMES]  # roster order
    for row in range(2, len(OUTCOMES) + 2):
        nip_cell = ws.cell(row, 1)
        assert isinstance(nip_cell.value, str) and re.fullmatch(r"\d{18}", nip_cell.value)
        assert nip_cell.data_type == "s"
        assert nip_cell.number_format == "@"

    siti = by_nip[SITI.nip]
    assert siti[col["Nama"]] == "Siti Aminah, S.Sos."
    assert siti[col["Nilai Hasil Kerja"]] == 87.5
    assert siti[col["Nilai Perilaku Kerja"]] == 75.0
    for name in ("Nilai Hasil Kerja", "Nilai Perilaku Kerja", "PK-01 Berorientasi Pelayanan"):
        assert ws.cell(2, col[name] + 1).data_type == "n"
        assert type(siti[col[name]]) in (int, float)  # 75.0 reads back as the int 75
    assert ws.cell(2, col["Nilai Hasil Kerja"] + 1).number_format == "0.0"
    assert siti[col["Rating Hasil Kerja"]] == "Di Atas Ekspektasi"
    assert siti[col["Predikat"]] == "Baik"
    assert siti[col["Status"]] == "Dinilai"
    assert siti[col["Diubah Atasan"]] is None
    assert siti[col["Pejabat Penilai"]] == "Drs. Kepala Dinas"
    assert siti[col["Umpan Balik"]] == "Pertahankan."
    assert siti[col["Rekomendasi"]] == "- Ikuti pelatihan layanan prima"  # a bullet, not a formula
    assert ws.cell(2, col["Rekomendasi"] + 1).data_type == "s"
    assert siti[col["HK-PM-02 Kepuasan warga"]] == 3.5
    assert siti[col["HK-PD-01 Dampak pelatihan guru"]] is None  # not her bidang

    injected = by_nip[INJECTED.nip]
    assert injected[col["Rating Hasil Kerja"]] == "Sesuai Ekspektasi"
    assert injected[col["Rating Dihitung Hasil Kerja"]] == "Di Bawah Ekspektasi"
    assert injected[col["Rating Dihitung Perilaku Kerja"]] == "Di Atas Ekspektasi"
    assert injected[col["Diubah Atasan"]] == "Ya"
    assert injected[col["HK-PD-01 Dampak pelatihan guru"]] == 2.6

    statuses = {nip: r[col["Status"]] for nip, r in by_nip.items()}
    assert statuses == {
        SITI.nip: "Dinilai",
        INJECTED.nip: "Dinilai",
        BUDI.nip: "Diblokir temuan",
        ANI.nip: "Belum dinilai",
        JOKO.nip: "Belum ada laporan",
        RINA.nip: "Dinilai",
    }
    unit_columns = {col["Status"], col["Capaian Kinerja Organisasi"]}  # the unit's, not a result
    for nip in (BUDI.nip, ANI.nip, JOKO.nip):  # only who they are, their status and unit's capaian
        assert by_nip[nip][col["Nama"]]
        assert by_nip[nip][col["Capaian Kinerja Organisasi"]] == "Baik"  # Pengaturan's fallback
        assert all(
            v is None
            for i, v in enumerate(by_nip[nip])
            if i > col["Bidang"] and i not in unit_columns
        )
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:X7"  # two columns of issue 16 before the criteria
    assert ws.page_setup.orientation == "landscape"


def test_injected_text_is_a_string_shown_as_typed(written: Path) -> None:
    ws = load_workbook(written)["Pegawai"]
    cell = ws.cell(3, 2)
    assert cell.value == INJECTED_NAME
    assert cell.data_type == "s"
    assert cell.quotePrefix
    xml = _sheet_xml(written)["xl/worksheets/sheet2.xml"]
    m = re.search(r'<c r="B3"[^>]*>.*?</c>', xml)
    assert m is not None and 't="inlineStr"' in m.group(0) and "HYPERLINK" in m.group(0)


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_pandas_reads_the_same_table(
    written: Path, engine: Literal["openpyxl", "calamine"]
) -> None:
    # pandas turns digit-only texts into numbers unless told otherwise, whatever the cell type.
    df = pd.read_excel(written, sheet_name="Pegawai", engine=engine, dtype={"NIP": str})
    assert list(df.columns) == PEGAWAI_HEADERS
    assert all(isinstance(nip, str) and re.fullmatch(r"\d{18}", nip) for nip in df["NIP"])
    assert pd.api.types.is_float_dtype(df["Nilai Hasil Kerja"])
    assert pd.api.types.is_float_dtype(df["HK-PM-01 Responsivitas layanan"])
    assert df.loc[df["NIP"] == INJECTED.nip, "Nama"].item() == INJECTED_NAME
    assert df["Predikat"].value_counts().to_dict() == {"Baik": 2, "Sangat Baik": 1}
    per_unit = pd.read_excel(written, sheet_name="Per Unit", engine=engine)
    assert per_unit["Unit Kerja"].tolist() == ["Dinas Kependudukan", "Dinas Pendidikan"]
    validasi = pd.read_excel(written, sheet_name="Validasi", engine=engine)
    assert list(validasi.columns) == VALIDASI_HEADERS
    assert validasi["Nilai"].tolist()[1] == INJECTED_VALUE


def test_validasi_sorted_and_coloured(written: Path) -> None:
    ws = load_workbook(written)["Validasi"]
    rows = _rows(ws)
    assert list(rows[0]) == VALIDASI_HEADERS
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [
        ("a.xlsx", "D3", "Galat"),
        ("b.xlsx", "C9", "Galat"),  # reading order: C9 before C10
        ("b.xlsx", "C10", "Galat"),
        ("b.xlsx", "B2", "Peringatan"),
        ("a.xlsx", "F1", "Info"),
    ]
    plus = ws.cell(3, 7)
    assert plus.value == INJECTED_VALUE and plus.data_type == "s" and plus.quotePrefix
    assert rows[2][4] == "bukan-angka" and rows[2][5] == "Pesan untuk bukan-angka."
    assert rows[2][7] == BUDI.nip
    assert ws.cell(2, 4).fill.fgColor.rgb.endswith("F8CBAD")
    assert ws.cell(5, 4).fill.fgColor.rgb.endswith("FFE699")
    assert ws.cell(6, 4).fill.fill_type is None
    assert ws.cell(2, 6).alignment.wrap_text
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H6"


def test_empty_period_without_findings(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_summary(PeriodOutcome(PERIODE, CRITERIA_SET, (), ()), path)
    wb = load_workbook(path)
    rows = _rows(wb["Validasi"])
    assert list(rows[0]) == VALIDASI_HEADERS
    assert rows[1][0] == NO_FINDINGS
    assert len(rows) == 2
    assert _rows(wb["Pegawai"]) == [tuple(PEGAWAI_HEADERS)]
    predikat = _table(_rows(wb["Ringkasan"]), "Predikat Kinerja")
    assert predikat["Baik"][:2] == (0, None)  # no share of nobody
    assert predikat["Jumlah dinilai"][:2] == (0, None)


def _table(rows: list[tuple[Any, ...]], title: str) -> dict[str, tuple[Any, ...]]:
    """The rows under a section title in `Ringkasan`, by their first cell, up to the next blank."""
    start = next(i for i, r in enumerate(rows) if r[0] == title) + 2
    table = {}
    for r in rows[start:]:
        if r[0] is None:
            break
        table[r[0]] = r[1:]
    return table


def test_ringkasan_counts_and_chart(written: Path) -> None:
    ws = load_workbook(written)["Ringkasan"]
    assert isinstance(ws, Worksheet)
    rows = _rows(ws)
    assert rows[0][0] == "Pemerintah Kabupaten Kemuning"
    assert rows[1][0] == "Ringkasan Hasil Penilaian Kinerja"
    assert rows[2][0] == "Periode November 2026"

    predikat = _table(rows, "Predikat Kinerja")
    assert list(predikat) == [
        "Sangat Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang/Misconduct",
        "Sangat Kurang",
        "Jumlah dinilai",
    ]
    assert {k: v[0] for k, v in predikat.items()} == {
        "Sangat Baik": 1,
        "Baik": 2,
        "Butuh Perbaikan": 0,
        "Kurang/Misconduct": 0,
        "Sangat Kurang": 0,
        "Jumlah dinilai": 3,
    }
    assert predikat["Baik"][1] == pytest.approx(2 / 3)

    status = _table(rows, "Status Pegawai")
    assert {k: v[0] for k, v in status.items()} == {
        "Dinilai": 3,
        "Belum dinilai": 1,
        "Belum ada laporan": 1,
        "Diblokir temuan": 1,
        "Jumlah pegawai": 6,
    }
    severity = _table(rows, "Temuan Validasi")
    assert {k: v[0] for k, v in severity.items()} == {
        "Galat": 3,
        "Peringatan": 1,
        "Info": 1,
        "Jumlah temuan": 5,
    }
    units = _table(rows, "Predikat per Unit Kerja")
    assert units["Dinas Kependudukan"][:7] == (1, 1, 0, 0, 0, 2, 3)
    assert units["Dinas Pendidikan"][:7] == (0, 1, 0, 0, 0, 1, 3)

    charts = ws._charts  # type: ignore[attr-defined]  # openpyxl reads charts back into _charts
    assert len(charts) == 1
    assert charts[0].tagname == "barChart"


def test_per_unit(written: Path) -> None:
    rows = _rows(load_workbook(written)["Per Unit"])
    assert list(rows[0][:8]) == [
        "Unit Kerja",
        "Jumlah Pegawai",
        "Dinilai",
        "Belum Dinilai",
        "Belum Ada Laporan",
        "Diblokir",
        "Rata-rata Nilai Hasil Kerja",
        "Rata-rata Nilai Perilaku Kerja",
    ]
    # 2 and 1 evaluated, under the default minimum of 5: no means, as in the PDFs
    assert rows[1] == ("Dinas Kependudukan", 3, 2, 1, 0, 0, None, None, 1, 1, 0, 0, 0)
    assert rows[2] == ("Dinas Pendidikan", 3, 1, 0, 1, 1, None, None, 0, 1, 0, 0, 0)


def test_per_unit_means_from_the_minimum_number_of_evaluated(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_summary(OUTCOME, path, unit_average_min_employees=2)
    ws = load_workbook(path)["Per Unit"]
    rows = _rows(ws)
    assert rows[1][:8] == ("Dinas Kependudukan", 3, 2, 1, 0, 0, 93.75, 81.25)  # Siti and Rina
    assert rows[2][:8] == ("Dinas Pendidikan", 3, 1, 0, 1, 1, None, None)  # only one evaluated
    assert ws.cell(2, 7).number_format == "0.0"
    ringkasan = _table(_rows(load_workbook(path)["Ringkasan"]), "Predikat per Unit Kerja")
    assert ringkasan["Dinas Kependudukan"][:7] == (1, 1, 0, 0, 0, 2, 3)  # the counts are all shown


# --- the trend sheet ----------------------------------------------------------------------------


def _point(periode: Periode, hasil: float, perilaku: float, predikat: Predikat) -> TrendPoint:
    return TrendPoint(periode, hasil, Rating.SESUAI, perilaku, Rating.SESUAI, predikat)


SEPTEMBER, OKTOBER = Periode(2026, 9), Periode(2026, 10)
TRENDS = {
    SITI.nip: (
        _point(SEPTEMBER, 70.0, 72.5, Predikat.BAIK),
        _point(OKTOBER, 45.0, 80.0, Predikat.BUTUH_PERBAIKAN),
        _point(PERIODE, 87.5, 75.0, Predikat.BAIK),
    ),
    INJECTED.nip: (_point(PERIODE, 40.0, 90.0, Predikat.BAIK),),  # first evaluated this month
    RINA.nip: (_point(SEPTEMBER, 90.0, 88.0, Predikat.SANGAT_BAIK),),  # not evaluated since
    "199912312024121001": (_point(OKTOBER, 60.0, 60.0, Predikat.BAIK),),  # left the roster
}
TREN_HEADERS = [
    "NIP",
    "Nama",
    "Unit Kerja",
    "Predikat Sep 2026",
    "Nilai Hasil Kerja Sep 2026",
    "Nilai Perilaku Kerja Sep 2026",
    "Predikat Okt 2026",
    "Nilai Hasil Kerja Okt 2026",
    "Nilai Perilaku Kerja Okt 2026",
    "Predikat Nov 2026",
    "Nilai Hasil Kerja Nov 2026",
    "Nilai Perilaku Kerja Nov 2026",
]


@pytest.fixture(scope="module")
def with_trends(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tren") / "ringkasan-2026-11.xlsx"
    write_summary(OUTCOME, path, trends=TRENDS)
    return path


def test_tren_sheet_between_per_unit_and_validasi(with_trends: Path) -> None:
    wb = load_workbook(with_trends)
    assert wb.sheetnames == ["Ringkasan", "Pegawai", "Per Unit", "Tren", "Validasi"]
    assert len(_sheet_xml(with_trends)) == 5
    for name, text in _sheet_xml(with_trends).items():
        assert not _FORMULA.search(text), name


def test_tren_values_per_period(with_trends: Path) -> None:
    ws = load_workbook(with_trends)["Tren"]
    rows = _rows(ws)
    assert list(rows[0]) == TREN_HEADERS
    assert [r[0] for r in rows[1:]] == [o.employee.nip for o in OUTCOMES]  # roster order only
    by_nip = {r[0]: r[1:] for r in rows[1:]}
    assert by_nip[SITI.nip] == (
        "Siti Aminah, S.Sos.",
        "Dinas Kependudukan",
        "Baik", 70, 72.5,
        "Butuh Perbaikan", 45, 80,
        "Baik", 87.5, 75,
    )  # fmt: skip
    assert by_nip[INJECTED.nip][2:] == (None,) * 6 + ("Baik", 40, 90)
    assert by_nip[RINA.nip][2:] == ("Sangat Baik", 90, 88) + (None,) * 6
    for nip in (BUDI.nip, ANI.nip, JOKO.nip):  # no history: who they are, then blanks
        assert by_nip[nip][0] and by_nip[nip][2:] == (None,) * 9

    nip_cell, value_cell = ws.cell(2, 1), ws.cell(2, 5)
    assert nip_cell.data_type == "s" and nip_cell.number_format == "@"
    assert value_cell.data_type == "n" and value_cell.number_format == "0.0"
    assert ws.cell(1, 4).font.bold and ws.cell(1, 4).fill.fgColor.rgb.endswith("D9E1F2")
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:L7"
    assert ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["D"].width >= len("Butuh Perbaikan")
    for row in (2, 4):  # a line before each period, also where the employee has no value
        lines = [ws.cell(row, col).border.left for col in (4, 5, 7, 10)]
        assert [side is not None and side.style == "thin" for side in lines] == [
            True,
            False,
            True,
            True,
        ]


def test_tren_input_text_is_never_a_formula(with_trends: Path) -> None:
    ws = load_workbook(with_trends)["Tren"]
    cell = ws.cell(3, 2)
    assert cell.value == INJECTED_NAME
    assert cell.data_type == "s" and cell.quotePrefix


def test_tren_keeps_the_latest_periods(tmp_path: Path) -> None:
    months = [Periode(2025 + (m - 1) // 12, (m - 1) % 12 + 1) for m in range(1, 16)]  # 15 months
    trends = {
        SITI.nip: tuple(_point(p, float(i), 50.0, Predikat.BAIK) for i, p in enumerate(months))
    }
    path = tmp_path / "r.xlsx"
    write_summary(OUTCOME, path, trends=trends)
    header = _rows(load_workbook(path)["Tren"])[0]
    assert len(header) == 3 + 3 * TREN_MAX_PERIODS
    assert header[3] == "Predikat Apr 2025" and header[-1] == "Nilai Perilaku Kerja Mar 2026"


def test_tren_with_no_history_yet(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_summary(OUTCOME, path, trends={})
    wb = load_workbook(path)
    assert wb.sheetnames == ["Ringkasan", "Pegawai", "Per Unit", "Tren", "Validasi"]
    rows = _rows(wb["Tren"])
    assert rows[0] == ("NIP", "Nama", "Unit Kerja")
    assert [r[0] for r in rows[1:]] == [o.employee.nip for o in OUTCOMES]


def test_without_trends_there_is_no_tren_sheet(written: Path, tmp_path: Path) -> None:
    assert "Tren" not in load_workbook(written).sheetnames  # write_summary(outcome, path)
    path = tmp_path / "r.xlsx"
    write_summary(OUTCOME, path, trends=None)
    assert load_workbook(path).sheetnames == ["Ringkasan", "Pegawai", "Per Unit", "Validasi"]


# --- the cell writer ------------------------------------------------------------------------------

RISKY = [
    "=1+1",
    INJECTED_NAME,
    "+62 812",
    "-5",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
]
SAFE = ["Siti", "1 = 1", " =1+1", "#N/A", "#DIV/0!", "'quoted", "a\nb"]


def test_write_text_never_writes_a_formula(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    texts = RISKY + SAFE
    for row, text in enumerate(texts, start=1):
        cell = ws.cell(row, 1)
        assert isinstance(cell, Cell)
        write_text(cell, text)
    path = tmp_path / "cells.xlsx"
    wb.save(path)

    xml = _sheet_xml(path)["xl/worksheets/sheet1.xml"]
    assert not _FORMULA.search(xml)
    assert xml.count('t="inlineStr"') == len(texts)
    back = load_workbook(path).active
    assert isinstance(back, Worksheet)
    for row, text in enumerate(texts, start=1):
        cell = back.cell(row, 1)
        assert cell.value == text.replace("\r", "\n"), row  # a cell breaks lines on LF
        assert cell.data_type == "s"
        assert bool(cell.quotePrefix) is (text in RISKY), text


def test_write_text_blank_and_control_characters(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    blank, ctrl = ws.cell(1, 1), ws.cell(2, 1)
    assert isinstance(blank, Cell) and isinstance(ctrl, Cell)
    write_text(blank, "")
    write_text(ctrl, "a\x01b")  # openpyxl would raise IllegalCharacterError
    assert blank.value is None
    assert ctrl.value == "a\ufffdb"


@pytest.mark.parametrize("text", RISKY)
def test_neutralise_prefixes_risky_text(text: str) -> None:
    assert is_risky(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", [*SAFE, ""])
def test_neutralise_keeps_safe_text(text: str) -> None:
    assert not is_risky(text)
    assert neutralise(text) == text
