"""`kinerja tahunan`: the annual suggestion from the working folder's history."""

from __future__ import annotations

import click
from rich.console import Console

from kinerja_batch.cli.app import (
    IN_WORKSPACE,
    cli,
    guarded,
    note_slow_subsetting,
    required_workspace,
    settings_for,
)
from kinerja_batch.cli.console import ConsoleProgress, say
from kinerja_batch.cli.stops import EXIT_OK
from kinerja_batch.cli.types import WholeNumberType, debug_option
from kinerja_batch.operations import run_annual


@cli.command(
    "tahunan",
    help="Usulkan predikat kinerja tahunan TAHUN untuk setiap pegawai dari hasil bulanan di riwayat "
    "folder kerja: rata-rata Nilai Hasil Kerja dan Nilai Perilaku Kerja setahun dinilai dengan ambang "
    "dan matriks yang sama. Menulis ringkasan tahunan dan satu PDF per pegawai di hasil/tahunan-TAHUN. "
    "Usulan ini aturan lokal, bukan ketentuan peraturan: predikat tahunan ditetapkan oleh Pejabat "
    "Penilai Kinerja.",
    short_help="Usulan predikat tahunan dari hasil bulanan (aturan lokal).",
)
@click.argument("tahun", type=WholeNumberType(2000, 2999), metavar="TAHUN")
@debug_option
def tahunan_command(tahun: int, debug: bool) -> None:
    def action(stdout: Console) -> int:
        note_slow_subsetting()
        config = required_workspace(f"Usulan tahunan memakai riwayat folder kerja: {IN_WORKSPACE}.")
        report = run_annual(
            config, settings_for(config), tahun, progress=ConsoleProgress(Console(stderr=True))
        )
        say(
            stdout,
            f"Usulan predikat tahunan {tahun} untuk {report.employees} pegawai (aturan lokal; "
            "predikat tahunan ditetapkan oleh Pejabat Penilai Kinerja).",
        )
        say(stdout, f"  Ringkasan tahunan: {report.summary_path}")
        say(stdout, f"  PDF: {report.pdf_folder} ({len(report.pdfs)} berkas)")
        return EXIT_OK

    guarded(debug, action)
