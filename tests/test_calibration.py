"""HR's checks: supervisors who score apart, the predikat distribution against the organisation's
predikat, evidence that contradicts a score; their summary sheets and the PDF's explanation."""

from __future__ import annotations

import ast
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from kinerja_batch import compute
from kinerja_batch.calibration import (
    Flag,
    distribution_check,
    evidence_mismatches,
    is_straight_lined,
    organisation_predikat,
    run_checks,
    supervisor_stats,
)
from kinerja_batch.documents.feedback import FeedbackRenderer, explain_dimension
from kinerja_batch.findings import CHECK_CATALOGUE, Source
from kinerja_batch.formatting import check_message
from kinerja_batch.model import (
    Achievement,
    CriteriaSet,
    Criterion,
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
    SelfReport,
    Status,
    Thresholds,
    TrendPoint,
)
from kinerja_batch.settings import Bound, Settings
from kinerja_batch.sheets.summary import write_summary
from kinerja_batch.tally import INSTANSI_SCOPE

PERIODE = Periode(2026, 11)
THRESHOLDS = Thresholds(di_atas=80.0, sesuai=50.0)
SRC = Source("kriteria.xlsx", "Kriteria", "A2")
SETTINGS = Settings()


def _criterion(kode: str, jenis: Jenis, nama: str, bobot: float) -> Criterion:
    return Criterion(kode, jenis, "Semua", nama, bobot, 1.0, 5.0, "", SRC)


HK = (
    _criterion("HK-01", Jenis.HASIL, "Penyelesaian layanan", 50),
    _criterion("HK-02", Jenis.HASIL, "Kepuasan masyarakat", 30),
    _criterion("HK-03", Jenis.HASIL, "Ketepatan data", 20),
)
PK = (
    _criterion("PK-01", Jenis.PERILAKU, "Berorientasi Pelayanan", 40),
    _criterion("PK-02", Jenis.PERILAKU, "Akuntabel", 30),
    _criterion("PK-03", Jenis.PERILAKU, "Kolaboratif", 30),
)
CRITERIA = CriteriaSet(
    criteria=HK + PK,
    thresholds={Jenis.HASIL: THRESHOLDS, Jenis.PERILAKU: THRESHOLDS},
    nama_instansi="Pemerintah Kabupaten Kemuning",
    predikat_organisasi="Baik",
    source_file="kriteria.xlsx",
)

# Ordinary scores (2-4, mixed): Hasil Kerja, then Perilaku Kerja.
ORDINARY = (
    (4, 3, 4, 3, 4, 3),
    (3, 4, 3, 4, 3, 4),
    (4, 4, 3, 3, 4, 4),
    (3, 3, 4, 4, 3, 3),
)


def _sheet(n: int, nama: str) -> ScoreSheet:
    return ScoreSheet(f"19700101200001{n:04d}", nama, PERIODE, (), (), f"nilai_{n}.xlsx")


def _employee(nip: str, nama: str, unit: str) -> Employee:
    return Employee(nip, nama, "Staf", unit, "Umum", None, None, Source("pegawai.xlsx"))


def _result(
    employee: Employee,
    sheet: ScoreSheet,
    scores: Sequence[float],
    notes: Sequence[str] = ("",) * 6,
    *,
    override_perilaku: Rating | None = None,
    feedback: str = "Terus pertahankan.",
    report: SelfReport | None = None,
) -> EmployeeResult:
    hasil = compute.evaluate_dimension(
        Jenis.HASIL, list(zip(HK, scores[:3], notes[:3], strict=True)), THRESHOLDS
    )
    perilaku = compute.evaluate_dimension(
        Jenis.PERILAKU,
        list(zip(PK, scores[3:], notes[3:], strict=True)),
        THRESHOLDS,
        override_perilaku,
    )
    fb = Feedback(employee.nip, feedback, "Ikuti pelatihan.", None, override_perilaku, Source())
    return EmployeeResult(
        employee,
        PERIODE,
        hasil,
        perilaku,
        compute.predikat(hasil.rating, perilaku.rating),
        fb,
        report,
        sheet,
        None,
    )


