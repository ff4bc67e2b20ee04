"""Monthly operation in a working folder (`kinerja init`): the drop folder, the archive, history.

Every run reads the working folder's criteria and roster, every accepted input (kept in `arsip/`)
and every file in `inbox/`; builds each period from the newest version of each person's workbook;
writes outputs only for periods whose inputs changed; and then moves each inbox file it used into
`arsip/<periode>/` (after that period's outputs are written). A file with blocking findings stays in
the inbox with a findings file beside it, so HR can fix it in place. One run at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from kinerja_batch import __version__
from kinerja_batch.annual import suggest_annual
from kinerja_batch.config import WorkspaceConfig
from kinerja_batch.documents.annual import AnnualRenderer
from kinerja_batch.documents.feedback import FeedbackRenderer
from kinerja_batch.findings import Finding, RunStopped, Severity, Source, finding, sort_key
from kinerja_batch.fsutil import atomic_path, atomic_write_bytes, scratch_folder, sha256_of
from kinerja_batch.history import History, StoredInput
from kinerja_batch.loading import (
    FINDINGS_SUFFIX,
    Inbox,
    NoProgress,
    PersonFile,
    Progress,
    inbox_files,
    load_files,
)
from kinerja_batch.lock import exclusive
from kinerja_batch.model import Employee, Periode, PeriodOutcome, TrendPoint
from kinerja_batch.paths import DB_NAME, TEMPORARY_SUFFIX, WorkspacePaths
from kinerja_batch.pipeline import (
    PeriodReport,
    Rendered,
    assess,
    build_period,
    missing_pdfs,
    periods_to_build,
)
from kinerja_batch.recovery import check_history
from kinerja_batch.settings import Settings
from kinerja_batch.sheets.annual import write_annual_summary

log = logging.getLogger("kinerja_batch")


@dataclass(frozen=True)
class Incoming:
    """An inbox file as this run read it: once, so what is hashed, read and archived is one and
    the same set of bytes, whatever happens to the file in the inbox meanwhile."""

    path: Path
    name: str  # as shown to users: inbox/<relative path>
    sha256: str
    kept: Path  # where those bytes are kept for the run (or `path` where they could not be)
    mtime_ns: int  # when the file was last saved, as read


def _read_incoming(path: Path, name: str, staging: Path | None, limit: int) -> Incoming:
    """Read an inbox file once into the run's staging folder. Symbolic links and files over the
    size limit are left where they are: reading reports them without opening them."""
    stat = path.stat()
    if staging is None or path.is_symlink() or stat.st_size > limit:
        return Incoming(path, name, sha256_of(path), path, stat.st_mtime_ns)
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    kept = staging / sha256 / path.name
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(data)
    return Incoming(path, name, sha256, kept, stat.st_mtime_ns)


@dataclass
class WorkspaceReport:
    files_seen: int
    built: list[PeriodReport] = field(default_factory=list)
    unchanged: list[Periode] = field(default_factory=list)
    outcomes_findings: list[Finding] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # blocked: left in the inbox with findings
    duplicates: list[str] = field(default_factory=list)
    # saved again during the run: left in the inbox for the next
    changed: list[str] = field(default_factory=list)
    log_path: Path | None = None


def run_workspace(
    config: WorkspaceConfig,
    settings: Settings,
    *,
    periode: Periode | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> WorkspaceReport:
    progress = progress or NoProgress()
    now = now or dt.datetime.now()
    paths = config.paths
    with (
        exclusive(paths.lock, now),
        _run_log(paths, now) as log_path,
        scratch_folder() as scratch,
    ):
        history = _trusted_history(paths)
        run_id = history.start_run(now)
        try:
            report = _run(config, settings, periode, progress, now, history, run_id, scratch)
        except BaseException as error:
            # Ctrl-C, and SIGTERM (the CLI raises it as a KeyboardInterrupt): stopped, not failed.
            stopped = isinstance(error, KeyboardInterrupt)
            status = "dihentikan" if stopped else "gagal"
            history.finish_run(run_id, dt.datetime.now(), status, type(error).__name__)
            if stopped:
                log.warning("Proses dihentikan (%s)", str(error) or type(error).__name__)
            else:
                log.exception("Proses berhenti: %s", error)
            raise
        finally:
            history.close()
        report.log_path = log_path
        return report


def _trusted_history(paths: WorkspacePaths) -> History:
    """The working folder's history, once it is known to match the archive (HistoryProblem)."""
    history = History(paths.database)
    try:
        check_history(paths, history)
    except BaseException:
        history.close()
        raise
    return history


