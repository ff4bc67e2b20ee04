"""HR's checks: supervisors who score apart, the predikat distribution against the organisation's
predikat, evidence that contradicts a score; their summary sheets and the PDF's explanation."""

from __future__ import annotations

import ast
import datetime as dt
import io
import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from kinerja_batch import compute
from kinerja_batch.calibration import (
    Flag,
    Standing,
    SupervisorStats,
    calibrate,
    compare_teams,
    distribution_check,
    evidence_mismatches,
    is_straight_lined,
    organisation_predikat,
    run_checks,
    supervisor_stats,
)
from kinerja_batch.documents.feedback import FeedbackRenderer, explain_dimension
from kinerja_batch.findings import CHECK_CATALOGUE, Source
from kinerja_batch.formatting import check_message, desimal
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import calibration_sim  # after the benchmarks folder is on the path

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
    n: int,
    nama: str,
    patterns: Sequence[Sequence[float]],
    capaian: Sequence[float] = (),
    notes: Mapping[str, str] | None = None,
) -> list[EmployeeResult]:
    """One supervisor's employees; `notes` maps `"e<employee index>_<criterion index>"` to a note;
    `capaian`: per employee, the realisation (percent of a target of 100) reported on every Hasil
    Kerja criterion (no self-report where not given)."""
    sheet = _sheet(n, nama)
    results = []
    for i, scores in enumerate(patterns):
        nip = f"19850101201001{n:02d}{i:02d}"
        row_notes = tuple((notes or {}).get(f"e{i}_{c}", "") for c in range(6))
        report = None
        if i < len(capaian):
            report = _report(nip, *((c.kode, 100.0, capaian[i]) for c in HK))
        e = _employee(nip, f"Pegawai {n}-{i}", "Dinas A")
        results.append(_result(e, sheet, scores, row_notes, report=report))
    return results


ALL_FIVES_NOTED = {f"e{i}_{c}": "Bukti lengkap." for i in range(4) for c in range(6)}
LENIENT = ((5, 5, 5, 5, 5, 4), (5, 5, 4, 5, 5, 5), (5, 4, 5, 5, 5, 5), (5, 5, 5, 4, 5, 5))
HARSH = ((2, 2, 3, 2, 3, 2), (2, 3, 2, 3, 2, 2), (3, 2, 2, 2, 2, 3), (2, 2, 2, 3, 3, 2))
ONE_STRAIGHT = (*ORDINARY[:3], (3, 3, 3, 3, 3, 3))  # one employee straight-lined
MOSTLY_STRAIGHT = ((3, 3, 3, 3, 3, 3), (4, 4, 4, 4, 4, 4), (3, 3, 3, 3, 3, 3), ORDINARY[0])
ONE_LOWEST = (*ORDINARY[:3], (3, 3, 4, 4, 3, 1))  # a 1 with no note


@pytest.fixture(scope="module")
def period() -> PeriodOutcome:
    results = [
        *_team(1, "Ani Biasa", ORDINARY),
        *_team(2, "Budi Biasa", ORDINARY[::-1]),
        *_team(3, "Citra Biasa", ORDINARY[1:] + ORDINARY[:1]),
        *_team(4, "Dodi Biasa", ORDINARY[2:] + ORDINARY[:2]),
        *_team(5, "Lina Longgar", LENIENT, notes=ALL_FIVES_NOTED),
        *_team(6, "Hadi Keras", HARSH),
        *_team(7, "Sari Satu Seragam", ONE_STRAIGHT),
        *_team(8, "Eko Satu Terendah", ONE_LOWEST),
        *_team(9, "Rudi Seragam", MOSTLY_STRAIGHT),
    ]
    return _outcome(results)


def _reason(flag: Flag) -> str:
    return check_message(flag.code, flag.params)


def _by_name(period: PeriodOutcome, settings: Settings = SETTINGS) -> dict[str, set[str]]:
    return {s.nama_penilai: {f.code for f in s.flags} for s in supervisor_stats(period, settings)}