def _outcome(results: Sequence[EmployeeResult], predikat: str | None = "Baik") -> PeriodOutcome:
    criteria = CriteriaSet(
        CRITERIA.criteria, CRITERIA.thresholds, CRITERIA.nama_instansi, predikat, "kriteria.xlsx"
    )
    outcomes = tuple(EmployeeOutcome(r.employee, Status.DINILAI, r) for r in results)
    return PeriodOutcome(PERIODE, criteria, outcomes, ())


def _team(
    n: int, nama: str, patterns: Sequence[Sequence[float]], **notes: str
) -> list[EmployeeResult]:
    """One supervisor's employees; `notes` maps `"<employee index>_<criterion index>"` to a note."""
    sheet = _sheet(n, nama)
    results = []
    for i, scores in enumerate(patterns):
        nip = f"19850101201001{n:02d}{i:02d}"
        row_notes = tuple(notes.get(f"e{i}_{c}", "") for c in range(6))
        results.append(
            _result(_employee(nip, f"Pegawai {n}-{i}", "Dinas A"), sheet, scores, row_notes)
        )
    return results


ALL_FIVES_NOTED = {f"e{i}_{c}": "Bukti lengkap." for i in range(4) for c in range(6)}
LENIENT = ((5, 5, 5, 5, 5, 4), (5, 5, 4, 5, 5, 5), (5, 4, 5, 5, 5, 5), (5, 5, 5, 4, 5, 5))
HARSH = ((2, 2, 3, 2, 3, 2), (2, 3, 2, 3, 2, 2), (3, 2, 2, 2, 2, 3), (2, 2, 2, 3, 3, 2))
STRAIGHT = (*ORDINARY[:3], (3, 3, 3, 3, 3, 3))
EXTREME = (*ORDINARY[:3], (3, 3, 4, 4, 3, 1))  # a 1 with no note


@pytest.fixture(scope="module")
def period() -> PeriodOutcome:
    results = [
        *_team(1, "Ani Biasa", ORDINARY),
        *_team(2, "Budi Biasa", ORDINARY[::-1]),
        *_team(3, "Citra Biasa", ORDINARY[1:] + ORDINARY[:1]),
        *_team(4, "Dodi Biasa", ORDINARY[2:] + ORDINARY[:2]),
        *_team(5, "Lina Longgar", LENIENT, **ALL_FIVES_NOTED),
        *_team(6, "Hadi Keras", HARSH),
        *_team(7, "Sari Seragam", STRAIGHT),
        *_team(8, "Eko Ekstrem", EXTREME),
    ]
    return _outcome(results)


def _reason(flag: Flag) -> str:
    return check_message(flag.code, flag.params)


def _by_name(period: PeriodOutcome) -> dict[str, set[str]]:
    return {s.nama_penilai: {f.code for f in s.flags} for s in supervisor_stats(period, SETTINGS)}


# --- supervisors ---------------------------------------------------------------------------------


def test_each_supervisor_is_flagged_for_the_right_reason(period: PeriodOutcome) -> None:
    assert _by_name(period) == {
        "Ani Biasa": set(),
        "Budi Biasa": set(),
        "Citra Biasa": set(),
        "Dodi Biasa": set(),
        "Lina Longgar": {"nilai-tinggi"},
        "Hadi Keras": {"nilai-rendah"},
        "Sari Seragam": {"nilai-seragam"},
        "Eko Ekstrem": {"terendah-tanpa-catatan"},
    }


