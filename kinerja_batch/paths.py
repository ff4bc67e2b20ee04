"""Every path the program writes or keeps, in one place: the output folder's periods (summary, PDFs,
delivery report), the annual folders, and the working folder (inbox, archive, database, lock, logs,
templates).

Nothing else builds an output name: a module that needs one asks this module for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kinerja_batch.fsutil import slug
from kinerja_batch.model import Employee, Periode

PDF_FOLDER = "umpan_balik"
# A working folder's defaults (kinerja.toml may name others for the first four).
INBOX = "inbox"
OUTPUT_FOLDER = "hasil"
CRITERIA_FILE = "kriteria.xlsx"
ROSTER_FILE = "pegawai.xlsx"
ARCHIVE = "arsip"
LOG_FOLDER = "log"
TEMPLATE_FOLDER = "templat"
DB_NAME = "kinerja.db"
LOCK_NAME = ".kinerja.lock"
TEMPORARY_SUFFIX = (
    ".tmp"  # outputs are written as `.<name>.<random>.tmp` first (fsutil.atomic_path)
)


def pdf_file_name(nip: str, nama: str) -> str:
    """`<NIP>_<nama>.pdf`, safe on every file system: `198503122010011005_Siti_Aminah_S_Pd.pdf`."""
    return f"{slug(nip)}_{slug(nama)}.pdf"


@dataclass(frozen=True)
class PeriodPaths:
    """One period's outputs: `<out>/<periode>/`."""

    periode: Periode
    folder: Path

    @property
    def summary(self) -> Path:
        return self.folder / f"ringkasan_{self.periode.key}.xlsx"

    @property
    def pdf_folder(self) -> Path:
        return self.folder / PDF_FOLDER

    @property
    def delivery_report(self) -> Path:
        return self.folder / f"pengiriman_{self.periode.key}.xlsx"

    def pdf(self, employee: Employee) -> Path:
        return self.pdf_folder / pdf_file_name(employee.nip, employee.nama)


@dataclass(frozen=True)
class AnnualPaths:
    """One year's annual suggestion: `<out>/tahunan-<year>/`."""

    year: int
    folder: Path

    @property
    def summary(self) -> Path:
        return self.folder / f"ringkasan_tahunan_{self.year}.xlsx"

    @property
    def pdf_folder(self) -> Path:
        return self.folder / PDF_FOLDER

    def pdf(self, nip: str, nama: str) -> Path:
        return self.pdf_folder / f"{slug(nip)}_{slug(nama)}_tahunan_{self.year}.pdf"


@dataclass(frozen=True)
class OutputPaths:
    """An output folder (`--out`, or the working folder's `hasil/`)."""

    root: Path

    def period(self, periode: Periode) -> PeriodPaths:
        return PeriodPaths(periode, self.root / periode.key)

    def annual(self, year: int) -> AnnualPaths:
        return AnnualPaths(year, self.root / f"tahunan-{year}")


@dataclass(frozen=True)
class WorkspacePaths:
    """A working folder (`kinerja init`): where its inputs, outputs and records live. The inbox
    and the output folder come from `kinerja.toml`; the rest has fixed names."""

    root: Path
    inbox: Path
    hasil: Path

    @property
    def output(self) -> OutputPaths:
        return OutputPaths(self.hasil)

    @property
    def database(self) -> Path:
        return self.root / DB_NAME

    @property
    def lock(self) -> Path:
        return self.root / LOCK_NAME

    @property
    def logs(self) -> Path:
        return self.root / LOG_FOLDER

    @property
    def archive(self) -> Path:
        return self.root / ARCHIVE

    def log_file(self, started: dt.datetime) -> Path:
        return self.logs / f"kinerja-{started:%Y%m%d-%H%M%S}.log"

    def templates(self, periode: Periode) -> Path:
        return self.root / TEMPLATE_FOLDER / periode.key

    def archived_input(self, periode: Periode, sha256: str, name: str) -> str:
        """Where an accepted input's bytes are kept, relative to the working folder (as the history
        records it): `arsip/<periode>/<first 12 hex digits of its SHA-256>_<name>`."""
        return f"{ARCHIVE}/{periode.key}/{sha256[:12]}_{name}"

    def recorded_pdf(self, periode: Periode, employee: Employee, file: str) -> Path:
        """Where the history says an employee's PDF was written (`file`, relative to the working
        folder); PDFs recorded before the history kept their place have their conventional name."""
        return self.root / file if file else self.output.period(periode).pdf(employee)

    def relative(self, path: Path) -> str:
        """A path inside the working folder as the history records it (`hasil/2026-11/...`)."""
        return path.relative_to(self.root).as_posix()
