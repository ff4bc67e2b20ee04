"""One way to build a period: a PDF that fails or cannot be written is reported for its employee,
the others are finished, and the next run makes it; the agency's name is the same everywhere; a
run leaves no temporary folder behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from kinerja_batch.documents.feedback import FeedbackRenderer
from kinerja_batch.history import History
from kinerja_batch.model import Periode
from kinerja_batch.paths import DB_NAME

from factories import (
    KRITERIA,
    LAPORAN_E1,
    LAPORAN_E2,
    NILAI_A,
    NIP_E1,
    NIP_E2,
    make_workspace,
    run_cli,
    valid_inbox,
)

NOV = Periode(2026, 11)
ROOT = Path(__file__).resolve().parent.parent


def kinerja(root: Path, *argv: str) -> tuple[int, str]:
    """`kinerja ARGV` run in the working folder `root`, as HR runs it; exit code and output."""
    return run_cli(*argv, cwd=root)


def pdfs(root: Path) -> dict[str, Path]:
    return {p.name[:18]: p for p in (root / "hasil" / "2026-11" / "umpan_balik").glob("*.pdf")}


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def validasi_codes(root: Path) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(root / "hasil" / "2026-11" / "ringkasan_2026-11.xlsx")
    return [(r[4], r[7]) for r in wb["Validasi"].iter_rows(min_row=2, values_only=True)]


def status_in_history(root: Path, nip: str) -> str:
    history = History(root / DB_NAME)
    try:
        row = history.db.execute(
            "SELECT status FROM results WHERE periode = ? AND nip = ?", (NOV.key, nip)
        ).fetchone()
    finally:
        history.close()
    return str(row[0])


def test_a_pdf_that_failed_is_made_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    original = FeedbackRenderer.write

    def failing_for_e1(self: FeedbackRenderer, result: Any, path: Path, **kwargs: Any) -> None:
        if result.employee.nip == NIP_E1:
            raise RuntimeError("tata letak gagal")
        original(self, result, path, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(FeedbackRenderer, "write", failing_for_e1)
        code, out = kinerja(root, "run", "--workers", "1")
    assert code == 1
    assert "(render-gagal)" in out and "tata letak gagal" in out
    assert "2 pegawai dinilai" in out  # the outcome is what was assessed
    assert "1 pegawai dinilai belum punya PDF" in out and f"NIP {NIP_E1}" in out
    assert sorted(pdfs(root)) == [NIP_E2]
    assert ("render-gagal", NIP_E1) in validasi_codes(root)
    assert status_in_history(root, NIP_E1) == "Dinilai"  # the history agrees with the summary

    # The renderer works again and nothing new arrived: the period is not "unchanged".
    code, out = kinerja(root, "run", "--workers", "1")
    assert code == 0, out
    assert "tidak ada yang berubah" not in out
    assert "2 berkas, 1 dibuat ulang" in out
    assert sorted(pdfs(root)) == [NIP_E1, NIP_E2]
    assert "Siti Aminah" in pdf_text(pdfs(root)[NIP_E1])
    assert all(code != "render-gagal" for code, _ in validasi_codes(root))

    code, out = kinerja(root, "run", "--workers", "1")
    assert code == 0 and "Periode November 2026: tidak ada yang berubah" in out


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_obstacle_at_one_pdf_path_costs_only_that_pdf(tmp_path: Path, workers: str) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    code, _ = kinerja(root, "run")
    assert code == 0
    e1 = pdfs(root)[NIP_E1]
    e1.unlink()
    e1.mkdir()  # a folder standing where the PDF goes
    (e1 / "catatan.txt").write_text("jangan dihapus", encoding="utf-8")
    corrected = valid_inbox()
    corrected.sheet(NILAI_A, "Nilai")[2][2] = 5  # E1's HK-PM-02: 4 -> 5, so E1's PDF changes
    from factories import drop_file

    drop_file(root, corrected, NILAI_A, as_name="penilaian_a_perbaikan.xlsx")

    code, out = kinerja(root, "run", "--workers", workers)
    assert code == 1, out
    assert "(pdf-gagal-ditulis)" in out and str(e1) in out
    assert "ada folder dengan nama yang sama" in out and "Errno" not in out
    assert "Terjadi kesalahan tak terduga" not in out
    assert (root / "hasil" / "2026-11" / "ringkasan_2026-11.xlsx").is_file()
    assert ("pdf-gagal-ditulis", NIP_E1) in validasi_codes(root)
    assert pdfs(root)[NIP_E2].is_file()
    assert (e1 / "catatan.txt").read_text(encoding="utf-8") == "jangan dihapus"  # left alone
    assert list(root.rglob("*.tmp")) == []

    (e1 / "catatan.txt").unlink()
    e1.rmdir()
    code, out = kinerja(root, "run", "--workers", workers)
    assert code == 0, out
    assert e1.is_file() and "Siti Aminah" in pdf_text(e1)


def test_kirim_names_the_agency_as_the_pdfs_do(tmp_path: Path) -> None:
    """The criteria workbook has no `Nama Instansi`: the name in kinerja.toml is the one the PDFs
    and the e-mails carry."""
    from test_delivery import Recorder, body, smtp_server, write_email_config

    spec = valid_inbox()
    del spec.sheet(KRITERIA, "Pengaturan")[0]  # no `Nama Instansi` row
    root = make_workspace(tmp_path, spec, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    config = root / "kinerja.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('nama = "Pemerintah Kabupaten Kemuning"', 'nama = "Pemerintah Kota Sukamaju"'),
        encoding="utf-8",
    )
    code, _ = kinerja(root, "run")
    assert code == 0
    assert "Pemerintah Kota Sukamaju" in pdf_text(pdfs(root)[NIP_E1])
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_email_config(root, port)
        code, out = kinerja(root, "kirim", "--periode", "2026-11", "--kirim")
    assert code == 0, out
    (message,) = recorder.messages  # E2 has no address
    text = body(message)
    assert "Pemerintah Kota Sukamaju" in text and "instansi Anda" not in text


def test_kirim_finds_each_pdf_from_the_runs_record_not_its_name(tmp_path: Path) -> None:
    """A stray PDF whose name starts with a NIP is not that employee's; the recorded one is."""
    from test_delivery import Recorder, attachments, smtp_server, write_email_config

    from factories import PEGAWAI

    spec = valid_inbox()
    spec.sheet(PEGAWAI, "Pegawai")[4][6] = "budi@kemuningkab.go.id"
    root = make_workspace(tmp_path, spec, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    kinerja(root, "run")
    real = pdfs(root)
    stray = real[NIP_E1].with_name(f"{NIP_E2}_salinan.pdf")  # E1's PDF under E2's NIP
    stray.write_bytes(real[NIP_E1].read_bytes())
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_email_config(root, port)
        code, _ = kinerja(root, "kirim", "--periode", "2026-11", "--kirim")
    assert code == 0
    sent = {m["To"]: attachments(m)[0] for m in recorder.messages}
    assert sent == {
        "siti@kemuningkab.go.id": (real[NIP_E1].name, real[NIP_E1].read_bytes()),
        "budi@kemuningkab.go.id": (real[NIP_E2].name, real[NIP_E2].read_bytes()),
    }


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_run_leaves_no_temporary_folder(tmp_path: Path, workers: str) -> None:
    """WeasyPrint copies fonts into `weasyprint-*` folders; the run (and its workers) remove them."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    # What a run killed before it could clean up leaves behind (its process is gone), and the
    # scratch folder of a run still going on (this test's own process stands in for it).
    gone = subprocess.Popen(["true"])
    gone.wait()
    orphan = scratch / f"kinerja-{gone.pid}-x1y2z3"
    (orphan / "weasyprint-abc").mkdir(parents=True)
    running = scratch / f"kinerja-{os.getpid()}-a1b2c3"
    running.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kinerja_batch",
            "run",
            str(ROOT / "sample_data"),
            "--out",
            str(tmp_path / "hasil"),
            "--workers",
            workers,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # the sample's planted mistakes
    assert len(list((tmp_path / "hasil" / "2026-11" / "umpan_balik").glob("*.pdf"))) == 43
    assert list(scratch.iterdir()) == [running]