def test_flag_reasons_say_what_and_how_far(period: PeriodOutcome) -> None:
    stats = {s.nama_penilai: s for s in supervisor_stats(period, SETTINGS)}
    lina = stats["Lina Longgar"]
    hk = lina.jenis(Jenis.HASIL)
    assert hk.mean == pytest.approx(96.875)  # (100 + 95 + 92.5 + 100) / 4
    reasons = [_reason(f) for f in lina.flags]
    assert reasons[0].startswith(
        "Rata-rata Nilai Hasil Kerja 96,9 jauh di atas rata-rata penilai lain"
    )
    assert "simpangan baku" in reasons[0]
    assert {f.jenis for f in lina.flags} == {Jenis.HASIL, Jenis.PERILAKU}
    assert "jauh di bawah" in _reason(stats["Hadi Keras"].flags[0])
    sari = stats["Sari Seragam"]
    assert sari.straight_lined == ("Pegawai 7-3",)
    assert _reason(sari.flags[0]) == (
        "1 pegawai mendapat nilai yang sama pada semua kriteria: Pegawai 7-3. Periksa apakah "
        "setiap kriteria sungguh dinilai."
    )
    eko = stats["Eko Ekstrem"]
    assert (eko.unexplained_minimum, eko.unexplained_maximum, eko.bottom_share) == (1, 0, 1 / 24)
    assert _reason(eko.flags[0]) == (
        "1 nilai terendah skala tanpa catatan; nilai terendah perlu alasan tertulis (ditandai bila "
        "lebih dari 0)."
    )
    # flagged supervisors come first
    assert [s.flagged for s in stats.values()] == sorted(
        (s.flagged for s in stats.values()), reverse=True
    )


def test_whole_reasons_with_indonesian_numbers(period: PeriodOutcome) -> None:
    stats = {s.nama_penilai: s for s in supervisor_stats(period, SETTINGS)}
    lina = stats["Lina Longgar"].flags[0]
    assert lina.code == "nilai-tinggi" and lina.params["mean"] == pytest.approx(96.875)
    others = lina.params["others"]
    z = lina.params["z"]
    assert isinstance(others, float) and isinstance(z, float)
    assert _reason(lina) == (
        f"Rata-rata Nilai Hasil Kerja 96,9 jauh di atas rata-rata penilai lain "
        f"{f'{others:.1f}'.replace('.', ',')} ({f'{z:.2f}'.replace('.', ',')} simpangan baku; "
        "ditandai bila lebih dari 1,5 simpangan baku dan selisih paling sedikit 10 poin)."
    )


def test_others_who_all_agree_are_infinitely_many_deviations_away() -> None:
    same = ORDINARY[:1] * 4
    results = [*_team(1, "A", same), *_team(2, "B", same), *_team(3, "C", same)]
    results += _team(4, "D", LENIENT, **ALL_FIVES_NOTED)
    d = next(s for s in supervisor_stats(_outcome(results), SETTINGS) if s.nama_penilai == "D")
    assert _reason(d.flags[0]) == (
        "Rata-rata Nilai Hasil Kerja 96,9 jauh di atas rata-rata penilai lain 67,5 (tak hingga "
        "simpangan baku; ditandai bila lebih dari 1,5 simpangan baku dan selisih paling sedikit 10 "
        "poin)."
    )


def test_every_check_code_has_its_sentence_in_the_catalogue() -> None:
    flags = {"nilai-tinggi", "nilai-rendah", "nilai-seragam"}
    flags |= {"terendah-tanpa-catatan", "tertinggi-tanpa-catatan"}
    evidence = {"capaian-rendah-nilai-tertinggi", "capaian-tinggi-nilai-terendah"}
    bounds = {f"distribusi-{b.value}" for b in Bound}
    assert set(CHECK_CATALOGUE) == flags | evidence | bounds


def test_calibration_returns_numbers_not_sentences() -> None:
    source = Path(__file__).resolve().parent.parent / "kinerja_batch" / "calibration.py"
    modules = {
        node.module
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
    }
    assert "kinerja_batch.formatting" not in modules and "kinerja_batch.findings" in modules


def test_numbers_per_supervisor(period: PeriodOutcome) -> None:
    stats = {s.nama_penilai: s for s in supervisor_stats(period, SETTINGS)}
    lina = stats["Lina Longgar"]
    assert lina.employees == 4 and lina.scores == 24
    assert lina.top_share == pytest.approx(20 / 24)
    assert lina.unexplained_maximum == 0  # every 5 came with a note
    everyone = [r.hasil.value for r in period.results]
    assert lina.jenis(Jenis.HASIL).organisation_mean == pytest.approx(sum(everyone) / 32)
    assert stats["Ani Biasa"].overrides == 0


