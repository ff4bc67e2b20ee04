"""`kinerja status`: where a period stands, per unit."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from kinerja_batch.cli.app import (
    IN_WORKSPACE,
    WorkspaceProblem,
    agency_periode,
    cli,
    guarded,
    settings_for,
    standing_files,
    workspace,
)
from kinerja_batch.cli.console import print_status, say
from kinerja_batch.cli.stops import EXIT_OK
from kinerja_batch.cli.types import (
    KRITERIA_OPTION,
    PEGAWAI_OPTION,
    FolderType,
    PathType,
    PeriodeType,
    debug_option,
)
from kinerja_batch.model import Periode
from kinerja_batch.operations import workspace_outcome
from kinerja_batch.pipeline import current_outcome
from kinerja_batch.sheets.status import status_rows, write_status


@cli.command(
    "status",
    help="Tampilkan posisi satu periode per unit kerja: siapa yang belum mengirim laporan, siapa "
    "yang belum dinilai, siapa yang tertahan temuan, dan siapa yang sudah selesai. Tidak mengubah "
    "berkas apa pun. Di folder kerja tidak perlu FOLDER_MASUKAN.",
    short_help="Tampilkan siapa yang belum mengirim, belum dinilai, atau tertahan.",
)
@click.argument("folder_masukan", type=FolderType(), metavar="[FOLDER_MASUKAN]", required=False)
@click.option(
    "--periode",
    type=PeriodeType(),
    default=None,
    help="Periode yang ditampilkan (bawaan: periode terbaru yang ada).",
)
@click.option(
    "--xlsx",
    type=PathType(folder=False),
    metavar="BERKAS",
    help="Tulis juga buku kerja status, misalnya untuk dikirim ke para atasan sebagai pengingat.",
)
@KRITERIA_OPTION
@PEGAWAI_OPTION
@debug_option
def status_command(
    folder_masukan: Path | None,
    periode: Periode | None,
    xlsx: Path | None,
    kriteria: Path | None,
    pegawai: Path | None,
    debug: bool,
) -> None:
    def action(stdout: Console) -> int:
        if folder_masukan is None:
            config = workspace()
            if config is None:
                raise WorkspaceProblem(f"Sebutkan FOLDER_MASUKAN, atau {IN_WORKSPACE}.")
            settings = settings_for(config)
            asked = agency_periode(settings, periode)
            outcome = workspace_outcome(config, settings, asked)
        else:
            standing = standing_files(None, kriteria, pegawai)
            settings = settings_for(None, periode=periode)
            outcome = current_outcome(folder_masukan, settings, standing, periode)
        rows = status_rows(outcome)
        print_status(stdout, outcome.periode, rows)
        if xlsx is not None:
            write_status(rows, f"Status Penilaian Kinerja {outcome.periode.label}", xlsx)
            say(stdout, f"Buku kerja status: {xlsx}")
        return EXIT_OK

    guarded(debug, action)