@contextmanager
def _run_log(paths: WorkspacePaths, now: dt.datetime) -> Iterator[Path]:
    paths.logs.mkdir(exist_ok=True)
    path = paths.log_file(now)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        yield path
    finally:
        log.removeHandler(handler)
        handler.close()


class RunRecords:
    """The history as one run's records of its periods (pipeline.PeriodRecords): results saved
    under the run, PDFs recorded with their place in the working folder."""

    def __init__(self, history: History, run_id: int, paths: WorkspacePaths) -> None:
        self.history, self.run_id, self.paths = history, run_id, paths

    def save_results(self, outcome: PeriodOutcome) -> None:
        with self.history.transaction():
            self.history.save_results(outcome, self.run_id)

    def rendered(self, periode: Periode, employee: Employee) -> Rendered | None:
        stored = self.history.rendered(periode, employee.nip)
        if stored is None:
            return None
        path = self.paths.recorded_pdf(periode, employee, stored.file)
        return Rendered(employee.nip, path, stored.content, written=False)

    def save_render(self, periode: Periode, rendered: Rendered, generated_on: dt.date) -> None:
        file = self.paths.relative(rendered.path)
        self.history.save_render(periode, rendered.nip, rendered.content, generated_on, file)

    def forget_render(self, periode: Periode, nip: str) -> None:
        self.history.forget_render(periode, nip)

    def trends(self, upto: Periode, count: int) -> dict[str, tuple[TrendPoint, ...]]:
        return self.history.trends(upto, count)


@dataclass
class Gathered:
    """Everything a working-folder run or status works from."""

    loaded: Inbox
    stored: list[StoredInput]
    incoming: list[Incoming]
    duplicates: list[Incoming]
    # Notes on files, each with the file whose period it belongs to: an older version replaced
    # (`berkas-diganti`), a copy of an input dropped again (`berkas-salinan`).
    file_notes: list[tuple[PersonFile, Finding]]
    standing: list[tuple[Path, str]]
    periods: list[Periode]


def gather(
    config: WorkspaceConfig,
    settings: Settings,
    periode: Periode | None,
    progress: Progress,
    stored: list[StoredInput],
    staging: Path | None = None,
) -> Gathered:
    """Read the criteria, the roster, every accepted input (`stored`) and every inbox file, and
    keep the newest version of each person's workbook per period. Changes nothing in the working
    folder. With a `staging` folder, each inbox file's bytes are read once and kept there."""
    root = config.root
    known = {s.sha256: s.archive_path for s in stored}
    incoming: list[Incoming] = []
    duplicates: list[Incoming] = []  # the same bytes as an accepted input, or as another new file
    same_as: dict[str, str] = {}  # a duplicate's name -> the name of the file it repeats
    for path in inbox_files(config.inbox):
        name = f"{config.inbox.name}/{path.relative_to(config.inbox).as_posix()}"
        item = _read_incoming(path, name, staging, settings.limits.max_file_bytes)
        earlier = known.get(item.sha256) or next(
            (i.name for i in incoming if i.sha256 == item.sha256), None
        )
        if earlier is not None:
            duplicates.append(item)
            same_as[item.name] = earlier
        else:
            incoming.append(item)
    log.info(
        "%d berkas baru di inbox, %d salinan berkas yang sudah ada", len(incoming), len(duplicates)
    )

    standing = [(p, p.name) for p in config.standing_files()]  # ConfigError when one is missing
    archived = [(root / s.archive_path, s.archive_path) for s in stored]
    files = standing + archived + [(i.kept, i.name) for i in incoming]
    loaded = load_files(files, settings, progress, root=root)

    order = {name: (0, i) for i, (_, name) in enumerate(archived)}
    order |= {i.name: (1, i.mtime_ns) for i in incoming}
    read = {pf.name: pf for pf in loaded.person_files}
    active, file_notes = _newest_versions(loaded.person_files, order)
    loaded.person_files = active
    for item in duplicates:  # each named with the file it repeats, in that file's period
        other = same_as[item.name]
        note = finding("berkas-salinan", Source(item.name), value=other, other=other)
        repeated = read.get(other)
        if repeated is not None and repeated.periode is not None:
            file_notes.append((repeated, note))
        else:
            loaded.findings.append(note)
    periods = periods_to_build(loaded, periode)
    return Gathered(loaded, stored, incoming, duplicates, file_notes, standing, periods)


