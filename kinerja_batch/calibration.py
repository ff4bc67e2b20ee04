"""Checks for HR on a computed period: how each supervisor scores compared with the others, how the
predikat are distributed against the organisation's predikat, and scores that contradict the
employee's own figures. Pure: plain data in, plain data out. Nothing here changes a result; every
check is information for HR to look into.

A check is a code and its numbers and names (`params`); its sentence is the template of the code in
`findings.CHECK_CATALOGUE`, rendered by `formatting.check_message`. Groups, means and the employees'
reported achievement per supervisor come from the period's tally (`tally.py`).

A supervisor is marked only for a pattern across their team, never for one score or one employee,
and only with at least `Settings.calibration_min_employees` evaluated employees:

(a) their mean Nilai of a Jenis lies outside the range expected for a team of that size (and, for
    Hasil Kerja, with that team's reported achievement);
(b) more than `calibration_straight_line_share` of their employees got the same score on every
    criterion;
(c) more than `calibration_top_share` of their scores are the top of the scale.

The range in (a) comes from a random-effects model of each Jenis (one-way analysis of variance with
supervisors as groups): an employee's Nilai is the office's level, plus the supervisor's own
tendency (spread `tau` between ordinary supervisors), plus the employee's own standing (spread
`sigma` within a team). A team of n employees then has a mean that differs from the other
supervisors' by about sqrt(tau² + sigma²/n + the uncertainty of their reference): a team of 3
needs a difference about twice that of a team of 25 before it stands out, and the supervisors' own
small tendencies are allowed for.

- `sigma` is pooled within teams.
- `tau` is estimated robustly (the median of the supervisors' standardised distances, so that a
  few lenient or harsh supervisors do not widen everybody's range) and shrunk towards a typical
  value (`calibration_typical_sd`, counted as `calibration_typical_weight` supervisors): with ten
  supervisors one office's estimate alone swings between 0 and twice the truth (empirical Bayes).
- The reference is the weighted median of the other supervisors' means (weights: the precision
  of each mean), so that neither one large team nor one lenient or harsh colleague sets it.
- The range is the expected mean plus or minus `calibration_z_threshold` such deviations, and
  never narrower than plus or minus `calibration_min_difference` points.

For Hasil Kerja, where employees reported realisation against target (`Achievement.percent`), the
expected mean moves with the team's achievement by the slope found *within* teams (employees of the
same supervisor with different achievement), so that a strong team is not taken for a lenient
supervisor, nor a weak team for a harsh one, and a supervisor's own leniency does not leak into the
slope. Every mean is compared at the period's mean achievement; employees without figures count at
that mean (no adjustment). `benchmarks/calibration_sim.py` measures how often all this marks
ordinary supervisors and finds planted lenient, harsh and straight-lining ones.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from itertools import accumulate
from statistics import fmean, median, pstdev

from kinerja_batch.compute import exact
from kinerja_batch.findings import Source
from kinerja_batch.model import (
    CriterionResult,
    EmployeeResult,
    Jenis,
    PeriodOutcome,
    Predikat,
    capaian_organisasi,
    unit_capaian,
)
from kinerja_batch.settings import Bound, Settings, ShareRule
from kinerja_batch.tally import VALUE_COLUMNS, PeriodTally, tally_of

_EPS = 1e-9  # normalised scores are exact to far better than this
_CHI2_1_MEDIAN = 0.4549364231195724  # the median of a chi-squared variable with 1 degree of freedom

# --- supervisors ---------------------------------------------------------------------------------


class Standing(StrEnum):
    """Where a team's mean Nilai stands against its expected range; each value is a code of
    `findings.CHECK_CATALOGUE`."""

    WITHIN = "dalam-rentang"
    ABOVE = "di-atas-rentang"
    BELOW = "di-bawah-rentang"
    FEW_EMPLOYEES = "sedikit-pegawai"  # not compared: too few employees for a pattern
    FEW_OTHERS = "sedikit-penilai-lain"  # not compared: too few other supervisors


@dataclass(frozen=True)
class Spread:
    """How the Nilai of one Jenis spread in the period: what every expected range is made of."""

    jenis: Jenis
    sigma: float  # standard deviation of Nilai between employees of one supervisor (adjusted)
    tau: float  # standard deviation of ordinary supervisors' own tendencies, as used
    tau_estimate: float  # ... as this period's supervisors alone show it (robust)
    supervisors: int  # supervisors with 2 or more employees, whom tau_estimate comes from
    typical: float  # settings.calibration_typical_sd, combined with tau_estimate into tau
    typical_weight: float  # settings.calibration_typical_weight
    considers_achievement: bool  # Hasil Kerja: adjusted for achievement where figures allow
    slope: float | None  # Nilai points per point of achievement within teams; None: not used
    slope_employees: int  # employees with figures in teams of 2 or more with figures
    slope_min_employees: int  # settings.calibration_achievement_min_employees
    centre: float | None  # the mean achievement of every employee with figures
    threshold: float  # settings.calibration_z_threshold
    min_difference: float  # settings.calibration_min_difference

    def allowance(self, employees: int) -> float:
        """The half-width of the expected range for a team of `employees`, leaving out the small
        uncertainty of the other supervisors' reference (each row of the sheet includes it)."""
        se = math.sqrt(self.tau**2 + self.sigma**2 / max(employees, 1))
        return max(self.threshold * se, self.min_difference)

    @property
    def adjustment_code(self) -> str | None:
        """The catalogue code that words whether Nilai Hasil Kerja was adjusted for achievement
        (None for Perilaku Kerja, never adjusted)."""
        if not self.considers_achievement:
            return None
        if self.slope is not None:
            return "capaian-dipakai"
        return (
            "capaian-sedikit"
            if self.slope_employees < self.slope_min_employees
            else "capaian-tidak-sejalan"
        )

    @property
    def params(self) -> Mapping[str, object]:
        """What `formatting.check_message` words the spread (`sebaran`) and the achievement
        adjustment (`adjustment_code`) with."""
        params: dict[str, object] = {"jenis": self.jenis, "sigma": self.sigma, "tau": self.tau}
        params |= {"estimate": self.tau_estimate, "supervisors": self.supervisors}
        params |= {"typical": self.typical, "weight": self.typical_weight}
        params |= {"threshold": self.threshold, "min_difference": self.min_difference}
        params |= {f"allowance{n}": self.allowance(n) for n in (3, 10, 25)}
        params |= {"count": self.slope_employees, "min": self.slope_min_employees}
        params["centre"] = self.centre
        if self.slope is not None:
            params["slope10"] = self.slope * 10  # points per 10 points of achievement
        return params


