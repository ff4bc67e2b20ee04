"""The working folder's lock: one run (or one delivery, or one recovery) at a time.

The lock is the operating system's own on `.kinerja.lock` (flock on Linux and macOS, a byte-range
lock on Windows, through the `filelock` library), so it is released when the holding process ends,
however it ends. Who holds it is written beside it (`.kinerja.lock.info`), for the message the
refused process prints: on Windows a locked file cannot be read by another process.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout


class Busy(Exception):
    """Another run holds the working folder; the message is for the user."""


def holder_file(lock: Path) -> Path:
    return lock.with_name(lock.name + ".info")


@contextmanager
def exclusive(lock: Path, now: dt.datetime) -> Iterator[None]:
    """Hold the working folder's lock for the duration; refuse (Busy) if another process holds it."""
    file_lock = FileLock(lock, thread_local=False)
    try:
        file_lock.acquire(timeout=0)
    except Timeout:
        raise Busy(
            f"Proses kinerja lain sedang berjalan di folder kerja ini ({_holder(lock)}). Tunggu "
            "sampai selesai, lalu jalankan lagi."
        ) from None
    try:
        holder_file(lock).write_text(f"PID {os.getpid()}, mulai {now:%Y-%m-%d %H:%M}", "utf-8")
        yield
    finally:
        file_lock.release()


def _holder(lock: Path) -> str:
    try:
        return holder_file(lock).read_text(encoding="utf-8").strip() or "?"
    except OSError:
        return "?"
