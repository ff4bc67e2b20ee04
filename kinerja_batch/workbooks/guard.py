"""Checks a file must pass before any parser sees it: size, container type, zip resource limits.

A workbook in the inbox may be corrupt, renamed, encrypted, huge or crafted. Each case ends here as a
`WorkbookError` with its own finding code, in bounded time and memory: only the zip's central
directory is read, never the entries themselves.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from kinerja_batch.settings import ReadLimits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .xls, and encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_OOXML_MARK = "EncryptionInfo".encode("utf-16-le")


class WorkbookError(Exception):
    """The file cannot be read as a workbook. `code` names the finding; `params` fill its message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class UnsafeEnvironment(Exception):
    """The installation lacks a protection the program relies on; the message is for the user."""


def require_safe_xml() -> None:
    """openpyxl defends against XML attacks (entity expansion, external entities) only when
    defusedxml is installed; refuse to run without it."""
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise UnsafeEnvironment(
            "Paket pengaman XML (defusedxml) tidak terpasang, sehingga buku kerja tidak bisa dibaca "
            "dengan aman. Pasang ulang aplikasi: pip install kinerja-batch (atau pip install "
            "defusedxml), lalu jalankan lagi."
        )


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB".replace(".", ",")


def check_file(path: Path, limits: ReadLimits) -> None:
    """Raise WorkbookError for a file that no parser should be given."""
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError("berkas-kosong")
    if size > limits.max_file_bytes:
        raise WorkbookError(
            "berkas-terlalu-besar",
            what=f"ukuran berkas {_megabytes(size)}",
            limit=_megabytes(limits.max_file_bytes),
        )
    with path.open("rb") as fh:
        head = fh.read(4096)
    suffix = path.suffix.lower()
    if head.startswith(OLE_MAGIC):
        if suffix in (".xlsx", ".xlsm"):
            # An encrypted OOXML workbook is an OLE container holding EncryptionInfo.
            if ENCRYPTED_OOXML_MARK in _read_all(path, limits.max_file_bytes):
                raise WorkbookError("berkas-terkunci")
            raise WorkbookError("berkas-bukan-excel", actual="berkas Office lama (.xls/.doc)")
        return  # .xls is an OLE container: the reader takes it from here
    if suffix in (".xlsx", ".xlsm", ".ods"):
        if not head.startswith(ZIP_MAGIC):
            raise WorkbookError("berkas-bukan-excel", actual=_describe(head))
        _check_zip(path, suffix, limits)
    elif suffix == ".xls":
        raise WorkbookError("berkas-bukan-excel", actual=_describe(head))


def _read_all(path: Path, limit: int) -> bytes:
    with path.open("rb") as fh:
        return fh.read(limit)


def _describe(head: bytes) -> str:
    """What a file that claims to be a workbook actually is, in words."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%PDF"):
        return "dokumen PDF"
    if text.startswith((b"<!doctype html", b"<html")):
        return "halaman web (HTML)"
    if text.startswith(b"<?xml"):
        return "berkas XML"
    if head.startswith(ZIP_MAGIC):
        return "arsip zip"
    if b"\x00" not in head and (b"," in head or b";" in head or b"\t" in head):
        return "teks/CSV"
    return "bukan buku kerja"


def _check_zip(path: Path, suffix: str, limits: ReadLimits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError):
        raise WorkbookError("berkas-terpotong") from None
    names = {info.filename for info in infos}
    if suffix == ".ods":
        if "content.xml" not in names:
            raise WorkbookError("berkas-bukan-excel", actual=_zip_kind(names))
    elif "xl/workbook.xml" not in names:
        raise WorkbookError("berkas-bukan-excel", actual=_zip_kind(names))
    if len(infos) > limits.max_zip_entries:
        raise WorkbookError(
            "berkas-terlalu-besar",
            what=f"{len(infos)} bagian di dalam berkas",
            limit=str(limits.max_zip_entries),
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        raise WorkbookError(
            "berkas-terlalu-besar",
            what=f"isi berkas {_megabytes(total)} setelah diekstrak",
            limit=_megabytes(limits.max_uncompressed_bytes),
        )
    for info in infos:
        if (
            info.file_size > 1_000_000
            and info.file_size > info.compress_size * limits.max_compression_ratio
        ):
            raise WorkbookError(
                "berkas-terlalu-besar",
                what=f"rasio kompresi {info.file_size // max(info.compress_size, 1)}:1 "
                f"({info.filename})",
                limit=f"{limits.max_compression_ratio}:1",
            )


def _zip_kind(names: set[str]) -> str:
    if any(n.startswith("word/") for n in names):
        return "dokumen Word"
    if any(n.startswith("ppt/") for n in names):
        return "presentasi PowerPoint"
    return "arsip zip yang bukan buku kerja"
