"""Nothing lost under faults: what is archived is what was used, and the archive is the truth the
history is rebuilt from."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kinerja_batch import operations
from kinerja_batch.config import load_config
from kinerja_batch.history import History
from kinerja_batch.operations import WorkspaceReport, run_workspace
from kinerja_batch.paths import DB_NAME
from kinerja_batch.settings import Settings

from factories import (
    LAPORAN_E1,
    LAPORAN_E2,
    NILAI_A,
    NIP_E1,
    make_workspace,
    run_cli,
    valid_inbox,
    write_with_specials,
)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run(root: Path) -> WorkspaceReport:
    return run_workspace(load_config(root / "kinerja.toml"), Settings(workers=1))


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def e1_pdf(root: Path) -> Path:
    (pdf,) = (root / "hasil" / "2026-11" / "umpan_balik").glob(f"{NIP_E1}_*.pdf")
    return pdf


def test_a_workbook_saved_again_during_a_run_is_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    inbox_file = root / "inbox" / LAPORAN_E1
    first = inbox_file.read_bytes()
    revised = valid_inbox()
    revised.sheet(LAPORAN_E1, "Capaian")[1][5] = "Antrean KTP selesai dalam sehari"
    second = (write_with_specials(revised, tmp_path / "revisi") / LAPORAN_E1).read_bytes()
    original = operations._file_inputs

    def saved_again_meanwhile(*args: Any, **kwargs: Any) -> None:
        """The employee saves the workbook again after the run read it, before it is filed."""
        inbox_file.write_bytes(second)
        original(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(operations, "_file_inputs", saved_again_meanwhile)
        report = run(root)
    assert report.changed == [f"inbox/{LAPORAN_E1}"]
    assert f"inbox/{LAPORAN_E1}" not in report.archived
    # The archive keeps the bytes that produced the results, under their own hash.
    (kept,) = (root / "arsip" / "2026-11").glob(f"*_{LAPORAN_E1}")
    assert kept.read_bytes() == first and kept.name.startswith(sha(first)[:12])
    history = History(root / DB_NAME)
    try:
        recorded = {s.name: s.sha256 for s in history.inputs()}
    finally:
        history.close()
    assert recorded[f"inbox/{LAPORAN_E1}"] == sha(first)
    # The new version waits in the inbox, and the next run uses it.
    assert inbox_file.read_bytes() == second
    assert "Antrean KTP selesai dalam sehari" not in pdf_text(e1_pdf(root))
    again = run(root)
    assert [p.outcome.periode.key for p in again.built] == ["2026-11"]
    assert again.archived == [f"inbox/{LAPORAN_E1}"] and not inbox_file.exists()
    assert "Antrean KTP selesai dalam sehari" in pdf_text(e1_pdf(root))
    assert any(f.code == "berkas-diganti" for f in again.outcomes_findings)
    archived = sorted(p.read_bytes() for p in (root / "arsip" / "2026-11").glob(f"*_{LAPORAN_E1}"))
    assert archived == sorted([first, second])  # both versions kept


def kinerja(root: Path, *argv: str) -> tuple[int, str]:
    return run_cli(*argv, cwd=root)


def outputs(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "hasil").rglob("*.*")}


def pegawai_sheet(root: Path) -> list[tuple[object, ...]]:
    import openpyxl

    wb = openpyxl.load_workbook(root / "hasil" / "2026-11" / "ringkasan_2026-11.xlsx")
    return list(wb["Pegawai"].iter_rows(values_only=True))


@pytest.mark.parametrize("loss", ["emptied", "deleted"])
def test_a_lost_history_stops_the_run_until_it_is_rebuilt_from_the_archive(
    tmp_path: Path, loss: str
) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    run(root)
    before, sheet = outputs(root), pegawai_sheet(root)
    database = root / DB_NAME
    if loss == "emptied":
        database.write_bytes(b"")
    else:
        database.unlink()
    code, out = kinerja(root, "run")
    assert code == 2, out
    assert "kosong atau hilang" in out and "kinerja pulihkan" in out
    assert outputs(root) == before  # nothing in hasil/ was deleted or rewritten
    code, out = kinerja(root, "status")
    assert code == 2 and "kinerja pulihkan" in out

    code, out = kinerja(root, "pulihkan")
    assert code == 0, out
    assert "3 berkas laporan dan penilaian, periode November 2026" in out
    code, out = kinerja(root, "run")
    assert code == 0, out
    assert pegawai_sheet(root) == sheet  # the same results as before the loss
    assert sorted(p for p in outputs(root) if p.endswith(".pdf")) == sorted(
        p for p in before if p.endswith(".pdf")
    )


def test_a_missing_archive_stops_the_run_and_says_what_to_do(tmp_path: Path) -> None:
    import shutil

    root = make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    run(root)
    before = outputs(root)
    shutil.rmtree(root / "arsip")
    code, out = kinerja(root, "run")
    assert code == 2, out
    assert "3 berkas yang tercatat di riwayat tidak ada di arsip" in out
    assert "cadangan" in out and "kinerja pulihkan" in out
    assert outputs(root) == before
    code, out = kinerja(root, "pulihkan")
    assert code == 0 and out.count("Catatan dihapus") == 3
    code, out = kinerja(root, "run")
    # No input is left to build a period from: the run says so, and deletes nothing.
    assert code == 2 and "(periode-tidak-ada)" in out
    assert outputs(root) == before


def test_a_damaged_history_is_set_aside_not_deleted(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    run(root)
    database = root / DB_NAME
    for journal in (root / f"{DB_NAME}-wal", root / f"{DB_NAME}-shm"):
        journal.unlink(missing_ok=True)
    database.write_bytes(b"bukan basis data SQLite " * 100)
    code, out = kinerja(root, "pulihkan")
    assert code == 0, out
    (aside,) = root.glob(f"{DB_NAME}.rusak-*")
    assert aside.read_bytes().startswith(b"bukan basis data")
    assert str(aside) in out
    code, out = kinerja(root, "run")
    assert code == 0, out


def test_a_run_stopped_before_it_could_say_so_is_marked_interrupted(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    run(root)
    history = History(root / DB_NAME)
    import datetime as dt

    history.start_run(dt.datetime(2026, 12, 1, 6, 0))  # as a run killed at once would leave it
    history.close()
    run(root)
    history = History(root / DB_NAME)
    try:
        statuses = [r[0] for r in history.db.execute("SELECT status FROM runs ORDER BY id")]
    finally:
        history.close()
    assert statuses == ["selesai", "terputus", "selesai"]