@dataclass(frozen=True)
class Adjustment:
    """How the team's reported achievement moves the Nilai Hasil Kerja expected of it:
    `shift` = `slope` x (`team` - `centre`) points."""

    team: float  # the team's mean achievement, percent of target (unreported: `centre`)
    centre: float  # the mean achievement of every employee with figures
    slope: float
    shift: float


@dataclass(frozen=True)
class JenisStats:
    """One supervisor's mean Nilai of one Jenis against the range expected for their team. The
    numbers after `required` are None where the team was not compared (see `standing`)."""

    jenis: Jenis
    mean: float  # the figure compared: the mean Nilai of the supervisor's employees
    employees: int
    standing: Standing
    others_count: int  # other supervisors in the period
    required: int  # the employees (FEW_EMPLOYEES) or other supervisors (FEW_OTHERS) needed
    reference: float | None = None  # the other supervisors' weighted median (adjusted) mean
    adjustment: Adjustment | None = None  # Hasil Kerja, where achievement figures are used
    expected: float | None = None  # reference + the adjustment's shift
    allowance: float | None = None  # half-width of the expected range
    z: float | None = None  # (mean - expected) in standard deviations of such a difference

    @property
    def low(self) -> float | None:
        if self.expected is None or self.allowance is None:
            return None
        return self.expected - self.allowance

    @property
    def high(self) -> float | None:
        if self.expected is None or self.allowance is None:
            return None
        return self.expected + self.allowance

    @property
    def flagged(self) -> bool:
        return self.standing in (Standing.ABOVE, Standing.BELOW)

    @property
    def params(self) -> Mapping[str, object]:
        """What `formatting.check_message` words the standing, the range (`rentang-wajar`), the
        adjustment (`penyesuaian-naik`, `penyesuaian-turun`) and the marks with."""
        params: dict[str, object] = {"jenis": self.jenis, "mean": self.mean}
        params |= {"employees": self.employees, "others_count": self.others_count}
        params |= {"min": self.required, "reference": self.reference, "expected": self.expected}
        params |= {"low": self.low, "high": self.high}
        if self.expected is not None:
            params["gap"] = abs(self.mean - self.expected)
        if self.adjustment is not None:
            a = self.adjustment
            params |= {"team_capaian": a.team, "centre": a.centre, "shift": abs(a.shift)}
        return params

    @property
    def adjustment_code(self) -> str | None:
        """The catalogue code that words the adjustment, None without one."""
        if self.adjustment is None:
            return None
        return "penyesuaian-naik" if self.adjustment.shift >= 0 else "penyesuaian-turun"