def _stats(period: PeriodOutcome, settings: Settings = SETTINGS) -> dict[str, SupervisorStats]:
    return {s.nama_penilai: s for s in supervisor_stats(period, settings)}


def _number(x: float | None) -> str:
    """A number as the sheet shows it (`formatting.desimal`): `82,5`."""
    assert x is not None
    return desimal(x)


# --- supervisors ---------------------------------------------------------------------------------


def test_supervisors_are_marked_for_patterns_only(period: PeriodOutcome) -> None:
    assert _by_name(period) == {
        "Ani Biasa": set(),
        "Budi Biasa": set(),
        "Citra Biasa": set(),
        "Dodi Biasa": set(),
        "Lina Longgar": {"nilai-tinggi", "nilai-tertinggi-dominan"},
        "Hadi Keras": {"nilai-rendah"},
        "Sari Satu Seragam": set(),  # one straight-lined employee is no pattern
        "Eko Satu Terendah": set(),  # one lowest score without a note is no pattern
        "Rudi Seragam": {"nilai-seragam"},  # three of four are
    }
    stats = _stats(period)
    assert [s.flagged for s in stats.values()] == sorted(
        (s.flagged for s in stats.values()), reverse=True
    )  # marked supervisors come first
    eko, sari = stats["Eko Satu Terendah"], stats["Sari Satu Seragam"]
    assert eko.bottom_share == 1 / 24 and sari.straight_lined == ("Pegawai 7-3",)
    assert {js.standing for s in (eko, sari) for js in s.by_jenis} == {Standing.WITHIN}


def test_reasons_say_what_was_compared_with_what(period: PeriodOutcome) -> None:
    stats = _stats(period)
    lina = stats["Lina Longgar"]
    hk = lina.jenis(Jenis.HASIL)
    assert hk.mean == pytest.approx(96.875)  # (100 + 95 + 92.5 + 100) / 4
    low, expected, high = hk.low, hk.expected, hk.high
    assert hk.standing is Standing.ABOVE and low is not None and high is not None
    assert expected is not None and low < expected < high < hk.mean
    assert {f.jenis for f in lina.flags} == {Jenis.HASIL, Jenis.PERILAKU, None}
    assert _reason(lina.flags[0]) == (
        f"Rata-rata Nilai Hasil Kerja 96,9 di atas rentang wajar untuk tim 4 pegawai "
        f"({_number(hk.low)} s.d. {_number(hk.high)}; yang diharapkan {_number(hk.expected)})."
    )
    assert check_message(hk.standing.value, hk.params) == (
        f"Di atas rentang wajar: rata-rata 96,9, {_number(hk.mean - expected)} poin di atas "
        f"yang diharapkan {_number(hk.expected)}."
    )
    assert _reason(lina.flags[-1]) == (
        "20 dari 24 nilai (83,3%) adalah nilai tertinggi skala, 20 di antaranya dengan catatan "
        "(ditandai bila lebih dari 50% nilai)."
    )
    hadi = stats["Hadi Keras"].flags[0]
    assert _reason(hadi).startswith(  # (30 + 32.5 + 37.5 + 25) / 4
        "Rata-rata Nilai Hasil Kerja 31,3 di bawah rentang wajar untuk tim 4 pegawai"
    )
    rudi = stats["Rudi Seragam"]
    assert _reason(rudi.flags[0]) == (
        "3 dari 4 pegawai mendapat nilai yang sama pada semua kriteria: Pegawai 9-0, Pegawai 9-1, "
        "Pegawai 9-2 (ditandai bila lebih dari 50% pegawai). Periksa apakah setiap kriteria "
        "sungguh dinilai."
    )
    ani = stats["Ani Biasa"].jenis(Jenis.PERILAKU)
    assert check_message(ani.standing.value, ani.params) == (
        f"Dalam rentang wajar: rata-rata {_number(ani.mean)}, yang diharapkan "
        f"{_number(ani.expected)}."
    )


