"""The `kinerja` command group, and what every command shares: turning what stops a command
into a message and an exit code (the codes and the environment's faults are in `stops.py`), and
finding the working folder."""

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
from kinerja_batch.cli.stops import (
    EXIT_BLOCKED,
    EXIT_BUSY,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_UNUSABLE,
    environment_problem,
    interrupted,
)
from kinerja_batch.cli.types import Group
from kinerja_batch.config import ConfigError, WorkspaceConfig, find_config, load_config
from kinerja_batch.delivery import DeliveryProblem
from kinerja_batch.documents.weasy import SLOW_SUBSETTING_NOTE, fast_font_subsetting
from kinerja_batch.findings import Finding, RunStopped, Severity
from kinerja_batch.lock import Busy
from kinerja_batch.model import Granularity, Periode
from kinerja_batch.recovery import HistoryProblem
from kinerja_batch.settings import Settings
from kinerja_batch.workbooks.guard import UnsafeEnvironment, require_safe_xml


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
    except (KeyboardInterrupt, click.Abort) as stop:  # Ctrl-C, SIGTERM (Terminated)
        code = interrupted(stop)
    except Exception as error:  # last resort: a message instead of a traceback
        if debug:
            traceback.print_exc()
        known = environment_problem(error)
        if known is not None:
            message, code = known
            say(out, message)
        else:
            say(
                out,
                f"Terjadi kesalahan tak terduga ({type(error).__name__}: {error}). Jalankan lagi "
                "dengan --debug untuk rincian teknis, dan laporkan kepada pengelola aplikasi.",
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


def settings_for(
    config: WorkspaceConfig | None, workers: int | None = None, periode: Periode | None = None
) -> Settings:
    """The settings of a command: the working folder's, else the defaults. The granularity is the
    working folder's; without one, that of the `--periode` given (a quarter: quarterly)."""
    settings = (
        Settings(nama_instansi=config.nama_instansi, rating_method=config.metode_penilaian)
        if config
        else Settings()
    )
    if config is not None:
        settings = replace(settings, granularity=Granularity(config.granularitas))
    elif periode is not None:
        settings = replace(settings, granularity=periode.granularity)
    return settings if workers is None else replace(settings, workers=workers)


def agency_periode(settings: Settings, periode: Periode | None) -> Periode | None:
    """`--periode` as the agency's period: in a quarterly agency a month is its quarter; in a
    monthly agency a quarter stops the command."""
    if periode is None:
        return None
    within = periode.within(settings.granularity)
    if within is None:
        raise WorkspaceProblem(
            f"{periode.label} adalah triwulan, tetapi instansi ini menilai per bulan "
            '(granularitas = "bulanan" di kinerja.toml). Sebutkan bulan, misalnya --periode '
            '2026-11, atau tulis granularitas = "triwulanan" di bagian [periode] kinerja.toml.'
        )
    return within


def note_slow_subsetting() -> None:
    """Say once, before PDFs are made, that they will be slow for want of a system library."""
    if not fast_font_subsetting():
        say(Console(stderr=True, highlight=False, soft_wrap=True), SLOW_SUBSETTING_NOTE)


def standing_files(
    config: WorkspaceConfig | None, kriteria: Path | None, pegawai: Path | None
) -> list[Path]:
    """The criteria and roster files given on the command line, else the working folder's (a
    missing one of those is a ConfigError naming its key in kinerja.toml)."""
    files = []
    for given, key in zip((kriteria, pegawai), ("kriteria", "pegawai"), strict=True):
        if given is None:
            if config is not None:
                files.append(config.standing_file(key))
            continue
        if not given.is_file():
            raise WorkspaceProblem(f"Berkas {given} tidak ada. Periksa jalurnya.")
        files.append(given)
    return files
