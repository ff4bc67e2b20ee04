"""Which kind of workbook a file is, told by its sheets (CONTRACT.md)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from kinerja_batch.parsing import label_key


class Kind(StrEnum):
    KRITERIA = "kriteria"
    PEGAWAI = "pegawai"
    LAPORAN = "laporan"
    PENILAIAN = "penilaian"


# The sheet that marks each kind, and every sheet that kind reads.
MARKER_SHEET = {
    Kind.KRITERIA: "Kriteria",
    Kind.PEGAWAI: "Pegawai",
    Kind.LAPORAN: "Capaian",
    Kind.PENILAIAN: "Nilai",
}
SHEETS = {
    Kind.KRITERIA: ("Kriteria", "Ambang", "Pengaturan"),
    Kind.PEGAWAI: ("Pegawai",),
    Kind.LAPORAN: ("Identitas", "Capaian", "Tantangan", "Rencana Perbaikan"),
    Kind.PENILAIAN: ("Identitas", "Nilai", "Umpan Balik"),
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
