"""The `kinerja` command group, and what every command shares: exit codes, turning what stops a
command into a message, and finding the working folder.

Exit codes: 0 no finding blocks anything; 1 some findings of severity Galat (employees or files
blocked, or a PDF not made); 2 unusable input (no or invalid criteria or roster, bad arguments);
3 an unexpected internal error (details with --debug); 4 another run holds the working folder.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console

from kinerja_batch import __version__
from kinerja_batch.cli.console import print_findings, say
from kinerja_batch.cli.types import Group
from kinerja_batch.config import ConfigError, WorkspaceConfig, find_config, load_config
from kinerja_batch.delivery import DeliveryProblem
from kinerja_batch.documents.weasy import SLOW_SUBSETTING_NOTE, fast_font_subsetting
from kinerja_batch.findings import Finding, RunStopped, Severity
from kinerja_batch.lock import Busy
from kinerja_batch.recovery import HistoryProblem
from kinerja_batch.settings import Settings
from kinerja_batch.workbooks.guard import UnsafeEnvironment, require_safe_xml

EXIT_OK, EXIT_BLOCKED, EXIT_UNUSABLE, EXIT_INTERNAL, EXIT_BUSY = 0, 1, 2, 3, 4


class WorkspaceProblem(Exception):
    """The command needs a working folder (or explicit paths) it does not have."""


IN_WORKSPACE = (
    "jalankan perintah ini di folder kerja yang dibuat `kinerja init` (yang berisi kinerja.toml)"
)


@click.group(
    cls=Group,
    context_settings={"terminal_width": 80, "max_content_width": 80},
    help="kinerja-batch: mengolah penilaian kinerja ASN dari buku kerja Excel menjadi umpan balik "
    "PDF per pegawai dan ringkasan untuk pimpinan.",
)
@click.version_option(
    __version__, "--version", message="%(prog)s %(version)s", help="Tampilkan versi lalu keluar."
)
def cli() -> None:
    pass


def guarded(debug: bool, action: Callable[[Console], int]) -> NoReturn:
    """Run a command's action, turning what stops it into a message and an exit code."""
    out = Console(highlight=False, soft_wrap=True)
    try:
        require_safe_xml()
        code = action(out)
    except (
        UnsafeEnvironment,
        ConfigError,
        WorkspaceProblem,
        DeliveryProblem,
        HistoryProblem,
    ) as problem:
        say(out, str(problem))
        code = EXIT_UNUSABLE
    except Busy as busy:
        say(out, str(busy))
        code = EXIT_BUSY
    except RunStopped as stop:
        print_findings(out, stop.findings)
        say(
            out,
            "Proses dihentikan: masukan belum bisa dipakai. Perbaiki galat di atas, lalu jalankan lagi.",
        )
        code = EXIT_UNUSABLE
    except Exception as error:  # last resort: a message instead of a traceback
        if debug:
            traceback.print_exc()
        say(
            out,
            f"Terjadi kesalahan tak terduga ({type(error).__name__}: {error}). Jalankan lagi dengan "
            "--debug untuk rincian teknis, dan laporkan kepada pengelola aplikasi.",
        )
        code = EXIT_INTERNAL
    sys.exit(code)


def exit_code(findings: Sequence[Finding]) -> int:
    return EXIT_BLOCKED if any(f.severity is Severity.GALAT for f in findings) else EXIT_OK


def workspace() -> WorkspaceConfig | None:
    """The working folder the command runs in, if it runs in one."""
    path = find_config(Path.cwd())
    return load_config(path) if path else None


def required_workspace(message: str) -> WorkspaceConfig:
    """The working folder; outside one, `message` (which says what to do instead) stops the
    command."""
    config = workspace()
    if config is None:
        raise WorkspaceProblem(message)
    return config


def settings_for(config: WorkspaceConfig | None, workers: int | None = None) -> Settings:
    settings = Settings(nama_instansi=config.nama_instansi) if config else Settings()
    return settings if workers is None else replace(settings, workers=workers)


def note_slow_subsetting() -> None:
    """Say once, before PDFs are made, that they will be slow for want of a system library."""
    if not fast_font_subsetting():
        say(Console(stderr=True, highlight=False, soft_wrap=True), SLOW_SUBSETTING_NOTE)


def standing_files(
    config: WorkspaceConfig | None, kriteria: Path | None, pegawai: Path | None
) -> list[Path]:
    """The criteria and roster files given on the command line, else the working folder's."""
    files = []
    configured = (config.kriteria, config.pegawai) if config else (None, None)
    for given, default in zip((kriteria, pegawai), configured, strict=True):
        path = given or default
        if path is None:
            continue
        if not path.is_file():
            raise WorkspaceProblem(f"Berkas {path} tidak ada. Periksa jalurnya atau kinerja.toml.")
        files.append(path)
    return files
