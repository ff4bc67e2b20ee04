import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from kinerja_batch.findings import Severity
from kinerja_batch.formatting import tanggal_dalam_teks
from kinerja_batch.loading import NoProgress, load_inbox
from kinerja_batch.model import Granularity, Jenis, Periode, Rating
from kinerja_batch.parsing import (
    ParseError,
    Percent,
    format_nip,
    label_key,
    parse_jenis,
    parse_nip,
    parse_number,
    parse_periode,
    parse_rating,
    text,
)
from kinerja_batch.pipeline import assess
from kinerja_batch.settings import Settings
from kinerja_batch.workbooks.biff import scan_xls
from kinerja_batch.workbooks.contract import CAPAIAN, NILAI, TANTANGAN
from kinerja_batch.workbooks.marks import is_percent_format
from kinerja_batch.workbooks.tables import find_header_row

from factories import KRITERIA, NIP_E1, NIP_E2, valid_inbox, write_with_specials


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (85, 85.0),
        (85.5, 85.5),
        ("85", 85.0),
        ("85,5", 85.5),  # Indonesian decimal comma
        ("85.5", 85.5),
        (" 85 ", 85.0),
        ("85%", 85.0),  # a percent score is the number itself
        ("1.250.000", 1250000.0),  # Indonesian thousands
        ("1,250,000", 1250000.0),
        ("1.250,5", 1250.5),
        ("1,250.5", 1250.5),
        ("0.850", 0.85),
        ("-3", -3.0),
        ("\u00a085\u00a0", 85.0),
    ],
)
def test_numbers_as_people_type_them(raw: object, expected: float) -> None:
    assert parse_number(raw) == expected


