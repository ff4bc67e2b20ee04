"""The working folder's lock: one run (or one delivery) at a time in a working folder."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Busy(Exception):
    """Another run holds the working folder; the message is for the user."""


@contextmanager
def exclusive(lock: Path, now: dt.datetime) -> Iterator[None]:
    """Hold the working folder's lock for the duration; refuse if another run holds it."""
    with open(lock, "a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "?"
            raise Busy(
                f"Proses kinerja lain sedang berjalan di folder kerja ini ({holder}). Tunggu sampai "
                "selesai, lalu jalankan lagi."
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"PID {os.getpid()}, mulai {now:%Y-%m-%d %H:%M}")
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