def _run(
    config: WorkspaceConfig,
    settings: Settings,
    periode: Periode | None,
    progress: Progress,
    now: dt.datetime,
    history: History,
    run_id: int,
    scratch: Path,
) -> WorkspaceReport:
    paths = config.paths
    log.info("kinerja-batch %s, folder kerja %s", __version__, paths.root)
    _remove_leftovers(paths)
    g = gather(config, settings, periode, progress, history.inputs(), scratch / "masukan")
    report = WorkspaceReport(files_seen=len(g.incoming) + len(g.duplicates))
    hashes = {i.name: i.sha256 for i in g.incoming} | {s.archive_path: s.sha256 for s in g.stored}
    standing_hashes = [sha256_of(p) for p, _ in g.standing]
    records = RunRecords(history, run_id, paths)
    changed_before = False
    with FeedbackRenderer(settings) as renderer:
        for p in sorted(g.periods):
            outcome = assess(g.loaded, p, requested=periode is not None, settings=settings)
            notes = [f for pf, f in g.file_notes if pf.periode == p]
            outcome = replace(
                outcome, findings=tuple(sorted((*outcome.findings, *notes), key=sort_key))
            )
            used = sorted(
                (pf.kind.value, pf.subject or "", hashes.get(pf.name, ""))
                for pf in g.loaded.person_files
                if pf.periode == p
            )
            digest = hashlib.sha256(repr((__version__, standing_hashes, used)).encode()).hexdigest()
            period_paths = paths.output.period(p)
            unchanged = (
                not changed_before
                and history.period_digest(p) == digest
                and period_paths.summary.is_file()
                and not missing_pdfs(outcome, records)
            )
            if unchanged:
                log.info("Periode %s tidak berubah sejak proses terakhir", p.label)
                report.unchanged.append(p)
                report.outcomes_findings += outcome.findings
                continue
            changed_before = True  # later periods show this one in their trends
            built = build_period(
                outcome, period_paths, renderer, settings, progress, now.date(), records
            )
            history.set_period_digest(p, digest, now, run_id)
            log.info(
                "Periode %s: %d PDF (%d dibuat ulang), ringkasan %s",
                p.label,
                len(built.pdfs),
                built.rendered,
                built.summary_path,
            )
            for employee in built.without_pdf:
                log.warning(
                    "Periode %s: PDF %s (NIP %s) belum ada", p.label, employee.nama, employee.nip
                )
            report.built.append(built)
            report.outcomes_findings += built.findings
    report.outcomes_findings = sorted(set(report.outcomes_findings), key=sort_key)

    _file_inputs(paths, history, run_id, now, g, set(g.periods), report)
    for item in g.duplicates:
        original = history.input_by_hash(item.sha256)
        archived = original is not None and sha256_of(paths.root / original.archive_path)
        if original is not None and archived == item.sha256 and _remove_if_unchanged(item):
            report.duplicates.append(item.name)  # the very same bytes are kept in the archive
            log.info(
                "%s sama persis dengan %s di arsip; salinan dihapus dari inbox",
                item.name,
                original.archive_path,
            )
    summary_text = (
        f"{len(report.built)} periode dibangun, {len(report.unchanged)} tidak berubah, "
        f"{len(report.archived)} berkas diarsipkan, {len(report.kept)} tertahan di inbox"
    )
    history.finish_run(run_id, dt.datetime.now(), "selesai", summary_text)
    log.info("Selesai: %s", summary_text)
    return report


