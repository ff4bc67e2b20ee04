"""Checks across the workbooks of one period: self-reports and score sheets against the roster and
the criteria. The result is, per employee, the inputs that may be used, and the findings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from kinerja_batch.findings import Finding, Source, finding
from kinerja_batch.model import (
    CriteriaSet,
    Employee,
    Feedback,
    Jenis,
    Score,
    ScoreSheet,
    SelfReport,
    bidang_key,
)
from kinerja_batch.parsing import label_key


@dataclass(frozen=True)
class Assessment:
    """What one supervisor's workbook says about one employee."""

    sheet: ScoreSheet
    scores: dict[str, Score]  # criterion kode (case-folded) -> the score
    feedback: Feedback | None


@dataclass
class PeriodInputs:
    reports: dict[str, SelfReport] = field(default_factory=dict)
    assessments: dict[str, Assessment] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


def cross_check(
    criteria: CriteriaSet,
    roster: Sequence[Employee],
    reports: Sequence[SelfReport],
    sheets: Sequence[ScoreSheet],
) -> PeriodInputs:
    out = PeriodInputs()
    by_nip = {e.nip: e for e in roster}
    _check_reports(criteria, by_nip, reports, out)
    _check_sheets(criteria, by_nip, sheets, out)
    for nip in out.assessments:
        if nip not in out.reports:
            e = by_nip[nip]
            out.findings.append(finding("laporan-tidak-ada", e.source, value=nip, nip=nip))
    return out


def _check_reports(
    criteria: CriteriaSet,
    by_nip: dict[str, Employee],
    reports: Sequence[SelfReport],
    out: PeriodInputs,
) -> None:
    grouped: dict[str, list[SelfReport]] = defaultdict(list)
    for report in reports:
        where = Source(report.source_file, "Identitas")
        employee = by_nip.get(report.nip)
        if employee is None:
            out.findings.append(finding("nip-tidak-dikenal", where, value=report.nip))
            continue
        grouped[report.nip].append(report)
    for nip, group in grouped.items():
        if len(group) > 1:
            files = ", ".join(sorted(r.source_file for r in group))
            for r in group:
                out.findings.append(
                    finding("laporan-ganda", Source(r.source_file), nip=nip, files=files)
                )
            continue
        report = group[0]
        employee = by_nip[nip]
        if report.nama and label_key(report.nama) != label_key(employee.nama):
            out.findings.append(
                finding(
                    "nama-tidak-cocok",
                    Source(report.source_file, "Identitas"),
                    value=report.nama,
                    nip=nip,
                    expected=employee.nama,
                )
            )
        hasil = criteria.applicable(employee.bidang, Jenis.HASIL)
        codes = {c.kode.casefold() for c in hasil}
        choices = ", ".join(c.kode for c in hasil)
        for a in report.achievements:
            if a.kode and a.kode.casefold() not in codes:
                out.findings.append(
                    finding(
                        "kode-capaian-tidak-berlaku",
                        a.source,
                        value=a.kode,
                        nip=nip,
                        bidang=employee.bidang,
                        choices=choices,
                    )
                )
        out.reports[nip] = report


