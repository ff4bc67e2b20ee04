import datetime as dt

import pytest

from kinerja_batch.model import Jenis, Periode, Rating
from kinerja_batch.parsing import (
    ParseError,
    format_nip,
    label_key,
    parse_jenis,
    parse_nip,
    parse_number,
    parse_periode,
    parse_rating,
    text,
)


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


@pytest.mark.parametrize("raw", ["13/2026", "Novembre 2026", "2026", 45962, "", None])
def test_bad_periods(raw: object) -> None:
    with pytest.raises(ParseError) as info:
        parse_periode(raw)
    assert info.value.code == "periode-tidak-valid"


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
    assert text(dt.date(2026, 11, 30)) == "2026-11-30"