def test_unexplained_top_scores_flagged_when_they_are_a_habit(period: PeriodOutcome) -> None:
    results = [r for r in period.results if r.penilai.nama_penilai != "Lina Longgar"]
    results += _team(5, "Lina Longgar", LENIENT)  # the same 5s, without notes
    stats = {s.nama_penilai: s for s in supervisor_stats(_outcome(results), SETTINGS)}
    lina = stats["Lina Longgar"]
    assert {f.code for f in lina.flags} == {"nilai-tinggi", "tertinggi-tanpa-catatan"}
    assert "20 dari 24 nilai (83,3%) adalah nilai tertinggi skala tanpa catatan" in _reason(
        lina.flags[-1]
    )
    assert lina.flags[-1].params["count"] == 20 and lina.flags[-1].params["scores"] == 24
    looser = Settings(calibration_max_unexplained_top_share=0.9)
    codes = {f.code for f in supervisor_stats(_outcome(results), looser)[0].flags}
    assert "tertinggi-tanpa-catatan" not in codes


def test_too_few_employees_or_too_few_others_are_not_judged(period: PeriodOutcome) -> None:
    few = [r for r in period.results if r.penilai.nama_penilai != "Lina Longgar"]
    few += _team(5, "Lina Longgar", LENIENT[:2], **ALL_FIVES_NOTED)  # only 2 employees
    assert _by_name(_outcome(few))["Lina Longgar"] == set()
    # Lina and three others: each has only 2 others with enough employees... and 3 are needed
    small = [r for r in period.results if r.penilai.nama_penilai in {"Ani Biasa", "Budi Biasa"}]
    small += _team(5, "Lina Longgar", LENIENT, **ALL_FIVES_NOTED)
    stats = supervisor_stats(_outcome(small), SETTINGS)
    assert all(js.z is None for s in stats for js in s.by_jenis)
    assert all(not s.flags for s in stats)


def test_a_small_difference_is_not_flagged_however_uniform_the_others() -> None:
    results = [*_team(1, "A", ORDINARY), *_team(2, "B", ORDINARY), *_team(3, "C", ORDINARY)]
    results += _team(4, "D", ((4, 4, 4, 3, 4, 3), *ORDINARY[1:]))  # a few points higher
    stats = {s.nama_penilai: s for s in supervisor_stats(_outcome(results), SETTINGS)}
    assert stats["D"].jenis(Jenis.HASIL).z == float("inf")
    assert not stats["D"].flags


def test_straight_lining_needs_enough_criteria(period: PeriodOutcome) -> None:
    straight = next(r for r in period.results if r.employee.nama == "Pegawai 7-3")
    assert is_straight_lined(straight, 3)
    assert not is_straight_lined(straight, 7)
    assert not is_straight_lined(period.results[0], 3)


# --- distribution --------------------------------------------------------------------------------

SB, B, BP = Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN
K, SK = Predikat.KURANG, Predikat.SANGAT_KURANG
_SCORES_FOR = {  # scores whose ratings give each predikat
    SB: (5, 5, 5, 5, 5, 5),
    B: (4, 4, 4, 4, 4, 4),
    BP: (2, 2, 2, 4, 4, 4),
    K: (4, 4, 4, 2, 2, 2),
    SK: (2, 2, 2, 2, 2, 2),
}


def _distribution(counts: dict[Predikat, int], unit: str = "Dinas A") -> list[EmployeeResult]:
    sheet = _sheet(1, "Penilai")
    results = []
    for p, n in counts.items():
        for i in range(n):
            e = _employee(f"{p.name[:6]}{unit[-1]}{i:04d}", f"{p} {i}", unit)
            r = _result(e, sheet, _SCORES_FOR[p])
            assert r.predikat is p
            results.append(r)
    return results