@dataclass(frozen=True)
class Flag:
    """Why a supervisor's scoring stands apart: a code of `findings.CHECK_CATALOGUE` and the
    numbers and names its sentence is made of (`formatting.check_message(code, params)`)."""

    code: str
    params: Mapping[str, object]
    jenis: Jenis | None = None


@dataclass(frozen=True)
class SupervisorStats:
    nip_penilai: str
    nama_penilai: str
    unit_kerja: str  # from the supervisor's roster entry; blank where the roster has none
    employees: int
    by_jenis: tuple[JenisStats, ...]  # Hasil Kerja, then Perilaku Kerja
    capaian: float | None  # mean achievement of the employees who reported figures (capped)
    capaian_reported: int  # employees who reported realisation against target
    scores: int  # criterion scores given
    spread: float  # standard deviation of the normalised criterion scores (0-100)
    top: int  # scores at the criterion's scale maximum
    top_noted: int  # ... of them with a note
    bottom_share: float  # share of scores at the scale minimum
    straight_lined: tuple[str, ...]  # names of employees with the same score on every criterion
    overrides: int  # ratings (Hasil or Perilaku) decided other than computed
    flags: tuple[Flag, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def top_share(self) -> float:
        return self.top / self.scores if self.scores else 0.0

    def jenis(self, jenis: Jenis) -> JenisStats:
        return next(j for j in self.by_jenis if j.jenis is jenis)


def _criteria(result: EmployeeResult) -> tuple[CriterionResult, ...]:
    return tuple(c for d in result.dimensions for c in d.criteria)


def _at_max(c: CriterionResult) -> bool:
    return c.normalised >= 100 - _EPS


def _at_min(c: CriterionResult) -> bool:
    return c.normalised <= _EPS


def is_straight_lined(result: EmployeeResult, min_criteria: int) -> bool:
    """Every criterion (at least `min_criteria`) got the same score, compared on the 0-100 scale
    so that a criterion on another scale does not hide it."""
    scores = [c.normalised for c in _criteria(result)]
    return len(scores) >= min_criteria and max(scores) - min(scores) <= _EPS


def supervisor_stats(
    outcome: PeriodOutcome, settings: Settings, tally: PeriodTally | None = None
) -> list[SupervisorStats]:
    """Per supervisor (by NIP Penilai), the marked first, then by name: the numbers of the
    `Kalibrasi` sheet and the marks. `tally`: the period's, where the caller has it already."""
    return list(calibrate(outcome, settings, tally)[0])


def calibrate(
    outcome: PeriodOutcome, settings: Settings, tally: PeriodTally | None = None
) -> tuple[tuple[SupervisorStats, ...], tuple[Spread, ...]]:
    """`supervisor_stats`, and per Jenis the spread their expected ranges were made of (none
    for a period without evaluated employees)."""
    if not outcome.results:
        return (), ()
    tally = tally_of(outcome, tally)
    figures = tally.employee_figures(settings.calibration_achievement_cap)
    by_supervisor = figures.groupby("nip_penilai", sort=False)
    spreads: list[Spread] = []
    standings: dict[Jenis, dict[str, JenisStats]] = {}
    for jenis, column in VALUE_COLUMNS.items():
        teams = {
            str(nip): [
                (float(y), None if math.isnan(x) else float(x))
                for y, x in zip(rows[column], rows["capaian"], strict=True)
            ]
            for nip, rows in by_supervisor
        }
        spread, standings[jenis] = compare_teams(jenis, teams, jenis is Jenis.HASIL, settings)
        spreads.append(spread)
    reported: dict[str, list[float]] = {}
    for nip, x in zip(figures["nip_penilai"], figures["capaian"], strict=True):
        if not math.isnan(x):
            reported.setdefault(str(nip), []).append(float(x))
    stats = []
    for nip, results in tally.supervisors().items():
        figures_of = reported.get(nip, [])
        capaian = fmean(figures_of) if figures_of else None
        by_jenis = tuple(standings[j][nip] for j in Jenis)
        stats.append(_one_supervisor(nip, results, by_jenis, capaian, len(figures_of), settings))
    stats.sort(key=lambda s: (not s.flagged, s.nama_penilai.casefold(), s.nip_penilai))
    return tuple(stats), tuple(spreads)


def _one_supervisor(
    nip: str,
    results: Sequence[EmployeeResult],
    by_jenis: tuple[JenisStats, ...],
    capaian: float | None,
    capaian_reported: int,
    settings: Settings,
) -> SupervisorStats:
    scored = [c for r in results for c in _criteria(r)]
    normalised = [c.normalised for c in scored]
    straight = tuple(
        r.employee.nama
        for r in results
        if is_straight_lined(r, settings.calibration_straight_line_min_criteria)
    )
    top = [c for c in scored if _at_max(c)]
    top_noted = sum(1 for c in top if c.catatan.strip())
    flags = [
        Flag(
            "nilai-tinggi" if js.standing is Standing.ABOVE else "nilai-rendah", js.params, js.jenis
        )
        for js in by_jenis
        if js.flagged
    ]
    judged = len(results) >= _min_employees(settings)  # (a) says so in its standing
    straight_limit = settings.calibration_straight_line_share
    if judged and len(straight) > straight_limit * len(results):
        params: dict[str, object] = {"count": len(straight), "employees": len(results)}
        params |= {"names": straight, "limit": straight_limit * 100}
        flags.append(Flag("nilai-seragam", params))
    top_limit = settings.calibration_top_share
    if judged and len(top) > top_limit * len(scored):
        params = {"count": len(top), "scores": len(scored), "noted": top_noted}
        params |= {"percent": len(top) / len(scored) * 100, "limit": top_limit * 100}
        flags.append(Flag("nilai-tertinggi-dominan", params))
    first = results[0]
    return SupervisorStats(
        nip_penilai=nip,
        nama_penilai=first.penilai.nama_penilai,
        unit_kerja=first.atasan.unit_kerja if first.atasan is not None else "",
        employees=len(results),
        by_jenis=by_jenis,
        capaian=capaian,
        capaian_reported=capaian_reported,
        scores=len(scored),
        spread=pstdev(normalised) if normalised else 0.0,
        top=len(top),
        top_noted=top_noted,
        bottom_share=sum(1 for c in scored if _at_min(c)) / len(scored) if scored else 0.0,
        straight_lined=straight,
        overrides=sum(1 for r in results for d in r.dimensions if d.overridden),
        flags=tuple(flags),
    )


def marking_rules(settings: Settings) -> dict[str, object]:
    """The settings a supervisor's marks depend on, for the sentences that state the rules
    (`aturan-penandaan`, `capaian-tim`)."""
    return {
        "min_employees": _min_employees(settings),
        "straight": settings.calibration_straight_line_share * 100,
        "top": settings.calibration_top_share * 100,
        "cap": settings.calibration_achievement_cap,
    }


def _min_employees(settings: Settings) -> int:
    """A pattern needs two employees at the very least, whatever the setting says."""
    return max(settings.calibration_min_employees, 2)


# --- the expected range --------------------------------------------------------------------------

Team = Sequence[tuple[float, float | None]]  # per employee: Nilai, achievement (None: unreported)


def compare_teams(
    jenis: Jenis, teams: Mapping[str, Team], use_achievement: bool, settings: Settings
) -> tuple[Spread, dict[str, JenisStats]]:
    """Each team's mean Nilai of `jenis` against the range expected for it (see the module's
    docstring), and the spread the ranges were made of. `teams`: per supervisor (at least one),
    every employee's Nilai and achievement; `use_achievement`: adjust for the achievement where
    the period's figures allow it."""
    slope, slope_employees = (
        _within_slope(teams, settings.calibration_achievement_min_employees)
        if use_achievement
        else (None, 0)
    )
    reported = [x for team in teams.values() for _, x in team if x is not None and use_achievement]
    centre = fmean(reported) if reported else None
    b, c = slope or 0.0, centre or 0.0
    n = {k: len(team) for k, team in teams.items()}
    means = {k: fmean(y for y, _ in team) for k, team in teams.items()}
    xbar = {k: fmean(c if x is None else x for _, x in team) for k, team in teams.items()}
    adjusted = {k: means[k] - b * (xbar[k] - c) for k in teams}
    squares = sum(
        ((y - means[k]) - b * ((c if x is None else x) - xbar[k])) ** 2
        for k, team in teams.items()
        for y, x in team
    )
    df = sum(size - 1 for size in n.values()) - (1 if slope is not None else 0)
    sigma2 = squares / df if df > 0 else 0.0

    def variance(k: str, tau2: float) -> float:
        return max(tau2 + sigma2 / n[k], _EPS)

    def references(tau2: float) -> dict[str, tuple[float, float]]:
        """Per supervisor, the other supervisors' precision-weighted median (adjusted) mean and
        its variance (a median's: pi/2 times a weighted mean's). A median, so that a lenient or a
        harsh colleague does not move everybody's reference."""
        weights = {k: 1 / variance(k, tau2) for k in teams}
        total = sum(weights.values())
        medians = _others_medians(adjusted, weights)
        return {k: (medians[k], math.pi / 2 / (total - weights[k])) for k in medians}

    multi = [k for k in teams if n[k] >= 2]
    estimate = _robust_tau2(multi, adjusted, variance, references) if len(multi) >= 3 else 0.0
    typical, weight = settings.calibration_typical_sd, settings.calibration_typical_weight
    tau2 = (len(multi) * estimate + weight * typical**2) / max(len(multi) + weight, _EPS)
    spread = Spread(
        jenis,
        sigma=math.sqrt(sigma2),
        tau=math.sqrt(tau2),
        tau_estimate=math.sqrt(estimate),
        supervisors=len(multi),
        typical=typical,
        typical_weight=weight,
        considers_achievement=use_achievement,
        slope=slope,
        slope_employees=slope_employees,
        slope_min_employees=settings.calibration_achievement_min_employees,
        centre=centre,
        threshold=settings.calibration_z_threshold,
        min_difference=settings.calibration_min_difference,
    )
    others = len(teams) - 1
    levels = references(tau2) if others else {}
    stats: dict[str, JenisStats] = {}
    for k in teams:
        if n[k] < _min_employees(settings):
            stats[k] = JenisStats(
                jenis, means[k], n[k], Standing.FEW_EMPLOYEES, others, _min_employees(settings)
            )
            continue
        if others < max(settings.calibration_min_others, 1):
            stats[k] = JenisStats(
                jenis,
                means[k],
                n[k],
                Standing.FEW_OTHERS,
                others,
                max(settings.calibration_min_others, 1),
            )
            continue
        level, level_variance = levels[k]
        adjustment = None
        if slope is not None and centre is not None:
            adjustment = Adjustment(xbar[k], centre, slope, slope * (xbar[k] - centre))
        expected = level + (adjustment.shift if adjustment else 0.0)
        se = math.sqrt(variance(k, tau2) + level_variance)
        allowance = max(settings.calibration_z_threshold * se, settings.calibration_min_difference)
        difference = means[k] - expected
        standing = Standing.WITHIN
        if abs(difference) > allowance:
            standing = Standing.ABOVE if difference > 0 else Standing.BELOW
        stats[k] = JenisStats(
            jenis,
            means[k],
            n[k],
            standing,
            others,
            0,
            reference=level,
            adjustment=adjustment,
            expected=expected,
            allowance=allowance,
            z=difference / se,
        )
    return spread, stats


def _others_medians(values: Mapping[str, float], weights: Mapping[str, float]) -> dict[str, float]:
    """For each key of `weights` (two or more), the weighted median of the other keys' `values`:
    the value below and above which lies at most half of their weight, or the midpoint of the two
    middle values where the halves meet exactly. One sort for all of them (the period may have
    a thousand supervisors)."""
    order = sorted(weights, key=lambda k: (values[k], k))
    cumulative = list(accumulate(weights[k] for k in order))
    total, last = cumulative[-1], len(order) - 1
    tolerance = 1e-12 * total
    medians: dict[str, float] = {}
    for p, k in enumerate(order):
        w = weights[k]
        half = (total - w) / 2
        # The first position i (not p) whose weight at or below it, without k's, reaches half.
        i = bisect_left(cumulative, half - tolerance, 0, p)
        if i == p:
            i = min(bisect_left(cumulative, half - tolerance + w, p + 1), last)
        if i == p:  # k is the last; only when rounding kept everyone else below half
            i -= 1
        below = cumulative[i] - (w if i > p else 0.0)
        following = i + 1 if i + 1 != p else i + 2
        if abs(below - half) <= tolerance and following <= last:
            medians[k] = (values[order[i]] + values[order[following]]) / 2
        else:
            medians[k] = values[order[i]]
    return medians


def _within_slope(teams: Mapping[str, Team], min_employees: int) -> tuple[float | None, int]:
    """Nilai points per point of achievement among employees of the same supervisor (pooled
    within teams, so that supervisors' own tendencies do not enter it), and how many employees
    it came from. None where fewer than `min_employees` reported figures in teams of two or
    more, or where achievement and Nilai do not rise together within teams."""
    sxx = sxy = 0.0
    used = 0
    for team in teams.values():
        pairs = [(y, x) for y, x in team if x is not None]
        if len(pairs) < 2:
            continue
        my, mx = fmean(y for y, _ in pairs), fmean(x for _, x in pairs)
        sxx += sum((x - mx) ** 2 for _, x in pairs)
        sxy += sum((x - mx) * (y - my) for y, x in pairs)
        used += len(pairs)
    if used < min_employees or sxx <= _EPS or sxy <= 0:
        return None, used
    return sxy / sxx, used


def _robust_tau2(
    keys: Sequence[str],
    adjusted: Mapping[str, float],
    variance: Callable[[str, float], float],
    references: Callable[[float], Mapping[str, tuple[float, float]]],
) -> float:
    """tau² as the period's supervisors alone show it: chosen so that the median of their
    squared standardised distances from the others' reference is the median of a chi-squared
    variable with one degree of freedom, as it would be if every supervisor were ordinary. A
    median, not a sum: a few supervisors far apart barely move it. 0 where the distances are no
    larger than the employees' own spread explains."""

    def median_distance(tau2: float) -> float:
        levels = references(tau2)
        return median(
            (adjusted[k] - levels[k][0]) ** 2 / (variance(k, tau2) + levels[k][1]) for k in keys
        )

    if median_distance(0.0) <= _CHI2_1_MEDIAN:
        return 0.0
    width = max(adjusted[k] for k in keys) - min(adjusted[k] for k in keys)
    low, high = 0.0, width**2 / _CHI2_1_MEDIAN + _EPS
    for _ in range(60):  # bisection, to far below a hundredth of a point
        middle = (low + high) / 2
        if median_distance(middle) > _CHI2_1_MEDIAN:
            low = middle
        else:
            high = middle
    return (low + high) / 2


# --- distribution --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DistributionFinding:
    """One distribution rule checked on one scope (the whole organisation or one unit).

    `ok` is None where the scope has too few evaluated employees for shares to mean anything."""

    scope: str  # tally.INSTANSI_SCOPE or a unit's name
    evaluated: int
    rule: ShareRule
    count: int  # employees with a predikat the rule is about
    share: float | None  # count / evaluated
    ok: bool | None
    capaian: str = ""  # the scope's Capaian Kinerja Organisasi whose rules these are

    @property
    def code(self) -> str:
        """The rule's code in `findings.CHECK_CATALOGUE`: one per bound."""
        return f"distribusi-{self.rule.bound.value}"

    @property
    def params(self) -> Mapping[str, object]:
        return {"predikat": self.rule.predikat, "percent": self.rule.percent}


def match_organisation_predikat(label: str | None, rules: Mapping[str, object]) -> str | None:
    """The key of `rules` that `label` names, ignoring case and spacing; None if none does."""
    if not label:
        return None
    wanted = " ".join(label.split()).casefold()
    return next((k for k in rules if " ".join(k.split()).casefold() == wanted), None)


def organisation_predikat(outcome: PeriodOutcome, settings: Settings) -> str | None:
    """The organisation's Capaian Kinerja Organisasi for the period: the agency-wide row of
    `Capaian Organisasi`, else `Pengaturan`, else the configuration (`model.capaian_organisasi`)."""
    label = capaian_organisasi(
        outcome.criteria, None, outcome.periode, settings.predikat_organisasi
    )
    return match_organisation_predikat(label, settings.distribution_rules)


def rule_holds(rule: ShareRule, counts: Mapping[Predikat, int]) -> bool:
    """Whether the predikat counts of one scope satisfy the rule (exact arithmetic at the bounds)."""
    total = sum(counts.values())
    count = sum(counts.get(p, 0) for p in rule.predikat)
    if rule.bound is Bound.ADA:
        return count > 0
    if rule.bound is Bound.TERBANYAK:
        others = [n for p, n in counts.items() if p not in rule.predikat]
        return count > 0 and all(count >= n for n in others)
    share = Fraction(count, total) * 100 if total else Fraction(0)
    if rule.bound is Bound.MINIMAL:
        return share >= exact(rule.percent)
    return share <= exact(rule.percent)


def distribution_check(
    outcome: PeriodOutcome,
    organisation: str | None,
    settings: Settings,
    tally: PeriodTally | None = None,
) -> list[DistributionFinding]:
    """The rules of the organisation's capaian on the whole organisation, then on each unit
    (`PeriodTally.scopes`) the rules of that unit's own capaian for the period (its row of
    `Capaian Organisasi`, else `organisation`); a unit with fewer than `distribution_min_employees`
    evaluated employees is listed but not judged. A scope without a known capaian: no findings."""
    findings: list[DistributionFinding] = []
    for i, scope in enumerate(tally_of(outcome, tally).scopes()):
        label = organisation
        if i > 0:
            label = unit_capaian(outcome.criteria, scope.name, outcome.periode) or organisation
        key = match_organisation_predikat(label, settings.distribution_rules)
        if key is None:
            continue
        counts, total = scope.predikat, scope.evaluated
        judged = total > 0 and (i == 0 or total >= settings.distribution_min_employees)
        for rule in settings.distribution_rules[key]:
            count = sum(counts[p] for p in rule.predikat)
            findings.append(
                DistributionFinding(
                    scope=scope.name,
                    evaluated=total,
                    rule=rule,
                    count=count,
                    share=count / total if total else None,
                    ok=rule_holds(rule, counts) if judged else None,
                    capaian=key,
                )
            )
    return findings


# --- evidence ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceMismatch:
    """A self-reported realisation that contradicts the score on the same criterion."""

    code: str  # a key of findings.CHECK_CATALOGUE
    nip: str
    nama: str
    unit_kerja: str
    nip_penilai: str
    nama_penilai: str
    kode: str
    kriteria: str
    indikator: str
    target: float
    realisasi: float
    satuan: str
    percent: float
    nilai: float
    skala_min: float
    skala_maks: float
    limit_percent: float  # the setting the percentage was compared with
    source: Source  # the self-report's row

    @property
    def params(self) -> Mapping[str, object]:
        """What `formatting.check_message(code, params)` words the mismatch with."""
        return {"percent": self.percent, "limit": self.limit_percent}


def evidence_mismatches(outcome: PeriodOutcome, settings: Settings) -> list[EvidenceMismatch]:
    """Hasil Kerja criteria whose self-reported realisation is far below target but scored at the
    top of the scale, or at or above target but scored at the bottom; in roster order."""
    found: list[EvidenceMismatch] = []
    low, high = settings.evidence_low_percent, settings.evidence_high_percent
    for r in outcome.results:
        if r.report is None:
            continue
        by_code = {c.criterion.kode.casefold(): c for c in _criteria(r)}
        for a in r.report.achievements:
            scored = by_code.get(a.kode.casefold())
            percent = a.percent
            if scored is None or percent is None or a.target is None or a.realisasi is None:
                continue
            if percent < low and _at_max(scored):
                code, limit = "capaian-rendah-nilai-tertinggi", low
            elif percent >= high and _at_min(scored):
                code, limit = "capaian-tinggi-nilai-terendah", high
            else:
                continue
            c = scored.criterion
            found.append(
                EvidenceMismatch(
                    code=code,
                    nip=r.employee.nip,
                    nama=r.employee.nama,
                    unit_kerja=r.employee.unit_kerja,
                    nip_penilai=r.penilai.nip_penilai,
                    nama_penilai=r.penilai.nama_penilai,
                    kode=c.kode,
                    kriteria=c.nama,
                    indikator=a.indikator,
                    target=a.target,
                    realisasi=a.realisasi,
                    satuan=a.satuan,
                    percent=percent,
                    nilai=scored.nilai,
                    skala_min=c.skala_min,
                    skala_maks=c.skala_maks,
                    limit_percent=limit,
                    source=a.source,
                )
            )
    return found


# --- all checks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checks:
    """Everything the summary's `Kalibrasi`, `Distribusi` and `Bukti` sheets show."""

    supervisors: tuple[SupervisorStats, ...]
    spreads: tuple[Spread, ...]  # per Jenis, what the supervisors' expected ranges were made of
    rules: Mapping[str, object]  # the settings `aturan-penandaan` and `capaian-tim` are worded with
    organisation_predikat: str | None  # the key of settings.distribution_rules in force, if any
    distribution: tuple[DistributionFinding, ...]
    evidence: tuple[EvidenceMismatch, ...]

    @property
    def flagged_supervisors(self) -> tuple[SupervisorStats, ...]:
        return tuple(s for s in self.supervisors if s.flagged)

    @property
    def distribution_warnings(self) -> tuple[DistributionFinding, ...]:
        return tuple(d for d in self.distribution if d.ok is False)


def run_checks(
    outcome: PeriodOutcome, settings: Settings, tally: PeriodTally | None = None
) -> Checks:
    """Every check on the period. `tally`: the period's (`PeriodTally.of(outcome)`), where the
    caller has it already; it is built here otherwise."""
    tally = tally_of(outcome, tally)
    organisation = organisation_predikat(outcome, settings)
    supervisors, spreads = calibrate(outcome, settings, tally)
    return Checks(
        supervisors=supervisors,
        spreads=spreads,
        rules=marking_rules(settings),
        organisation_predikat=organisation,
        distribution=tuple(distribution_check(outcome, organisation, settings, tally)),
        evidence=tuple(evidence_mismatches(outcome, settings)),
    )
