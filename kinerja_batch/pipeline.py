"""Building a period: the one way a period's outputs are put together.

inbox files -> read -> validate (findings) -> evaluate (results) -> checks -> records -> PDFs -> summary

`assess` turns what was read into a period's outcome (validate + compute). `build_period` makes the
outputs from an outcome, always in this order: HR's checks -> save the results (working folder) ->
render the PDFs -> save what was rendered -> the summary workbook. Rendering reports its own result
(the PDFs that exist, the employees whose PDF failed) beside the outcome, which it never changes.
The plain-folder run (`run`) and the working folder (`operations.py`) build every period with it;
`status` shows what `assess` gives, and `kirim` hands out what the records say was rendered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kinerja_batch import __version__
from kinerja_batch.calibration import Checks, run_checks
from kinerja_batch.documents.feedback import FeedbackRenderer
from kinerja_batch.documents.parallel import PdfFailure, PdfJob, pdf_writer
from kinerja_batch.evaluate import evaluate_period
from kinerja_batch.findings import (
    Finding,
    RunStopped,
    Source,
    finding,
    sort_key,
)
from kinerja_batch.fsutil import scratch_folder
from kinerja_batch.loading import Inbox, NoProgress, Progress, load_inbox
from kinerja_batch.model import (
    Employee,
    EmployeeResult,
    Periode,
    PeriodOutcome,
    ScoreSheet,
    SelfReport,
    TrendPoint,
    unit_key,
)
from kinerja_batch.paths import OutputPaths, PeriodPaths
from kinerja_batch.settings import DEFAULT_SETTINGS, Settings
from kinerja_batch.sheets.summary import write_summary
from kinerja_batch.tally import PeriodTally
from kinerja_batch.validate.period import cross_check

log = logging.getLogger("kinerja_batch")


# --- what a build reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """One employee's current feedback PDF."""

    nip: str
    path: Path
    content: str  # digest of everything the PDF shows but its date and id (see content_digest)
    written: bool  # written by this build (False: unchanged since an earlier run wrote it)


@dataclass(frozen=True)
class Rendering:
    """What rendering a period's PDFs did: the PDFs that exist now, in roster order, and a finding
    per employee whose PDF could not be made or written (retried by the next run)."""

    pdfs: tuple[Rendered, ...]
    failures: tuple[Finding, ...]

    @property
    def written(self) -> int:
        return sum(1 for r in self.pdfs if r.written)


@dataclass(frozen=True)
class PeriodReport:
    """One built period: the outcome as assessed, HR's checks, and what rendering did (None when
    the period was only checked, `run --periksa`)."""

    outcome: PeriodOutcome
    paths: PeriodPaths
    checks: Checks
    rendering: Rendering | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The outcome's findings and rendering's, in reading order."""
        failures = self.rendering.failures if self.rendering else ()
        return tuple(sorted((*self.outcome.findings, *failures), key=sort_key))

    @property
    def folder(self) -> Path:
        return self.paths.folder

    @property
    def summary_path(self) -> Path:
        return self.paths.summary

    @property
    def pdfs(self) -> list[Path]:
        return [r.path for r in self.rendering.pdfs] if self.rendering else []

    @property
    def rendered(self) -> int:
        """How many PDFs this build wrote (the others had not changed)."""
        return self.rendering.written if self.rendering else 0

    @property
    def without_pdf(self) -> tuple[Employee, ...]:
        """Evaluated employees who have no PDF yet (it failed; the next run tries again)."""
        if self.rendering is None:
            return ()
        have = {r.nip for r in self.rendering.pdfs}
        return tuple(r.employee for r in self.outcome.results if r.employee.nip not in have)


@dataclass
class RunReport:
    files_seen: int
    periods: list[PeriodReport] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        """Every distinct finding of the run (general findings appear in each period)."""
        seen: dict[Finding, None] = {}
        for p in self.periods:
            seen.update(dict.fromkeys(p.findings))
        return list(seen)


class PeriodRecords(Protocol):
    """What the working folder remembers of a period (history.RunRecords): its results, what each
    PDF was made from, and the employees' trends. A plain-folder run remembers nothing."""

    def save_results(self, outcome: PeriodOutcome) -> None: ...
    def rendered(self, periode: Periode, employee: Employee) -> Rendered | None: ...
    def save_render(self, periode: Periode, rendered: Rendered, generated_on: dt.date) -> None: ...
    def forget_render(self, periode: Periode, nip: str) -> None: ...
    def trends(self, upto: Periode, count: int) -> dict[str, tuple[TrendPoint, ...]]: ...