def test_the_reference_is_the_other_supervisors_median(period: PeriodOutcome) -> None:
    """Lina's and Hadi's extreme means do not move what the ordinary supervisors are compared
    with: the other supervisors' weighted median, here an ordinary team's mean."""
    stats = _stats(period)
    ordinary_hk = {67.5, 57.5, 70.0, 55.0}  # the ORDINARY employees' Nilai Hasil Kerja
    assert stats["Ani Biasa"].jenis(Jenis.HASIL).mean == pytest.approx(sum(ordinary_hk) / 4)
    for name in ("Ani Biasa", "Lina Longgar", "Hadi Keras"):
        reference = stats[name].jenis(Jenis.HASIL).reference
        assert reference is not None and 60 < reference < 63.5  # ordinary teams' means: 62.5


def test_small_teams_need_stronger_evidence() -> None:
    """The same difference of 12 points: a team of 20 is marked, a team of 3 is not."""
    spread_of = (45.0, 55.0, 60.0, 65.0, 75.0)  # each ordinary team's employees, mean 60
    teams: dict[str, list[tuple[float, float | None]]] = {
        f"biasa-{i}": [(y + (i % 3 - 1), None) for y in spread_of * 2] for i in range(8)
    }
    teams["kecil"] = [(y + 12, None) for y in (55.0, 60.0, 65.0)]
    teams["besar"] = [(y + 12, None) for y in spread_of * 4]
    spread, stats = compare_teams(Jenis.PERILAKU, teams, False, SETTINGS)
    small, large = stats["kecil"], stats["besar"]
    assert small.mean == pytest.approx(72) and large.mean == pytest.approx(72)
    assert small.standing is Standing.WITHIN and large.standing is Standing.ABOVE
    assert small.allowance is not None and large.allowance is not None
    assert small.allowance > large.allowance >= SETTINGS.calibration_min_difference
    assert spread.allowance(3) > spread.allowance(10) > spread.allowance(25)
    assert all(s.standing is Standing.WITHIN for k, s in stats.items() if k.startswith("biasa"))
    assert spread.slope is None and spread.adjustment_code is None  # Perilaku is not adjusted


def test_distances_stay_finite_when_the_others_all_agree() -> None:
    """Every ordinary employee scored alike: no spread at all among the others. The lenient
    supervisor is marked, by a finite distance; a few points' difference is not marked."""
    same = ORDINARY[:1] * 4
    results = [*_team(1, "A", same), *_team(2, "B", same), *_team(3, "C", same)]
    lenient = _outcome([*results, *_team(4, "D", LENIENT, notes=ALL_FIVES_NOTED)])
    d = _stats(lenient)["D"].jenis(Jenis.HASIL)
    assert d.standing is Standing.ABOVE and d.z is not None and math.isfinite(d.z)
    assert d.allowance is not None and d.allowance >= SETTINGS.calibration_min_difference
    slightly = _outcome([*results, *_team(4, "D", ((4, 4, 4, 3, 4, 3), *same[1:]))])
    d = _stats(slightly)["D"].jenis(Jenis.HASIL)
    assert d.standing is Standing.WITHIN and d.z is not None and math.isfinite(d.z)