@pytest.mark.parametrize(
    ("organisation", "counts", "expected"),
    [
        # Istimewa: Sangat Baik the most frequent; at most 70%
        ("Istimewa", {SB: 70, B: 30}, [True, True]),
        ("Istimewa", {SB: 71, B: 29}, [True, False]),
        ("Istimewa", {SB: 69, B: 31}, [True, True]),
        ("Istimewa", {SB: 50, B: 50}, [True, True]),  # a tie still counts as the most
        ("Istimewa", {SB: 49, B: 51}, [False, True]),
        # Baik: Baik the most frequent; at most 70%; some Butuh Perbaikan or Kurang/Misconduct
        ("Baik", {B: 70, SB: 20, BP: 10}, [True, True, True]),
        ("Baik", {B: 71, SB: 19, K: 10}, [True, False, True]),
        ("Baik", {B: 69, SB: 30, K: 1}, [True, True, True]),
        ("Baik", {B: 70, SB: 30}, [True, True, False]),
        ("Baik", {B: 30, SB: 60, BP: 10}, [False, True, True]),
        # Butuh Perbaikan: at least 60% Butuh Perbaikan; at most 10% Sangat Baik
        ("Butuh Perbaikan", {BP: 60, SB: 10, B: 30}, [True, True]),
        ("Butuh Perbaikan", {BP: 59, SB: 10, B: 31}, [False, True]),
        ("Butuh Perbaikan", {BP: 61, SB: 9, B: 30}, [True, True]),
        ("Butuh Perbaikan", {BP: 60, SB: 11, B: 29}, [True, False]),
        # Kurang: at least 60% Kurang; at least 10% Butuh Perbaikan; at most 10% Sangat Baik
        ("Kurang", {K: 60, BP: 10, SB: 10, B: 20}, [True, True, True]),
        ("Kurang", {K: 59, BP: 10, SB: 10, B: 21}, [False, True, True]),
        ("Kurang", {K: 60, BP: 9, SB: 10, B: 21}, [True, False, True]),
        ("Kurang", {K: 61, BP: 11, SB: 9, B: 19}, [True, True, True]),
        ("Kurang", {K: 60, BP: 10, SB: 11, B: 19}, [True, True, False]),
        # Sangat Kurang: at least 60% Sangat Kurang; at least 10% Kurang and/or Butuh Perbaikan;
        # no Sangat Baik
        ("Sangat Kurang", {SK: 60, K: 10, B: 30}, [True, True, True]),
        ("Sangat Kurang", {SK: 59, K: 10, B: 31}, [False, True, True]),
        ("Sangat Kurang", {SK: 60, K: 5, BP: 5, B: 30}, [True, True, True]),
        ("Sangat Kurang", {SK: 60, K: 5, BP: 4, B: 31}, [True, False, True]),
        ("Sangat Kurang", {SK: 61, BP: 11, B: 28}, [True, True, True]),
        ("Sangat Kurang", {SK: 60, K: 10, SB: 1, B: 29}, [True, True, False]),
    ],
)
def test_distribution_rules_at_and_around_each_bound(
    organisation: str, counts: dict[Predikat, int], expected: list[bool]
) -> None:
    outcome = _outcome(_distribution(counts), predikat=organisation)
    findings = distribution_check(outcome, organisation, SETTINGS)
    overall = [f for f in findings if f.scope == INSTANSI_SCOPE]
    assert [f.ok for f in overall] == expected
    assert all(f.evaluated == 100 for f in overall)


def test_distribution_rule_texts_and_shares() -> None:
    outcome = _outcome(_distribution({B: 7, SB: 3}))
    findings = distribution_check(outcome, "baik", SETTINGS)  # case is ignored
    assert [(check_message(f.code, f.params), f.count, f.share, f.ok) for f in findings[:3]] == [
        ("Baik paling banyak di antara predikat pegawai", 7, 0.7, True),
        ("Baik paling banyak 70%", 7, 0.7, True),
        ("Ada pegawai dengan predikat Butuh Perbaikan atau Kurang/Misconduct", 0, 0.0, False),
    ]


def test_distribution_per_unit_and_small_units() -> None:
    results = _distribution({B: 4, BP: 1}, "Dinas A") + _distribution({SB: 3}, "Dinas B")
    findings = distribution_check(_outcome(results), "Baik", SETTINGS)
    scopes = list(dict.fromkeys(f.scope for f in findings))
    assert scopes == [INSTANSI_SCOPE, "Dinas A", "Dinas B"]
    assert [f.ok for f in findings if f.scope == "Dinas A"] == [True, False, True]  # 80% Baik
    assert [f.ok for f in findings if f.scope == "Dinas B"] == [None, None, None]  # 3 < 5


