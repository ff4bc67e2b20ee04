"""File-system helpers for writing outputs: atomic writes, safe file names, package resources."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from importlib import resources
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` in one step.

    A run stopped halfway leaves either the old file or the new one, never half of one.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        _replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


# On Windows a file open in another program (Excel keeps the workbooks it shows open) cannot be
# replaced; it often is for a moment only (a virus scanner, an indexer): try again a few times.
REPLACE_RETRIES = 5 if os.name == "nt" else 0
REPLACE_PAUSE = 0.5


def _replace(source: Path, target: Path) -> None:
    for attempt in range(REPLACE_RETRIES + 1):
        try:
            os.replace(source, target)
            return
        except PermissionError as error:
            if attempt == REPLACE_RETRIES:
                if REPLACE_RETRIES:  # Windows: the file is held open, not forbidden
                    raise OSError(errno.EBUSY, "sedang dibuka program lain", str(target)) from error
                raise
            time.sleep(REPLACE_PAUSE)


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


# What went wrong with a file, as HR can act on it (by errno; others get the system's own words).
_OS_ERRORS = {
    getattr(errno, name): text
    for name, text in (
        ("EISDIR", "ada folder dengan nama yang sama"),
        ("ENOTDIR", "sebagian jalurnya adalah berkas, bukan folder"),
        ("EACCES", "tidak ada izin menulis di sana"),
        ("EPERM", "tidak ada izin menulis di sana"),
        ("EROFS", "foldernya hanya bisa dibaca"),
        ("ENOSPC", "disk penuh"),
        ("EDQUOT", "kuota disk habis"),
        ("ENOENT", "foldernya tidak ada"),
        ("EBUSY", "berkasnya sedang dipakai program lain"),
        ("ENAMETOOLONG", "nama atau jalurnya terlalu panjang"),
    )
    if hasattr(errno, name)  # not every platform has every code
}


def os_error_text(error: OSError) -> str:
    """An OSError in Bahasa Indonesia where its cause is a common one: `disk penuh`, ..."""
    known = _OS_ERRORS.get(error.errno or 0)
    if known is not None:
        return known
    return error.strerror or type(error).__name__


SCRATCH_PREFIX = "kinerja-"


@contextlib.contextmanager
def scratch_folder() -> Iterator[Path]:
    """A temporary folder that holds every temporary file of a run, its libraries' included
    (WeasyPrint copies fonts into `weasyprint-*` folders), and is removed when the run ends.

    While it is open, `tempfile` creates everything inside it; worker processes forked meanwhile
    inherit that. A run killed before it could clean up leaves the folder behind; it is named
    after the run's process, and the next run removes such folders of processes that are gone.
    """
    base = Path(tempfile.gettempdir())
    _remove_orphaned_scratch(base)
    folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=base))
    previous = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(folder, ignore_errors=True)


def _remove_orphaned_scratch(base: Path) -> None:
    if os.name != "posix":  # no way to ask whether a process lives without touching it
        return
    for folder in base.glob(f"{SCRATCH_PREFIX}*-*"):
        pid = folder.name.removeprefix(SCRATCH_PREFIX).split("-", 1)[0]
        if pid.isdigit() and folder.is_dir() and not folder.is_symlink() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


# Names Windows reserves for devices, whatever the extension (`CON.pdf` is the console too).
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{d}{i}" for d in ("COM", "LPT") for i in range(1, 10)}
)


def slug(text: str, max_length: int = 60) -> str:
    """A file-name-safe ASCII form of a name: `Dr. Siti Aminah, M.Pd.` -> `Dr_Siti_Aminah_M_Pd`.

    Valid on every file system: letters, digits, `_` and `-` only (so no `:*?"<>|`, no dot or
    space at the end), at most `max_length` characters, and never a name Windows reserves (`CON`
    becomes `CON_`)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE.sub("_", ascii_text).replace(".", "_")
    cleaned = re.sub(r"_+", "_", cleaned).strip("_-")
    cleaned = cleaned[:max_length].rstrip("_-") or "tanpa_nama"
    return f"{cleaned}_" if cleaned.upper() in WINDOWS_RESERVED else cleaned


def templates_dir() -> Path:
    """The HTML/CSS templates and fonts: package data when installed, `templates/` in a checkout."""
    packaged = Path(str(resources.files("kinerja_batch"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"
