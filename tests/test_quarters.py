"""Quarterly evaluation (`[periode] granularitas = "triwulanan"`): a quarter is a period like a
month, from `kinerja templat` through `kinerja run`, `status` and `tahunan`; a monthly agency reports
a workbook that states a quarter."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from test_templates import fill_templates, invoke

from kinerja_batch.annual import suggest_annual
from kinerja_batch.cli import main
from kinerja_batch.cli.app import WorkspaceProblem, agency_periode, settings_for
from kinerja_batch.config import ConfigError, load_config
from kinerja_batch.documents.chart import short_period_label
from kinerja_batch.findings import Severity
from kinerja_batch.history import StoredResult, _periode
from kinerja_batch.loading import NoProgress, load_inbox
from kinerja_batch.model import Granularity, Periode, Predikat, Rating, TrendPoint
from kinerja_batch.pipeline import assess
from kinerja_batch.settings import Settings
from kinerja_batch.sheets.annual import tahunan_headers

from factories import EXPECTED, LAPORAN_E1, LAPORAN_E2, NILAI_A, NIP_E1, valid_inbox

Q3 = Periode.triwulan(2026, 3)
Q4 = Periode.triwulan(2026, 4)
QUARTERLY = Settings(granularity=Granularity.TRIWULANAN)

# --- the period itself -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quarter", "key", "label", "short", "first", "last"),
    [
        (1, "2026-Q1", "Triwulan I 2026", "TW I 2026", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (2, "2026-Q2", "Triwulan II 2026", "TW II 2026", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (3, "2026-Q3", "Triwulan III 2026", "TW III 2026", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (4, "2026-Q4", "Triwulan IV 2026", "TW IV 2026", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    ],
)  # fmt: skip
def test_a_quarter_is_a_period(
    quarter: int, key: str, label: str, short: str, first: dt.date, last: dt.date
) -> None:
    periode = Periode.triwulan(2026, quarter)
    assert (periode.key, periode.label, str(periode)) == (key, label, label)
    assert short_period_label(periode) == short
    assert (periode.first_day, periode.last_day) == (first, last)
    assert periode.is_quarter and periode.quarter == quarter
    assert periode.granularity is Granularity.TRIWULANAN


def test_months_are_unchanged_and_have_first_and_last_days() -> None:
    november = Periode(2026, 11)
    assert (november.key, november.label, short_period_label(november)) == (
        "2026-11",
        "November 2026",
        "Nov 2026",
    )
    assert november.granularity is Granularity.BULANAN and not november.is_quarter
    assert repr(november) == "Periode(year=2026, month=11)"  # document ids hash it
    assert (november.first_day, november.last_day) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert Periode(2028, 2).last_day == dt.date(2028, 2, 29)
    assert Periode(2026, 12).last_day == dt.date(2026, 12, 31)


def test_periods_of_one_granularity_sort_chronologically() -> None:
    quarters = [Periode.triwulan(y, q) for y in (2027, 2025, 2026) for q in (4, 1, 3, 2)]
    ordered = sorted(quarters)
    assert [p.key for p in ordered[:5]] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]
    assert [p.key for p in ordered] == sorted(p.key for p in quarters)  # keys sort the same
    assert sorted([Periode(2026, 12), Periode(2025, 1), Periode(2026, 2)]) == [
        Periode(2025, 1),
        Periode(2026, 2),
        Periode(2026, 12),
    ]
    # Mixed, a quarter sorts by its first day, right after the month it starts with.
    assert Periode(2026, 6) < Q3 < Periode(2026, 8)


def test_a_quarter_must_start_a_quarter() -> None:
    with pytest.raises(ValueError):
        Periode(2026, 8, Granularity.TRIWULANAN)
    with pytest.raises(ValueError):
        Periode.triwulan(2026, 5)
    with pytest.raises(ValueError):
        Periode(2026, 13)


def test_a_month_within_an_agency() -> None:
    assert Periode(2026, 8).within(Granularity.TRIWULANAN) == Q3
    assert Periode(2026, 10).within(Granularity.TRIWULANAN) == Q4
    assert Periode(2026, 8).within(Granularity.BULANAN) == Periode(2026, 8)
    assert Q3.within(Granularity.TRIWULANAN) == Q3
    assert Q3.within(Granularity.BULANAN) is None


@pytest.mark.parametrize("periode", [Periode(2026, 1), Periode(2026, 11), Q3, Q4])
def test_history_keys_round_trip(periode: Periode) -> None:
    assert _periode(periode.key) == periode


# --- the configuration and the command line --------------------------------------------------------


def _config(tmp_path: Path, granularitas: str) -> Path:
    path = tmp_path / "kinerja.toml"
    path.write_text(f'[periode]\ngranularitas = "{granularitas}"\n', encoding="utf-8")
    return path


def test_the_configuration_sets_the_granularity(tmp_path: Path) -> None:
    config = load_config(_config(tmp_path, "triwulanan"))
    assert config.granularitas == "triwulanan"
    settings = settings_for(config)
    assert settings.granularity is Granularity.TRIWULANAN
    assert agency_periode(settings, Periode(2026, 8)) == Q3  # `--periode 2026-08`
    assert agency_periode(settings, None) is None
    assert settings_for(load_config(_config(tmp_path, "bulanan"))).granularity is (
        Granularity.BULANAN
    )


def test_without_a_working_folder_a_quarter_asked_for_makes_the_run_quarterly() -> None:
    assert settings_for(None, periode=Q3).granularity is Granularity.TRIWULANAN
    assert settings_for(None, periode=Periode(2026, 11)).granularity is Granularity.BULANAN
    assert settings_for(None).granularity is Granularity.BULANAN


def test_a_quarter_asked_of_a_monthly_agency_stops_with_a_message() -> None:
    with pytest.raises(WorkspaceProblem, match="instansi ini menilai per bulan"):
        agency_periode(Settings(), Q3)


@pytest.mark.parametrize(
    ("value", "says"),
    [("triwulan", 'Mungkin maksudnya "triwulanan"?'), ("mingguan", "bukan 'mingguan'")],
)
def test_an_unknown_granularity_is_refused_in_indonesian(
    tmp_path: Path, value: str, says: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(_config(tmp_path, value))
    message = str(info.value)
    assert "granularitas di bagian [periode]" in message
    assert '"bulanan" atau "triwulanan"' in message and says in message


# --- reading workbooks -----------------------------------------------------------------------------


def test_a_quarter_in_a_monthly_agency_is_a_finding_at_its_cell(tmp_path: Path) -> None:
    spec = valid_inbox()
    spec.sheet(LAPORAN_E1, "Identitas")[2][1] = "Triwulan IV 2026"
    loaded = load_inbox(spec.write(tmp_path), Settings(), NoProgress())
    outcome = assess(loaded, Periode(2026, 11), requested=True)
    (found,) = [f for f in outcome.findings if f.code == "periode-triwulan-di-instansi-bulanan"]
    assert (found.file, found.sheet, found.cell) == (
        LAPORAN_E1,
        "Identitas",
        "B3",
    )
    assert found.severity is Severity.GALAT
    assert found.value == "Triwulan IV 2026"
    assert "instansi ini menilai per bulan" in found.message
    assert 'granularitas = "triwulanan"' in found.message
    by_nip = {o.employee.nip: o for o in outcome.outcomes}
    assert by_nip[NIP_E1].result is None  # Siti's report is not used


def test_months_and_dates_in_a_quarterly_agency_belong_to_their_quarter(tmp_path: Path) -> None:
    spec = valid_inbox()  # Periode 2026-11 (Siti, Budi) and a date 30 November 2026 (Ayu)
    spec.sheet(LAPORAN_E2, "Identitas")[2][1] = "TW IV/2026"
    spec.sheet(NILAI_A, "Identitas")[2][1] = dt.datetime(2026, 12, 1, 9, 30)
    loaded = load_inbox(spec.write(tmp_path), QUARTERLY, NoProgress())
    assert {pf.name: pf.periode for pf in loaded.person_files} == {
        LAPORAN_E1: Q4,
        LAPORAN_E2: Q4,
        NILAI_A: Q4,
    }
    outcome = assess(loaded, Q4, requested=True)
    assert [f for f in outcome.findings if f.severity is Severity.GALAT] == []
    results = {o.employee.nip: o.result for o in outcome.outcomes if o.result is not None}
    for nip, (hasil, rating_hasil, perilaku, rating_perilaku, predikat) in EXPECTED.items():
        r = results[nip]
        assert (r.hasil.value, r.hasil.rating, r.perilaku.value, r.perilaku.rating) == (
            hasil,
            rating_hasil,
            perilaku,
            rating_perilaku,
        )
        assert r.predikat == predikat


def test_another_quarter_is_reported_when_one_is_asked_for(tmp_path: Path) -> None:
    spec = valid_inbox()
    spec.sheet(LAPORAN_E1, "Identitas")[2][1] = "2026-Q3"
    outcome = assess(load_inbox(spec.write(tmp_path), QUARTERLY, NoProgress()), Q4, requested=True)
    (other,) = [f for f in outcome.findings if f.code == "periode-lain"]
    assert other.cell == "B3"
    assert "Triwulan III 2026" in other.message and "Triwulan IV 2026" in other.message


# --- the annual suggestion -------------------------------------------------------------------------


def _result(periode: Periode, hasil: float) -> StoredResult:
    rating = Rating.DI_ATAS if hasil >= 80 else Rating.SESUAI
    point = TrendPoint(periode, hasil, rating, 90.0, Rating.DI_ATAS, Predikat.BAIK)
    return StoredResult(NIP_E1, "Siti", "Dukcapil", point)


def test_a_quarterly_agency_averages_the_years_quarters() -> None:
    results = [
        _result(Periode(2026, 1), 10.0),  # recorded before the agency went quarterly
        _result(Periode.triwulan(2026, 2), 70.0),
        _result(Q3, 80.0),
        _result(Q4, 90.5),
        _result(Periode.triwulan(2025, 4), 10.0),  # another year
    ]
    thresholds = Settings().thresholds
    (s,) = suggest_annual(results, 2026, thresholds, Granularity.TRIWULANAN)
    assert [m.periode.key for m in s.months] == ["2026-Q2", "2026-Q3", "2026-Q4"]
    assert s.mean_hasil == 80.2  # (70 + 80 + 90.5) / 3 = 80.1666...
    assert s.granularity is Granularity.TRIWULANAN
    (monthly,) = suggest_annual(results, 2026, thresholds)
    assert [m.periode.key for m in monthly.months] == ["2026-01"]
    assert tahunan_headers(Granularity.TRIWULANAN)[3] == "Jumlah Triwulan Dinilai"
    assert tahunan_headers(Granularity.TRIWULANAN)[-1] == "Triwulan Sangat Kurang"


# --- a quarterly working folder, end to end --------------------------------------------------------


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def _summary(path: Path) -> dict[str, dict[str, object]]:
    rows = list(openpyxl.load_workbook(path)["Pegawai"].iter_rows(values_only=True))
    return {str(r[0]): dict(zip((str(h) for h in rows[0]), r, strict=True)) for r in rows[1:]}


def _restate(folder: Path, prefix: str, periode: str | dt.date) -> None:
    """Write another period in the `Identitas` of the workbooks whose names start with `prefix`."""
    for path in folder.glob(f"{prefix}*.xlsx"):
        wb = openpyxl.load_workbook(path)
        ws = wb["Identitas"]
        (row,) = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Periode"]
        ws.cell(row, 2).value = periode
        wb.save(path)


def test_a_quarterly_working_folder_from_templates_to_the_annual_view(tmp_path: Path) -> None:
    folder = tmp_path / "kantor"
    code, out = invoke("init", str(folder))
    assert code == 0, out
    toml = folder / "kinerja.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'granularitas = "bulanan"' in text
    toml.write_text(
        text.replace('granularitas = "bulanan"', 'granularitas = "triwulanan"'), encoding="utf-8"
    )
    with contextlib.chdir(folder):
        code, out = invoke("templat", "--periode", "2026-Q3")
        assert code == 0, out
        assert "Templat Triwulan III 2026 dibuat di" in out
        assert "2 laporan pegawai, 1 penilaian atasan" in out
        templates = folder / "templat" / "2026-Q3"
        (report,) = templates.rglob("laporan_198503122010012005_*.xlsx")
        identitas = openpyxl.load_workbook(report)["Identitas"]
        assert ["Periode", "Triwulan III 2026"] in [
            [c.value for c in row[:2]] for row in identitas.iter_rows()
        ]
        fill_templates(templates, folder / "inbox" / "tw3")

        code, out = invoke("run")
        assert code == 0, out
        assert "Periode Triwulan III 2026: 1 pegawai dinilai" in out
        q3 = folder / "hasil" / "2026-Q3"
        employee = _summary(q3 / "ringkasan_2026-Q3.xlsx")["198503122010012005"]
        # Three quarters of the 1-5 scale on Hasil Kerja (75.0, Sesuai), Perilaku at the top.
        assert (employee["Nilai Hasil Kerja"], employee["Nilai Perilaku Kerja"]) == (75, 100)
        assert (employee["Rating Hasil Kerja"], employee["Predikat"]) == (
            "Sesuai Ekspektasi",
            "Baik",
        )
        (pdf,) = (q3 / "umpan_balik").glob("198503122010012005_*.pdf")
        assert "Triwulan III 2026" in _pdf_text(pdf)

        code, out = invoke("status")
        assert code == 0, out
        assert "Status penilaian kinerja Triwulan III 2026" in " ".join(out.split())
        code, out = invoke("status", "--periode", "TW III/2026")
        assert code == 0 and "Triwulan III 2026" in out

        # The fourth quarter: a supervisor writes a month, an employee a date in the quarter.
        code, out = invoke("templat", "--periode", "Triwulan IV 2026")
        assert code == 0, out
        tw4 = folder / "inbox" / "tw4"
        fill_templates(folder / "templat" / "2026-Q4", tw4)
        _restate(tw4, "penilaian_", "Desember 2026")
        _restate(tw4, "laporan_", dt.date(2026, 10, 15))
        code, out = invoke("run", "--periode", "2026-11")  # a month asked for: its quarter
        assert code == 0, out
        assert "Periode Triwulan IV 2026: 1 pegawai dinilai" in out
        q4 = folder / "hasil" / "2026-Q4"
        tren = next(openpyxl.load_workbook(q4 / "ringkasan_2026-Q4.xlsx")["Tren"].values)
        assert "Predikat TW III 2026" in tren and "Predikat TW IV 2026" in tren
        (pdf,) = (q4 / "umpan_balik").glob("198503122010012005_*.pdf")
        shown = _pdf_text(pdf)
        assert "Triwulan IV 2026" in shown and "TW III 2026" in shown  # the trend

        code, out = invoke("tahunan", "2026")
        assert code == 0, out
    annual = folder / "hasil" / "tahunan-2026"
    wb = openpyxl.load_workbook(annual / "ringkasan_tahunan_2026.xlsx")
    assert wb.sheetnames == ["Tahunan", "Per Triwulan"]
    rows = list(wb["Tahunan"].values)
    header = next(r for r in rows if r and r[0] == "NIP")
    (row,) = [r for r in rows[rows.index(header) + 1 :] if r[0] == "198503122010012005"]
    values = dict(zip(header, row, strict=True))
    assert values["Jumlah Triwulan Dinilai"] == 2
    assert values["Rata-rata Nilai Hasil Kerja"] == 75
    assert values["Triwulan Baik"] == 2
    periods = [r[2] for r in list(wb["Per Triwulan"].values)[1:]]
    assert periods == ["Triwulan III 2026", "Triwulan IV 2026"]
    (pdf,) = (annual / "umpan_balik").glob("198503122010012005_*.pdf")
    shown = _pdf_text(pdf)
    assert "Hasil Penilaian per Triwulan" in shown and "2 triwulan" in shown
    assert "nilai triwulanan tahun 2026" in shown


def test_a_monthly_working_folder_refuses_a_quarter_on_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "kantor"
    invoke("init", str(folder))
    with contextlib.chdir(folder):
        code, out = invoke("templat", "--periode", "2026-Q3")
    assert code != 0
    assert "Triwulan III 2026 adalah triwulan, tetapi instansi ini menilai per bulan" in " ".join(
        out.split()
    )
    assert not (folder / "templat" / "2026-Q3").exists()


def test_a_plain_folder_run_for_a_quarter_reads_months_as_that_quarter(tmp_path: Path) -> None:
    inbox = valid_inbox().write(tmp_path / "masukan")  # Periode 2026-11 and 30 November 2026
    code, out = invoke("run", str(inbox), "--out", str(tmp_path / "hasil"), "--periode", "Q4 2026")
    assert code == 0, out
    assert "Periode Triwulan IV 2026: 2 pegawai dinilai" in out
    summary = _summary(tmp_path / "hasil" / "2026-Q4" / "ringkasan_2026-Q4.xlsx")
    assert summary[NIP_E1]["Predikat"] == "Sangat Baik"


def test_the_command_line_refuses_a_period_it_cannot_read_in_indonesian(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["status", ".", "--periode", "Triwulan V 2026"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "'Triwulan V 2026' bukan periode" in err and "2026-Q3" in " ".join(err.split())
