"""Write docs/temuan.md: every finding code with its severity and message template, then every code
of HR's checks with its message template.

Usage: ``python scripts/make_finding_docs.py``. tests/test_docs.py fails when the file is stale.
"""

from __future__ import annotations

from pathlib import Path

from kinerja_batch.findings import CATALOGUE, CHECK_CATALOGUE

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
        lines.append(f"| `{code}` | {entry.severity.value} | {_cell(entry.template)} |")
    lines += [
        "",
        "## Pemeriksaan untuk HR",
        "",
        "HR's checks on a computed period (`kinerja_batch/calibration.py`): supervisors whose scoring",
        "stands apart, the predikat distribution against the organisation's predikat, and self-reported",
        "figures that contradict a score. They are information in the summary's `Kalibrasi`,",
        "`Distribusi` and `Bukti` sheets and change no result. A placeholder's name after the colon says",
        "how its value is written: `desimal` one decimal (`82,5`; `desimal.2` two), `angka` without",
        "needless decimals (`4,5`), `persen` a percentage with one decimal (`48,0%`), `daftar` a list",
        'joined with commas, `atau` a list joined with "atau"; an infinite number reads "tak',
        "hingga\". Generated from the same file's `CHECK_CATALOGUE`.",
        "",
        "| Kode | Pesan |",
        "| --- | --- |",
    ]
    for code, template in CHECK_CATALOGUE.items():
        lines.append(f"| `{code}` | {_cell(template)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
