"""The `kinerja` command group, and what every command shares: exit codes, turning what stops a
command into a message, and finding the working folder.

Exit codes: 0 no finding blocks anything; 1 some findings of severity Galat (employees or files
blocked, or a PDF not made); 2 unusable input (no or invalid criteria or roster, kinerja.toml, bad
arguments); 3 an unexpected internal error, a bug (details with --debug); 4 another run holds the
working folder; 5 the environment: a folder or the disk cannot be written or read (permissions,
read-only, full), or kinerja.db is locked by another program: fix it and run again, nothing to
repair; 6 kinerja.db is damaged: `kinerja pulihkan`; 130 Ctrl-C; 143 SIGTERM (128 + the signal's
number, as shells report a process the signal ended).
"""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
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
from kinerja_batch.fsutil import os_error_text
from kinerja_batch.lock import Busy
from kinerja_batch.paths import DB_NAME
from kinerja_batch.recovery import RECOVER, HistoryProblem
from kinerja_batch.settings import Settings
from kinerja_batch.workbooks.guard import UnsafeEnvironment, require_safe_xml

EXIT_OK, EXIT_BLOCKED, EXIT_UNUSABLE, EXIT_INTERNAL, EXIT_BUSY = 0, 1, 2, 3, 4
EXIT_ENVIRONMENT, EXIT_DAMAGED = 5, 6
EXIT_INTERRUPTED, EXIT_TERMINATED = 128 + signal.SIGINT, 128 + signal.SIGTERM  # 130, 143

INTERRUPTED = "Dibatalkan."
TERMINATED = "Dihentikan (SIGTERM)."


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


class Terminated(KeyboardInterrupt):
    """SIGTERM (systemd stopping the service, `kill`), raised in the main thread the way Ctrl-C
    raises KeyboardInterrupt, so every `finally` and context manager runs: the working folder's
    lock is released, temporary folders are removed, PDF workers are shut down, and a run is
    recorded as stopped (`dihentikan`), as after Ctrl-C."""

    def __init__(self) -> None:
        super().__init__("SIGTERM")


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """While inside, the first SIGTERM raises Terminated in this process; later ones are ignored
    while the command cleans up. A process forked meanwhile (a PDF worker) ends on SIGTERM as it
    always did. Outside the main thread (no signal handlers there) this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Terminated

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def interrupted(stop: BaseException) -> int:
    """Say that the command was stopped (Ctrl-C, SIGTERM, or a prompt given up); its exit code."""
    if isinstance(stop, click.Abort):  # click turns an interruption into Abort
        stop = stop.__cause__ or stop.__context__ or stop
    terminated = isinstance(stop, Terminated)
    click.echo(TERMINATED if terminated else INTERRUPTED, err=True)
    return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED


# What to do about an OSError the environment caused, by errno; any other errno is a bug (exit 3).
_AGAIN = ", lalu jalankan lagi."
_PERMISSION = "Berikan izin baca dan tulis atas folder itu kepada pengguna yang menjalankan kinerja"
_OS_ADVICE = {
    getattr(errno, name): advice
    for name, advice in (
        ("EACCES", _PERMISSION),
        ("EPERM", _PERMISSION),
        (
            "EROFS",
            "Buat folder itu bisa ditulis lagi (misalnya pasang ulang disknya tanpa mode hanya-baca), "
            "atau pindahkan folder kerja ke disk yang bisa ditulis",
        ),
        ("ENOSPC", "Kosongkan ruang di disk itu"),
        ("EDQUOT", "Hapus berkas yang tidak perlu atau minta tambahan kuota disk"),
        ("EISDIR", "Pindahkan atau ganti nama folder itu"),
        ("ENOTDIR", "Pindahkan atau ganti nama berkas yang menghalangi jalur itu"),
        ("ENOENT", "Periksa jalurnya (dan kinerja.toml)"),
        ("EBUSY", "Tutup program yang memakainya"),
        ("ENAMETOOLONG", "Pindahkan folder kerja ke jalur yang lebih pendek"),
        ("EIO", "Periksa disknya (kesalahan baca/tulis pada perangkat)"),
    )
    if hasattr(errno, name)  # not every platform has every code
}
# What went wrong with kinerja.db, by SQLite's primary result code.
_DB_LOCKED = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_DB_DAMAGED = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
_DB_UNUSABLE = {
    sqlite3.SQLITE_FULL: "disk penuh",
    sqlite3.SQLITE_READONLY: "berkas atau foldernya hanya bisa dibaca",
    sqlite3.SQLITE_CANTOPEN: "berkasnya tidak bisa dibuka",
    sqlite3.SQLITE_PERM: "tidak ada izin",
    sqlite3.SQLITE_IOERR: "kesalahan baca/tulis pada disk",
}


def environment_problem(error: Exception) -> tuple[str, int] | None:
    """What the environment did to the command (a folder or disk that cannot be used, kinerja.db
    locked or damaged): the message and the exit code; None for anything else (a bug)."""
    if isinstance(error, sqlite3.DatabaseError):
        code = getattr(error, "sqlite_errorcode", -1) & 0xFF
        if code in _DB_LOCKED:
            return (
                f"Riwayat {DB_NAME} sedang dikunci program lain, misalnya penampil database (DB "
                "Browser for SQLite atau sejenisnya) yang masih membukanya. Tutup program itu"
                + _AGAIN,
                EXIT_ENVIRONMENT,
            )
        if code in _DB_DAMAGED:
            return (
                f"Riwayat {DB_NAME} rusak: isinya tidak bisa dibaca sebagai database. Proses "
                f"dihentikan; tidak ada yang diubah. Jalankan `{RECOVER}`: riwayat yang rusak "
                "dipindahkan ke samping (tidak dihapus) dan riwayat dibangun ulang dari arsip. "
                f"Bila ada cadangan {DB_NAME} yang utuh, Anda juga bisa mengembalikannya.",
                EXIT_DAMAGED,
            )
        if code in _DB_UNUSABLE:
            return (
                f"Riwayat {DB_NAME} tidak bisa dibuka atau ditulis: {_DB_UNUSABLE[code]}. Pastikan "
                f"disk folder kerja tidak penuh dan folder kerja serta {DB_NAME} bisa ditulis oleh "
                "pengguna yang menjalankan kinerja" + _AGAIN,
                EXIT_ENVIRONMENT,
            )
        return None
    if isinstance(error, OSError) and error.errno in _OS_ADVICE:
        what = os_error_text(error)
        where = (
            f"Berkas atau folder {error.filename} tidak bisa dipakai"
            if error.filename is not None
            else "Sebuah berkas di folder kerja atau di folder hasil tidak bisa ditulis atau dibaca"
        )
        return f"{where}: {what}. {_OS_ADVICE[error.errno]}{_AGAIN}", EXIT_ENVIRONMENT
    return None


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