def test_percent_in_a_ratio_column_is_a_fraction() -> None:
    assert parse_number("85%", ratio=True) == pytest.approx(0.85)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("delapan", "bukan-angka"),
        ("8 5", "bukan-angka"),
        ("", "bukan-angka"),
        (True, "bukan-angka"),
        (dt.date(2026, 1, 1), "bukan-angka"),
        ("1.250", "angka-ambigu"),  # 1250 or 1,25? refused
        ("1.2.3", "bukan-angka"),
    ],
)
def test_numbers_that_are_not(raw: object, code: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_number(raw)
    assert info.value.code == code


@pytest.mark.parametrize(
    "raw",
    [
        "2026-11",
        "11/2026",
        "November 2026",
        "Nov 2026",
        "nopember 2026",
        "  NOVEMBER   2026 ",
        "30/11/2026",
        "2026-11-30",
        dt.date(2026, 11, 3),
        dt.datetime(2026, 11, 30, 23, 59),
    ],
)
def test_periods(raw: object) -> None:
    assert parse_periode(raw) == Periode(2026, 11)


def test_period_labels() -> None:
    assert Periode(2026, 11).label == "November 2026"
    assert Periode(2026, 1).key == "2026-01"
    assert parse_periode("Agustus 2026") == Periode(2026, 8)
    assert parse_periode("Des 2026") == Periode(2026, 12)


@pytest.mark.parametrize(
    "raw",
    [
        "13/2026",
        "Novembre 2026",
        "2026",
        45962,
        "",
        None,
        "Triwulan V 2026",
        "Q5 2026",
        "2026-Q0",
        "TW III",
        "Triwulan 2026",
        "Q3 1850",
    ],
)
def test_bad_periods(raw: object) -> None:
    with pytest.raises(ParseError) as info:
        parse_periode(raw)
    assert info.value.code == "periode-tidak-valid"


@pytest.mark.parametrize(
    "raw",
    [
        "Triwulan III 2026",
        "TRIWULAN III 2026",
        "triwulan iii 2026",
        "Triwulan 3 2026",
        "Triwulan ke-3 2026",
        "Triwulan III Tahun 2026",
        "TW III/2026",
        "TW III 2026",
        "TW 3 2026",
        "TW.III/2026",
        "tw-3-2026",
        "Trw III 2026",
        "2026-Q3",
        "2026 Q3",
        "2026/TW III",
        "Q3 2026",
        "q3/2026",
        "Q3-2026",
        "Kuartal 3 2026",
        "  Triwulan\u00a0III   2026 ",
    ],
)
def test_quarters(raw: str) -> None:
    periode = parse_periode(raw)
    assert periode == Periode.triwulan(2026, 3)
    assert (periode.key, periode.label) == ("2026-Q3", "Triwulan III 2026")


@pytest.mark.parametrize(
    ("raw", "quarter"),
    [("Triwulan I 2026", 1), ("TW II/2026", 2), ("2026-Q4", 4), ("Q1 2026", 1), ("TW IV 2026", 4)],
)
def test_every_quarter_reads(raw: str, quarter: int) -> None:
    assert parse_periode(raw) == Periode.triwulan(2026, quarter)


@pytest.mark.parametrize(
    "raw", ["2026-08", "Agustus 2026", "Agu 2026", "31/08/2026", dt.date(2026, 7, 1), "TW 3 2026"]
)
def test_a_month_or_date_in_a_quarterly_agency_is_its_quarter(raw: object) -> None:
    assert parse_periode(raw, Granularity.TRIWULANAN) == Periode.triwulan(2026, 3)


def test_a_quarter_in_a_monthly_agency_is_refused() -> None:
    assert parse_periode("2026-11", Granularity.BULANAN) == Periode(2026, 11)
    with pytest.raises(ParseError) as info:
        parse_periode("TW III/2026", Granularity.BULANAN)
    assert info.value.code == "periode-triwulan-di-instansi-bulanan"
    assert info.value.params == {"found": "Triwulan III 2026"}


def test_nip_with_spaces_is_kept_as_text() -> None:
    assert parse_nip("19850312 201001 1 005") == "198503122010011005"
    assert parse_nip("\u00a0198503122010011005 ") == "198503122010011005"


def test_pppk_number() -> None:
    assert parse_nip("200012312024211001") == "200012312024211001"
    assert format_nip("200012312024211001") == "20001231 2024 2 1 1 001"
    assert format_nip("198503122010011005") == "19850312 201001 1 005"


@pytest.mark.parametrize(
    ("raw", "code", "param"),
    [
        (1.98503122010011e17, "nip-angka", ("shown", "1.98503E+17")),
        (198503122010011005, "nip-angka", ("shown", "198503122010011005")),
        ("1985031220100110", "nip-format", ("digits", 16)),
        ("19850312201001100X", "nip-format", ("digits", 17)),
        ("198502302010011005", "nip-tanggal-lahir", ("part", "19850230")),
        ("198513122010011005", "nip-tanggal-lahir", ("part", "19851312")),
        ("198503122010013005", "nip-jenis-kelamin", ("part", "3")),
        ("198503122010151005", "nip-tmt", ("part", "201015")),
        ("198503121990011005", "nip-tmt", ("part", "199001")),  # appointed at the age of 4
    ],
)
def test_bad_nips(raw: object, code: str, param: tuple[str, object]) -> None:
    with pytest.raises(ParseError) as info:
        parse_nip(raw)
    assert info.value.code == code
    assert info.value.params[param[0]] == param[1]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Di Atas Ekspektasi", Rating.DI_ATAS),
        ("Diatas Ekspektasi", Rating.DI_ATAS),
        ("DIATAS EKSPEKTASI", Rating.DI_ATAS),
        ("sesuai ekspektasi", Rating.SESUAI),
        ("Dibawah Ekspektasi", Rating.DI_BAWAH),
        ("di  bawah  ekspektasi", Rating.DI_BAWAH),
    ],
)
def test_rating_spellings(raw: str, expected: Rating) -> None:
    assert parse_rating(raw) is expected


def test_unknown_rating_and_jenis() -> None:
    with pytest.raises(ParseError):
        parse_rating("Luar biasa")
    with pytest.raises(ParseError):
        parse_jenis("Kinerja")
    assert parse_jenis(" hasil  kerja ") is Jenis.HASIL
    assert parse_jenis("PERILAKU KERJA") is Jenis.PERILAKU


def test_labels_ignore_case_and_spacing() -> None:
    assert label_key("  Unit\u00a0 Kerja ") == label_key("unit kerja")
    assert label_key("Rencana  Perbaikan") == "rencana perbaikan"


def test_text_shows_cells_as_people_read_them() -> None:
    assert text(85.0) == "85"
    assert text(85.5) == "85.5"
    assert text(None) == ""
    assert text(dt.date(2026, 11, 30)) == "30 November 2026"  # never ISO
    assert text(dt.datetime(2026, 12, 15)) == "15 Desember 2026"
    assert text(dt.datetime(2026, 12, 15, 8, 30)) == "15 Desember 2026 08.30"
    assert text(Percent(0.855)) == "85.5%"