def _strong_and_weak(with_figures: bool) -> PeriodOutcome:
    """Four ordinary supervisors whose employees' Hasil Kerja follows their reported achievement,
    a supervisor of a strong team (scored high, achieving high) and one of a weak team."""
    ordinary = (100.0, 90.0, 102.0, 88.0)  # ORDINARY's Nilai Hasil Kerja: 67.5, 57.5, 70, 55
    strong = ((5, 4, 5, 4, 3, 4), (4, 5, 5, 3, 4, 3), (5, 5, 4, 4, 4, 3), (5, 4, 4, 3, 3, 4))
    weak = ((2, 2, 3, 4, 3, 4), (3, 2, 2, 3, 4, 3), (2, 3, 2, 4, 4, 3), (2, 2, 2, 3, 3, 4))
    results = [
        r
        for n in range(4)
        for r in _team(n, f"Biasa {n}", ORDINARY[n:] + ORDINARY[:n], ordinary[n:] + ordinary[:n])
    ]
    results += _team(4, "Tim Kuat", strong, (120.0, 115.0, 122.0, 116.0) if with_figures else ())
    results += _team(5, "Tim Lemah", weak, (72.0, 70.0, 74.0, 68.0) if with_figures else ())
    return _outcome(results)


def _within_slope(period: PeriodOutcome) -> float:
    """Least squares of Nilai Hasil Kerja on achievement, within each supervisor's team."""
    sxx = sxy = 0.0
    teams: dict[str, list[tuple[float, float]]] = {}
    for r in period.results:
        if r.report is not None:
            x = r.report.achievements[0].realisasi
            assert x is not None
            teams.setdefault(r.penilai.nip_penilai, []).append((x, r.hasil.value))
    for pairs in teams.values():
        mx, my = (sum(v) / len(pairs) for v in zip(*pairs, strict=True))
        sxx += sum((x - mx) ** 2 for x, _ in pairs)
        sxy += sum((x - mx) * (y - my) for x, y in pairs)
    return sxy / sxx


def test_a_strong_or_weak_team_is_judged_by_its_own_achievement() -> None:
    without = _stats(_strong_and_weak(with_figures=False))
    assert {f.code for f in without["Tim Kuat"].flags} == {"nilai-tinggi"}
    assert {f.code for f in without["Tim Lemah"].flags} == {"nilai-rendah"}
    period = _strong_and_weak(with_figures=True)
    stats, spreads = calibrate(period, SETTINGS)
    by_name = {s.nama_penilai: s for s in stats}
    assert all(not s.flags for s in stats)  # their scores are what their achievement predicts
    hasil = spreads[0]
    assert hasil.jenis is Jenis.HASIL and hasil.slope is not None
    assert hasil.slope == pytest.approx(_within_slope(period)) and 1 < hasil.slope < 1.1
    strong = by_name["Tim Kuat"]
    assert strong.capaian == pytest.approx(118.25) and strong.capaian_reported == 4
    hk = strong.jenis(Jenis.HASIL)
    assert hk.adjustment is not None and hk.adjustment.team == pytest.approx(118.25)
    assert hk.adjustment.shift == pytest.approx(hasil.slope * (118.25 - hk.adjustment.centre))
    assert hk.reference is not None
    assert hk.expected == pytest.approx(hk.reference + hk.adjustment.shift)
    assert hk.adjustment_code == "penyesuaian-naik"
    centre = hk.adjustment.centre
    assert check_message("penyesuaian-naik", hk.params) == (
        f"Capaian tim 118,3% dari target, rata-rata semua pegawai {_number(centre)}%; karena itu "
        f"yang diharapkan {_number(hk.adjustment.shift)} poin di atas nilai tengah penilai lain "
        f"({_number(hk.reference)})."
    )
    assert by_name["Tim Lemah"].jenis(Jenis.HASIL).adjustment_code == "penyesuaian-turun"
    assert check_message("capaian-dipakai", hasil.params).startswith(
        "Hasil Kerja: yang diharapkan memperhitungkan capaian tim (realisasi terhadap target "
        "dalam laporan pegawai). Pada penilai yang sama, pegawai dengan capaian 10 poin persen "
        f"lebih tinggi mendapat Nilai Hasil Kerja rata-rata {_number(hasil.slope * 10)} poin "
        "lebih tinggi (dari 24 pegawai)."
    )


