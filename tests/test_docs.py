"""Docs that cannot drift from the code."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_finding_codes_doc_is_current() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_finding_docs", ROOT / "scripts" / "make_finding_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (ROOT / "docs" / "temuan.md").read_text(encoding="utf-8")
    assert current == module.render(), "run: python scripts/make_finding_docs.py"
