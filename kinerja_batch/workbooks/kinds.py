"""Which kind of workbook a file is, told by its sheets (CONTRACT.md; declared in `contract.py`)."""

from __future__ import annotations

from collections.abc import Iterable

from kinerja_batch.parsing import label_key
from kinerja_batch.workbooks.contract import WORKBOOKS, Kind

__all__ = [
    "ALL_SHEETS",
    "KIND_LABEL",
    "MARKER_SHEET",
    "PROP_KIND",
    "PROP_PERIODE",
    "PROP_VERSION",
    "SHEETS",
    "TEMPLATE_VERSION",
    "Kind",
    "compatible",
    "kinds_of",
]

# The sheet that marks each kind, and every sheet that kind reads.
MARKER_SHEET: dict[Kind, str] = {kind: book.marker for kind, book in WORKBOOKS.items()}
SHEETS: dict[Kind, tuple[str, ...]] = {
    kind: tuple(sheet.name for sheet in book.sheets) for kind, book in WORKBOOKS.items()
}
ALL_SHEETS = frozenset(label_key(s) for names in SHEETS.values() for s in names)

# Generated blank workbooks (`kinerja templat`) carry these custom document properties.
TEMPLATE_VERSION = 1
PROP_KIND = "kinerja-templat"
PROP_VERSION = "kinerja-versi"
PROP_PERIODE = "kinerja-periode"

# Human names of the kinds, for messages.
KIND_LABEL = {
    Kind.KRITERIA: "kriteria",
    Kind.PEGAWAI: "daftar pegawai",
    Kind.LAPORAN: "laporan pegawai",
    Kind.PENILAIAN: "penilaian atasan",
}


def kinds_of(sheet_names: Iterable[str]) -> list[Kind]:
    present = {label_key(n) for n in sheet_names}
    return [kind for kind, marker in MARKER_SHEET.items() if label_key(marker) in present]


def compatible(kinds: list[Kind]) -> bool:
    """Criteria and roster may share one workbook; a self-report or a score sheet stands alone."""
    per_person = [k for k in kinds if k in (Kind.LAPORAN, Kind.PENILAIAN)]
    return not per_person or len(kinds) == 1