def test_organisation_predikat_from_workbook_or_configuration() -> None:
    results = _distribution({B: 5})
    assert organisation_predikat(_outcome(results, "Baik"), SETTINGS) == "Baik"
    assert organisation_predikat(_outcome(results, None), SETTINGS) is None
    configured = Settings(predikat_organisasi="sangat  kurang")
    assert organisation_predikat(_outcome(results, None), configured) == "Sangat Kurang"
    assert distribution_check(_outcome(results, None), None, SETTINGS) == []


# --- evidence ------------------------------------------------------------------------------------


def _report(nip: str, *rows: tuple[str, float, float]) -> SelfReport:
    achievements = tuple(
        Achievement(
            kode,
            f"Indikator {kode}",
            target,
            real,
            "%",
            "",
            "",
            Source("lap.xlsx", "Capaian", f"A{i + 2}"),
        )
        for i, (kode, target, real) in enumerate(rows)
    )
    return SelfReport(nip, "", PERIODE, achievements, (), (), "lap.xlsx")


def test_evidence_mismatches_in_both_directions() -> None:
    sheet = _sheet(1, "Lina Longgar")
    e = _employee("198501012010011001", "Asep Saepudin", "Dinas A")
    report = _report(
        e.nip,
        ("HK-01", 90, 43.2),  # 48% of target, scored 5
        ("hk-02", 10, 12),  # 120% of target, scored 1 (codes match ignoring case)
        ("HK-03", 100, 60),  # exactly 60%: not below the bound
    )
    result = _result(e, sheet, (5, 1, 5, 4, 4, 4), report=report)
    found = evidence_mismatches(_outcome([result]), SETTINGS)
    assert [(m.kode, m.target, m.realisasi, m.nilai, m.code) for m in found] == [
        ("HK-01", 90, 43.2, 5, "capaian-rendah-nilai-tertinggi"),
        ("HK-02", 10, 12, 1, "capaian-tinggi-nilai-terendah"),
    ]
    low, high = found
    assert low.percent == pytest.approx(48.0)
    assert (
        check_message(low.code, low.params)
        == "Realisasi 48,0% dari target (di bawah 60%), tetapi nilainya tertinggi pada skala."
    )
    assert check_message(high.code, high.params) == (
        "Realisasi 120,0% dari target (mencapai 100% atau lebih), tetapi nilainya terendah pada "
        "skala."
    )
    assert (low.nama_penilai, low.source.cell) == ("Lina Longgar", "A2")
    stricter = Settings(evidence_low_percent=40, evidence_high_percent=150)
    assert evidence_mismatches(_outcome([result]), stricter) == []


# --- summary sheets ------------------------------------------------------------------------------


def _rows(ws: Worksheet) -> list[tuple[object, ...]]:
    return list(ws.iter_rows(values_only=True))


@pytest.fixture(scope="module")
def with_mismatch(period: PeriodOutcome) -> PeriodOutcome:
    """The period, with one of Lina's employees reporting 48% of target on a criterion scored 5."""
    lenient = next(r for r in period.results if r.penilai.nama_penilai == "Lina Longgar")
    report = _report(lenient.employee.nip, ("HK-01", 90, 43.2))
    mismatch = _result(lenient.employee, lenient.penilai, LENIENT[0], report=report)
    return _outcome([mismatch if r is lenient else r for r in period.results])


