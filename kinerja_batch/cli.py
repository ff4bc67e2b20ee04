"""The `kinerja` command line: options -> library calls -> exit codes and messages.

Exit codes: 0 no finding blocks anything; 1 some findings of severity Galat (employees or files
blocked); 2 unusable input (no or invalid criteria or roster, bad arguments); 3 an unexpected internal
error (details with --debug).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from kinerja_batch import __version__
from kinerja_batch.findings import Finding, RunStopped, Severity, sort_key
from kinerja_batch.model import Periode, Status
from kinerja_batch.parsing import ParseError, parse_periode
from kinerja_batch.pipeline import PDF_FOLDER, RunReport, run
from kinerja_batch.settings import Settings
from kinerja_batch.workbooks.guard import UnsafeEnvironment, require_safe_xml

EXIT_OK, EXIT_BLOCKED, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3
MAX_FINDINGS_SHOWN = 40

F = TypeVar("F", bound=Callable[..., Any])


# --- Indonesian help and errors ------------------------------------------------------------------


class _Indonesian:
    """Click's own words (usage, options, help option) in Bahasa Indonesia."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Penggunaan: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            (name, _indonesian_help(help_text))
            for p in self.get_params(ctx)  # type: ignore[attr-defined]
            if isinstance(p, click.Option) and (rv := p.get_help_record(ctx)) is not None
            for name, help_text in [rv]
        ]
        if rows:
            with formatter.section("Opsi"):
                formatter.write_dl(rows)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option: click.Option | None = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Tampilkan bantuan ini lalu keluar."
        return option


def _indonesian_help(help_text: str) -> str:
    return help_text.replace("[required]", "[wajib]").replace("[default: ", "[bawaan: ")


class Command(_Indonesian, click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPSI]")
        super().__init__(*args, **kwargs)


class Group(_Indonesian, click.Group):
    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPSI]")
        kwargs.setdefault("subcommand_metavar", "PERINTAH [ARGUMEN]...")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        commands = [
            (name, cmd.get_short_help_str(limit=formatter.width))
            for name in self.list_commands(ctx)
            if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden
        ]
        if commands:
            with formatter.section("Perintah"):
                formatter.write_dl(commands)


def _usage_message(error: click.UsageError) -> str:
    param = getattr(error, "param", None)
    name = param.get_error_hint(error.ctx) if param is not None and error.ctx else ""
    if isinstance(error, click.MissingParameter):
        return f"{name or 'Argumen'} wajib diisi."
    if isinstance(error, click.NoSuchOption):
        return f"Opsi tidak dikenal: {error.option_name}."
    if isinstance(error, click.BadOptionUsage):
        return f"Opsi {error.option_name} perlu diberi nilai."
    if isinstance(error, click.BadParameter):
        return f"Nilai tidak valid untuk {name}: {error.message}"
    if error.message.startswith("No such command"):
        return f"Perintah tidak dikenal: {error.message.split(' ', 3)[-1].rstrip('.')}."
    if error.message.startswith("Got unexpected extra argument"):
        return f"Argumen berlebih: {error.message.split('(', 1)[-1].rstrip(').')}."
    return error.message


class PeriodeType(click.ParamType[Periode]):
    name = "periode"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Periode:
        if isinstance(value, Periode):
            return value
        try:
            return parse_periode(str(value))
        except ParseError:
            self.fail(
                f"'{value}' bukan periode. Tulis bulan dan tahun, misalnya 2026-11 atau "
                "'November 2026'.",
                param,
                ctx,
            )


class FolderType(click.ParamType[Path]):
    name = "folder"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        path = Path(value)
        if not path.exists():
            self.fail(f"folder '{value}' tidak ada.", param, ctx)
        if not path.is_dir():
            self.fail(f"'{value}' bukan folder.", param, ctx)
        return path


# --- console -------------------------------------------------------------------------------------


