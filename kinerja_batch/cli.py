"""The `kinerja` command line: options -> library calls -> exit codes and messages.

Exit codes: 0 no finding blocks anything; 1 some findings of severity Galat (employees or files
blocked); 2 unusable input (no or invalid criteria or roster, bad arguments); 3 an unexpected internal
error (details with --debug); 4 another run holds the working folder.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from kinerja_batch import __version__
from kinerja_batch.config import ConfigError, WorkspaceConfig, find_config, load_config
from kinerja_batch.delivery import (
    DeliveryProblem,
    Item,
    lay_out_folders,
    open_ledger,
    period_pdfs,
    plan_email,
    plan_folders,
    send_email,
)
from kinerja_batch.documents.weasy import SLOW_SUBSETTING_NOTE, fast_font_subsetting
from kinerja_batch.findings import Finding, RunStopped, Severity, Source, finding, sort_key
from kinerja_batch.history import Ledger
from kinerja_batch.loading import FINDINGS_SUFFIX, NoProgress, load_files, load_inbox
from kinerja_batch.model import Employee, Periode, Status
from kinerja_batch.operations import (
    Busy,
    WorkspaceReport,
    run_annual,
    run_workspace,
    workspace_outcome,
)
from kinerja_batch.parsing import ParseError, parse_periode
from kinerja_batch.pipeline import PDF_FOLDER, PeriodReport, RunReport, assess, periods_in, run
from kinerja_batch.settings import Settings
from kinerja_batch.sheets.delivery_report import write_delivery_report
from kinerja_batch.sheets.status import STATUS_ORDER, StatusRow, status_rows, write_status
from kinerja_batch.workbooks.guard import UnsafeEnvironment, require_safe_xml
from kinerja_batch.workspace import init_workspace, write_templates

EXIT_OK, EXIT_BLOCKED, EXIT_UNUSABLE, EXIT_INTERNAL, EXIT_BUSY = 0, 1, 2, 3, 4
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


class WholeNumberType(click.ParamType[int]):
    """A whole number within bounds, refused in Indonesian (click's own range type speaks
    English)."""

    name = "bilangan"

    def __init__(self, low: int, high: int | None = None) -> None:
        self.low, self.high = low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            number = value
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                self.fail(f"'{value}' bukan bilangan bulat.", param, ctx)
        if self.high is None and number < self.low:
            self.fail(f"{number} terlalu kecil; paling sedikit {self.low}.", param, ctx)
        if self.high is not None and not self.low <= number <= self.high:
            self.fail(f"{number} di luar rentang {self.low} sampai {self.high}.", param, ctx)
        return number


class PathType(click.ParamType[Path]):
    """A path to write, or to read later; one that exists must be a folder (`folder=True`) or a
    file, refused in Indonesian otherwise (click's own path type speaks English)."""

    def __init__(self, *, folder: bool) -> None:
        self.folder = folder
        self.name = "folder" if folder else "berkas"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        path = Path(value)
        if self.folder and path.exists() and not path.is_dir():
            self.fail(f"'{value}' adalah berkas, bukan folder.", param, ctx)
        if not self.folder and path.is_dir():
            self.fail(f"'{value}' adalah folder, bukan berkas.", param, ctx)
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
        _print_period(out, p, rerendered=False)
    out.print(
        f"Temuan: {report.count(Severity.GALAT)} galat, {report.count(Severity.PERINGATAN)} "
        f"peringatan, {report.count(Severity.INFO)} info.",
        markup=False,
    )


# --- commands ------------------------------------------------------------------------------------


def _print_period(out: Console, p: PeriodReport, *, rerendered: bool) -> None:
    """A period's closing lines: statuses, where the PDFs and the summary are, the checks."""
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
    made = f", {p.rendered} dibuat ulang" if rerendered else ""
    out.print(
        f"  PDF umpan balik: {p.folder / PDF_FOLDER} ({len(p.pdfs)} berkas{made})", markup=False
    )
    out.print(f"  Ringkasan: {p.summary_path}", markup=False)
    _print_checks(out, p)


def _print_checks(out: Console, period: PeriodReport) -> None:
    if period.checks is None:
        return
    for s in period.checks.flagged_supervisors:
        reasons = "; ".join(f.reason.rstrip(".") for f in s.flags) + "."
        out.print(f"  Kalibrasi: {s.nama_penilai} ditandai: {reasons}", markup=False)
    mismatches = len(period.checks.evidence)
    if mismatches:
        out.print(
            f"  Bukti: {mismatches} pasangan capaian dan nilai yang tidak sejalan (sheet Bukti).",
            markup=False,
        )
    warnings = len(period.checks.distribution_warnings)
    if warnings:
        out.print(
            f"  Distribusi: {warnings} aturan distribusi predikat perlu ditinjau (sheet Distribusi).",
            markup=False,
        )


def _print_workspace_report(out: Console, report: WorkspaceReport) -> None:
    _print_findings(out, report.outcomes_findings)
    out.print()
    out.print(f"Selesai. {report.files_seen} berkas di inbox diperiksa.", markup=False)
    for p in report.built:
        _print_period(out, p, rerendered=True)
    for periode in report.unchanged:
        out.print(
            f"Periode {periode.label}: tidak ada yang berubah sejak proses terakhir.", markup=False
        )
    if report.archived:
        out.print(f"{len(report.archived)} berkas dipindahkan ke arsip.", markup=False)
    if report.duplicates:
        out.print(
            f"{len(report.duplicates)} salinan berkas yang sudah diterima dihapus dari inbox "
            "(isinya sama persis dengan yang ada di arsip).",
            markup=False,
        )
    for name in report.kept:
        out.print(f"Tertahan di inbox (lihat {name}{FINDINGS_SUFFIX}): {name}", markup=False)
    out.print(
        f"Temuan: {report.count(Severity.GALAT)} galat, {report.count(Severity.PERINGATAN)} "
        f"peringatan, {report.count(Severity.INFO)} info.",
        markup=False,
    )
    if report.log_path:
        out.print(f"Catatan proses: {report.log_path}", markup=False)


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


def _guarded(debug: bool, action: Callable[[Console], int]) -> NoReturn:
    """Run a command's action, turning what stops it into a message and an exit code."""
    out = Console(highlight=False, soft_wrap=True)
    try:
        require_safe_xml()
        code = action(out)
    except (UnsafeEnvironment, ConfigError, WorkspaceProblem, DeliveryProblem) as problem:
        out.print(str(problem), markup=False)
        code = EXIT_UNUSABLE
    except Busy as busy:
        out.print(str(busy), markup=False)
        code = EXIT_BUSY
    except RunStopped as stop:
        _print_findings(out, stop.findings)
        out.print(
            "Proses dihentikan: masukan belum bisa dipakai. Perbaiki galat di atas, lalu jalankan lagi.",
            markup=False,
        )
        code = EXIT_UNUSABLE
    except Exception as error:  # last resort: a message instead of a traceback
        if debug:
            traceback.print_exc()
        out.print(
            f"Terjadi kesalahan tak terduga ({type(error).__name__}: {error}). Jalankan lagi dengan "
            "--debug untuk rincian teknis, dan laporkan kepada pengelola aplikasi.",
            markup=False,
        )
        code = EXIT_INTERNAL
    sys.exit(code)


class WorkspaceProblem(Exception):
    """The command needs a working folder (or explicit paths) it does not have."""


def _workspace() -> WorkspaceConfig | None:
    path = find_config(Path.cwd())
    return load_config(path) if path else None


def _settings(config: WorkspaceConfig | None, workers: int | None = None) -> Settings:
    settings = Settings(nama_instansi=config.nama_instansi) if config else Settings()
    return settings if workers is None else replace(settings, workers=workers)


def _note_slow_subsetting() -> None:
    """Say once, before PDFs are made, that they will be slow for want of a system library."""
    if not fast_font_subsetting():
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            SLOW_SUBSETTING_NOTE, markup=False
        )


