"""The period's tallies (tally.py): units whatever their spelling, counts per status and predikat,
means that stay hidden for small units, and the PDFs' unit averages as they were computed before."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

import pytest

from kinerja_batch.findings import Source
from kinerja_batch.formatting import desimal
from kinerja_batch.model import (
    STATUS_ORDER,
    Achievement,
    CriteriaSet,
    Criterion,
    CriterionResult,
    DimensionResult,
    Employee,
    EmployeeOutcome,
    EmployeeResult,
    Jenis,
    Periode,
    PeriodOutcome,
    Predikat,
    Rating,
    ScoreSheet,
    SelfReport,
    Status,
    Thresholds,
    unit_key,
)
from kinerja_batch.sheets.status import status_rows
from kinerja_batch.tally import INSTANSI_SCOPE, PeriodTally, tally_of, unit_criterion_means

PERIODE = Periode(2026, 11)
THRESHOLDS = Thresholds(di_atas=80.0, sesuai=50.0)
SRC = Source("kriteria.xlsx", "Kriteria", "A2")


def _criterion(kode: str, jenis: Jenis, bidang: str) -> Criterion:
    return Criterion(kode, jenis, bidang, f"Kriteria {kode}", 50, 1.0, 5.0, "", SRC)


HK_UMUM = (_criterion("HK-U1", Jenis.HASIL, "Umum"), _criterion("HK-U2", Jenis.HASIL, "Umum"))
HK_DATA = (_criterion("HK-D1", Jenis.HASIL, "Data"), _criterion("HK-D2", Jenis.HASIL, "Data"))
PK = (_criterion("PK-01", Jenis.PERILAKU, "Semua"), _criterion("PK-02", Jenis.PERILAKU, "Semua"))
CRITERIA = CriteriaSet(
    HK_UMUM + HK_DATA + PK,
    {Jenis.HASIL: THRESHOLDS, Jenis.PERILAKU: THRESHOLDS},
    "Pemerintah Kabupaten Kemuning",
    "Baik",
    "kriteria.xlsx",
)
SHEETS = tuple(
    ScoreSheet(f"19700101200001100{n}", f"Penilai {n}", PERIODE, (), (), f"nilai_{n}.xlsx")
    for n in range(3)
)


def _employee(n: int, unit: str, nama: str | None = None, bidang: str = "Umum") -> Employee:
    src = Source("pegawai.xlsx", "Pegawai", f"A{n + 2}")
    return Employee(f"19900101201501{n:04d}", nama or f"Pegawai {n:03d}", "Staf", unit, bidang,
                    None, None, src)  # fmt: skip


def _dimension(
    jenis: Jenis, criteria: Sequence[Criterion], nilai: Sequence[float]
) -> DimensionResult:
    scored = tuple(
        CriterionResult(c, v, (v - 1) / 4 * 100, "") for c, v in zip(criteria, nilai, strict=True)
    )
    value = sum(c.normalised for c in scored) / len(scored)
    return DimensionResult(jenis, value, Rating.SESUAI, Rating.SESUAI, THRESHOLDS, scored)


def _evaluated(
    e: Employee, nilai: Sequence[float], predikat: Predikat = Predikat.BAIK, sheet: int = 0
) -> EmployeeOutcome:
    hk = HK_DATA if e.bidang == "Data" else HK_UMUM
    result = EmployeeResult(
        e,
        PERIODE,
        _dimension(Jenis.HASIL, hk, nilai[:2]),
        _dimension(Jenis.PERILAKU, PK, nilai[2:]),
        predikat,
        None,
        None,
        SHEETS[sheet],
        None,
    )
    return EmployeeOutcome(e, Status.DINILAI, result)


def _period(outcomes: Sequence[EmployeeOutcome]) -> PeriodOutcome:
    return PeriodOutcome(PERIODE, CRITERIA, tuple(outcomes), ())


# A small office: three spellings of one unit, a unit of one evaluated employee, and people who
# are not evaluated (yet).
SMALL = _period(
    (
        _evaluated(_employee(1, "Bagian Umum", "Rudi"), (5, 4, 4, 4), Predikat.SANGAT_BAIK),
        _evaluated(_employee(2, "Dinas Data", "Wati", "Data"), (3, 3, 3, 3), sheet=1),
        _evaluated(_employee(3, "bagian  umum", "Andi"), (3, 4, 4, 3)),
        EmployeeOutcome(_employee(4, " BAGIAN UMUM ", "Budi"), Status.BELUM_ADA_LAPORAN, None),
        EmployeeOutcome(_employee(5, "Dinas Data", "Citra"), Status.DIBLOKIR, None),
        _evaluated(_employee(6, "Bagian Umum", "Dewi"), (2, 2, 3, 3), Predikat.BUTUH_PERBAIKAN),
        EmployeeOutcome(_employee(7, "Bagian Umum", "Eko"), Status.BELUM_DINILAI, None),
        EmployeeOutcome(_employee(8, "Sekretariat", "Fajar"), Status.BELUM_ADA_LAPORAN, None),
    )
)


def test_a_unit_is_one_unit_whatever_its_spelling() -> None:
    units = PeriodTally.of(SMALL).units()
    assert [(u.name, u.employees, u.evaluated) for u in units] == [
        ("Bagian Umum", 5, 3),  # "bagian  umum" and " BAGIAN UMUM " are the same unit
        ("Dinas Data", 2, 1),
        ("Sekretariat", 1, 0),
    ]


def test_status_and_predikat_counts_per_unit_and_in_all() -> None:
    tally = PeriodTally.of(SMALL)
    umum, data, sekretariat = tally.units()
    assert list(umum.status) == list(STATUS_ORDER) == list(Status)
    assert umum.status == {
        Status.DINILAI: 3,
        Status.BELUM_DINILAI: 1,
        Status.BELUM_ADA_LAPORAN: 1,
        Status.DIBLOKIR: 0,
    }
    assert data.status[Status.DIBLOKIR] == 1 and sekretariat.status[Status.BELUM_ADA_LAPORAN] == 1
    assert umum.predikat[Predikat.SANGAT_BAIK] == 1 and umum.predikat[Predikat.BAIK] == 1
    assert umum.predikat[Predikat.BUTUH_PERBAIKAN] == 1 and sum(sekretariat.predikat.values()) == 0
    assert tally.status_counts() == {
        Status.DINILAI: 4,
        Status.BELUM_DINILAI: 1,
        Status.BELUM_ADA_LAPORAN: 2,
        Status.DIBLOKIR: 1,
    }
    assert tally.predikat_counts()[Predikat.BAIK] == 2


def test_unit_means_are_hidden_below_the_minimum() -> None:
    tally = PeriodTally.of(SMALL)
    umum, data, sekretariat = tally.units(min_employees=3)
    # Hasil Kerja (100 + 75) / 2, (50 + 75) / 2, (25 + 25) / 2; Perilaku Kerja 75, 62.5, 50
    assert umum.means == {Jenis.HASIL: pytest.approx(175 / 3), Jenis.PERILAKU: 62.5}
    assert data.means is None and sekretariat.means is None  # 1 and 0 evaluated
    assert all(u.means is None for u in tally.units(min_employees=4))
    assert tally.units(min_employees=1)[1].means == {Jenis.HASIL: 50.0, Jenis.PERILAKU: 50.0}


def test_scopes_for_the_distribution_check() -> None:
    scopes = PeriodTally.of(SMALL).scopes()
    assert [(s.name, s.evaluated) for s in scopes] == [
        (INSTANSI_SCOPE, 4),
        ("Bagian Umum", 3),
        ("Dinas Data", 1),
    ]  # a unit nobody in it was evaluated has no predikat to check


def test_supervisor_groups_and_means() -> None:
    tally = PeriodTally.of(SMALL)
    groups = tally.supervisors()
    assert {nip: [r.employee.nama for r in rs] for nip, rs in groups.items()} == {
        SHEETS[0].nip_penilai: ["Rudi", "Andi", "Dewi"],
        SHEETS[1].nip_penilai: ["Wati"],
    }
    assert tally.supervisor_means()[SHEETS[1].nip_penilai] == {
        Jenis.HASIL: 50.0,
        Jenis.PERILAKU: 50.0,
    }
    assert tally.mean_values()[Jenis.HASIL] == pytest.approx((87.5 + 50 + 62.5 + 25) / 4)


def _with_report(outcome: EmployeeOutcome, *rows: tuple[str, float | None]) -> EmployeeOutcome:
    """The outcome with a self-report of (kode, realisation against a target of 100) rows."""
    assert outcome.result is not None
    achievements = tuple(
        Achievement(kode, "Indikator", None if real is None else 100.0, real, "%", "", "", SRC)
        for kode, real in rows
    )
    report = SelfReport(outcome.employee.nip, "", PERIODE, achievements, (), (), "lap.xlsx")
    return replace(outcome, result=replace(outcome.result, report=report))


def test_employee_figures_for_the_calibration_check() -> None:
    rudi, wati, andi, *others = SMALL.outcomes
    period = _period(
        (
            _with_report(rudi, ("HK-U1", 90.0), ("hk-u2", 400.0), ("PK-01", 10.0)),
            _with_report(wati, ("HK-D1", None), ("HK-U1", 80.0)),  # no figures; not her criterion
            andi,  # no self-report
            *others,
        )
    )
    tally = PeriodTally.of(period)
    # Only scored Hasil Kerja criteria with figures; codes match whatever their case.
    assert tally.achievements.to_dict(orient="records") == [
        {"position": 0, "nip_penilai": SHEETS[0].nip_penilai, "kode": "HK-U1", "percent": 90.0},
        {"position": 0, "nip_penilai": SHEETS[0].nip_penilai, "kode": "hk-u2", "percent": 400.0},
    ]
    figures = tally.employee_figures(achievement_cap=150)
    assert list(figures.index) == [0, 1, 2, 5]  # evaluated employees, by roster position
    assert list(figures["nip_penilai"]) == [SHEETS[i].nip_penilai for i in (0, 1, 0, 0)]
    assert figures.loc[0, "capaian"] == pytest.approx((90 + 150) / 2)  # 400% counts as 150%
    assert figures["capaian"].isna().tolist() == [False, True, True, True]
    assert figures.loc[2, "nilai_hasil"] == pytest.approx(62.5)  # Andi: (50 + 75) / 2


def test_status_rows_by_unit_then_status_then_name() -> None:
    rows = status_rows(SMALL)
    assert [(r.unit_kerja, r.status, r.nama) for r in rows] == [
        ("Bagian Umum", Status.DINILAI, "Andi"),
        ("Bagian Umum", Status.DINILAI, "Dewi"),
        ("Bagian Umum", Status.DINILAI, "Rudi"),
        ("Bagian Umum", Status.BELUM_DINILAI, "Eko"),
        ("Bagian Umum", Status.BELUM_ADA_LAPORAN, "Budi"),  # written " BAGIAN UMUM "
        ("Dinas Data", Status.DINILAI, "Wati"),
        ("Dinas Data", Status.DIBLOKIR, "Citra"),
        ("Sekretariat", Status.BELUM_ADA_LAPORAN, "Fajar"),
    ]


def test_a_tally_of_another_period_is_refused() -> None:
    tally = PeriodTally.of(SMALL)
    assert tally_of(SMALL, tally) is tally
    with pytest.raises(ValueError, match="another period outcome"):
        status_rows(_period(SMALL.outcomes[:2]), tally)


def test_an_empty_period() -> None:
    tally = PeriodTally.of(_period(()))
    assert tally.units() == [] and tally.unit_criterion_means(1) == {}
    assert [(s.name, s.evaluated) for s in tally.scopes()] == [(INSTANSI_SCOPE, 0)]
    assert tally.supervisors() == {} and set(tally.status_counts().values()) == {0}


# --- the PDFs' unit averages ----------------------------------------------------------------------


def _old_unit_averages(
    results: Sequence[EmployeeResult], min_members: int
) -> dict[str, dict[str, float] | None]:
    """The unit averages as `pipeline.unit_averages` and `compute.group_means` computed them."""
    members: dict[str, list[dict[str, float]]] = defaultdict(list)
    for r in results:
        values = {c.criterion.kode: c.normalised for d in r.dimensions for c in d.criteria}
        members[unit_key(r.employee.unit_kerja)].append(values)
    means: dict[str, dict[str, float] | None] = {}
    for group, value_maps in members.items():
        if len(value_maps) < min_members:
            means[group] = None
            continue
        sums: dict[str, list[float]] = defaultdict(list)
        for values in value_maps:
            for key, v in values.items():
                sums[key].append(v)
        means[group] = {k: sum(v) / len(v) for k, v in sums.items() if len(v) >= min_members}
    return means


def _sample(seed: int) -> PeriodOutcome:
    """Units of 1 to 20 people, each written in several spellings; two bidang (so a criterion may
    be scored for fewer people than its unit has); scores on and between the scale's points; and
    people not evaluated."""
    rng = random.Random(seed)
    outcomes: list[EmployeeOutcome] = []
    for i, size in enumerate((1, 2, 3, 4, 5, 6, 7, 9, 12, 20)):
        spellings = (f"Unit {i}", f"unit  {i}", f" UNIT {i}")
        for _ in range(size):
            n = len(outcomes)
            e = _employee(n, rng.choice(spellings), bidang=rng.choice(("Umum", "Umum", "Data")))
            if rng.random() < 0.15:
                outcomes.append(EmployeeOutcome(e, rng.choice(STATUS_ORDER[1:]), None))
                continue
            nilai = [rng.choice((1, 1.5, 2, 2.3, 3, 3.7, 4, 4.4, 5)) for _ in range(4)]
            outcomes.append(_evaluated(e, nilai, rng.choice(tuple(Predikat)), rng.randrange(3)))
    rng.shuffle(outcomes)  # the roster is in no particular order
    return _period(outcomes)


@pytest.mark.parametrize(("seed", "minimum"), [(1, 5), (2, 5), (3, 3), (4, 8)])
def test_unit_averages_equal_the_old_ones(seed: int, minimum: int) -> None:
    period = _sample(seed)
    old = _old_unit_averages(period.results, minimum)
    new = unit_criterion_means(period, minimum)
    assert set(new) == set(old)
    assert {k for k, v in new.items() if v is None} == {k for k, v in old.items() if v is None}
    assert any(v is None for v in new.values()) and any(v for v in new.values())
    for key, means in new.items():
        before = old[key]
        if means is None or before is None:
            continue
        assert set(means) == set(before)  # criteria scored for too few are left out alike
        assert means == pytest.approx(before, rel=1e-12)
        assert {k: desimal(v) for k, v in means.items()} == {
            k: desimal(v) for k, v in before.items()
        }
