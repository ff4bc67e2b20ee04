"""Does the calibration check mark only patterns worth a conversation? A simulation, not a test.

    python benchmarks/calibration_sim.py [--offices N] [--seed S]

Generates N offices (default 300) of supervisors who score their teams 1-5 per criterion, runs the
real checks (`calibration.calibrate`, as `kinerja run` does) on each office as one period, and
prints per style of supervisor how many were marked, and how many of the planted ones were marked
for the pattern they were planted with, overall and per team size.

How an office is made (every number below is a constant of this file):

- 6-14 supervisors; team sizes 3-25, log-uniform (many small teams, a few large ones); 4 Hasil
  Kerja criteria with uneven weights and the 7 BerAKHLAK values, all on a 1-5 scale.
- The office's own level: scores centre on 3.3-3.8 (offices differ in how they score overall).
- Employees differ: results ability and behaviour ability, each with standard deviation 0.5
  scale points, correlated 0.5; teams differ a little (0.15) in their average ability.
- A score is the office's level + the team's and the employee's ability + the supervisor's own
  tendency + the moment (standard deviation 0.55 per criterion), rounded and kept within 1-5.
- Ordinary supervisors have their own small tendency (standard deviation 0.15 scale points).
  Ordinary supervisors with a strong or a weak team: the team's results ability is 0.6 above or
  below (its behaviour 0.25): they are ordinary, and must not be taken for lenient or harsh.
- Planted: lenient and harsh supervisors, one scale point above or below (give or take 0.1; not
  only maximum scores: a lenient supervisor still gives 4s and a harsh one 3s); straight-liners,
  who give 9 in 10 of their employees one score on every criterion.
- Notes: most scores at the scale's ends have one, a few others do; some are missing.
- Self-reports: 9 in 10 employees send one; each Hasil Kerja row reports realisation against a
  target (percent = 97 + 18 x the employee's and team's results ability + noise of 6), and 1 row
  in 20 has no figures.

"Marked" is any mark; "found" (planted styles) is a mark for the planted pattern: `nilai-tinggi`
or `nilai-tertinggi-dominan` for lenient, `nilai-rendah` for harsh, `nilai-seragam` for
straight-liners. Goal: at most 5% of ordinary supervisors marked, at least 90% of each planted
style found.
"""

from __future__ import annotations

import argparse
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kinerja_batch import compute
from kinerja_batch.calibration import calibrate
from kinerja_batch.findings import Source
from kinerja_batch.model import (
    Achievement,
    CriteriaSet,
    Criterion,
    Employee,
    EmployeeOutcome,
    EmployeeResult,
    Jenis,
    Periode,
    PeriodOutcome,
    ScoreSheet,
    SelfReport,
    Status,
    Thresholds,
)
from kinerja_batch.settings import Settings

PERIODE = Periode(2026, 11)
THRESHOLDS = Thresholds(di_atas=80.0, sesuai=50.0)
SUPERVISORS = (6, 14)
TEAM_SIZES = (3, 25)
LEVEL = (3.3, 3.8)
ABILITY_SD = 0.5
ABILITY_CORRELATION = 0.5
TEAM_SD = 0.15
MOMENT_SD = 0.55
TENDENCY_SD = 0.15
STRONG_TEAM = (0.6, 0.25)  # results, behaviour: a strong team's ability above an ordinary one's
PLANTED_TENDENCY = 1.0  # scale points, lenient up and harsh down
PLANTED_TENDENCY_SD = 0.1
STRAIGHT_SHARE = 0.9  # of a straight-liner's employees given one score on every criterion
REPORT_SHARE = 0.9
ACHIEVEMENT = (97.0, 18.0, 6.0)  # percent of target: mean, per point of ability, noise
MISSING_FIGURES = 0.05
SECOND_PLANTED_CHANCE = 0.3  # of an office having a second planted supervisor
TEAM_CHANCE = 0.5  # of an office having an ordinary supervisor with a strong or a weak team
SIZE_BANDS = ((3, 5), (6, 12), (13, 25))


class Style(StrEnum):
    ORDINARY = "ordinary"
    STRONG_TEAM = "ordinary, strong team"
    WEAK_TEAM = "ordinary, weak team"
    LENIENT = "lenient"
    HARSH = "harsh"
    STRAIGHT = "straight-liner"


ORDINARY_STYLES = (Style.ORDINARY, Style.STRONG_TEAM, Style.WEAK_TEAM)
PLANTED = (Style.LENIENT, Style.HARSH, Style.STRAIGHT)
FOUND_BY = {
    Style.LENIENT: {"nilai-tinggi", "nilai-tertinggi-dominan"},
    Style.HARSH: {"nilai-rendah"},
    Style.STRAIGHT: {"nilai-seragam"},
}
BERAKHLAK = (
    "Berorientasi Pelayanan",
    "Akuntabel",
    "Kompeten",
    "Harmonis",
    "Loyal",
    "Adaptif",
    "Kolaboratif",
)