# --- assessing ----------------------------------------------------------------------------------


def periods_to_build(inbox: Inbox, periode: Periode | None) -> list[Periode]:
    """The period asked for, else every period the per-person workbooks state (RunStopped: none)."""
    if periode is not None:
        return [periode]
    periods = sorted({pf.periode for pf in inbox.person_files if pf.periode is not None})
    if not periods:
        raise RunStopped([*inbox.findings, finding("periode-tidak-ada", Source())])
    return periods


def assess(
    inbox: Inbox,
    periode: Periode,
    *,
    requested: bool,
    settings: Settings = DEFAULT_SETTINGS,
) -> PeriodOutcome:
    """Validate across the period's files and compute every employee's outcome, rated as the
    agency's `settings` say (`rating_method`, the unit heads' rule).

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
                    pf.periode_source if pf.periode_source.cell else Source(pf.name, "Identitas"),
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
    return evaluate_period(periode, inbox.criteria, inbox.roster, inputs, findings, settings)


def current_outcome(
    inbox: Path, settings: Settings, standing: Sequence[Path], periode: Periode | None
) -> PeriodOutcome:
    """A plain folder's period as it stands (the latest when none is given); writes nothing."""
    loaded = load_inbox(inbox, settings, NoProgress(), standing=standing)
    target = max(periods_to_build(loaded, periode))
    return assess(loaded, target, requested=periode is not None, settings=settings)


# --- building ------------------------------------------------------------------------------------


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
    """Process a plain folder into `out/<periode>/`. Raises RunStopped when nothing meaningful can
    be computed; every other problem becomes a finding in the report. `check_only` writes the
    summary (with its checks) and no PDF."""
    progress = progress or NoProgress()
    today = today or dt.date.today()
    loaded = load_inbox(inbox, settings, progress, exclude=[out], standing=standing)
    periods = periods_to_build(loaded, periode)
    report = RunReport(files_seen=loaded.files_seen)
    output = OutputPaths(out)
    with scratch_folder(), FeedbackRenderer(settings) as renderer:
        for p in periods:
            outcome = assess(loaded, p, requested=periode is not None, settings=settings)
            report.periods.append(
                build_period(
                    outcome,
                    output.period(p),
                    None if check_only else renderer,
                    settings,
                    progress,
                    today,
                )
            )
    return report


def build_period(
    outcome: PeriodOutcome,
    paths: PeriodPaths,
    renderer: FeedbackRenderer | None,
    settings: Settings,
    progress: Progress,
    today: dt.date,
    records: PeriodRecords | None = None,
) -> PeriodReport:
    """Make a period's outputs from its outcome: checks -> results saved (`records`) -> PDFs ->
    renders saved -> summary. Without a `renderer` the period is only checked (no PDF is made or
    removed). With `records` (the working folder's history) PDFs show the employee's trend, the
    summary gets a `Tren` sheet, and a PDF whose content has not changed is left as it is."""
    tally = PeriodTally.of(outcome)
    checks = run_checks(outcome, settings, tally)
    if records is not None:
        records.save_results(outcome)
    trends = records.trends(outcome.periode, settings.trend_periods) if records else None
    rendering = None
    if renderer is not None:
        means = tally.unit_criterion_means(settings.unit_average_min_employees)
        rendering = render_pdfs(
            outcome, paths, renderer, settings, progress, today, means, records, trends
        )
    report = PeriodReport(outcome, paths, checks, rendering)
    write_summary(
        outcome,
        paths.summary,
        trends=trends,
        checks=checks,
        findings=report.findings,
        tally=tally,
        unit_average_min_employees=settings.unit_average_min_employees,
    )
    return report


