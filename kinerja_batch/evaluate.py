"""One period's outcome: each roster employee's status, and the result where it can be computed.

Pure, like `compute`: it takes the checked inputs and findings and returns plain data.
"""

from __future__ import annotations

from collections.abc import Sequence

from kinerja_batch import compute
from kinerja_batch.findings import Finding, blocked_nips, sort_key
from kinerja_batch.model import (
    CriteriaSet,
    Employee,
    EmployeeOutcome,
    EmployeeResult,
    Jenis,
    Periode,
    PeriodOutcome,
    Status,
)
from kinerja_batch.validate.period import Assessment, PeriodInputs


def evaluate_employee(
    employee: Employee,
    periode: Periode,
    criteria: CriteriaSet,
    assessment: Assessment,
    inputs: PeriodInputs,
    atasan: Employee | None,
) -> EmployeeResult:
    """Compute one employee's result from a complete, checked assessment."""
    fb = assessment.feedback
    overrides = {
        Jenis.HASIL: fb.override_hasil if fb else None,
        Jenis.PERILAKU: fb.override_perilaku if fb else None,
    }
    dims = {}
    for jenis in Jenis:
        scored = []
        for c in criteria.applicable(employee.bidang, jenis):
            score = assessment.scores[c.kode.casefold()]
            assert score.nilai is not None  # blank scores block the employee before this point
            scored.append((c, score.nilai, score.catatan))
        dims[jenis] = compute.evaluate_dimension(
            jenis, scored, criteria.thresholds[jenis], overrides[jenis]
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


def evaluate_period(
    periode: Periode,
    criteria: CriteriaSet,
    roster: Sequence[Employee],
    inputs: PeriodInputs,
    findings: Sequence[Finding],
) -> PeriodOutcome:
    """`findings` are all findings that concern this period, including `inputs.findings`."""
    blocked = blocked_nips(findings)
    by_nip = {e.nip: e for e in roster}
    outcomes = []
    for employee in roster:
        assessment = inputs.assessments.get(employee.nip)
        if employee.nip in blocked:
            outcomes.append(EmployeeOutcome(employee, Status.DIBLOKIR, None))
        elif assessment is not None:
            atasan = by_nip.get(employee.nip_atasan or "")
            result = evaluate_employee(employee, periode, criteria, assessment, inputs, atasan)
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
    )