def test_summary_sheets_with_checks(tmp_path: Path, with_mismatch: PeriodOutcome) -> None:
    path = tmp_path / "ringkasan.xlsx"
    first = with_mismatch.results[0]
    trends = {first.employee.nip: (TrendPoint(PERIODE, 60, Rating.SESUAI, 60, Rating.SESUAI, B),)}
    write_summary(with_mismatch, path, trends, checks=run_checks(with_mismatch, SETTINGS))
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Ringkasan", "Pegawai", "Per Unit", "Tren", "Kalibrasi", "Distribusi", "Bukti", "Validasi",
    ]  # fmt: skip

    kalibrasi = _rows(wb["Kalibrasi"])
    header = [str(h) for h in kalibrasi[0]]
    assert header[:4] == ["Pejabat Penilai", "NIP Penilai", "Unit Kerja", "Jumlah Pegawai Dinilai"]
    assert header[-2:] == ["Ditandai", "Alasan"]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in kalibrasi[1:9]}
    lina, ani = rows["Lina Longgar"], rows["Ani Biasa"]
    assert lina["Ditandai"] == "Ya" and "jauh di atas rata-rata penilai lain" in str(lina["Alasan"])
    assert lina["Jumlah Pegawai Dinilai"] == 4
    assert lina["Nilai Tertinggi Skala"] == pytest.approx(20 / 24)
    assert ani["Ditandai"] is None and ani["Alasan"] is None
    assert rows["Sari Seragam"]["Pegawai Bernilai Seragam"] == 1
    assert rows["Eko Ekstrem"]["Nilai Ekstrem tanpa Catatan"] == 1
    assert wb["Kalibrasi"]["B2"].number_format == "@"

    distribusi = wb["Distribusi"]
    values = _rows(distribusi)
    assert values[1][0] == "Predikat Kinerja Organisasi: Baik"
    counts = next(r for r in values if r[0] == INSTANSI_SCOPE)
    assert counts[1] == 32
    assert counts[2:7] == (4, 23, 0, 1, 4)  # Sangat Baik ... Sangat Kurang
    rules = [r for r in values if r[0] == INSTANSI_SCOPE and isinstance(r[2], str)]
    assert [(r[2], r[3], r[5]) for r in rules] == [
        ("Baik paling banyak di antara predikat pegawai", 23, "Sesuai"),
        ("Baik paling banyak 70%", 23, "Perlu ditinjau"),  # 71.9%
        ("Ada pegawai dengan predikat Butuh Perbaikan atau Kurang/Misconduct", 1, "Sesuai"),
    ]
    assert rules[1][4] == pytest.approx(23 / 32)
    charts = distribusi._charts  # type: ignore[attr-defined]  # openpyxl reads charts back here
    assert len(charts) == 1 and charts[0].grouping == "percentStacked"

    bukti = _rows(wb["Bukti"])
    assert bukti[0][:4] == ("NIP", "Nama", "Unit Kerja", "Pejabat Penilai")
    assert bukti[1][4:9] == ("HK-01", "Penyelesaian layanan", "Indikator HK-01", 90, 43.2)
    assert bukti[1][10] == pytest.approx(0.48) and bukti[1][11] == 5 and bukti[1][12] == "1-5"


def test_summary_without_checks_is_unchanged(tmp_path: Path, period: PeriodOutcome) -> None:
    path = tmp_path / "ringkasan.xlsx"
    write_summary(period, path)
    assert load_workbook(path).sheetnames == ["Ringkasan", "Pegawai", "Per Unit", "Validasi"]


def test_summary_without_mismatches_or_organisation_predikat(tmp_path: Path) -> None:
    outcome = _outcome(_distribution({B: 3}), predikat=None)
    path = tmp_path / "ringkasan.xlsx"
    write_summary(outcome, path, checks=run_checks(outcome, SETTINGS))
    wb = load_workbook(path)
    assert wb["Bukti"]["A2"].value == "Tidak ada capaian yang bertentangan dengan nilainya."
    assert str(wb["Distribusi"]["A2"].value).startswith("Predikat Kinerja Organisasi belum diisi")


# --- the PDF's explanation -----------------------------------------------------------------------


