"""Docs that cannot drift from the code."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from kinerja_batch.workbooks.contract import WORKBOOKS, Kind, TableSheet

ROOT = Path(__file__).resolve().parent.parent
FORMAT = ROOT / "docs" / "format.md"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_finding_codes_doc_is_current() -> None:
    module = _script("make_finding_docs")
    current = (ROOT / "docs" / "temuan.md").read_text(encoding="utf-8")
    assert current == module.render(), "run: python scripts/make_finding_docs.py"


def test_format_doc_is_current() -> None:
    module = _script("make_format_docs")
    current = FORMAT.read_text(encoding="utf-8")
    assert current == module.render(current), "run: python scripts/make_format_docs.py"


@pytest.mark.parametrize("kind", list(Kind))
def test_format_doc_lists_every_declared_column_under_its_kind(kind: Kind) -> None:
    text = FORMAT.read_text(encoding="utf-8")
    block = text.split(f"<!-- contract:{kind.value}:start -->")[1]
    block = block.split(f"<!-- contract:{kind.value}:end -->")[0]
    for sheet in WORKBOOKS[kind].sheets:
        assert f"Sheet `{sheet.name}` (" in block
        names = sheet.headers if isinstance(sheet, TableSheet) else [x.label for x in sheet.labels]
        for name in names:
            assert f"\n| {name} | " in block, (sheet.name, name)
    kriteria = text.split("<!-- contract:kriteria:start -->")[1]
    assert "| Skala Min | no (default 1) | lowest score |" in kriteria


def test_format_doc_render_needs_the_markers() -> None:
    module = _script("make_format_docs")
    with pytest.raises(ValueError, match="contract:kriteria:start"):
        module.render("# Workbook formats\n\nno markers here\n")
