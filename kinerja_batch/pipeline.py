"""The run: read the inbox, check it, compute each period, render the PDFs and the summary.

inbox files -> read -> validate (findings) -> evaluate (results) -> render (PDFs, summary workbook)
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from kinerja_batch import __version__, compute
from kinerja_batch.calibration import Checks, run_checks
from kinerja_batch.documents.feedback import FeedbackRenderer, pdf_file_name
from kinerja_batch.documents.parallel import PdfJob, pdf_writer
from kinerja_batch.evaluate import evaluate_period
from kinerja_batch.findings import (
    Finding,
    RunStopped,
    Severity,
    Source,
    blocked_nips,
    finding,
    sort_key,
)
from kinerja_batch.loading import Inbox, NoProgress, Progress, load_inbox
from kinerja_batch.model import (
    EmployeeOutcome,
    EmployeeResult,
    Periode,
    PeriodOutcome,
    ScoreSheet,
    SelfReport,
    Status,
    TrendPoint,
    unit_key,
)
from kinerja_batch.settings import Settings
from kinerja_batch.sheets.summary import write_summary
from kinerja_batch.validate.period import cross_check

PDF_FOLDER = "umpan_balik"


@dataclass
class PeriodReport:
    outcome: PeriodOutcome
    folder: Path
    summary_path: Path
    pdfs: list[Path]  # every PDF of the period
    rendered: int  # how many of them this run wrote (the others had not changed)
    checks: Checks | None = None  # calibration, distribution and evidence checks for HR


@dataclass
class RunReport:
    files_seen: int
    periods: list[PeriodReport] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        """Every distinct finding of the run (general findings appear in each period)."""
        seen: dict[Finding, None] = {}
        for p in self.periods:
            seen.update(dict.fromkeys(p.outcome.findings))
        return list(seen)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings() if f.severity is severity)


# --- one period ----------------------------------------------------------------------------------


def periods_in(inbox: Inbox) -> list[Periode]:
    return sorted({pf.periode for pf in inbox.person_files if pf.periode is not None})


def assess(inbox: Inbox, periode: Periode, *, requested: bool) -> PeriodOutcome:
    """Validate across the period's files and compute every employee's outcome.

    Files stating another period are left out; when the user asked for this period (`requested`),
    each of them is reported, since the user may expect it to be used."""
    findings = list(inbox.findings)
    reports: list[SelfReport] = []
    sheets: list[ScoreSheet] = []
    for pf in inbox.person_files:
        if pf.periode is not None and pf.periode != periode:
            if not requested:
                continue
            findings.append(
                finding(
                    "periode-lain",
                    Source(pf.name, "Identitas"),
                    value=pf.periode.label,
                    found=pf.periode.label,
                    wanted=periode.label,
                )
            )
            continue
        findings += pf.findings
        if isinstance(pf.record, SelfReport):
            reports.append(pf.record)
        elif isinstance(pf.record, ScoreSheet):
            sheets.append(pf.record)
    inputs = cross_check(inbox.criteria, inbox.roster, reports, sheets)
    findings += inputs.findings
    return evaluate_period(periode, inbox.criteria, inbox.roster, inputs, findings)


def document_id(result: EmployeeResult, content: str) -> str:
    """A short id that changes whenever anything shown in the PDF changes."""
    return f"KB-{result.periode.key}-{result.employee.nip[-6:]}-{content[:10].upper()}"


def unit_averages(
    results: Sequence[EmployeeResult], settings: Settings
) -> dict[str, dict[str, float] | None]:
    rows = (
        (
            unit_key(r.employee.unit_kerja),
            {c.criterion.kode: c.normalised for d in r.dimensions for c in d.criteria},
        )
        for r in results
    )
    return compute.group_means(rows, settings.unit_average_min_employees)


# --- the whole run -------------------------------------------------------------------------------


def run(
    inbox: Path,
    out: Path,
    *,
    periode: Periode | None = None,
    settings: Settings,
    progress: Progress | None = None,
    today: dt.date | None = None,
    standing: Sequence[Path] = (),
    check_only: bool = False,
) -> RunReport:
    """Process the inbox into `out/<periode>/`. Raises RunStopped when nothing meaningful can be
    computed; every other problem becomes a finding in the report. `check_only` writes the summary
    (with its checks) and no PDF."""
    progress = progress or NoProgress()
    today = today or dt.date.today()
    loaded = load_inbox(inbox, settings, progress, exclude=[out], standing=standing)
    if not loaded.criteria.nama_instansi and settings.nama_instansi:
        loaded.criteria = replace(loaded.criteria, nama_instansi=settings.nama_instansi)
    periods = [periode] if periode is not None else periods_in(loaded)
    if not periods:
        raise RunStopped([*loaded.findings, finding("periode-tidak-ada", Source())])
    report = RunReport(files_seen=loaded.files_seen)
    renderer = FeedbackRenderer(settings)
    for p in periods:
        outcome = assess(loaded, p, requested=periode is not None)
        if check_only:
            report.periods.append(check_period(outcome, out / p.key, settings))
            continue
        report.periods.append(
            render_period(outcome, out / p.key, renderer, settings, progress, today)
        )
    return report


def check_period(outcome: PeriodOutcome, folder: Path, settings: Settings) -> PeriodReport:
    """`kinerja run --periksa`: the summary with every check, and no PDF (existing ones are left)."""
    summary_path = folder / f"ringkasan_{outcome.periode.key}.xlsx"
    checks = run_checks(outcome, settings)
    write_summary(outcome, summary_path, checks=checks)
    return PeriodReport(outcome, folder, summary_path, [], 0, checks)


class RenderMemory(Protocol):
    """What the working folder's history remembers about each PDF (see history.History)."""

    def rendered(self, periode: Periode, nip: str) -> tuple[str, dt.date] | None: ...
    def save_render(
        self, periode: Periode, nip: str, content: str, generated_on: dt.date
    ) -> None: ...
    def trends(self, upto: Periode, count: int) -> dict[str, tuple[TrendPoint, ...]]: ...


