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
    doubled: set[str] = field(default_factory=set)  # NIPs with more than one self-report


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
        if nip not in out.reports and nip not in out.doubled:
            e = by_nip[nip]
            out.findings.append(finding("laporan-tidak-ada", e.source, value=nip, nip=nip))
    return out


def _or_sheet(source: Source, file: str, sheet: str) -> Source:
    """`source`, or the sheet where a record built without cell positions came from."""
    return source if source.file else Source(file, sheet)


def _first_rows(scores: Sequence[Score]) -> tuple[Source, int]:
    """Where a run of score rows starts (the first row's NIP cell) and how many rows it has."""
    first = min(scores, key=lambda s: _row_number(s.nip_source.cell or s.source.cell))
    return _or_sheet(first.nip_source, first.source.file, first.source.sheet), len(scores)


def _kode_cell(score: Score) -> Source:
    """The Kode Kriteria cell of a score's row (the Nilai cell for records without it)."""
    return score.kode_source if score.kode_source.file else score.source


def _row_number(cell: str) -> int:
    digits = "".join(ch for ch in cell if ch.isdigit())
    return int(digits) if digits else 0


def _check_reports(
    criteria: CriteriaSet,
    by_nip: dict[str, Employee],
    reports: Sequence[SelfReport],
    out: PeriodInputs,
) -> None:
    grouped: dict[str, list[SelfReport]] = defaultdict(list)
    for report in reports:
        employee = by_nip.get(report.nip)
        if employee is None:
            where = _or_sheet(report.nip_source, report.source_file, "Identitas")
            out.findings.append(finding("nip-tidak-dikenal", where, value=report.nip))
            continue
        grouped[report.nip].append(report)
    for nip, group in grouped.items():
        if len(group) > 1:
            # Reading resolves versions (loading.load_inbox, operations.gather), describing how
            # they differ; this guards callers that did not.
            files = ", ".join(sorted(r.source_file for r in group))
            for r in group:
                where = _or_sheet(r.nip_source, r.source_file, "Identitas")
                out.findings.append(
                    finding("laporan-ganda", where, nip=nip, files=files, difference="")
                )
            out.doubled.add(nip)
            continue
        report = group[0]
        employee = by_nip[nip]
        if report.nama and label_key(report.nama) != label_key(employee.nama):
            out.findings.append(
                finding(
                    "nama-tidak-cocok",
                    _or_sheet(report.nama_source, report.source_file, "Identitas"),
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
    scored_in: dict[str, list[tuple[ScoreSheet, list[Score]]]] = defaultdict(list)
    for sheet in sheets:
        per_employee: dict[str, list[Score]] = defaultdict(list)
        for score in sheet.scores:
            employee = by_nip.get(score.nip)
            if employee is None:
                where = _or_sheet(score.nip_source, score.source.file, score.source.sheet)
                out.findings.append(finding("nip-tidak-dikenal", where, value=score.nip))
                continue
            per_employee[score.nip].append(score)
        for nip, scores in per_employee.items():
            employee = by_nip[nip]
            if employee.nip_atasan != sheet.nip_penilai:
                atasan = by_nip.get(employee.nip_atasan or "")
                first, rows = _first_rows(scores)
                out.findings.append(
                    finding(
                        "penilai-bukan-atasan",
                        first,
                        value=nip,
                        nip=nip,
                        penilai=f"{sheet.nama_penilai or 'Penilai'} (NIP {sheet.nip_penilai})",
                        atasan=f"{atasan.nama} (NIP {atasan.nip})"
                        if atasan
                        else (employee.nip_atasan or "tidak ada"),
                        rows=rows,
                        first=first.cell,
                    )
                )
                continue
            checked = _check_scores(criteria, employee, scores, out.findings)
            scored_in[nip].append((sheet, scores))
            feedback = _feedback_for(sheet, nip, out.findings)
            out.assessments[nip] = Assessment(sheet, checked, feedback)
        _check_feedback_rows(sheet, set(per_employee), out.findings)
    for nip, group in scored_in.items():
        if len(group) > 1:
            # As for self-reports: reading resolves versions of one supervisor's workbook.
            files = ", ".join(sorted(s.source_file for s, _ in group))
            for _, scores in group:
                first, rows = _first_rows(scores)
                out.findings.append(
                    finding(
                        "penilaian-ganda",
                        first,
                        value=nip,
                        nip=nip,
                        files=files,
                        rows=rows,
                        first=first.cell,
                        difference="",
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
                    _kode_cell(score),
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
                    _kode_cell(score),
                    value=score.kode,
                    nip=nip,
                    kode=criterion.kode,
                    other=_kode_cell(checked[key]).cell,
                )
            )
            continue
        if score.nilai is None:
            if not score.unreadable:
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
        elif score.nilai == criterion.skala_min and not score.catatan.strip():
            findings.append(
                finding(
                    "nilai-terendah-tanpa-catatan",
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
        first, rows = _first_rows(scores)
        findings.append(
            finding(
                "nilai-tidak-lengkap",
                first,
                value=", ".join(missing),
                nip=nip,
                missing=", ".join(missing),
                rows=rows,
                first=first.cell,
            )
        )
    return checked


def _feedback_for(sheet: ScoreSheet, nip: str, findings: list[Finding]) -> Feedback | None:
    rows = [f for f in sheet.feedback if f.nip == nip]
    for extra in rows[1:]:
        findings.append(finding("umpan-balik-ganda", extra.source, value=nip, nip=nip))
    chosen = rows[0] if rows else None
    if chosen is None or not chosen.umpan_balik:
        # A row with a blank Umpan Balik is at fault in that cell; a missing row in the sheet.
        where = Source(sheet.source_file, "Umpan Balik")
        if chosen is not None:
            where = chosen.umpan_balik_source if chosen.umpan_balik_source.cell else chosen.source
        if chosen is not None and (chosen.override_hasil or chosen.override_perilaku):
            findings.append(finding("override-tanpa-alasan", where, nip=nip))
        else:
            findings.append(finding("umpan-balik-kosong", where, value=nip, nip=nip))
    return chosen


def _check_feedback_rows(sheet: ScoreSheet, scored: set[str], findings: list[Finding]) -> None:
    for fb in sheet.feedback:
        if fb.nip not in scored:
            findings.append(finding("umpan-balik-tanpa-nilai", fb.source, value=fb.nip))