# --- percent-formatted cells ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fraction", "shown"), [(0.95, 95.0), (0.07, 7.0), (0.855, 85.5), (4.0, 400.0), (0.0, 0.0)]
)
def test_a_percent_cell_reads_as_the_percent_it_shows(fraction: float, shown: float) -> None:
    assert Percent(fraction).shown == shown  # exactly: 0.07 is 7, not 7.000000000000001
    assert parse_number(Percent(fraction)) == shown
    assert parse_number(Percent(fraction), ratio=True) == fraction


@pytest.mark.parametrize(
    ("code", "percent"),
    [
        ("0%", True),
        ("0.00%", True),
        ("#,##0.0%;[Red]-#,##0.0%", True),
        ("0.0", False),
        ("General", False),
        ('0"%"', False),  # a literal percent sign: the number is not multiplied
        ("0\\%", False),
        ("0_%", False),
        ("[$%-421]0", False),
        ("dd/mm/yy", False),
    ],
)
def test_percent_number_formats(code: str, percent: bool) -> None:
    assert is_percent_format(code) is percent


def _percent_inbox(folder: Path, scale: tuple[float, float], score: float) -> Path:
    """The valid inbox with E1's HK-PM-02 score on `scale` typed as `score` in a percent-formatted
    cell, and E1's Target and Realisasi of HK-PM-02 typed as 90% and 85%."""
    spec = valid_inbox()
    spec.sheet(KRITERIA, "Kriteria")[3][5:7] = scale  # HK-PM-02
    inbox = write_with_specials(spec, folder)
    path = inbox / "penilaian_a.xlsx"
    wb = openpyxl.load_workbook(path)
    cell = wb["Nilai"]["C3"]  # E1, HK-PM-02
    cell.value, cell.number_format = score, "0%"
    wb.save(path)
    path = inbox / "laporan_e1.xlsx"
    wb = openpyxl.load_workbook(path)
    for ref, value in (("C3", 0.9), ("D3", 0.85)):
        cell = wb["Capaian"][ref]
        cell.value, cell.number_format = value, "0.00%"
    wb.save(path)
    return inbox


def test_a_percent_score_on_a_0_to_100_scale_is_the_percent(tmp_path: Path) -> None:
    inbox = _percent_inbox(tmp_path, (0, 100), 0.95)
    outcome = assess(load_inbox(inbox, Settings(), NoProgress()), Periode(2026, 11), requested=True)
    assert [f for f in outcome.findings if f.severity is not Severity.INFO] == []
    e1 = next(r for r in outcome.results if r.employee.nip == NIP_E1)
    item = next(c for c in e1.hasil.criteria if c.criterion.kode == "HK-PM-02")
    assert (item.nilai, item.normalised) == (95, 95)  # not 0,95
    assert e1.hasil.value == 98.0  # 60% x 100 + 40% x 95
    assert e1.report is not None
    achievement = e1.report.achievements[1]  # HK-PM-02, row 3
    assert (achievement.target, achievement.realisasi) == (90, 85)


def test_a_percent_score_on_a_1_to_5_scale_is_refused_at_its_cell(tmp_path: Path) -> None:
    """95% cannot be meant on a 1-5 scale: it is read as the 95 it shows, which the scale refuses,
    at that cell, saying what to type instead; the employee is not scored with 0,95."""
    inbox = _percent_inbox(tmp_path, (1, 5), 0.95)
    outcome = assess(load_inbox(inbox, Settings(), NoProgress()), Periode(2026, 11), requested=True)
    (f,) = [f for f in outcome.findings if f.severity is Severity.GALAT]
    assert (f.code, f.file, f.sheet, f.cell) == (
        "nilai-di-luar-skala",
        "penilaian_a.xlsx",
        "Nilai",
        "C3",
    )
    assert "Nilai 95 " in f.message and "Isi nilai antara 1 dan 5" in f.message
    assert NIP_E1 not in {r.employee.nip for r in outcome.results}
    assert NIP_E2 in {r.employee.nip for r in outcome.results}


