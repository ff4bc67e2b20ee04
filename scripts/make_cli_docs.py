"""Rewrite the CLI reference in README.md from the commands' own `--help` texts.

Usage: ``python scripts/make_cli_docs.py``. tests/test_cli.py fails when the README is stale.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from kinerja_batch.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"


def help_text(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        main([*argv, "--help"])
    return out.getvalue().rstrip() + "\n"


def commands() -> list[str]:
    listing = help_text().split("Perintah:")[1]
    return re.findall(r"^  (\w+)  ", listing, flags=re.M)


def reference() -> str:
    parts = [START, "", "`kinerja --help`:", "", "```text", help_text().rstrip(), "```"]
    for command in commands():
        parts += [
            "",
            f"`kinerja {command} --help`:",
            "",
            "```text",
            help_text(command).rstrip(),
            "```",
        ]
    parts += ["", END]
    return "\n".join(parts)


def render(readme: str) -> str:
    before, rest = readme.split(START, 1)
    _, after = rest.split(END, 1)
    return before + reference() + after


def main_() -> int:
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