def render_pdfs(
    outcome: PeriodOutcome,
    paths: PeriodPaths,
    renderer: FeedbackRenderer,
    settings: Settings,
    progress: Progress,
    today: dt.date,
    averages: Mapping[str, Mapping[str, float] | None],
    records: PeriodRecords | None = None,
    trends: Mapping[str, Sequence[TrendPoint]] | None = None,
) -> Rendering:
    """Write every evaluated employee's PDF that is not current, report the ones that failed, and
    remove PDFs of employees who no longer have a current one, so the folder matches the summary.

    With `settings.workers` above one, worker processes write the PDFs (documents/parallel.py);
    the files and findings are the same as with one. `averages`: per unit (unit_key), the mean
    normalised score of each criterion the PDFs compare with (None for units too small;
    `tally.PeriodTally.unit_criterion_means`)."""
    instansi = outcome.criteria.nama_instansi
    current: dict[int, Rendered] = {}  # by the employee's place in the period: a stable order
    contents: dict[int, str] = {}  # the digests of the PDFs being written
    failures: list[Finding] = []
    periode = outcome.periode

    def jobs() -> Iterator[PdfJob]:
        """The PDFs to write; those unchanged since they were written are only counted."""
        for index, result in enumerate(outcome.results):
            path = paths.pdf(result.employee)
            nip = result.employee.nip
            unit_average = averages.get(unit_key(result.employee.unit_kerja))
            trend = tuple(trends.get(nip, ())) if trends is not None else ()
            content = content_digest(renderer, result, instansi, unit_average, trend)
            earlier = records.rendered(periode, result.employee) if records else None
            if earlier and earlier.content == content and earlier.path == path and path.is_file():
                current[index] = Rendered(nip, path, content, written=False)
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
                trend,
            )

    with pdf_writer(renderer, settings, len(outcome.results)) as write_all:
        progress.start(f"Membuat PDF {periode.label}", len(outcome.results))
        for job, failure in write_all(jobs()):
            progress.advance()
            content = contents.pop(job.index)
            nip = job.result.employee.nip
            if failure is not None:  # one employee's PDF must not stop the others
                failures.append(_failure_finding(job, failure))
                if records:
                    records.forget_render(periode, nip)
                continue
            rendered = Rendered(nip, job.path, content, written=True)
            current[job.index] = rendered
            if records:
                records.save_render(periode, rendered, today)
    progress.finish()
    _remove_stale(paths.pdf_folder, {r.path for r in current.values()})
    return Rendering(tuple(current[i] for i in sorted(current)), tuple(failures))


def missing_pdfs(outcome: PeriodOutcome, records: PeriodRecords) -> list[Employee]:
    """Evaluated employees without a current PDF: none recorded, or its file is gone."""
    missing = []
    for result in outcome.results:
        earlier = records.rendered(outcome.periode, result.employee)
        if earlier is None or not earlier.path.is_file():
            missing.append(result.employee)
    return missing


def _failure_finding(job: PdfJob, failure: PdfFailure) -> Finding:
    employee = job.result.employee
    return finding(
        failure.code, employee.source, nip=employee.nip, reason=failure.reason, path=job.path
    )


def _remove_stale(pdf_folder: Path, keep: set[Path]) -> None:
    """PDFs left from an earlier run for employees without a current PDF. Only regular files are
    removed; whatever else stands there (a folder named like a PDF) is left, and reported by the
    employee's own finding."""
    if not pdf_folder.is_dir():
        return
    for stale in pdf_folder.glob("*.pdf"):
        if stale in keep or stale.is_symlink() or not stale.is_file():
            continue
        try:
            stale.unlink()
        except OSError as error:  # the PDF stays; the summary does not list it
            log.warning("PDF lama tidak dapat dihapus: %s (%s)", stale, error)


# --- what a PDF shows ----------------------------------------------------------------------------


def document_id(result: EmployeeResult, content: str) -> str:
    """A short id that changes whenever anything shown in the PDF changes."""
    return f"KB-{result.periode.key}-{result.employee.nip[-6:]}-{content[:10].upper()}"


def content_digest(
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