def test_achievement_is_used_only_with_enough_figures() -> None:
    period = _strong_and_weak(with_figures=True)
    stricter = Settings(calibration_achievement_min_employees=25)
    _, spreads = calibrate(period, stricter)
    assert spreads[0].slope is None and spreads[0].adjustment_code == "capaian-sedikit"
    assert check_message("capaian-sedikit", spreads[0].params) == (
        "Hasil Kerja: yang diharapkan tidak memperhitungkan capaian, karena hanya 24 pegawai "
        "(dalam tim 2 pegawai atau lebih) melaporkan realisasi dan target; perlu paling sedikit "
        "25."
    )
    stats = {s.nama_penilai: s for s in calibrate(period, stricter)[0]}
    assert {f.code for f in stats["Tim Kuat"].flags} == {"nilai-tinggi"}


def test_top_scores_mark_when_most_scores_are_the_top(period: PeriodOutcome) -> None:
    results = [r for r in period.results if r.penilai.nama_penilai != "Lina Longgar"]
    results += _team(5, "Lina Longgar", LENIENT)  # the same 5s, without notes
    lina = _stats(_outcome(results))["Lina Longgar"]
    assert (lina.top, lina.top_noted, lina.scores) == (20, 0, 24)
    assert "20 dari 24 nilai (83,3%) adalah nilai tertinggi skala, 0 di antaranya" in _reason(
        lina.flags[-1]
    )
    looser = Settings(calibration_top_share=0.9)
    assert "nilai-tertinggi-dominan" not in _by_name(_outcome(results), looser)["Lina Longgar"]


def test_too_few_employees_or_too_few_others_are_not_compared(period: PeriodOutcome) -> None:
    few = [r for r in period.results if r.penilai.nama_penilai != "Lina Longgar"]
    few += _team(5, "Lina Longgar", LENIENT[:2])  # only 2 employees, all but two scores 5
    lina = _stats(_outcome(few))["Lina Longgar"]
    assert not lina.flags and lina.top_share == 10 / 12
    hk = lina.jenis(Jenis.HASIL)
    assert hk.standing is Standing.FEW_EMPLOYEES and hk.expected is None
    assert check_message(hk.standing.value, hk.params) == (
        "Tidak dibandingkan: 2 pegawai dinilai; pola baru dinilai mulai 3 pegawai."
    )
    small = [r for r in period.results if r.penilai.nama_penilai in {"Ani Biasa", "Budi Biasa"}]
    small += _team(5, "Lina Longgar", LENIENT)
    stats = supervisor_stats(_outcome(small), SETTINGS)
    assert all(js.standing is Standing.FEW_OTHERS for s in stats for js in s.by_jenis)
    assert {f.code for s in stats for f in s.flags} == {"nilai-tertinggi-dominan"}
    js = stats[0].by_jenis[0]
    assert check_message(js.standing.value, js.params) == (
        "Tidak dibandingkan: hanya 2 penilai lain; perlu paling sedikit 3."
    )
    alone = _outcome(_team(5, "Lina Longgar", LENIENT))
    anyway = Settings(calibration_min_others=0)  # a supervisor needs someone to compare with
    (lina,) = supervisor_stats(alone, anyway)
    assert {js.standing for js in lina.by_jenis} == {Standing.FEW_OTHERS}


def test_numbers_per_supervisor(period: PeriodOutcome) -> None:
    stats = _stats(period)
    lina = stats["Lina Longgar"]
    assert lina.employees == 4 and lina.scores == 24
    assert lina.top_share == pytest.approx(20 / 24) and lina.top_noted == 20
    assert lina.capaian is None and lina.capaian_reported == 0
    assert stats["Ani Biasa"].overrides == 0
    assert stats["Rudi Seragam"].straight_lined == ("Pegawai 9-0", "Pegawai 9-1", "Pegawai 9-2")