def test_explanation_of_each_threshold() -> None:
    sheet = _sheet(1, "Penilai")
    e = _employee("198501012010011001", "Pegawai", "Dinas A")
    above = _result(e, sheet, (5, 4, 3, 3, 3, 3)).hasil  # 50*100 + 30*75 + 20*50 = 82.5
    x = explain_dimension(above)
    assert [c.criterion.kode for c in x.heaviest] == ["HK-01", "HK-02"]
    (step,) = x.steps
    assert (step.rating, step.threshold, step.distance) == (Rating.DI_ATAS, 80.0, 2.5)
    assert step.criterion is not None and step.criterion.criterion.kode == "HK-01"
    below = _result(e, sheet, (1, 3, 3, 3, 3, 3)).hasil  # 0 + 30*50 + 20*50 = 25.0
    (step,) = explain_dimension(below).steps
    assert (step.rating, step.distance, step.reached) == (Rating.SESUAI, -25.0, False)
    assert step.criterion is not None and step.criterion.criterion.kode == "HK-01"
    exactly = _result(e, sheet, (3, 3, 3, 3, 3, 3)).hasil  # 50.0, every criterion on the bound
    first, second = explain_dimension(exactly).steps
    assert (first.distance, first.criterion) == (0.0, None)
    assert second.rating is Rating.DI_ATAS and second.distance == -30.0


def test_pdf_box_says_what_decided_the_result() -> None:
    sheet = _sheet(1, "Budi Santoso")
    e = _employee("198503122010011005", "Siti Aminah", "Dinas A")
    reason = "Memimpin tim pelayanan keliling selama banjir."
    result = _result(
        e, sheet, (5, 4, 3, 4, 3, 3), override_perilaku=Rating.DI_ATAS, feedback=reason
    )
    pdf = FeedbackRenderer().render(
        result,
        instansi="Pemerintah Kabupaten Kemuning",
        unit_average=None,
        generated_on=dt.date(2026, 11, 30),
        document_id="KB-1",
    )
    text = " ".join(
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Bobot terbesar: Penyelesaian layanan (50%) dan Kepuasan masyarakat (30%)." in text
    assert (
        "Nilai 82,5 → Di Atas Ekspektasi. Nilai ini berada 2,5 poin di atas ambang Di Atas "
        "Ekspektasi (80); kriteria yang paling menaikkan: Penyelesaian layanan."
    ) in text
    # Perilaku 40*75 + 30*50 + 30*50 = 60.0: Sesuai by computation, Di Atas by decision
    assert "Nilai ini berada 10,0 poin di atas ambang Sesuai Ekspektasi (50)" in text
    assert (
        "masih 20,0 poin di bawah ambang Di Atas Ekspektasi (80); kriteria yang paling menahan:"
        in text
    )
    assert (
        "Rating Perilaku Kerja diputuskan pejabat penilai: Di Atas Ekspektasi "
        "(hasil hitungan: Sesuai Ekspektasi)"
    ) in text
    assert f"Alasan: {reason}" in text


def test_check_only_run_writes_the_checks_and_no_pdf(tmp_path: Path) -> None:
    """`kinerja run --periksa` on the sample: the summary shows a flagged supervisor and an evidence
    mismatch, and no PDF is made."""
    import contextlib
    import io

    import openpyxl
    import pytest as _pytest

    from kinerja_batch.cli import main

    sample = Path(__file__).resolve().parent.parent / "sample_data"
    out = io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(io.StringIO()),
        _pytest.raises(SystemExit) as info,
    ):
        main(["run", str(sample), "--out", str(tmp_path / "periksa"), "--periksa"])
    assert info.value.code == 1  # the sample's planted mistakes
    text = out.getvalue()
    assert "Kalibrasi: Lusiana Tampubolon" in text and "Kalibrasi: Yuliana Pangaribuan" in text
    # Reasons in one sentence: separated by semicolons, one full stop at the end.
    assert "10 poin); Rata-rata Nilai Perilaku Kerja" in text and ".;" not in text
    assert "Bukti: 1 pasangan" in text
    folder = tmp_path / "periksa" / "2026-11"
    assert not (folder / "umpan_balik").exists()
    wb = openpyxl.load_workbook(folder / "ringkasan_2026-11.xlsx")
    assert {"Kalibrasi", "Distribusi", "Bukti"} <= set(wb.sheetnames)
    bukti = [r for r in wb["Bukti"].iter_rows(values_only=True) if any(v is not None for v in r)]
    assert any("Asep Saepudin" in str(v) for r in bukti for v in r)
