"""How a command ends when something stops it: the exit codes, Ctrl-C and SIGTERM, and the faults
of the environment (a folder or disk that cannot be used, kinerja.db locked or damaged), each with
its Indonesian message.

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
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click

from kinerja_batch.fsutil import os_error_text
from kinerja_batch.paths import DB_NAME
from kinerja_batch.recovery import RECOVER

EXIT_OK, EXIT_BLOCKED, EXIT_UNUSABLE, EXIT_INTERNAL, EXIT_BUSY = 0, 1, 2, 3, 4
EXIT_ENVIRONMENT, EXIT_DAMAGED = 5, 6
EXIT_INTERRUPTED, EXIT_TERMINATED = 128 + signal.SIGINT, 128 + signal.SIGTERM  # 130, 143

INTERRUPTED = "Dibatalkan."
TERMINATED = "Dihentikan (SIGTERM)."


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
