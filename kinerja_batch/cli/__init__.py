"""The `kinerja` command line: it parses options, calls one library function per command, prints
its report and maps it to an exit code (see `app.py`). One module per command; `types.py` holds
click's Indonesian words and parameter types, `console.py` what is printed."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

# Importing the command modules registers their commands on the group.
from kinerja_batch.cli import annual, kirim, prepare, recover, run, status
from kinerja_batch.cli.app import cli
from kinerja_batch.cli.stops import EXIT_OK, EXIT_UNUSABLE, interrupted, sigterm_raises
from kinerja_batch.cli.types import usage_message

COMMANDS = (annual, kirim, prepare, recover, run, status)
__all__ = ["COMMANDS", "cli", "main"]


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: runs the CLI, turning click's usage errors into Indonesian messages, Ctrl-C
    into exit code 130 and SIGTERM into 143 (each command's own faults are mapped by `guarded`)."""
    tolerate_console_encoding()
    with sigterm_raises():
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
            click.echo(f"Galat: {usage_message(error)}", err=True)
            if hint:
                click.echo(hint, err=True)
            sys.exit(EXIT_UNUSABLE)
        except (click.Abort, KeyboardInterrupt) as stop:
            sys.exit(interrupted(stop))
        sys.exit(result if isinstance(result, int) else EXIT_OK)


def tolerate_console_encoding() -> None:
    """A console that cannot show a character (Windows' legacy code pages, cp1252 or cp437, and
    a name written with another script) shows `?` instead of ending the command."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "errors", "") or "strict") == "strict":
            reconfigure(errors="replace")
