"""Click in Bahasa Indonesia: commands and groups whose help and usage words are Indonesian, and
parameter types that refuse bad values in Indonesian (click's own types speak English)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kinerja_batch.model import Periode
from kinerja_batch.parsing import ParseError, parse_periode

F = TypeVar("F", bound=Callable[..., Any])


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


def usage_message(error: click.UsageError) -> str:
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
                "'November 2026', atau triwulan dan tahun, misalnya 2026-Q3 atau "
                "'Triwulan III 2026'.",
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


def debug_option(f: F) -> F:
    return click.option(
        "--debug", is_flag=True, help="Tampilkan rincian teknis (traceback) bila terjadi kesalahan."
    )(f)


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