def test_straight_lining_needs_enough_criteria(period: PeriodOutcome) -> None:
    straight = next(r for r in period.results if r.employee.nama == "Pegawai 7-3")
    assert is_straight_lined(straight, 3)
    assert not is_straight_lined(straight, 7)
    assert not is_straight_lined(period.results[0], 3)


def test_every_check_code_has_its_sentence_in_the_catalogue() -> None:
    marks = {"nilai-tinggi", "nilai-rendah", "nilai-seragam", "nilai-tertinggi-dominan"}
    standings = {s.value for s in Standing}
    sheet = {"rentang-wajar", "penyesuaian-naik", "penyesuaian-turun", "aturan-penandaan"}
    sheet |= {"sebaran", "capaian-dipakai", "capaian-sedikit", "capaian-tidak-sejalan"}
    sheet |= {"capaian-tim"}
    evidence = {"capaian-rendah-nilai-tertinggi", "capaian-tinggi-nilai-terendah"}
    bounds = {f"distribusi-{b.value}" for b in Bound}
    assert set(CHECK_CATALOGUE) == marks | standings | sheet | evidence | bounds


def test_calibration_returns_numbers_not_sentences() -> None:
    source = Path(__file__).resolve().parent.parent / "kinerja_batch" / "calibration.py"
    modules = {
        node.module
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
    }
    assert "kinerja_batch.formatting" not in modules and "kinerja_batch.findings" in modules


