"""`kinerja run`: build the periods of a plain folder or of the working folder."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from kinerja_batch.cli.app import (
    IN_WORKSPACE,
    WorkspaceProblem,
    agency_periode,
    cli,
    exit_code,
    guarded,
    note_slow_subsetting,
    settings_for,
    standing_files,
    workspace,
)
from kinerja_batch.cli.console import ConsoleProgress, print_run_report, print_workspace_report
from kinerja_batch.cli.types import (
    KRITERIA_OPTION,
    PEGAWAI_OPTION,
    FolderType,
    PathType,
    PeriodeType,
    WholeNumberType,
    debug_option,
)
from kinerja_batch.model import Periode
from kinerja_batch.operations import run_workspace
from kinerja_batch.pipeline import run


@cli.command(
    "run",
    help="Proses semua buku kerja di FOLDER_MASUKAN: periksa isinya, hitung rating dan predikat, "
    "lalu buat PDF umpan balik per pegawai dan buku kerja ringkasan di folder --out. Berkas di "
    "folder masukan tidak pernah diubah atau dihapus. Di folder kerja yang dibuat `kinerja init`, "
    "FOLDER_MASUKAN, --out, --kriteria dan --pegawai boleh dihilangkan: isinya diambil dari "
    "kinerja.toml.",
    short_help="Proses buku kerja menjadi PDF umpan balik dan ringkasan.",
)
@click.argument("folder_masukan", type=FolderType(), metavar="[FOLDER_MASUKAN]", required=False)
@click.option(
    "--out",
    "out",
    type=PathType(folder=True),
    metavar="FOLDER",
    help="Folder hasil; setiap periode mendapat subfolder sendiri (misalnya hasil/2026-11).",
)
@click.option(
    "--periode",
    type=PeriodeType(),
    default=None,
    help="Periode yang diproses, misalnya 2026-11 atau 2026-Q3. Tanpa opsi ini, setiap periode yang tertulis "
    "di sheet Identitas diproses sendiri-sendiri.",
)
@KRITERIA_OPTION
@PEGAWAI_OPTION
@click.option(
    "--workers",
    type=WholeNumberType(1),
    default=None,
    metavar="N",
    help="Jumlah proses yang membuat PDF bersamaan. Bawaan: satu per inti prosesor yang tersedia; "
    "1 membuat PDF satu per satu.",
)
@click.option(
    "--periksa",
    is_flag=True,
    help="Hanya periksa: jalankan semua pemeriksaan dan tulis buku kerja ringkasan (dengan sheet "
    "Kalibrasi, Distribusi dan Bukti) tanpa membuat PDF, agar HR bisa meninjau sebelum hasil "
    "dibagikan. Hanya untuk FOLDER_MASUKAN yang disebutkan.",
)
@debug_option
def run_command(
    folder_masukan: Path | None,
    out: Path | None,
    periode: Periode | None,
    kriteria: Path | None,
    pegawai: Path | None,
    workers: int | None,
    periksa: bool,
    debug: bool,
) -> None:
    def action(stdout: Console) -> int:
        if not periksa:
            note_slow_subsetting()
        progress = ConsoleProgress(Console(stderr=True))
        if folder_masukan is None:
            if periksa:
                raise WorkspaceProblem(
                    "Di folder kerja, gunakan `kinerja run --periksa` dengan folder masukan dan "
                    "--out tersendiri (misalnya `kinerja run inbox --out periksa --periksa "
                    "--kriteria kriteria.xlsx --pegawai pegawai.xlsx`), agar hasil resmi dan arsip "
                    "tidak berubah."
                )
            config = workspace()
            if config is None:
                raise WorkspaceProblem(f"Sebutkan FOLDER_MASUKAN dan --out, atau {IN_WORKSPACE}.")
            if out is not None or kriteria is not None or pegawai is not None:
                raise WorkspaceProblem(
                    "Di folder kerja, --out, --kriteria dan --pegawai diambil dari kinerja.toml; "
                    "ubah kinerja.toml bila perlu, atau sebutkan FOLDER_MASUKAN."
                )
            settings = settings_for(config, workers)
            asked = agency_periode(settings, periode)
            built = run_workspace(config, settings, periode=asked, progress=progress)
            print_workspace_report(stdout, built)
            return exit_code(built.outcomes_findings)
        if out is None:
            raise WorkspaceProblem("Sebutkan folder hasil dengan --out.")
        report = run(
            folder_masukan,
            out,
            periode=periode,
            settings=settings_for(None, workers, periode),
            progress=progress,
            standing=standing_files(None, kriteria, pegawai),
            check_only=periksa,
        )
        print_run_report(stdout, report)
        return exit_code(report.findings())

    guarded(debug, action)