def render_period(
    outcome: PeriodOutcome,
    folder: Path,
    renderer: FeedbackRenderer,
    settings: Settings,
    progress: Progress,
    today: dt.date,
    memory: RenderMemory | None = None,
) -> PeriodReport:
    """Write the period's PDFs and summary workbook; PDFs left from an earlier run for employees
    who no longer have a result are removed, so the folder always matches the summary.

    With a `memory` (the working folder's history), PDFs show the employee's trend, the summary gets
    a `Tren` sheet, and a PDF whose content has not changed since it was written is left as it is.

    With `settings.workers` above one, worker processes write the PDFs (render/parallel.py); the
    files, findings and summary are the same as with one."""
    pdf_folder = folder / PDF_FOLDER
    averages = unit_averages(outcome.results, settings)
    trends = memory.trends(outcome.periode, settings.trend_periods) if memory else None
    instansi = outcome.criteria.nama_instansi
    written: dict[int, Path] = {}  # by the employee's place in the period, for a stable order
    contents: dict[int, str] = {}  # the digests of the PDFs being written
    rendered = 0
    failed: list[Finding] = []

    def jobs() -> Iterator[PdfJob]:
        """The PDFs to write; those unchanged since they were written are only counted."""
        for index, result in enumerate(outcome.results):
            path = pdf_folder / pdf_file_name(result.employee)
            nip = result.employee.nip
            unit_average = averages.get(unit_key(result.employee.unit_kerja))
            trend = trends.get(nip, ()) if trends is not None else ()
            content = _content_digest(renderer, result, instansi, unit_average, trend)
            earlier = memory.rendered(outcome.periode, nip) if memory else None
            if earlier is not None and earlier[0] == content and path.is_file():
                written[index] = path  # unchanged since it was written
                progress.advance()
                continue
            contents[index] = content
            yield PdfJob(
                index,
                result,
                path,
                instansi,
                unit_average,
                today,
                document_id(result, content),
                tuple(trend),
            )

    with pdf_writer(renderer, settings, len(outcome.results)) as write_all:
        progress.start(f"Membuat PDF {outcome.periode.label}", len(outcome.results))
        for job, reason in write_all(jobs()):
            progress.advance()
            content = contents.pop(job.index)
            nip = job.result.employee.nip
            if reason is not None:  # one employee's PDF must not stop the others
                failed.append(
                    finding("render-gagal", job.result.employee.source, nip=nip, reason=reason)
                )
                continue
            written[job.index] = job.path
            rendered += 1
            if memory:
                memory.save_render(outcome.periode, nip, content, today)
    progress.finish()
    if failed:
        outcome = with_findings(outcome, failed)
    if pdf_folder.is_dir():
        keep = set(written.values())
        for stale in pdf_folder.glob("*.pdf"):
            if stale not in keep:
                stale.unlink()
    summary_path = folder / f"ringkasan_{outcome.periode.key}.xlsx"
    checks = run_checks(outcome, settings)
    write_summary(outcome, summary_path, trends=trends, checks=checks)
    pdfs = [written[i] for i in sorted(written)]
    return PeriodReport(outcome, folder, summary_path, pdfs, rendered, checks)


def _content_digest(
    renderer: FeedbackRenderer,
    result: EmployeeResult,
    instansi: str,
    unit_average: Mapping[str, float] | None,
    trend: Sequence[TrendPoint],
) -> str:
    """A digest of everything a feedback PDF shows but its date and id: its HTML, rendered with a
    fixed date, plus the program's version."""
    html = renderer.render_html(
        result,
        instansi=instansi,
        unit_average=unit_average,
        generated_on=dt.date(2000, 1, 1),
        document_id="",
        trend=trend,
    )
    return hashlib.sha256(f"{__version__}\n{html}".encode()).hexdigest()


def with_findings(outcome: PeriodOutcome, extra: Sequence[Finding]) -> PeriodOutcome:
    """The outcome with more findings; employees they block lose their result."""
    blocked = blocked_nips(extra)
    outcomes = tuple(
        EmployeeOutcome(o.employee, Status.DIBLOKIR, None) if o.employee.nip in blocked else o
        for o in outcome.outcomes
    )
    findings = tuple(sorted((*outcome.findings, *extra), key=sort_key))
    return replace(outcome, outcomes=outcomes, findings=findings)
