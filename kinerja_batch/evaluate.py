"""One period's outcome: each roster employee's status, and the result where it can be computed.

Pure, like `compute`: it takes the checked inputs and findings and returns plain data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from kinerja_batch import compute
from kinerja_batch.findings import Finding, blocked_nips, finding, sort_key
from kinerja_batch.model import (
    CriteriaSet,
    Employee,
    EmployeeOutcome,
    EmployeeResult,
    Jenis,
    Periode,
    PeriodOutcome,
    Status,
    capaian_organisasi,
)
from kinerja_batch.settings import DEFAULT_SETTINGS, Settings
from kinerja_batch.validate.period import Assessment, PeriodInputs


def evaluate_employee(
    employee: Employee,
    periode: Periode,
    criteria: CriteriaSet,
    assessment: Assessment,
    inputs: PeriodInputs,
    atasan: Employee | None,
    method: str = "bobot",
) -> EmployeeResult:
    """Compute one employee's result from a complete, checked assessment, by `method` (`bobot` or
    `butir`, Settings.rating_method)."""
    fb = assessment.feedback
    overrides = {
        Jenis.HASIL: fb.override_hasil if fb else None,
        Jenis.PERILAKU: fb.override_perilaku if fb else None,
    }
    dims = {}
    for jenis in Jenis:
        scored = []
        special = {}
        for c in criteria.applicable(employee.bidang, jenis):
            score = assessment.scores[c.kode.casefold()]
            assert score.nilai is not None  # blank scores block the employee before this point
            scored.append((c, score.nilai, score.catatan))
            if score.ekspektasi_khusus:
                special[c.kode.casefold()] = score.ekspektasi_khusus
        dims[jenis] = compute.evaluate_dimension(
            jenis,
            scored,
            criteria.thresholds[jenis],
            overrides[jenis],
            method=method,
            ekspektasi_khusus=special,
        )
    hasil, perilaku = dims[Jenis.HASIL], dims[Jenis.PERILAKU]
    return EmployeeResult(
        employee=employee,
        periode=periode,
        hasil=hasil,
        perilaku=perilaku,
        predikat=compute.predikat(hasil.rating, perilaku.rating),
        feedback=fb,
        report=inputs.reports.get(employee.nip),
        penilai=assessment.sheet,
        atasan=atasan,
    )


def follow_unit_capaian(
    result: EmployeeResult, criteria: CriteriaSet, settings: Settings
) -> tuple[EmployeeResult, list[Finding]]:
    """The unit's Capaian Kinerja Organisasi on the result; for a unit head, Rating Hasil Kerja
    follows it (`settings.unit_head_ratings`; the supervisor's override still wins). A unit head
    whose unit has no capaian for the period keeps the computed rating, with a warning."""
    employee = result.employee
    capaian = capaian_organisasi(
        criteria, employee.unit_kerja, result.periode, settings.predikat_organisasi
    )
    result = dataclasses.replace(result, capaian_organisasi=capaian)
    if not employee.kepala_unit:
        return result, []
    follows = settings.unit_head_ratings.get(capaian or "")
    if follows is None:
        warning = finding(
            "capaian-kepala-unit-tidak-ada",
            employee.source,
            value=capaian or "",
            nip=employee.nip,
            unit=employee.unit_kerja,
            periode=result.periode.label,
        )
        return result, [warning]
    override = result.feedback.override_hasil if result.feedback else None
    hasil = dataclasses.replace(result.hasil, computed_rating=follows, rating=override or follows)
    followed = dataclasses.replace(
        result,
        hasil=hasil,
        predikat=compute.predikat(hasil.rating, result.perilaku.rating),
        hasil_follows_capaian=True,
    )
    return followed, []


def evaluate_period(
    periode: Periode,
    criteria: CriteriaSet,
    roster: Sequence[Employee],
    inputs: PeriodInputs,
    findings: Sequence[Finding],
    settings: Settings = DEFAULT_SETTINGS,
) -> PeriodOutcome:
    """`findings` are all findings that concern this period, including `inputs.findings`;
    ratings follow `settings.rating_method`. A unit head's Rating Hasil Kerja follows the unit's
    Capaian Kinerja Organisasi (`follow_unit_capaian`), whose warnings join `findings`."""
    method = settings.rating_method
    findings = list(findings)
    blocked = blocked_nips(findings)
    by_nip = {e.nip: e for e in roster}
    outcomes = []
    for employee in roster:
        assessment = inputs.assessments.get(employee.nip)
        if employee.nip in blocked:
            outcomes.append(EmployeeOutcome(employee, Status.DIBLOKIR, None))
        elif assessment is not None:
            atasan = by_nip.get(employee.nip_atasan or "")
            result = evaluate_employee(
                employee, periode, criteria, assessment, inputs, atasan, method
            )
            result, unit_findings = follow_unit_capaian(result, criteria, settings)
            findings += unit_findings
            outcomes.append(EmployeeOutcome(employee, Status.DINILAI, result))
        elif employee.nip in inputs.reports:
            outcomes.append(EmployeeOutcome(employee, Status.BELUM_DINILAI, None))
        else:
            outcomes.append(EmployeeOutcome(employee, Status.BELUM_ADA_LAPORAN, None))
    return PeriodOutcome(
        periode=periode,
        criteria=criteria,
        outcomes=tuple(outcomes),
        findings=tuple(sorted(findings, key=sort_key)),
        rating_method=method,
    )