# --- dates in free text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("2026-12-15", "15 Desember 2026"),
        ("2026-12-15 00:00:00", "15 Desember 2026"),
        ("2026-12-15T08:30:00", "15 Desember 2026 08.30"),
        ("Selesai 2027-01-31, lalu evaluasi", "Selesai 31 Januari 2027, lalu evaluasi"),
        ("15/12/2026", "15/12/2026"),  # as typed: not ISO
        ("Desember 2026", "Desember 2026"),
        ("2026-13-45", "2026-13-45"),  # not a date
        ("KB-2026-11-000123", "KB-2026-11-000123"),  # part of a code
        ("SK 800/2026-12-15/01", "SK 800/2026-12-15/01".replace("2026-12-15", "15 Desember 2026")),
    ],
)
def test_iso_dates_in_free_text_are_shown_in_indonesian(typed: str, shown: str) -> None:
    assert tanggal_dalam_teks(typed) == shown


# --- header rows ------------------------------------------------------------------------------------


def _header(rows: list[list[object]], declared: object) -> int | None:
    assert declared in (TANTANGAN, CAPAIAN, NILAI)
    sheet = TANTANGAN if declared is TANTANGAN else CAPAIAN if declared is CAPAIAN else NILAI
    known = {label_key(h) for h in sheet.headers}
    return find_header_row(rows, sheet.required_headers, known)


@pytest.mark.parametrize(
    ("rows", "header"),
    [
        # The template: a title that is the sheet's name (and its only required column), a name.
        ([["Tantangan"], ["Siti Aminah"], ["Tantangan", "Dampak"], ["Server lambat"]], 2),
        ([["Tantangan", "Tantangan"], [], ["Tantangan", "Dampak"]], 2),  # a merged title
        ([["  TANTANGAN "], ["tantangan", "dampak"]], 1),
        # Typed by hand, no title: the first row that holds the required headers.
        ([["Tantangan", "Dampak"], ["Server lambat", "Antrean"]], 0),
        ([["Tantangan"], ["Server lambat"]], 0),
        # A title equal to a column over a table that has only that column: nothing says which
        # is the title, so the first row (the contract's rule) is the header.
        ([["Tantangan"], ["Tantangan"], ["Server lambat"]], 0),
        # A data row that happens to hold more headers does not move the header down.
        ([["Tantangan", "Catatan"], ["Tantangan", "Dampak"]], 0),
        ([["Judul"], ["Petunjuk: isi kolom Tantangan dan Dampak"]], None),
    ],
)
def test_the_header_row_is_found_by_the_contracts_columns(
    rows: list[list[object]], header: int | None
) -> None:
    assert _header(rows, TANTANGAN) == header


def test_the_header_row_of_a_wide_table_under_a_title() -> None:
    rows: list[list[object]] = [
        ["Capaian Kinerja"],
        ["Siti Aminah - NIP 19900214 201503 2 001 - November 2026"],
        list(CAPAIAN.headers),
    ]
    assert _header(rows, CAPAIAN) == 2
    assert _header([["Nilai"], ["NIP", "Kode Kriteria", "Nilai"]], NILAI) == 1


# --- the xls record reader on hostile bytes ---------------------------------------------------------

XLS = Path(__file__).resolve().parent / "data" / "penilaian_a.xls"


def test_the_xls_reader_walks_a_real_file() -> None:
    marks = scan_xls(XLS, {"Nilai": (20, 10), "Identitas": (5, 5)})
    assert sorted(marks) == ["Identitas", "Nilai"]
    assert marks["Nilai"].percent == set() and marks["Nilai"].bad_cells == {}


@pytest.mark.parametrize("cut", [0, 8, 100, 511, 512, 600, 2048, 4096, 9000, -700, -1])
def test_the_xls_reader_gives_no_marks_rather_than_fail(tmp_path: Path, cut: int) -> None:
    """A truncated or scrambled file gives no marks (or some), never an exception: calamine's
    values stand alone, as they did before the reader."""
    data = XLS.read_bytes()
    for variant in (
        data[:cut],
        data[:cut] + bytes(len(data) - len(data[:cut])),
        _scramble(data, cut),
    ):
        path = tmp_path / "x.xls"
        path.write_bytes(variant)
        assert isinstance(scan_xls(path, {"Nilai": (20, 10)}), dict)


def _scramble(data: bytes, seed: int) -> bytes:
    """`data` with every 97th byte from `seed` on flipped."""
    out = bytearray(data)
    for i in range(abs(seed) % 97, len(out), 97):
        out[i] ^= 0xFF
    return bytes(out)
