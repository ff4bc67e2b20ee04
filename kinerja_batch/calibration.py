"""Checks for HR on a computed period: how each supervisor scores compared with the others, how the
predikat are distributed against the organisation's predikat, and scores that contradict the
employee's own figures. Pure: plain data in, plain data out. Nothing here changes a result; every
check is information for HR to look into.

A check is a code and its numbers and names (`params`); its sentence is the template of the code in
`findings.CHECK_CATALOGUE`, rendered by `formatting.check_message`. Groups and means per unit and
per supervisor come from the period's tally (`tally.py`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import fmean, pstdev

from kinerja_batch.compute import exact
from kinerja_batch.findings import Source
from kinerja_batch.model import (
    CriterionResult,
    EmployeeResult,
    Jenis,
    PeriodOutcome,
    Predikat,
)
from kinerja_batch.settings import Bound, Settings, ShareRule
from kinerja_batch.tally import PeriodTally, tally_of

_EPS = 1e-9  # normalised scores are exact to far better than this

# --- supervisors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """Why a supervisor's scoring stands apart: a code of `findings.CHECK_CATALOGUE` and the
    numbers and names its sentence is made of (`formatting.check_message(code, params)`)."""

    code: str
    params: Mapping[str, object]
    jenis: Jenis | None = None


@dataclass(frozen=True)
class JenisStats:
    """One supervisor's mean Nilai of one Jenis beside the organisation's and the other
    supervisors'. `others_*` and `z` are None when there are too few others to compare with."""

    jenis: Jenis
    mean: float
    organisation_mean: float
    others_mean: float | None
    others_sd: float | None
    z: float | None


