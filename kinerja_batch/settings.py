"""Defaults in one place: every tunable number the stages use comes from a `Settings` object."""

from __future__ import annotations

from dataclasses import dataclass, field

from kinerja_batch.model import Jenis, Thresholds


def _default_thresholds() -> dict[Jenis, Thresholds]:
    return {jenis: Thresholds(di_atas=80.0, sesuai=50.0) for jenis in Jenis}


@dataclass(frozen=True)
class ReadLimits:
    """What a workbook may be before it is parsed; beyond these it is reported, not read."""

    max_file_bytes: int = 50_000_000
    max_zip_entries: int = 5_000
    max_uncompressed_bytes: int = 150_000_000
    max_compression_ratio: int = 200  # zip bombs reach thousands; real sheets stay below ~50
    max_rows: int = 200_000


@dataclass(frozen=True)
class Settings:
    # Criteria defaults (CONTRACT.md).
    skala_min: float = 1.0
    skala_maks: float = 5.0
    weight_tolerance: float = 0.01
    thresholds: dict[Jenis, Thresholds] = field(default_factory=_default_thresholds)

    # The agency's name when the criteria workbook's `Pengaturan` sheet does not give one.
    nama_instansi: str = ""

    # Feedback PDF.
    unit_average_min_employees: int = (
        5  # below this a unit average could reveal a colleague's score
    )
    strengths_count: int = 2
    max_text_chars: int = 4000  # longer texts are cut in the PDF, with a visible note
    trend_periods: int = 6  # periods of history shown in the PDF's trend

    # Reading.
    supported_suffixes: tuple[str, ...] = (".xlsx", ".xlsm", ".xls", ".ods")
    limits: ReadLimits = field(default_factory=ReadLimits)

    # Rendering.
    workers: int = 1


DEFAULT_SETTINGS = Settings()