def _standing(
    config: WorkspaceConfig | None, kriteria: Path | None, pegawai: Path | None
) -> list[Path]:
    """The criteria and roster files given on the command line, else the working folder's."""
    files = []
    configured = (config.kriteria, config.pegawai) if config else (None, None)
    for given, default in zip((kriteria, pegawai), configured, strict=True):
        path = given or default
        if path is None:
            continue
        if not path.is_file():
            raise WorkspaceProblem(f"Berkas {path} tidak ada. Periksa jalurnya atau kinerja.toml.")
        files.append(path)
    return files


KRITERIA_OPTION = click.option(
    "--kriteria",
    type=PathType(folder=False),
    metavar="BERKAS",
    help="Buku kerja kriteria (bawaan: yang disebut kinerja.toml di folder kerja).",
)
PEGAWAI_OPTION = click.option(
    "--pegawai",
    type=PathType(folder=False),
    metavar="BERKAS",
    help="Buku kerja daftar pegawai (bawaan: yang disebut kinerja.toml di folder kerja).",
)


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
    help="Periode yang diproses, misalnya 2026-11. Tanpa opsi ini, setiap periode yang tertulis "
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
            _note_slow_subsetting()
        if folder_masukan is None and periksa:
            raise WorkspaceProblem(
                "Di folder kerja, gunakan `kinerja run --periksa` dengan folder masukan dan --out "
                "tersendiri (misalnya `kinerja run inbox --out periksa --periksa --kriteria "
                "kriteria.xlsx --pegawai pegawai.xlsx`), agar hasil resmi dan arsip tidak berubah."
            )
        if folder_masukan is None:
            config = _workspace()
            if config is None:
                raise WorkspaceProblem(
                    "Sebutkan FOLDER_MASUKAN dan --out, atau jalankan perintah ini di folder kerja "
                    "yang dibuat `kinerja init` (yang berisi kinerja.toml)."
                )
            if out is not None or kriteria is not None or pegawai is not None:
                raise WorkspaceProblem(
                    "Di folder kerja, --out, --kriteria dan --pegawai diambil dari kinerja.toml; "
                    "ubah kinerja.toml bila perlu, atau sebutkan FOLDER_MASUKAN."
                )
            report = run_workspace(
                config,
                _settings(config, workers),
                periode=periode,
                progress=ConsoleProgress(Console(stderr=True)),
            )
            _print_workspace_report(stdout, report)
            return EXIT_BLOCKED if report.count(Severity.GALAT) else EXIT_OK
        if out is None:
            raise WorkspaceProblem("Sebutkan folder hasil dengan --out.")
        report_ = run(
            folder_masukan,
            out,
            periode=periode,
            settings=_settings(None, workers),
            progress=ConsoleProgress(Console(stderr=True)),
            standing=_standing(None, kriteria, pegawai),
            check_only=periksa,
        )
        _print_report(stdout, report_)
        return EXIT_BLOCKED if report_.count(Severity.GALAT) else EXIT_OK

    _guarded(debug, action)


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
            stdout.print(f"Dibuat: {path}", markup=False)
        for path in written.kept:
            stdout.print(f"Sudah ada, tidak diubah: {path}", markup=False)
        stdout.print(
            f"Folder kerja siap di {folder}. Langkah berikutnya: isi kriteria.xlsx dan pegawai.xlsx, "
            f"lalu di folder itu jalankan: kinerja templat --periode 2026-11",
            markup=False,
        )
        return EXIT_OK

    _guarded(debug, action)