@dataclass(frozen=True)
class Supervisor:
    """One simulated supervisor and what the checks said about them."""

    office: int
    nip: str
    style: Style
    employees: int
    codes: frozenset[str]  # the marks' codes

    @property
    def marked(self) -> bool:
        return bool(self.codes)

    @property
    def found(self) -> bool:
        return bool(self.codes & FOUND_BY.get(self.style, set()))


def _criteria(rng: random.Random) -> tuple[Criterion, ...]:
    source = Source("kriteria.xlsx", "Kriteria", "")
    weights = [rng.randint(15, 40) for _ in range(4)]
    hasil = tuple(
        Criterion(f"HK-{i + 1:02d}", Jenis.HASIL, "Semua", f"Hasil {i + 1}", w, 1, 5, "", source)
        for i, w in enumerate(weights)
    )
    perilaku = tuple(
        Criterion(f"PK-{i + 1:02d}", Jenis.PERILAKU, "Semua", nama, 1.0, 1.0, 5.0, "", source)
        for i, nama in enumerate(BERAKHLAK)
    )
    return hasil + perilaku


def _team_size(rng: random.Random) -> int:
    low, high = TEAM_SIZES
    return min(high, int(math.exp(rng.uniform(math.log(low), math.log(high + 1)))))


def _score(rng: random.Random, centre: float) -> int:
    return min(5, max(1, round(centre + rng.gauss(0.0, MOMENT_SD))))


def _note(rng: random.Random, score: int) -> str:
    chance = 0.6 if score in (1, 5) else 0.25 if score == 2 else 0.1
    return "Lihat bukti dukung." if rng.random() < chance else ""


def _office_styles(rng: random.Random, office: int) -> list[Style]:
    """One planted supervisor per office, the styles in turn; sometimes a second planted one of
    another style; sometimes an ordinary supervisor with a strong or a weak team."""
    first = PLANTED[office % len(PLANTED)]
    styles = [first]
    if rng.random() < SECOND_PLANTED_CHANCE:
        styles.append(rng.choice([s for s in PLANTED if s is not first]))
    if rng.random() < TEAM_CHANCE:
        styles.append(rng.choice((Style.STRONG_TEAM, Style.WEAK_TEAM)))
    styles += [Style.ORDINARY] * (rng.randint(*SUPERVISORS) - len(styles))
    rng.shuffle(styles)
    return styles


def simulate_office(rng: random.Random, office: int) -> tuple[PeriodOutcome, dict[str, Style]]:
    """One office as one period's outcome, and each supervisor's (NIP Penilai) style."""
    criteria = _criteria(rng)
    level = rng.uniform(*LEVEL)
    outcomes: list[EmployeeOutcome] = []
    styles: dict[str, Style] = {}
    for s, style in enumerate(_office_styles(rng, office)):
        nip_penilai = f"1970010120000{office:03d}{s:02d}"
        styles[nip_penilai] = style
        sheet = ScoreSheet(nip_penilai, f"Penilai {office}-{s}", PERIODE, (), (), "nilai.xlsx")
        tendency = rng.gauss(0.0, TENDENCY_SD)
        if style in (Style.LENIENT, Style.HARSH):
            sign = 1 if style is Style.LENIENT else -1
            tendency = sign * rng.gauss(PLANTED_TENDENCY, PLANTED_TENDENCY_SD)
        team = [rng.gauss(0.0, TEAM_SD), 0.0]
        team[1] = team[0] * ABILITY_CORRELATION
        if style in (Style.STRONG_TEAM, Style.WEAK_TEAM):
            sign = 1 if style is Style.STRONG_TEAM else -1
            team = [team[0] + sign * STRONG_TEAM[0], team[1] + sign * STRONG_TEAM[1]]
        for e in range(_team_size(rng)):
            employee = Employee(
                f"{nip_penilai}{e:02d}", f"Pegawai {office}-{s}-{e}", "Staf", "Dinas", "Semua",
                nip_penilai, None, Source("pegawai.xlsx"),
            )  # fmt: skip
            result = _employee_result(rng, employee, sheet, criteria, level, tendency, team, style)
            outcomes.append(EmployeeOutcome(employee, Status.DINILAI, result))
    thresholds = {Jenis.HASIL: THRESHOLDS, Jenis.PERILAKU: THRESHOLDS}
    criteria_set = CriteriaSet(criteria, thresholds, "Instansi Simulasi", "Baik", "kriteria.xlsx")
    return PeriodOutcome(PERIODE, criteria_set, tuple(outcomes), ()), styles