def _newest_versions(
    files: Sequence[PersonFile], order: dict[str, tuple[int, int]]
) -> tuple[list[PersonFile], list[tuple[PersonFile, Finding]]]:
    """Per period, kind and person, the newest workbook; the older ones with a note saying so."""
    newest: dict[tuple[object, ...], PersonFile] = {}
    rest: list[PersonFile] = []
    for pf in sorted(files, key=lambda f: order.get(f.name, (2, 0))):
        if pf.subject is None or pf.periode is None:
            rest.append(pf)
            continue
        key = (pf.periode, pf.kind, pf.subject)
        if key in newest:
            rest.append(newest[key])
        newest[key] = pf
    replaced = {id(pf) for pf in rest if pf.subject is not None and pf.periode is not None}
    active = [pf for pf in files if id(pf) not in replaced]
    notes = []
    for old in (pf for pf in rest if id(pf) in replaced):
        new = newest[(old.periode, old.kind, old.subject)]
        notes.append(
            (old, finding("berkas-diganti", Source(old.name), value=new.name, newer=new.name))
        )
    return active, notes


def _file_inputs(
    paths: WorkspacePaths,
    history: History,
    run_id: int,
    now: dt.datetime,
    g: Gathered,
    periods: set[Periode],
    report: WorkspaceReport,
) -> None:
    """Move each used inbox file into the archive, oldest first; leave blocked ones in the inbox
    with a findings file beside them."""
    by_name = {pf.name: pf for pf in [*g.loaded.person_files, *(pf for pf, _ in g.file_notes)]}
    about: dict[str, list[Finding]] = {}
    for f in [*g.loaded.findings, *report.outcomes_findings]:
        about.setdefault(f.file, []).append(f)
    for item in sorted(g.incoming, key=lambda i: i.mtime_ns):
        pf = by_name.get(item.name)
        findings = sorted(set(about.get(item.name, [])), key=sort_key)
        blocked = any(f.severity is Severity.GALAT for f in findings)
        if pf is None or pf.periode is None or pf.subject is None or blocked:
            if findings:
                _write_findings_file(item, findings, now)
                report.kept.append(item.name)
                log.info("%s tertahan di inbox: %d temuan", item.name, len(findings))
            continue
        if pf.periode not in periods:
            continue  # another period than the one asked for: left for its own run
        relative = paths.archived_input(pf.periode, item.sha256, item.path.name)
        if not _archive(item, paths.root / relative):
            report.changed.append(item.name)  # read in place, and changed since: not used
            continue
        stored = StoredInput(
            item.sha256, item.name, pf.kind.value, pf.periode, pf.subject, relative, now.isoformat()
        )
        history.record_input(stored, run_id)
        log.info("%s diarsipkan ke %s (SHA-256 %s)", item.name, relative, item.sha256)
        if _remove_if_unchanged(item):
            report.archived.append(item.name)
        else:
            report.changed.append(item.name)


def _archive(item: Incoming, target: Path) -> bool:
    """Keep the bytes this run read and used at `target`; False when they could not be had."""
    if target.is_file() and sha256_of(target) == item.sha256:
        return True
    with atomic_path(target) as tmp:
        shutil.copyfile(item.kept, tmp)
        if sha256_of(tmp) != item.sha256:  # only where the file was read in place
            log.warning("%s berubah selama proses; tidak diarsipkan", item.name)
            tmp.unlink()
            return False
    return True


def _remove_if_unchanged(item: Incoming) -> bool:
    """Remove an inbox file whose bytes are safely kept elsewhere, unless it was saved again while
    the run went on: then the new version stays in the inbox for the next run."""
    try:
        current = sha256_of(item.path)
    except FileNotFoundError:  # moved away by someone meanwhile: nothing left to remove
        return True
    if current != item.sha256:
        log.warning(
            "%s disimpan lagi selama proses: versi yang dipakai diarsipkan, versi baru tetap di "
            "inbox untuk proses berikutnya",
            item.name,
        )
        return False
    item.path.unlink()
    _drop_findings_file(item.path)
    return True


