"""Reading the inputs: which files are inputs, what kind each is, and the criteria, roster and
per-person workbooks they hold, each checked on its own."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from kinerja_batch.findings import Finding, RunStopped, Source, finding
from kinerja_batch.model import CriteriaSet, Employee, Periode, ScoreSheet, SelfReport
from kinerja_batch.settings import Settings
from kinerja_batch.validate.criteria import check_weights, read_criteria
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

FINDINGS_SUFFIX = ".temuan.txt"  # the findings file the working folder puts beside a blocked input


class Progress(Protocol):
    """Where the stages report progress; the CLI shows it as a bar."""

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

    path: Path
    name: str
    kind: Kind
    periode: Periode | None
    record: SelfReport | ScoreSheet | None
    findings: list[Finding]

    @property
    def subject(self) -> str | None:
        """Whose workbook it is: the employee's NIP (self-report) or the supervisor's (scores)."""
        if isinstance(self.record, SelfReport):
            return self.record.nip
        if isinstance(self.record, ScoreSheet):
            return self.record.nip_penilai
        return None


@dataclass
class Inbox:
    criteria: CriteriaSet
    roster: list[Employee]
    person_files: list[PersonFile]
    findings: list[Finding]  # about files in general, the criteria and the roster
    files_seen: int


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
            if not name.startswith((".", "~$")) and not name.endswith(FINDINGS_SUFFIX):
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
    return load_files(files, settings, progress, root=inbox)


def load_files(
    files: Sequence[tuple[Path, str]],
    settings: Settings,
    progress: Progress,
    root: Path | None = None,
) -> Inbox:
    """Read and check the given files (path, name shown to users). Symbolic links leading out of
    `root` are reported and not read."""
    findings: list[Finding] = []
    criteria_books: list[Workbook] = []
    roster_books: list[Workbook] = []
    person_files: list[PersonFile] = []
    progress.start("Membaca berkas", len(files))
    for path, name in files:
        progress.advance()
        if root is not None and _outside(path, root):
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
            # Read now, so only the record is kept and not the whole sheet: memory grows with
            # what people wrote, not with the size of their workbooks.
            person_files.append(_read_person_file(book, kinds[0]))
    progress.finish()

    criteria = _one_criteria_set(criteria_books, settings, findings)
    roster = _one_roster(roster_books, criteria, settings, findings)
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
    if not criteria.nama_instansi and settings.nama_instansi:
        # The agency's name: the criteria workbook's `Pengaturan`, else kinerja.toml. Resolved
        # here, once, so every document, e-mail and summary of a run says the same.
        criteria = replace(criteria, nama_instansi=settings.nama_instansi)
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
    return PersonFile(book.path, book.name, kind, periode, record, findings)
