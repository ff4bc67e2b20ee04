"""Reading the inputs: which files are inputs, what kind each is, and the criteria, roster and
per-person workbooks they hold, each checked on its own."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Protocol

from kinerja_batch.findings import Finding, RunStopped, Source, finding
from kinerja_batch.fsutil import sha256_of
from kinerja_batch.model import CriteriaSet, Employee, Granularity, Periode, ScoreSheet, SelfReport
from kinerja_batch.parsing import text
from kinerja_batch.settings import ReadLimits, Settings
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
from kinerja_batch.workbooks.reader import Sheet, Workbook, cell_ref, open_workbook

FINDINGS_SUFFIX = ".temuan.txt"  # the findings file the working folder puts beside a blocked input

# The `{difference}` sentence of `laporan-ganda` and `penilaian-ganda`: how one version of a
# person's workbook differs from another, so HR knows which to keep.
DIFFERS = "Berkas ini berbeda dengan {other} di {sheets}. "
SHEET_DIFFERS = "sheet {sheet} ({cells} sel, pertama di {first})"
SAME_CELLS = (
    "Isi sel berkas ini sama dengan {other}; yang berbeda hanya format atau properti berkas, jadi "
    "simpan salah satu saja. "
)


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
    periode_source: Source = field(default_factory=Source)  # the `Identitas` cell of Periode

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
    # A standing file that lies in the inbox is read once (a link out of the inbox is not read).
    inside = {p.resolve() for p, _ in files if inbox and not _outside(p, inbox)}
    files += [(p, p.name) for p in dict.fromkeys(p.resolve() for p in standing) if p not in inside]
    loaded = load_files(files, settings, progress, root=inbox)
    loaded.person_files = _one_version_each(loaded.person_files, settings.limits)
    return loaded


def load_files(
    files: Sequence[tuple[Path, str]],
    settings: Settings,
    progress: Progress,
    root: Path | None = None,
) -> Inbox:
    """Read and check the given files (path, name shown to users). Symbolic links leading out of
    `root` are reported and not read. Files with the same bytes are one input: one of them is read
    (`_copies`), and each other is reported as a copy of it (`berkas-salinan`, information)."""
    findings: list[Finding] = []
    criteria_books: list[Workbook] = []
    roster_books: list[Workbook] = []
    person_files: list[PersonFile] = []
    copies = _copies(files, settings, root)
    progress.start("Membaca berkas", len(files))
    for index, (path, name) in enumerate(files):
        progress.advance()
        if root is not None and _outside(path, root):
            findings.append(finding("tautan-luar", Source(name)))
            continue
        if index in copies:
            kept = copies[index]
            findings.append(finding("berkas-salinan", Source(name), value=kept, other=kept))
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
            person_files.append(_read_person_file(book, kinds[0], settings.granularity))
    progress.finish()

    criteria = _one_criteria_set(criteria_books, settings, findings)
    roster = _one_roster(roster_books, criteria, settings, findings)
    return Inbox(criteria, roster, person_files, findings, len(files))


def _kinds(book: Workbook) -> tuple[list[Kind], list[Finding]]:
    """The workbook's kind: from its template properties when it was generated by `kinerja
    templat` (warning about another template version it states), else from its sheets.

    A template whose version property is missing or blank is not warned about: another program
    saved it (Gnumeric, for one, drops or blanks custom properties), which people may do, and the
    workbook is read by its sheets like any other; a warning would ask them to fix what is not
    broken. A version written differently (`1.0`, as some programs store numbers) is the same."""
    where = Source(book.name)
    by_sheets = kinds_of(book.sheet_names)
    template = book.properties.get(PROP_KIND)
    if template in {k.value for k in Kind} and Kind(template) in by_sheets:
        version = book.properties.get(PROP_VERSION, "").strip()
        try:
            same = float(version.replace(",", ".")) == TEMPLATE_VERSION
        except ValueError:
            same = False
        found: list[Finding] = []
        if version and not same:
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


def _read_person_file(book: Workbook, kind: Kind, granularity: Granularity) -> PersonFile:
    """One per-person workbook, its period the agency's (`granularity`: a month in a quarterly
    agency is its quarter)."""
    record: SelfReport | ScoreSheet | None
    if kind is Kind.LAPORAN:
        record, findings = read_self_report(book, granularity)
    else:
        record, findings = read_score_sheet(book, granularity)
    periode, periode_source = read_periode(book, granularity)
    if record is not None:
        periode = record.periode
    return PersonFile(book.path, book.name, kind, periode, record, findings, periode_source)


def _copies(
    files: Sequence[tuple[Path, str]], settings: Settings, root: Path | None
) -> dict[int, str]:
    """The files whose bytes equal another's (by SHA-256), by position, each with the name of the
    one read instead: the one with the shortest file name (`laporan.xlsx` rather than
    `salinan_laporan.xlsx` or `laporan (1).xlsx`), then the first. Files that are not read anyway
    (links out of `root`, other formats, empty or too large, unreadable) are left to the reading."""
    by_content: dict[str, list[int]] = defaultdict(list)
    for index, (path, _) in enumerate(files):
        if root is not None and _outside(path, root):
            continue
        if path.suffix.lower() not in settings.supported_suffixes:
            continue
        try:
            if not 0 < path.stat().st_size <= settings.limits.max_file_bytes:
                continue
            by_content[sha256_of(path)].append(index)
        except OSError:
            continue
    copies: dict[int, str] = {}
    for group in by_content.values():
        kept = min(group, key=lambda i: (len(PurePosixPath(files[i][1]).name), i))
        copies |= {i: files[kept][1] for i in group if i != kept}
    return copies


@dataclass(frozen=True)
class SheetDifference:
    """Where two versions of a workbook differ in one sheet: how many cells, and the first one."""

    sheet: str  # as the first workbook names it (the second, where only it has the sheet)
    cells: int
    first: str  # the first differing cell in reading order, `C7`
    value: str  # the first workbook's value there
    in_first: bool  # False: only the second workbook has this sheet


def differences(a: Workbook, b: Workbook) -> list[SheetDifference]:
    """The sheets read (those of the contract) whose cells differ, compared by their values as
    read, in `a`'s sheet order, then the sheets only `b` has."""
    found = []
    for key in dict.fromkeys((*a.sheets, *b.sheets)):
        sa, sb = a.sheets.get(key), b.sheets.get(key)
        named = sa or sb
        assert named is not None
        cells = [cell for cell in _cells(sa, sb) if _read(sa, cell) != _read(sb, cell)]
        if cells:
            value = text(sa.value(*cells[0])) if sa else ""
            first = cell_ref(*cells[0])
            found.append(SheetDifference(named.name, len(cells), first, value, sa is not None))
    return found


def _cells(a: Sheet | None, b: Sheet | None) -> Iterator[tuple[int, int]]:
    """Every position either sheet has, row by row."""
    grids = [s.rows for s in (a, b) if s is not None]
    for r in range(max(len(g) for g in grids)):
        width = max(len(g[r]) if r < len(g) else 0 for g in grids)
        for c in range(width):
            yield r, c


def _read(sheet: Sheet | None, cell: tuple[int, int]) -> tuple[object, str | None]:
    """A cell's value as read (a formula without a cached value and an error value included)."""
    if sheet is None:
        return None, None
    return sheet.value(*cell), sheet.bad_cells.get(cell)


def _one_version_each(files: list[PersonFile], limits: ReadLimits) -> list[PersonFile]:
    """A plain folder has no order of arrival, so two different workbooks of one person for one
    period (self-reports of one employee; score workbooks of one supervisor) are for HR to
    resolve: each is reported (`laporan-ganda`; `penilaian-ganda` per employee it scores) with
    how it differs from the others. The first by name is still checked against the roster and the
    criteria, so its other findings show; the others are not used. (Identical files were made one
    input already; in the working folder the newer version replaces the older instead.)"""
    groups: dict[tuple[object, ...], list[PersonFile]] = defaultdict(list)
    for pf in files:
        if pf.subject is not None and pf.periode is not None:
            groups[(pf.periode, pf.kind, pf.subject)].append(pf)
    unused: set[int] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda pf: pf.name)
        books = {pf.name: _reopen(pf, limits) for pf in group}
        names = ", ".join(pf.name for pf in group)
        for pf in group:
            compared = []
            for other in group:
                mine, theirs = books[pf.name], books[other.name]
                if other is not pf and mine is not None and theirs is not None:
                    compared.append((other.name, differences(mine, theirs)))
            pf.findings += _conflict(pf, names, compared)
        unused |= {id(pf) for pf in group[1:]}
    return [replace(pf, record=None) if id(pf) in unused else pf for pf in files]


def _reopen(pf: PersonFile, limits: ReadLimits) -> Workbook | None:
    """The workbook again, to compare it with another version (rare: only conflicting ones)."""
    try:
        return open_workbook(pf.path, pf.name, _all_sheet_names(), limits)
    except (WorkbookError, OSError):
        return None


def _conflict(
    pf: PersonFile, names: str, compared: list[tuple[str, list[SheetDifference]]]
) -> list[Finding]:
    """One version's findings: at its first cell that differs from the next version (a
    self-report), or at the rows of each employee it scores (a score workbook)."""
    sentences = []
    for other, found in compared:
        if not found:
            sentences.append(SAME_CELLS.format(other=other))
            continue
        parts = [SHEET_DIFFERS.format(sheet=d.sheet, cells=d.cells, first=d.first) for d in found]
        sheets = ", ".join(parts[:-1]) + " dan " + parts[-1] if len(parts) > 1 else parts[0]
        sentences.append(DIFFERS.format(other=other, sheets=sheets))
    difference = "".join(sentences)
    if isinstance(pf.record, SelfReport):
        first = next((d for _, found in compared for d in found if d.in_first), None)
        where = Source(pf.name, first.sheet, first.first) if first else Source(pf.name)
        value = first.value if first else ""
        return [
            finding(
                "laporan-ganda",
                where,
                value=value,
                nip=pf.record.nip,
                files=names,
                difference=difference,
            )
        ]
    if isinstance(pf.record, ScoreSheet):
        rows: dict[str, list[Source]] = defaultdict(list)
        for score in pf.record.scores:
            rows[score.nip].append(score.nip_source)
        return [
            finding(
                "penilaian-ganda",
                cells[0],
                value=nip,
                nip=nip,
                files=names,
                rows=len(cells),
                first=cells[0].cell,
                difference=difference,
            )
            for nip, cells in rows.items()
        ]
    return []
