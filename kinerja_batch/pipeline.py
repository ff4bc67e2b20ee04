"""The run: read the inbox, check it, compute each period, render the PDFs and the summary.

inbox files -> read -> validate (findings) -> evaluate (results) -> render (PDFs, summary workbook)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from kinerja_batch import compute
from kinerja_batch.evaluate import evaluate_period
from kinerja_batch.findings import Finding, RunStopped, Severity, blocked_nips, finding, sort_key
from kinerja_batch.model import (
    CriteriaSet,
    Employee,
    EmployeeOutcome,
    EmployeeResult,
    Periode,
    PeriodOutcome,
    ScoreSheet,
    SelfReport,
    Source,
    Status,
    unit_key,
)
from kinerja_batch.render.pdf import FeedbackRenderer, pdf_file_name
from kinerja_batch.render.summary import write_summary
from kinerja_batch.settings import Settings
from kinerja_batch.validate.criteria import check_weights, read_criteria
from kinerja_batch.validate.period import cross_check
from kinerja_batch.validate.reports import read_periode, read_score_sheet, read_self_report
from kinerja_batch.validate.roster import read_roster
from kinerja_batch.workbooks.guard import WorkbookError
from kinerja_batch.workbooks.kinds import (
    KIND_LABEL,
    PROP_KIND,
    PROP_VERSION,
    SHEETS,
    TEMPLATE_VERSION,
    Kind,
    compatible,
    kinds_of,
)
from kinerja_batch.workbooks.reader import Workbook, open_workbook

PDF_FOLDER = "umpan_balik"


class Progress(Protocol):
    """Where the pipeline reports progress; the CLI shows it as a bar."""

    def start(self, label: str, total: int) -> None: ...
    def advance(self) -> None: ...
    def finish(self) -> None: ...


class NoProgress:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass
class PersonFile:
    """A self-report or a score sheet, read and checked on its own."""

    name: str
    kind: Kind
    periode: Periode | None
    record: SelfReport | ScoreSheet | None
    findings: list[Finding]


@dataclass
class Inbox:
    criteria: CriteriaSet
    roster: list[Employee]
    person_files: list[PersonFile]
    findings: list[Finding]  # about files in general, the criteria and the roster
    files_seen: int


@dataclass
class PeriodReport:
    outcome: PeriodOutcome
    folder: Path
    summary_path: Path
    pdfs: list[Path]


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


# --- reading -------------------------------------------------------------------------------------


def inbox_files(inbox: Path, exclude: Sequence[Path] = ()) -> Iterator[Path]:
    """Every file in the inbox and its subfolders, in a stable order. Office lock files (`~$...`),
    hidden files and folders, and the excluded folders (the output, when it lies inside) are not
    inputs. Symbolic links to folders are not followed."""
    skip = {p.resolve() for p in exclude}
    for folder, dirs, files in os.walk(inbox, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith((".", "~$")) and (here / d).resolve() not in skip
        )
        for name in sorted(files):
            if not name.startswith((".", "~$")):
                yield here / name


def _outside(path: Path, root: Path) -> bool:
    """A symbolic link whose target lies outside the inbox."""
    return path.is_symlink() and not path.resolve().is_relative_to(root.resolve())


def load_inbox(
    inbox: Path | None,
    settings: Settings,
    progress: Progress,
    exclude: Sequence[Path] = (),
    standing: Sequence[Path] = (),
) -> Inbox:
    """Read and check every workbook of the inbox, plus `standing` files (the working folder's
    criteria and roster). Raises RunStopped when no meaningful result is possible."""
    files = (
        [(p, p.relative_to(inbox).as_posix()) for p in inbox_files(inbox, exclude)] if inbox else []
    )
    files += [(p, p.name) for p in dict.fromkeys(p.resolve() for p in standing)]
    findings: list[Finding] = []
    criteria_books: list[Workbook] = []
    roster_books: list[Workbook] = []
    person_books: list[tuple[Workbook, Kind]] = []
    progress.start("Membaca berkas", len(files))
    for path, name in files:
        progress.advance()
        if inbox is not None and _outside(path, inbox):
            findings.append(finding("tautan-luar", Source(name)))
            continue
        if path.suffix.lower() not in settings.supported_suffixes:
            findings.append(
                finding("format-tidak-didukung", Source(name), suffix=path.suffix or name)
            )
            continue
        try:
            book = open_workbook(path, name, _all_sheet_names(), settings.limits)
        except WorkbookError as e:
            findings.append(finding(e.code, Source(name), **e.params))
            continue
        kinds, kind_findings = _kinds(book)
        findings += kind_findings
        if Kind.KRITERIA in kinds:
            criteria_books.append(book)
        if Kind.PEGAWAI in kinds:
            roster_books.append(book)
        if kinds and kinds[0] in (Kind.LAPORAN, Kind.PENILAIAN):
            person_books.append((book, kinds[0]))
    progress.finish()

    criteria = _one_criteria_set(criteria_books, settings, findings)
    roster = _one_roster(roster_books, criteria, settings, findings)
    person_files = [_read_person_file(book, kind) for book, kind in person_books]
    return Inbox(criteria, roster, person_files, findings, len(files))


def _kinds(book: Workbook) -> tuple[list[Kind], list[Finding]]:
    """The workbook's kind: from its template properties when it was generated by `kinerja
    templat` (warning about other template versions), else from its sheets."""
    where = Source(book.name)
    by_sheets = kinds_of(book.sheet_names)
    template = book.properties.get(PROP_KIND)
    if template in {k.value for k in Kind} and Kind(template) in by_sheets:
        version = book.properties.get(PROP_VERSION, "")
        found: list[Finding] = []
        if version != str(TEMPLATE_VERSION):
            found.append(
                finding(
                    "templat-versi",
                    where,
                    value=version,
                    kind=KIND_LABEL[Kind(template)],
                    current=TEMPLATE_VERSION,
                )
            )
        return [Kind(template)], found
    if not by_sheets:
        sheets = ", ".join(book.sheet_names) or "tidak ada"
        return [], [finding("jenis-tidak-dikenal", where, sheets=sheets)]
    if not compatible(by_sheets):
        labels = ", ".join(KIND_LABEL[k] for k in by_sheets)
        return [], [finding("jenis-ganda", where, kinds=labels)]
    return by_sheets, []


def _all_sheet_names() -> list[str]:
    return [s for names in SHEETS.values() for s in names]


def _one_criteria_set(
    books: list[Workbook], settings: Settings, findings: list[Finding]
) -> CriteriaSet:
    if not books:
        raise RunStopped([*findings, finding("kriteria-tidak-ada", Source())])
    if len(books) > 1:
        files = ", ".join(b.name for b in books)
        raise RunStopped([*findings, finding("kriteria-ganda", Source(), files=files)])
    criteria, criteria_findings = read_criteria(books[0], settings)
    findings += criteria_findings
    if criteria is None:
        raise RunStopped(findings)
    return criteria


def _one_roster(
    books: list[Workbook], criteria: CriteriaSet, settings: Settings, findings: list[Finding]
) -> list[Employee]:
    if not books:
        raise RunStopped([*findings, finding("pegawai-tidak-ada", Source())])
    if len(books) > 1:
        files = ", ".join(b.name for b in books)
        raise RunStopped([*findings, finding("pegawai-ganda", Source(), files=files)])
    roster, roster_findings = read_roster(books[0], criteria, settings.weight_tolerance)
    findings += roster_findings
    if roster is None:
        raise RunStopped(findings)
    weight_problems = check_weights(criteria, {e.bidang for e in roster}, settings.weight_tolerance)
    if weight_problems:
        raise RunStopped([*findings, *weight_problems])
    return roster


def _read_person_file(book: Workbook, kind: Kind) -> PersonFile:
    record: SelfReport | ScoreSheet | None
    if kind is Kind.LAPORAN:
        record, findings = read_self_report(book)
    else:
        record, findings = read_score_sheet(book)
    periode = record.periode if record is not None else read_periode(book)
    return PersonFile(book.name, kind, periode, record, findings)


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


def document_id(result: EmployeeResult) -> str:
    """A short id that changes whenever anything shown in the PDF changes."""
    digest = hashlib.sha256(repr(result).encode("utf-8")).hexdigest()[:10].upper()
    return f"KB-{result.periode.key}-{result.employee.nip[-6:]}-{digest}"


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
) -> RunReport:
    """Process the inbox into `out/<periode>/`. Raises RunStopped when nothing meaningful can be
    computed; every other problem becomes a finding in the report."""
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
        report.periods.append(
            render_period(outcome, out / p.key, renderer, settings, progress, today)
        )
    return report


def render_period(
    outcome: PeriodOutcome,
    folder: Path,
    renderer: FeedbackRenderer,
    settings: Settings,
    progress: Progress,
    today: dt.date,
) -> PeriodReport:
    """Write the period's PDFs and summary workbook; PDFs left from an earlier run for employees
    who no longer have a result are removed, so the folder always matches the summary."""
    pdf_folder = folder / PDF_FOLDER
    averages = unit_averages(outcome.results, settings)
    written: list[Path] = []
    failed: list[Finding] = []
    progress.start(f"Membuat PDF {outcome.periode.label}", len(outcome.results))
    for result in outcome.results:
        path = pdf_folder / pdf_file_name(result.employee)
        try:
            renderer.write(
                result,
                path,
                instansi=outcome.criteria.nama_instansi,
                unit_average=averages.get(unit_key(result.employee.unit_kerja)),
                generated_on=today,
                document_id=document_id(result),
            )
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"[:300]
            nip = result.employee.nip
            failed.append(finding("render-gagal", result.employee.source, nip=nip, reason=reason))
        else:
            written.append(path)
        progress.advance()
    progress.finish()
    if failed:
        outcome = with_findings(outcome, failed)
    if pdf_folder.is_dir():
        keep = set(written)
        for stale in pdf_folder.glob("*.pdf"):
            if stale not in keep:
                stale.unlink()
    summary_path = folder / f"ringkasan_{outcome.periode.key}.xlsx"
    write_summary(outcome, summary_path)
    return PeriodReport(outcome, folder, summary_path, written)


def with_findings(outcome: PeriodOutcome, extra: Sequence[Finding]) -> PeriodOutcome:
    """The outcome with more findings; employees they block lose their result."""
    blocked = blocked_nips(extra)
    outcomes = tuple(
        EmployeeOutcome(o.employee, Status.DIBLOKIR, None) if o.employee.nip in blocked else o
        for o in outcome.outcomes
    )
    findings = tuple(sorted((*outcome.findings, *extra), key=sort_key))
    return replace(outcome, outcomes=outcomes, findings=findings)