def _check_sheets(
    criteria: CriteriaSet,
    by_nip: dict[str, Employee],
    sheets: Sequence[ScoreSheet],
    out: PeriodInputs,
) -> None:
    scored_in: dict[str, list[ScoreSheet]] = defaultdict(list)
    for sheet in sheets:
        per_employee: dict[str, list[Score]] = defaultdict(list)
        for score in sheet.scores:
            employee = by_nip.get(score.nip)
            if employee is None:
                out.findings.append(
                    finding("nip-tidak-dikenal", score.source.at(""), value=score.nip)
                )
                continue
            per_employee[score.nip].append(score)
        for nip, scores in per_employee.items():
            employee = by_nip[nip]
            if employee.nip_atasan != sheet.nip_penilai:
                atasan = by_nip.get(employee.nip_atasan or "")
                out.findings.append(
                    finding(
                        "penilai-bukan-atasan",
                        Source(sheet.source_file, "Identitas"),
                        value=nip,
                        nip=nip,
                        penilai=f"{sheet.nama_penilai or 'Penilai'} (NIP {sheet.nip_penilai})",
                        atasan=f"{atasan.nama} (NIP {atasan.nip})"
                        if atasan
                        else (employee.nip_atasan or "tidak ada"),
                    )
                )
                continue
            checked = _check_scores(criteria, employee, scores, out.findings)
            scored_in[nip].append(sheet)
            feedback = _feedback_for(sheet, nip, out.findings)
            out.assessments[nip] = Assessment(sheet, checked, feedback)
        _check_feedback_rows(sheet, set(per_employee), out.findings)
    for nip, group in scored_in.items():
        if len(group) > 1:
            files = ", ".join(sorted(s.source_file for s in group))
            for s in group:
                out.findings.append(
                    finding(
                        "penilaian-ganda", Source(s.source_file), value=nip, nip=nip, files=files
                    )
                )
            out.assessments.pop(nip, None)


def _check_scores(
    criteria: CriteriaSet, employee: Employee, scores: list[Score], findings: list[Finding]
) -> dict[str, Score]:
    applicable = {c.kode.casefold(): c for c in criteria.applicable(employee.bidang)}
    choices = ", ".join(c.kode for c in applicable.values())
    nip = employee.nip
    checked: dict[str, Score] = {}
    for score in scores:
        key = score.kode.casefold()
        criterion = applicable.get(key)
        if criterion is None:
            findings.append(
                finding(
                    "kode-nilai-tidak-berlaku",
                    score.source,
                    value=score.kode,
                    nip=nip,
                    bidang=employee.bidang,
                    choices=choices,
                )
            )
            continue
        scale = {"low": _num(criterion.skala_min), "high": _num(criterion.skala_maks)}
        if key in checked:
            findings.append(
                finding(
                    "nilai-ganda",
                    score.source,
                    value=score.kode,
                    nip=nip,
                    kode=criterion.kode,
                    other=checked[key].source.cell,
                )
            )
            continue
        if score.nilai is None:
            findings.append(
                finding("nilai-kosong", score.source, nip=nip, kode=criterion.kode, **scale)
            )
        elif not criterion.skala_min <= score.nilai <= criterion.skala_maks:
            findings.append(
                finding(
                    "nilai-di-luar-skala",
                    score.source,
                    value=_num(score.nilai),
                    nip=nip,
                    kode=criterion.kode,
                    **scale,
                )
            )
        checked[key] = score
    missing = [c.kode for k, c in applicable.items() if k not in checked]
    if missing and bidang_key(employee.bidang):
        sheet_source = Source(scores[0].source.file, scores[0].source.sheet)
        findings.append(
            finding(
                "nilai-tidak-lengkap",
                sheet_source,
                value=", ".join(missing),
                nip=nip,
                missing=", ".join(missing),
            )
        )
    return checked


def _feedback_for(sheet: ScoreSheet, nip: str, findings: list[Finding]) -> Feedback | None:
    rows = [f for f in sheet.feedback if f.nip == nip]
    for extra in rows[1:]:
        findings.append(finding("umpan-balik-ganda", extra.source, value=nip, nip=nip))
    chosen = rows[0] if rows else None
    if chosen is None or not chosen.umpan_balik:
        if chosen is not None and (chosen.override_hasil or chosen.override_perilaku):
            findings.append(finding("override-tanpa-alasan", chosen.source, nip=nip))
        else:
            where = chosen.source if chosen else Source(sheet.source_file, "Umpan Balik")
            findings.append(finding("umpan-balik-kosong", where, value=nip, nip=nip))
    return chosen


def _check_feedback_rows(sheet: ScoreSheet, scored: set[str], findings: list[Finding]) -> None:
    for fb in sheet.feedback:
        if fb.nip not in scored:
            findings.append(finding("umpan-balik-tanpa-nilai", fb.source, value=fb.nip))
