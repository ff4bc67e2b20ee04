"""Write docs/temuan.md: every finding code with its severity and message template.

Usage: ``python scripts/make_finding_docs.py``. tests/test_docs.py fails when the file is stale.
"""

from __future__ import annotations

from pathlib import Path

from kinerja_batch.findings import CATALOGUE

TARGET = Path(__file__).resolve().parent.parent / "docs" / "temuan.md"


def render() -> str:
    lines = [
        "# Kode temuan (finding codes)",
        "",
        "Every finding the program can report, with its severity and the message template",
        "(placeholders in braces are filled from the workbook). Generated from",
        "`kinerja_batch/findings.py` by `python scripts/make_finding_docs.py`.",
        "",
        "| Kode | Tingkat | Pesan |",
        "| --- | --- | --- |",
    ]
    for code, entry in CATALOGUE.items():
        message = entry.template.replace("|", "\\|")
        lines.append(f"| `{code}` | {entry.severity.value} | {message} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