@dataclass(frozen=True)
class SupervisorStats:
    nip_penilai: str
    nama_penilai: str
    unit_kerja: str  # from the supervisor's roster entry; blank where the roster has none
    employees: int
    by_jenis: tuple[JenisStats, ...]  # Hasil Kerja, then Perilaku Kerja
    scores: int  # criterion scores given
    spread: float  # standard deviation of the normalised criterion scores (0-100)
    top_share: float  # share of scores at the criterion's scale maximum
    bottom_share: float  # ... at its minimum
    straight_lined: tuple[str, ...]  # names of employees with the same score on every criterion
    overrides: int  # ratings (Hasil or Perilaku) decided other than computed
    unexplained_minimum: int  # scores at the scale minimum without a note
    unexplained_maximum: int  # scores at the scale maximum without a note
    flags: tuple[Flag, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def unexplained_extremes(self) -> int:
        return self.unexplained_minimum + self.unexplained_maximum

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
    """Per supervisor (by NIP Penilai), the flagged first, then by name: the numbers of the
    `Kalibrasi` sheet and the flags. A supervisor's mean Nilai per Jenis is compared with the mean
    and the standard deviation of the other supervisors' means, counting only supervisors with
    enough employees. `tally`: the period's, where the caller has it already."""
    if not outcome.results:
        return []
    tally = tally_of(outcome, tally)
    groups = tally.supervisors()
    organisation = tally.mean_values()
    means = tally.supervisor_means()
    eligible = {nip for nip, rs in groups.items() if len(rs) >= settings.calibration_min_employees}
    stats = [
        _one_supervisor(nip, rs, organisation, means, eligible, settings)
        for nip, rs in groups.items()
    ]
    return sorted(stats, key=lambda s: (not s.flagged, s.nama_penilai.casefold(), s.nip_penilai))


def _one_supervisor(
    nip: str,
    results: Sequence[EmployeeResult],
    organisation: Mapping[Jenis, float],
    means: Mapping[str, Mapping[Jenis, float]],
    eligible: set[str],
    settings: Settings,
) -> SupervisorStats:
    scored = [c for r in results for c in _criteria(r)]
    normalised = [c.normalised for c in scored]
    straight = tuple(
        r.employee.nama
        for r in results
        if is_straight_lined(r, settings.calibration_straight_line_min_criteria)
    )
    unexplained_min = sum(1 for c in scored if _at_min(c) and not c.catatan.strip())
    unexplained_max = sum(1 for c in scored if _at_max(c) and not c.catatan.strip())
    by_jenis = tuple(
        _jenis_stats(nip, j, organisation[j], means, eligible, settings) for j in Jenis
    )
    flags = [f for js in by_jenis if (f := _mean_flag(js, nip in eligible, settings))]
    if straight:
        flags.append(Flag("nilai-seragam", {"count": len(straight), "names": straight}))
    bottom_limit = settings.calibration_max_unexplained_minimum
    if unexplained_min > bottom_limit:
        flags.append(
            Flag("terendah-tanpa-catatan", {"count": unexplained_min, "limit": bottom_limit})
        )
    top_limit = settings.calibration_max_unexplained_top_share
    if scored and (top_share := unexplained_max / len(scored)) > top_limit:
        top: dict[str, object] = {"count": unexplained_max, "scores": len(scored)}
        top |= {"percent": top_share * 100, "limit": top_limit * 100}  # percent of all scores
        flags.append(Flag("tertinggi-tanpa-catatan", top))
    first = results[0]
    return SupervisorStats(
        nip_penilai=nip,
        nama_penilai=first.penilai.nama_penilai,
        unit_kerja=first.atasan.unit_kerja if first.atasan is not None else "",
        employees=len(results),
        by_jenis=by_jenis,
        scores=len(scored),
        spread=pstdev(normalised) if normalised else 0.0,
        top_share=sum(1 for c in scored if _at_max(c)) / len(scored) if scored else 0.0,
        bottom_share=sum(1 for c in scored if _at_min(c)) / len(scored) if scored else 0.0,
        straight_lined=straight,
        overrides=sum(1 for r in results for d in r.dimensions if d.overridden),
        unexplained_minimum=unexplained_min,
        unexplained_maximum=unexplained_max,
        flags=tuple(flags),
    )


def _jenis_stats(
    nip: str,
    jenis: Jenis,
    organisation_mean: float,
    means: Mapping[str, Mapping[Jenis, float]],
    eligible: set[str],
    settings: Settings,
) -> JenisStats:
    mean = means[nip][jenis]
    others = [means[other][jenis] for other in sorted(eligible - {nip})]
    if len(others) < max(settings.calibration_min_others, 2):
        return JenisStats(jenis, mean, organisation_mean, None, None, None)
    others_mean, others_sd = fmean(others), pstdev(others)
    if others_sd > _EPS:
        z = (mean - others_mean) / others_sd
    else:  # the others agree exactly: any difference is infinitely many deviations
        z = 0.0 if abs(mean - others_mean) <= _EPS else math.copysign(math.inf, mean - others_mean)
    return JenisStats(jenis, mean, organisation_mean, others_mean, others_sd, z)


def _mean_flag(js: JenisStats, eligible: bool, settings: Settings) -> Flag | None:
    if not eligible or js.z is None or js.others_mean is None:
        return None
    difference = js.mean - js.others_mean
    if abs(js.z) <= settings.calibration_sd_threshold:
        return None
    if abs(difference) < settings.calibration_min_difference:
        return None
    code = "nilai-tinggi" if difference > 0 else "nilai-rendah"
    params = {
        "jenis": js.jenis,
        "mean": js.mean,
        "others": js.others_mean,
        "z": abs(js.z),  # standard deviations from the others' mean; infinite if they all agree
        "limit": settings.calibration_sd_threshold,
        "points": settings.calibration_min_difference,
    }
    return Flag(code, params, js.jenis)


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
    """The organisation's predikat: the criteria workbook's `Pengaturan`, else the configuration."""
    label = outcome.criteria.predikat_organisasi or settings.predikat_organisasi
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
    """Each rule for the organisation's predikat, on the whole organisation and then on each unit
    (`PeriodTally.scopes`); a unit with fewer than `distribution_min_employees` evaluated employees
    is listed but not judged. No rules (an unknown or missing organisation predikat): no findings."""
    key = match_organisation_predikat(organisation, settings.distribution_rules)
    if key is None:
        return []
    rules = settings.distribution_rules[key]
    findings: list[DistributionFinding] = []
    for i, scope in enumerate(tally_of(outcome, tally).scopes()):
        counts, total = scope.predikat, scope.evaluated
        judged = total > 0 and (i == 0 or total >= settings.distribution_min_employees)
        for rule in rules:
            count = sum(counts[p] for p in rule.predikat)
            findings.append(
                DistributionFinding(
                    scope=scope.name,
                    evaluated=total,
                    rule=rule,
                    count=count,
                    share=count / total if total else None,
                    ok=rule_holds(rule, counts) if judged else None,
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
    return Checks(
        supervisors=tuple(supervisor_stats(outcome, settings, tally)),
        organisation_predikat=organisation,
        distribution=tuple(distribution_check(outcome, organisation, settings, tally)),
        evidence=tuple(evidence_mismatches(outcome, settings)),
    )