@cli.command(
    "templat",
    help="Periksa buku kerja kriteria dan daftar pegawai (temuan dan kode keluar sama dengan run), "
    "lalu buat buku kerja kosong untuk PERIODE: laporan_<NIP>_<nama>.xlsx untuk setiap pegawai dan "
    "penilaian_<NIP>_<nama>.xlsx untuk setiap atasan, sudah terisi identitas dan kriteria, dalam "
    "satu folder per unit kerja. Berkas yang sudah ada tidak ditimpa.",
    short_help="Buat buku kerja laporan dan penilaian yang siap diisi.",
)
@click.option(
    "--periode", type=PeriodeType(), required=True, help="Periode templat, misalnya 2026-11."
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
        config = _workspace()
        standing = _standing(config, kriteria, pegawai)
        target = out or (config.root / "templat" / periode.key if config else None)
        if len(standing) < 2 or target is None:
            raise WorkspaceProblem(
                "Sebutkan --kriteria, --pegawai dan --out, atau jalankan perintah ini di folder kerja "
                "yang dibuat `kinerja init` (yang berisi kinerja.toml)."
            )
        written = write_templates(
            standing[0],
            standing[1],
            periode,
            target,
            _settings(config),
            password=config.kata_sandi_templat if config else None,
            progress=ConsoleProgress(Console(stderr=True)),
        )
        _print_findings(stdout, written.findings)
        laporan = sum(1 for p in written.created if p.name.startswith("laporan_"))
        penilaian = sum(1 for p in written.created if p.name.startswith("penilaian_"))
        stdout.print(
            f"Templat {periode.label} dibuat di {target}: {laporan} laporan pegawai, {penilaian} "
            f"penilaian atasan.",
            markup=False,
        )
        if written.kept:
            stdout.print(f"{len(written.kept)} berkas sudah ada dan tidak diubah.", markup=False)
        galat = sum(1 for f in written.findings if f.severity is Severity.GALAT)
        if galat:
            stdout.print(
                f"{galat} galat di daftar pegawai: pegawai yang bersangkutan tidak mendapat templat.",
                markup=False,
            )
        return EXIT_BLOCKED if galat else EXIT_OK

    _guarded(debug, action)


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
            config = _workspace()
            if config is None:
                raise WorkspaceProblem(
                    "Sebutkan FOLDER_MASUKAN, atau jalankan perintah ini di folder kerja yang dibuat "
                    "`kinerja init` (yang berisi kinerja.toml)."
                )
            outcome, _ = workspace_outcome(config, _settings(config), periode)
        else:
            loaded = load_inbox(
                folder_masukan,
                Settings(),
                NoProgress(),
                standing=_standing(None, kriteria, pegawai),
            )
            periods = [periode] if periode else periods_in(loaded)
            if not periods:
                raise RunStopped([*loaded.findings, finding("periode-tidak-ada", Source())])
            outcome = assess(loaded, max(periods), requested=periode is not None)
        rows = status_rows(outcome)
        _print_status(stdout, outcome.periode, rows)
        if xlsx is not None:
            write_status(rows, f"Status Penilaian Kinerja {outcome.periode.label}", xlsx)
            stdout.print(f"Buku kerja status: {xlsx}", markup=False)
        return EXIT_OK

    _guarded(debug, action)


def _print_status(out: Console, periode: Periode, rows: Sequence[StatusRow]) -> None:
    table = Table(title=f"Status penilaian kinerja {periode.label}", show_lines=False)
    for header in ("Unit Kerja", *(s.value for s in STATUS_ORDER)):
        table.add_column(header, justify="left" if header == "Unit Kerja" else "right")
    units: dict[str, dict[Status, int]] = {}
    for row in rows:
        units.setdefault(row.unit_kerja, {s: 0 for s in Status})[row.status] += 1
    for unit, counts in units.items():
        table.add_row(unit, *(str(counts[s]) for s in STATUS_ORDER))
    out.print(table)
    for status in STATUS_ORDER[:3]:
        waiting = [r for r in rows if r.status is status]
        if waiting:
            out.print(f"\n{status.value}:", markup=False)
            for r in waiting:
                line = f"  {r.unit_kerja} | {r.nip} | {r.nama} | atasan: {r.atasan}"
                if status is Status.DIBLOKIR:
                    line += f" | {r.keterangan}"
                out.print(line, markup=False)


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
        _note_slow_subsetting()
        config = _workspace()
        if config is None:
            raise WorkspaceProblem(
                "Usulan tahunan memakai riwayat folder kerja: jalankan perintah ini di folder kerja "
                "yang dibuat `kinerja init` (yang berisi kinerja.toml)."
            )
        report = run_annual(
            config, _settings(config), tahun, progress=ConsoleProgress(Console(stderr=True))
        )
        stdout.print(
            f"Usulan predikat tahunan {tahun} untuk {report.employees} pegawai (aturan lokal; "
            "predikat tahunan ditetapkan oleh Pejabat Penilai Kinerja).",
            markup=False,
        )
        stdout.print(f"  Ringkasan tahunan: {report.summary_path}", markup=False)
        stdout.print(
            f"  PDF: {report.summary_path.parent / PDF_FOLDER} ({len(report.pdfs)} berkas)",
            markup=False,
        )
        return EXIT_OK

    _guarded(debug, action)


@cli.command(
    "kirim",
    help="Bagikan PDF umpan balik PERIODE kepada pegawai. Tanpa --kirim, hanya menampilkan rencana: "
    "siapa menerima berkas apa, dan siapa yang belum punya alamat email. Setiap email untuk satu "
    "pegawai dan hanya berisi PDF pegawai itu. Versi PDF yang sama tidak pernah dikirim dua kali ke "
    "orang yang sama; PDF yang berubah dikirim lagi sebagai pengganti. Dengan --folder, PDF disusun "
    "per unit kerja (dan satu zip per unit) untuk dibagikan tanpa email.",
    short_help="Kirim PDF umpan balik lewat email, atau susun per unit di folder.",
)
@click.option("--periode", type=PeriodeType(), required=True, help="Periode yang dibagikan.")
@click.option("--kirim", "send", is_flag=True, help="Benar-benar kirim (tanpa ini: hanya rencana).")
@click.option(
    "--folder",
    type=PathType(folder=True),
    metavar="FOLDER",
    help="Susun PDF per unit kerja di FOLDER (beserta zip per unit), tanpa email.",
)
@debug_option
def kirim_command(periode: Periode, send: bool, folder: Path | None, debug: bool) -> None:
    def action(stdout: Console) -> int:
        config = _workspace()
        if config is None:
            raise WorkspaceProblem(
                "Pengiriman memakai buku catatan pengiriman di folder kerja: jalankan perintah ini "
                "di folder kerja yang dibuat `kinerja init` (yang berisi kinerja.toml)."
            )
        pdfs = period_pdfs(config, periode)
        if not pdfs.is_dir() or not any(pdfs.glob("*.pdf")):
            raise WorkspaceProblem(
                f"Belum ada PDF umpan balik untuk {periode.label}. Jalankan `kinerja run` dulu."
            )
        settings = _settings(config)
        standing = list(dict.fromkeys((config.kriteria, config.pegawai)))
        loaded = load_files([(p, p.name) for p in standing], settings, NoProgress())
        history, ledger = open_ledger(config)
        try:
            code = _deliver(stdout, config, periode, loaded.roster, loaded.criteria.nama_instansi,
                            pdfs, ledger, send, folder)  # fmt: skip
            deliveries = ledger.all(periode)
        finally:
            history.close()
        report = config.hasil / periode.key / f"pengiriman_{periode.key}.xlsx"
        names = {e.nip: e.nama for e in loaded.roster}
        files = {p.name[:18]: p.name for p in pdfs.glob("*.pdf")}
        write_delivery_report(deliveries, names, files, report)
        stdout.print(f"Laporan pengiriman: {report}", markup=False)
        return code

    _guarded(debug, action)


def _deliver(
    out: Console,
    config: WorkspaceConfig,
    periode: Periode,
    roster: Sequence[Employee],
    instansi: str,
    pdfs: Path,
    ledger: Ledger,
    send: bool,
    folder: Path | None,
) -> int:
    if folder is not None:
        plan = plan_folders(periode, roster, pdfs, ledger, folder)
        done = lay_out_folders(plan, ledger, config.pdf_password_rule)
        out.print(
            f"{len(done)} PDF disusun di {folder} (per unit kerja, beserta zip per unit); "
            f"{len(plan.already)} sudah ada di sana dengan versi yang sama.",
            markup=False,
        )
        return EXIT_OK
    copy = config.email.copy_to_supervisor if config.email else False
    plan = plan_email(periode, roster, pdfs, ledger, copy)
    out.print(f"Rencana pengiriman umpan balik {periode.label}:", markup=False)
    for item in plan.to_send:
        note = "pengganti versi sebelumnya" if item.replaces else "akan dikirim"
        if item.copy_for is not None:
            note += f" (salinan untuk atasan {item.copy_for.nama})"
        out.print(
            f"  {note}: {item.employee.nama} (NIP {item.employee.nip}) -> {item.recipient}, "
            f"berkas {item.pdf.name}",
            markup=False,
        )
    for item in plan.already:
        out.print(
            f"  sudah terkirim (versi sama): {item.employee.nama} -> {item.recipient}", markup=False
        )
    for employee in plan.without_address:
        out.print(
            f"  tidak ada alamat email di daftar pegawai: {employee.nama} (NIP {employee.nip})",
            markup=False,
        )
    if not plan.to_send:
        out.print("Tidak ada yang perlu dikirim.", markup=False)
        return EXIT_OK
    if not send and sys.stdin.isatty():
        send = click.confirm(f"Kirim {len(plan.to_send)} email sekarang?", default=False)
    if not send:
        out.print(
            f"Belum ada yang dikirim ({len(plan.to_send)} email direncanakan). Jalankan lagi dengan "
            "--kirim untuk mengirim.",
            markup=False,
        )
        return EXIT_OK

    def report(item: Item, status: str) -> None:
        out.print(f"  {status}: {item.employee.nama} <{item.recipient}>", markup=False)

    result = send_email(plan, config, ledger, instansi, on_item=report)
    out.print(f"{len(result.sent)} email terkirim, {len(result.failed)} gagal.", markup=False)
    for item, reason in result.failed:
        out.print(f"Gagal: {item.employee.nama} <{item.recipient}>: {reason}", markup=False)
    if result.stopped:
        left = len(plan.to_send) - len(result.sent) - len(result.failed)
        out.print(
            f"Pengiriman terhenti ({result.stopped}); {left} email belum terkirim. Jalankan perintah "
            "yang sama lagi untuk melanjutkan: yang sudah terkirim tidak dikirim ulang.",
            markup=False,
        )
    return EXIT_BLOCKED if result.failed or result.stopped else EXIT_OK


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
