"""File-system helpers for writing outputs: atomic writes, safe file names, package resources."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
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
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str, max_length: int = 60) -> str:
    """A file-name-safe ASCII form of a name: `Dr. Siti Aminah, M.Pd.` -> `Dr_Siti_Aminah_M_Pd`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE.sub("_", ascii_text).replace(".", "_")
    cleaned = re.sub(r"_+", "_", cleaned).strip("_-")
    return cleaned[:max_length].rstrip("_-") or "tanpa_nama"


def templates_dir() -> Path:
    """The HTML/CSS templates and fonts: package data when installed, `templates/` in a checkout."""
    packaged = Path(str(resources.files("kinerja_batch"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"
