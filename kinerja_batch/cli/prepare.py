"""`kinerja init` (a new working folder) and `kinerja templat` (a period's blank workbooks)."""

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
from kinerja_batch.cli.console import ConsoleProgress, print_findings, say
from kinerja_batch.cli.stops import EXIT_BLOCKED, EXIT_OK
from kinerja_batch.cli.types import (
    KRITERIA_OPTION,
    PEGAWAI_OPTION,
    PathType,
    PeriodeType,
    debug_option,
)
from kinerja_batch.findings import Severity
from kinerja_batch.model import Periode
from kinerja_batch.workspace import init_workspace, write_templates


@cli.command(
    "init",
    help="Buat folder kerja untuk satu kantor di FOLDER: subfolder inbox/, berkas konfigurasi "
    "kinerja.toml, dan buku kerja awal kriteria.xlsx (dengan tujuh nilai BerAKHLAK) serta "
    "pegawai.xlsx, masing-masing dengan sheet Petunjuk. Berkas yang sudah ada tidak pernah ditimpa.",
    short_help="Buat folder kerja baru dengan konfigurasi dan buku kerja awal.",
)
@click.argument("folder", type=PathType(folder=True), metavar="FOLDER")
@click.option(
    "--instansi",
    default="Pemerintah Kabupaten Kemuning",
    show_default=True,
    metavar="NAMA",
    help="Nama instansi untuk kop PDF dan konfigurasi.",
)
@debug_option
def init_command(folder: Path, instansi: str, debug: bool) -> None:
    def action(stdout: Console) -> int:
        written = init_workspace(folder, instansi)
        for path in written.created:
            say(stdout, f"Dibuat: {path}")
        for path in written.kept:
            say(stdout, f"Sudah ada, tidak diubah: {path}")
        say(
            stdout,
            f"Folder kerja siap di {folder}. Langkah berikutnya: isi kriteria.xlsx dan pegawai.xlsx, "
            f"lalu di folder itu jalankan: kinerja templat --periode 2026-11",
        )
        return EXIT_OK

    guarded(debug, action)


@cli.command(
    "templat",
    help="Periksa buku kerja kriteria dan daftar pegawai (temuan dan kode keluar sama dengan run), "
    "lalu buat buku kerja kosong untuk PERIODE: laporan_<NIP>_<nama>.xlsx untuk setiap pegawai dan "
    "penilaian_<NIP>_<nama>.xlsx untuk setiap atasan, sudah terisi identitas dan kriteria, dalam "
    "satu folder per unit kerja. Berkas yang sudah ada tidak ditimpa.",
    short_help="Buat buku kerja laporan dan penilaian yang siap diisi.",
)
@click.option(
    "--periode",
    type=PeriodeType(),
    required=True,
    help="Periode templat, misalnya 2026-11 (atau 2026-Q3 bila instansi menilai per triwulan).",
)
@KRITERIA_OPTION
@PEGAWAI_OPTION
@click.option(
    "--out",
    type=PathType(folder=True),
    metavar="FOLDER",
    help="Folder tujuan (bawaan di folder kerja: templat/<periode>).",
)
@debug_option
def templat_command(
    periode: Periode, kriteria: Path | None, pegawai: Path | None, out: Path | None, debug: bool
) -> None:
    def action(stdout: Console) -> int:
        config = workspace()
        settings = settings_for(config, periode=periode)
        asked = agency_periode(settings, periode)
        assert asked is not None
        standing = standing_files(config, kriteria, pegawai)
        target = out or (config.paths.templates(asked) if config else None)
        if len(standing) < 2 or target is None:
            raise WorkspaceProblem(
                f"Sebutkan --kriteria, --pegawai dan --out, atau {IN_WORKSPACE}."
            )
        written = write_templates(
            standing[0],
            standing[1],
            asked,
            target,
            settings,
            password=config.kata_sandi_templat if config else None,
            progress=ConsoleProgress(Console(stderr=True)),
        )
        print_findings(stdout, written.findings)
        say(
            stdout,
            f"Templat {asked.label} dibuat di {target}: {len(written.self_reports)} laporan "
            f"pegawai, {len(written.score_sheets)} penilaian atasan.",
        )
        if written.kept:
            say(stdout, f"{len(written.kept)} berkas sudah ada dan tidak diubah.")
        galat = sum(1 for f in written.findings if f.severity is Severity.GALAT)
        if galat:
            say(
                stdout,
                f"{galat} galat di daftar pegawai: pegawai yang bersangkutan tidak mendapat templat.",
            )
        return EXIT_BLOCKED if galat else EXIT_OK

    guarded(debug, action)