def _employee_result(
    rng: random.Random,
    employee: Employee,
    sheet: ScoreSheet,
    criteria: Sequence[Criterion],
    level: float,
    tendency: float,
    team: Sequence[float],
    style: Style,
) -> EmployeeResult:
    z1, z2 = rng.gauss(0.0, 1.0), rng.gauss(0.0, 1.0)
    rho = ABILITY_CORRELATION
    ability = {
        Jenis.HASIL: team[0] + ABILITY_SD * z1,
        Jenis.PERILAKU: team[1] + ABILITY_SD * (rho * z1 + math.sqrt(1 - rho**2) * z2),
    }
    straight = None
    if style is Style.STRAIGHT and rng.random() < STRAIGHT_SHARE:
        overall = level + tendency + (ability[Jenis.HASIL] + ability[Jenis.PERILAKU]) / 2
        straight = min(5, max(1, round(overall + rng.gauss(0.0, 0.3))))
    dimensions = {}
    for jenis in Jenis:
        scored = []
        for c in (c for c in criteria if c.jenis is jenis):
            score = straight or _score(rng, level + tendency + ability[jenis])
            scored.append((c, float(score), _note(rng, score)))
        dimensions[jenis] = compute.evaluate_dimension(jenis, scored, THRESHOLDS)
    hasil, perilaku = dimensions[Jenis.HASIL], dimensions[Jenis.PERILAKU]
    report = _report(rng, employee, criteria, ability[Jenis.HASIL])
    predikat = compute.predikat(hasil.rating, perilaku.rating)
    return EmployeeResult(employee, PERIODE, hasil, perilaku, predikat, None, report, sheet, None)


def _report(
    rng: random.Random, employee: Employee, criteria: Sequence[Criterion], ability: float
) -> SelfReport | None:
    """The employee's self-report (or None, sometimes): realisation against target per Hasil
    Kerja criterion, following the employee's (and team's) results ability."""
    if rng.random() >= REPORT_SHARE:
        return None
    rows = []
    for i, c in enumerate(c for c in criteria if c.jenis is Jenis.HASIL):
        percent = ACHIEVEMENT[0] + ACHIEVEMENT[1] * ability + rng.gauss(0.0, ACHIEVEMENT[2])
        missing = rng.random() < MISSING_FIGURES
        target, real = (None, None) if missing else (100.0, round(percent, 1))
        source = Source("laporan.xlsx", "Capaian", f"A{i + 2}")
        rows.append(Achievement(c.kode, f"Indikator {c.kode}", target, real, "%", "", "", source))
    return SelfReport(employee.nip, employee.nama, PERIODE, tuple(rows), (), (), "laporan.xlsx")


def simulate(offices: int, seed: int, settings: Settings | None = None) -> list[Supervisor]:
    """Every simulated supervisor of `offices` offices, with the marks the real checks gave."""
    settings = settings or Settings()
    rng = random.Random(seed)
    supervisors: list[Supervisor] = []
    for office in range(offices):
        outcome, styles = simulate_office(rng, office)
        stats, _ = calibrate(outcome, settings)
        supervisors += (
            Supervisor(
                office,
                s.nip_penilai,
                styles[s.nip_penilai],
                s.employees,
                frozenset(f.code for f in s.flags),
            )
            for s in stats
        )
    return supervisors


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.1%})" if whole else "-"


def report(supervisors: Sequence[Supervisor]) -> list[str]:
    """Per style: how many were marked (and found), overall and per team size band."""
    bands = [f"{low}-{high}" for low, high in SIZE_BANDS]
    lines = [f"{'style':<24}{'marked':>18}{'found':>18}" + "".join(f"{b:>18}" for b in bands)]
    for style in Style:
        group = [s for s in supervisors if s.style is style]
        planted = style in FOUND_BY
        found = _share(sum(s.found for s in group), len(group)) if planted else ""
        per_band = []
        for low, high in SIZE_BANDS:
            band = [s for s in group if low <= s.employees <= high]
            hits = sum(s.found if planted else s.marked for s in band)
            per_band.append(f"{_share(hits, len(band)):>18}")
        marked = _share(sum(s.marked for s in group), len(group))
        lines.append(f"{style.value:<24}{marked:>18}{found:>18}" + "".join(per_band))
    ordinary = [s for s in supervisors if s.style in ORDINARY_STYLES]
    lines.append(
        f"{'all ordinary':<24}{_share(sum(s.marked for s in ordinary), len(ordinary)):>18}"
    )
    lines.append("(per team size: found for planted styles, marked for ordinary ones)")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--offices", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    supervisors = simulate(args.offices, args.seed)
    print(f"{args.offices} offices, seed {args.seed}, {len(supervisors)} supervisors")
    print("\n".join(report(supervisors)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