def _remove_leftovers(paths: WorkspacePaths) -> None:
    """Temporary files a stopped run left behind (outputs are written to a temporary name first)."""
    leftovers = [
        *(
            p
            for folder in (paths.hasil, paths.archive)
            for p in folder.rglob(f".*{TEMPORARY_SUFFIX}")
        ),
        *paths.inbox.rglob(f".*{FINDINGS_SUFFIX}.*{TEMPORARY_SUFFIX}"),
    ]
    for path in leftovers:
        log.info("Berkas sementara dari proses yang terhenti dihapus: %s", path)
        path.unlink(missing_ok=True)


def _findings_file(path: Path) -> Path:
    return path.with_name(path.name + FINDINGS_SUFFIX)


def _write_findings_file(item: Incoming, findings: Sequence[Finding], now: dt.datetime) -> None:
    lines = [
        f"Temuan untuk berkas {item.name} (diperiksa {now:%d-%m-%Y %H:%M}).",
        "Berkas ini tetap di folder masukan. Perbaiki isinya di tempat, lalu jalankan kinerja run lagi.",
        "",
    ]
    for f in findings:
        where = f"{f.sheet}!{f.cell}" if f.cell else f.sheet
        lines.append(f"[{f.severity.value}] {where or '-'} ({f.code}): {f.message}")
    atomic_write_bytes(_findings_file(item.path), ("\n".join(lines) + "\n").encode("utf-8"))


def _drop_findings_file(path: Path) -> None:
    _findings_file(path).unlink(missing_ok=True)


def workspace_outcome(
    config: WorkspaceConfig, settings: Settings, periode: Periode | None
) -> PeriodOutcome:
    """The current state of a period (the latest one when none is given), from the archive and the
    inbox, without writing anything: for `kinerja status`."""
    stored: list[StoredInput] = []
    if config.paths.database.is_file():
        history = _trusted_history(config.paths)
        try:
            stored = history.inputs()
        finally:
            history.close()
    g = gather(config, settings, periode, NoProgress(), stored)
    return assess(g.loaded, max(g.periods), requested=periode is not None, settings=settings)


@dataclass
class AnnualReport:
    year: int
    employees: int
    summary_path: Path
    pdf_folder: Path
    pdfs: list[Path]


def run_annual(
    config: WorkspaceConfig,
    settings: Settings,
    year: int,
    *,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> AnnualReport:
    """`kinerja tahunan`: suggest each employee's annual predikat from the year's stored results
    (a local rule; the supervisor decides) and write the annual summary and one PDF per employee."""
    progress = progress or NoProgress()
    today = today or dt.date.today()
    paths = config.paths
    if not paths.database.is_file():
        raise RunStopped([finding("riwayat-kosong", Source(DB_NAME), year=year)])
    standing = config.standing_files()
    criteria = load_files([(p, p.name) for p in standing], settings, progress).criteria
    history = History(paths.database)
    try:
        suggestions = suggest_annual(
            history.evaluated(), year, criteria.thresholds, settings.granularity
        )
    finally:
        history.close()
    if not suggestions:
        raise RunStopped([finding("riwayat-kosong", Source(DB_NAME), year=year)])
    instansi = criteria.nama_instansi
    annual = paths.output.annual(year)
    write_annual_summary(suggestions, year, instansi, annual.summary, settings.granularity)
    pdfs = []
    progress.start(f"Membuat PDF tahunan {year}", len(suggestions))
    with scratch_folder(), AnnualRenderer() as renderer:
        for s in suggestions:
            digest = hashlib.sha256(repr((s, instansi)).encode()).hexdigest()[:10].upper()
            path = annual.pdf(s.nip, s.nama)
            renderer.write(s, year, instansi, path, today, f"KB-T{year}-{s.nip[-6:]}-{digest}")
            pdfs.append(path)
            progress.advance()
    progress.finish()
    log.info("Usulan tahunan %d: %d pegawai, %s", year, len(suggestions), annual.summary)
    return AnnualReport(year, len(suggestions), annual.summary, annual.pdf_folder, pdfs)
