"""Rewrite the sheet and column tables in docs/format.md from the workbook contract's declaration.

Usage: ``python scripts/make_format_docs.py``. tests/test_docs.py fails when docs/format.md is stale.
Each kind of input workbook has its own generated block, between
``<!-- contract:<kind>:start -->`` and ``<!-- contract:<kind>:end -->``; the prose around the blocks
is written by hand.
"""

from __future__ import annotations

from pathlib import Path

from kinerja_batch.workbooks.contract import (
    WORKBOOKS,
    Column,
    FormSheet,
    Kind,
    Label,
    Sheet,
    TableSheet,
    WorkbookKind,
)

TARGET = Path(__file__).resolve().parent.parent / "docs" / "format.md"
FORM = "a form: labels in column A, values in column B"


def markers(kind: Kind) -> tuple[str, str]:
    return f"<!-- contract:{kind.value}:start -->", f"<!-- contract:{kind.value}:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _meaning(meaning: str, choices: tuple[str, ...], text: bool = False) -> str:
    if choices:
        meaning += "; one of " + ", ".join(f"`{c}`" for c in choices)
    if text:
        meaning += "; formatted as Text in the templates"
    return _cell(meaning)


def _required(entry: Column | Label) -> str:
    if entry.informational:
        return "no, not read"
    answer = "yes" if entry.required else "no"
    default = entry.default if isinstance(entry, Column) else ""
    return f"{answer} (default {default})" if default else answer


def _sheet(sheet: Sheet) -> list[str]:
    need = "required" if sheet.required else "optional"
    if isinstance(sheet, TableSheet):
        lines = [
            f"Sheet `{sheet.name}` ({need}): {sheet.meaning}.",
            "",
            "| column | required | meaning |",
            "| --- | --- | --- |",
        ]
        for col in sheet.columns:
            meaning = _meaning(col.meaning, col.choices, col.text)
            lines.append(f"| {col.header} | {_required(col)} | {meaning} |")
        return lines
    assert isinstance(sheet, FormSheet)
    lines = [
        f"Sheet `{sheet.name}` ({need}; {FORM}): {sheet.meaning}.",
        "",
        "| label | required | meaning |",
        "| --- | --- | --- |",
    ]
    for label in sheet.labels:
        meaning = _meaning(label.meaning, label.choices)
        lines.append(f"| {label.label} | {_required(label)} | {meaning} |")
    return lines


def block(book: WorkbookKind) -> str:
    """The generated block for one kind of workbook, its markers included."""
    start, end = markers(book.kind)
    names = ", ".join(f"`{s.name}`" for s in book.sheets)
    lines = [start, "", f"Told by its sheet `{book.marker}`. Sheets read: {names}."]
    for sheet in book.sheets:
        lines += ["", *_sheet(sheet)]
    lines += ["", end]
    return "\n".join(lines)


def render(doc: str) -> str:
    """`doc` with every kind's block replaced by the one the declaration gives."""
    for kind, book in WORKBOOKS.items():
        start, end = markers(kind)
        if doc.count(start) != 1 or doc.count(end) != 1:
            raise ValueError(f"docs/format.md needs exactly one {start} and one {end}")
        before, rest = doc.split(start, 1)
        _, after = rest.split(end, 1)
        doc = before + block(book) + after
    return doc


def main() -> int:
    TARGET.write_text(render(TARGET.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