class ConsoleProgress:
    """The pipeline's progress as a rich bar on the error stream."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar: RichProgress | None = None
        self.task: Any = None

    def start(self, label: str, total: int) -> None:
        self.bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task(label, total=total)

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _finding_line(f: Finding) -> str:
    place = f"{f.place} " if f.place else ""
    return f"[{f.severity.value}] {place}({f.code}): {f.message}"


def _print_findings(out: Console, findings: Sequence[Finding]) -> None:
    shown = [f for f in sorted(findings, key=sort_key) if f.severity is not Severity.INFO]
    for f in shown[:MAX_FINDINGS_SHOWN]:
        style = "red" if f.severity is Severity.GALAT else "yellow"
        out.print(_finding_line(f), style=style, markup=False, highlight=False)
    if len(shown) > MAX_FINDINGS_SHOWN:
        out.print(
            f"... dan {len(shown) - MAX_FINDINGS_SHOWN} temuan lain; lihat sheet Validasi di "
            "buku kerja ringkasan.",
            markup=False,
        )


def _print_report(out: Console, report: RunReport) -> None:
    findings = report.findings()
    _print_findings(out, findings)
    out.print()
    out.print(f"Selesai. {report.files_seen} berkas di folder masukan diperiksa.", markup=False)
    for p in report.periods:
        counts = {s: 0 for s in Status}
        for o in p.outcome.outcomes:
            counts[o.status] += 1
        out.print(
            f"Periode {p.outcome.periode.label}: {counts[Status.DINILAI]} pegawai dinilai, "
            f"{counts[Status.BELUM_DINILAI]} belum dinilai, "
            f"{counts[Status.BELUM_ADA_LAPORAN]} belum ada laporan, "
            f"{counts[Status.DIBLOKIR]} diblokir temuan.",
            markup=False,
        )
        out.print(
            f"  PDF umpan balik: {p.folder / PDF_FOLDER} ({len(p.pdfs)} berkas)", markup=False
        )
        out.print(f"  Ringkasan: {p.summary_path}", markup=False)
    out.print(
        f"Temuan: {report.count(Severity.GALAT)} galat, {report.count(Severity.PERINGATAN)} "
        f"peringatan, {report.count(Severity.INFO)} info.",
        markup=False,
    )


# --- commands ------------------------------------------------------------------------------------


def debug_option(f: F) -> F:
    return click.option(
        "--debug", is_flag=True, help="Tampilkan rincian teknis (traceback) bila terjadi kesalahan."
    )(f)


@click.group(
    cls=Group,
    context_settings={"terminal_width": 80, "max_content_width": 80},
    help="kinerja-batch: mengolah penilaian kinerja ASN dari buku kerja Excel menjadi umpan balik "
    "PDF per pegawai dan ringkasan untuk pimpinan.",
)
@click.version_option(
    __version__, "--version", message="%(prog)s %(version)s", help="Tampilkan versi lalu keluar."
)
def cli() -> None:
    pass


@cli.command(
    "run",
    help="Proses semua buku kerja di FOLDER_MASUKAN: periksa isinya, hitung rating dan predikat, "
    "lalu buat PDF umpan balik per pegawai dan buku kerja ringkasan di folder --out. Berkas di "
    "folder masukan tidak pernah diubah atau dihapus.",
    short_help="Proses buku kerja menjadi PDF umpan balik dan ringkasan.",
)
@click.argument("folder_masukan", type=FolderType(), metavar="FOLDER_MASUKAN")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="FOLDER",
    help="Folder hasil; setiap periode mendapat subfolder sendiri (misalnya hasil/2026-11).",
)
@click.option(
    "--periode",
    type=PeriodeType(),
    default=None,
    help="Periode yang diproses, misalnya 2026-11. Tanpa opsi ini, setiap periode yang tertulis "
    "di sheet Identitas diproses sendiri-sendiri.",
)
@debug_option
def run_command(folder_masukan: Path, out: Path, periode: Periode | None, debug: bool) -> None:
    console = Console(stderr=True)
    stdout = Console(highlight=False, soft_wrap=True)
    settings = Settings()
    try:
        require_safe_xml()
    except UnsafeEnvironment as problem:
        stdout.print(str(problem), markup=False)
        sys.exit(EXIT_UNUSABLE)
    try:
        report = run(
            folder_masukan,
            out,
            periode=periode,
            settings=settings,
            progress=ConsoleProgress(console),
        )
    except RunStopped as stop:
        _print_findings(stdout, stop.findings)
        stdout.print(
            "Proses dihentikan: masukan belum bisa dipakai. Perbaiki galat di atas, lalu jalankan lagi.",
            markup=False,
        )
        sys.exit(EXIT_UNUSABLE)
    except Exception as error:
        if debug:
            traceback.print_exc()
        stdout.print(
            f"Terjadi kesalahan tak terduga ({type(error).__name__}: {error}). Jalankan lagi dengan "
            "--debug untuk rincian teknis, dan laporkan kepada pengelola aplikasi.",
            markup=False,
        )
        sys.exit(EXIT_INTERNAL)
    _print_report(stdout, report)
    sys.exit(EXIT_BLOCKED if report.count(Severity.GALAT) else EXIT_OK)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: runs the CLI, turning click's usage errors into Indonesian messages."""
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="kinerja",
            standalone_mode=False,
        )
    except click.exceptions.NoArgsIsHelpError as error:
        click.echo(error.ctx.get_help() if error.ctx else "", err=True)
        sys.exit(EXIT_UNUSABLE)
    except click.UsageError as error:
        hint = f"Lihat '{error.ctx.command_path} --help' untuk bantuan." if error.ctx else ""
        click.echo(f"Galat: {_usage_message(error)}", err=True)
        if hint:
            click.echo(hint, err=True)
        sys.exit(EXIT_UNUSABLE)
    except click.Abort:
        click.echo("Dibatalkan.", err=True)
        sys.exit(EXIT_UNUSABLE)
    sys.exit(result if isinstance(result, int) else EXIT_OK)