def test_the_simulation_finds_planted_supervisors_and_spares_ordinary_ones() -> None:
    """benchmarks/calibration_sim.py on a fixed seed and a few offices (the README's figures come
    from its default 300 offices): every planted lenient, harsh and straight-lining supervisor
    is marked for that pattern, no ordinary one is marked."""
    supervisors = calibration_sim.simulate(offices=6, seed=1)
    planted = [s for s in supervisors if s.style in calibration_sim.FOUND_BY]
    ordinary = [s for s in supervisors if s.style in calibration_sim.ORDINARY_STYLES]
    assert {s.style for s in planted} == set(calibration_sim.FOUND_BY)
    assert len(ordinary) >= 40 and {s.style for s in ordinary} == set(
        calibration_sim.ORDINARY_STYLES
    )
    assert [s for s in planted if not s.found] == []
    assert [s for s in ordinary if s.marked] == []
    lines = calibration_sim.report(supervisors)
    assert lines[1].startswith("ordinary") and "0/" in lines[1]


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
        "Ringkasan", "Pegawai", "Per Unit", "Tren", "Kalibrasi", "Distribusi", "Bukti",
        "Tindak Lanjut", "Validasi",
    ]  # fmt: skip

    kalibrasi = _rows(wb["Kalibrasi"])
    header = [str(h) for h in kalibrasi[0]]
    assert header[:5] == [
        "Pejabat Penilai", "NIP Penilai", "Unit Kerja", "Jumlah Pegawai Dinilai",
        "Rata-rata Capaian Tim",
    ]  # fmt: skip
    assert header[5:9] == [
        "Rata-rata Nilai Hasil Kerja",
        "Nilai Tengah Hasil Kerja Penilai Lain",
        "Rentang Wajar Hasil Kerja",
        "Perbandingan Hasil Kerja",
    ]
    assert header[-2:] == ["Ditandai", "Alasan"]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in kalibrasi[1:10]}
    stats = _stats(with_mismatch)
    lina, ani = rows["Lina Longgar"], rows["Ani Biasa"]
    hk = stats["Lina Longgar"].jenis(Jenis.HASIL)
    assert lina["Ditandai"] == "Ya" and lina["Jumlah Pegawai Dinilai"] == 4
    assert str(lina["Alasan"]).split("\n") == [_reason(f) for f in stats["Lina Longgar"].flags]
    assert lina["Rata-rata Nilai Hasil Kerja"] == pytest.approx(96.875)
    assert lina["Nilai Tengah Hasil Kerja Penilai Lain"] == pytest.approx(hk.reference)
    assert lina["Rentang Wajar Hasil Kerja"] == f"{_number(hk.low)} s.d. {_number(hk.high)}"
    assert str(lina["Perbandingan Hasil Kerja"]).startswith("Di atas rentang wajar: rata-rata 96,9")
    assert lina["Rata-rata Capaian Tim"] == pytest.approx(0.48)  # one self-report: 48%
    assert lina["Nilai Tertinggi Skala"] == pytest.approx(20 / 24)
    assert ani["Ditandai"] is None and ani["Alasan"] is None
    assert str(ani["Perbandingan Perilaku Kerja"]).startswith("Dalam rentang wajar: rata-rata")
    assert rows["Sari Satu Seragam"]["Pegawai Bernilai Seragam"] == 1
    assert rows["Sari Satu Seragam"]["Ditandai"] is None
    assert wb["Kalibrasi"]["B2"].number_format == "@"
    notes = [str(r[0]) for r in kalibrasi[11:] if r[0]]
    assert notes[0].startswith("Penilai ditandai hanya karena pola pada timnya, tidak karena satu")
    assert "paling sedikit 3 pegawai" in notes[0] and "lebih dari 50% pegawainya" in notes[0]
    assert notes[1].startswith("Hasil Kerja: Nilai pegawai dari penilai yang sama tersebar")
    assert notes[2].startswith("Hasil Kerja: yang diharapkan tidak memperhitungkan capaian")
    assert notes[3].startswith("Perilaku Kerja: Nilai pegawai dari penilai yang sama tersebar")
    assert notes[-1].startswith("Lembar ini informasi untuk bagian kepegawaian")

    distribusi = wb["Distribusi"]
    values = _rows(distribusi)
    assert values[1][0] == "Predikat Kinerja Organisasi: Baik"
    counts = next(r for r in values if r[0] == INSTANSI_SCOPE)
    assert counts[1] == 36
    assert counts[2:7] == (4, 27, 0, 1, 4)  # Sangat Baik ... Sangat Kurang
    rules = [r for r in values if r[0] == INSTANSI_SCOPE and isinstance(r[2], str)]
    assert [(r[2], r[3], r[5]) for r in rules] == [
        ("Baik paling banyak di antara predikat pegawai", 27, "Sesuai"),
        ("Baik paling banyak 70%", 27, "Perlu ditinjau"),  # 75%
        ("Ada pegawai dengan predikat Butuh Perbaikan atau Kurang/Misconduct", 1, "Sesuai"),
    ]
    assert rules[1][4] == pytest.approx(27 / 36)
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
    """`kinerja run --periksa` on the sample: the summary shows a marked supervisor and an evidence
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
    # Only Yuliana Pangaribuan: almost all 5s for a team whose achievement is ordinary. Lusiana
    # Tampubolon's low Hasil Kerja matches her team's low achievement (tests/test_sample_run.py).
    assert (
        "Kalibrasi: 1 dari 16 penilai ditandai karena pola pada timnya (sheet Kalibrasi)." in text
    )
    assert "    Yuliana Pangaribuan, S.H.: Rata-rata Nilai Hasil Kerja 94,2 di atas" in text
    assert "Lusiana" not in text
    # Reasons in one sentence: separated by semicolons, one full stop at the end.
    assert "yang diharapkan 74,0); 24 dari 33 nilai (72,7%)" in text and ".;" not in text
    assert "Bukti: 1 pasangan" in text
    folder = tmp_path / "periksa" / "2026-11"
    assert not (folder / "umpan_balik").exists()
    wb = openpyxl.load_workbook(folder / "ringkasan_2026-11.xlsx")
    assert {"Kalibrasi", "Distribusi", "Bukti"} <= set(wb.sheetnames)
    bukti = [r for r in wb["Bukti"].iter_rows(values_only=True) if any(v is not None for v in r)]
    assert any("Asep Saepudin" in str(v) for r in bukti for v in r)
