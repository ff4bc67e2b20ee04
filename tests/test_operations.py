"""Monthly operation in a working folder: archive, replacements, late arrivals, reruns, crashes,
concurrent runs, status."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from kinerja_batch.cli import main
from kinerja_batch.config import load_config
from kinerja_batch.history import History
from kinerja_batch.lock import exclusive
from kinerja_batch.model import Periode
from kinerja_batch.operations import run_workspace
from kinerja_batch.paths import DB_NAME, LOCK_NAME
from kinerja_batch.settings import Settings

from factories import (
    LAPORAN_E1,
    LAPORAN_E2,
    NILAI_A,
    NIP_E1,
    NIP_E2,
    InboxSpec,
    drop_file,
    make_workspace,
    valid_inbox,
)

NOV = Periode(2026, 11)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def drop(root: Path, spec: InboxSpec, name: str, as_name: str | None = None) -> Path:
    return drop_file(root, spec, name, as_name)


def run(root: Path, periode: Periode | None = None):  # type: ignore[no-untyped-def]
    return run_workspace(load_config(root / "kinerja.toml"), Settings(), periode=periode)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def pegawai_rows(root: Path, key: str = "2026-11") -> dict[str, dict[str, object]]:
    wb = openpyxl.load_workbook(root / "hasil" / key / f"ringkasan_{key}.xlsx")
    rows = list(wb["Pegawai"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return {str(r[0]): dict(zip(header, r, strict=True)) for r in rows[1:]}


def test_first_run_builds_outputs_and_archives_every_input(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    before = {p.name: sha(p) for p in (root / "inbox").iterdir()}
    report = run(root)
    assert [p.outcome.periode for p in report.built] == [NOV]
    assert sorted(report.archived) == sorted(f"inbox/{n}" for n in before)
    assert list((root / "inbox").iterdir()) == []
    archived = {p.name: sha(p) for p in (root / "arsip" / "2026-11").iterdir()}
    assert archived == {f"{h[:12]}_{n}": h for n, h in before.items()}
    pdfs = sorted(p.name[:18] for p in (root / "hasil" / "2026-11" / "umpan_balik").glob("*.pdf"))
    assert pdfs == sorted([NIP_E1, NIP_E2])
    history = History(root / DB_NAME)
    assert {i.sha256 for i in history.inputs()} == set(before.values())
    assert {r.nip for r in history.evaluated()} == {NIP_E1, NIP_E2}
    history.close()
    (log,) = (root / "log").glob("kinerja-*.log")
    assert "diarsipkan" in log.read_text(encoding="utf-8")


def test_rerun_with_nothing_new_changes_nothing(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    run(root)
    outputs = sorted((root / "hasil").rglob("*.*"))
    stamps = {p: (p.stat().st_mtime_ns, sha(p)) for p in outputs}
    report = run(root)
    assert report.built == [] and report.unchanged == [NOV]
    assert sorted((root / "hasil").rglob("*.*")) == outputs
    assert {p: (p.stat().st_mtime_ns, sha(p)) for p in outputs} == stamps


def test_late_arrival_joins_its_period_and_only_changed_pdfs_are_rendered(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1, NILAI_A))
    first = run(root)
    assert "laporan-tidak-ada" in {f.code for f in first.outcomes_findings if f.nip == NIP_E2}
    e1_pdf = next((root / "hasil" / "2026-11" / "umpan_balik").glob(f"{NIP_E1}_*.pdf"))
    e1_stamp = e1_pdf.stat().st_mtime_ns
    drop(root, valid_inbox(), LAPORAN_E2)  # arrives on the 2nd of next month
    second = run(root)
    (built,) = second.built
    assert built.rendered == 1  # only E2's PDF shows something new (the self-report)
    assert e1_pdf.stat().st_mtime_ns == e1_stamp
    assert "laporan-tidak-ada" not in {f.code for f in second.outcomes_findings}
    e2_pdf = next((root / "hasil" / "2026-11" / "umpan_balik").glob(f"{NIP_E2}_*.pdf"))
    assert "Waktu layanan KTP" in pdf_text(e2_pdf)


def test_newer_workbook_of_the_same_supervisor_replaces_the_older(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    run(root)
    assert pegawai_rows(root)[NIP_E2]["Nilai Hasil Kerja"] == 55
    corrected = valid_inbox()
    corrected.sheet(NILAI_A, "Nilai")[5][2] = 5  # E2's HK-PM-01: 3 -> 5
    drop(root, corrected, NILAI_A, as_name="penilaian_a_perbaikan.xlsx")
    report = run(root)
    # E2: 60% x 100 + 40% x 62.5 = 85.0
    assert pegawai_rows(root)[NIP_E2]["Nilai Hasil Kerja"] == 85
    note = next(f for f in report.outcomes_findings if f.code == "berkas-diganti")
    assert note.file.startswith("arsip/2026-11/") and note.file.endswith(NILAI_A)
    assert "penilaian_a_perbaikan.xlsx" in note.message
    assert len(list((root / "arsip" / "2026-11").glob("*penilaian_a*"))) == 2  # both kept
    wb = openpyxl.load_workbook(root / "hasil" / "2026-11" / "ringkasan_2026-11.xlsx")
    assert any(r[4] == "berkas-diganti" for r in wb["Validasi"].iter_rows(values_only=True))


def test_blocked_workbook_stays_in_the_inbox_until_fixed_in_place(tmp_path: Path) -> None:
    bad = valid_inbox()
    bad.sheet(NILAI_A, "Nilai")[1][2] = 6  # E1's HK-PM-01 out of range
    root = make_workspace(tmp_path, spec=bad, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    report = run(root)
    assert report.kept == [f"inbox/{NILAI_A}"]
    note = (root / "inbox" / f"{NILAI_A}.temuan.txt").read_text(encoding="utf-8")
    assert "Nilai!C2 (nilai-di-luar-skala)" in note and "Perbaiki isinya di tempat" in note
    assert {r for r, row in pegawai_rows(root).items() if row["Status"] == "Dinilai"} == {NIP_E2}
    # HR fixes the file in place; the next run takes it.
    fixed = drop(root, valid_inbox(), NILAI_A)
    fixed_hash = sha(fixed)
    report = run(root)
    assert report.kept == [] and f"inbox/{NILAI_A}" in report.archived
    assert sorted(p.name for p in (root / "inbox").iterdir()) == []
    assert (root / "arsip" / "2026-11" / f"{fixed_hash[:12]}_{NILAI_A}").is_file()
    assert pegawai_rows(root)[NIP_E1]["Status"] == "Dinilai"


def test_the_same_file_dropped_twice_is_kept_once(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    original = (root / "inbox" / LAPORAN_E1).read_bytes()
    run(root)
    again = root / "inbox" / "laporan_e1 (1).xlsx"
    again.write_bytes(original)  # HR drops the very same file again
    content = sha(again)
    assert content in {sha(p) for p in (root / "arsip" / "2026-11").iterdir()}
    report = run(root)
    assert report.duplicates == ["inbox/laporan_e1 (1).xlsx"]
    assert report.built == [] and list((root / "inbox").iterdir()) == []
    # Information that names both files: the repeated drop and the archived input it repeats.
    (note,) = [f for f in report.outcomes_findings if f.code == "berkas-salinan"]
    archived = f"arsip/2026-11/{content[:12]}_{LAPORAN_E1}"
    assert (note.file, note.value, note.severity.value) == (
        "inbox/laporan_e1 (1).xlsx",
        archived,
        "Info",
    )
    assert archived in note.message


def test_the_same_file_dropped_twice_in_one_run_is_one_input(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    copy = root / "inbox" / f"salinan_{LAPORAN_E1}"
    copy.write_bytes((root / "inbox" / LAPORAN_E1).read_bytes())
    report = run(root)
    assert pegawai_rows(root)[NIP_E1]["Status"] == "Dinilai"  # not blocked as a double report
    assert "laporan-ganda" not in {f.code for f in report.outcomes_findings}
    assert f"inbox/{LAPORAN_E1}" in report.archived
    assert report.duplicates == [f"inbox/salinan_{LAPORAN_E1}"]
    assert list((root / "inbox").iterdir()) == []
    wb = openpyxl.load_workbook(root / "hasil" / "2026-11" / "ringkasan_2026-11.xlsx")
    (note,) = [r for r in wb["Validasi"].iter_rows(values_only=True) if r[4] == "berkas-salinan"]
    assert (note[0], note[3]) == (f"inbox/salinan_{LAPORAN_E1}", "Info")
    assert f"inbox/{LAPORAN_E1}" in str(note[5])


def test_nothing_in_the_inbox_is_ever_lost(tmp_path: Path) -> None:
    bad = valid_inbox()
    bad.sheet(LAPORAN_E2, "Capaian")[1][2] = "seratus"
    root = make_workspace(tmp_path, spec=bad, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    (root / "inbox" / "catatan.docx").write_bytes(b"PK\x03\x04 not a workbook")
    (root / "inbox" / "unit").mkdir()
    (root / "inbox" / "unit" / "copy.xlsx").write_bytes((root / "inbox" / LAPORAN_E1).read_bytes())
    before = {sha(p) for p in (root / "inbox").rglob("*") if p.is_file()}
    run(root)
    drop(root, valid_inbox(), LAPORAN_E2, as_name="laporan_e2_perbaikan.xlsx")
    run(root)
    kept = {
        sha(p) for p in (root / "inbox").rglob("*") if p.is_file() and not p.name.endswith(".txt")
    }
    archived = {sha(p) for p in (root / "arsip").rglob("*") if p.is_file()}
    assert before <= kept | archived


def test_a_second_run_at_the_same_time_is_refused(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1,))
    out = io.StringIO()
    with (
        exclusive(root / LOCK_NAME, dt.datetime(2026, 11, 28, 6, 0)),
        contextlib.chdir(root),
        contextlib.redirect_stdout(out),
        pytest.raises(SystemExit) as info,
    ):
        main(["run"])
    assert info.value.code == 4
    assert "Proses kinerja lain sedang berjalan" in out.getvalue() and "PID" in out.getvalue()
    assert (root / "inbox" / LAPORAN_E1).is_file()


def test_status_on_a_half_finished_period(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, drop=(LAPORAN_E1,))
    out = io.StringIO()
    with contextlib.chdir(root), contextlib.redirect_stdout(out), pytest.raises(SystemExit) as info:
        main(["status", "--xlsx", "status.xlsx"])
    text = out.getvalue()
    assert info.value.code == 0
    assert "Status penilaian kinerja November 2026" in text
    assert f"Dukcapil | {NIP_E1} | Siti Aminah, S.E. | atasan: Ayu Lestari, S.Sos." in text
    rows = list(openpyxl.load_workbook(root / "status.xlsx")["Status"].iter_rows(values_only=True))
    by_nip = {r[1]: r for r in rows[3:]}
    assert by_nip[NIP_E1][5] == "Belum dinilai"
    assert by_nip[NIP_E2][5] == "Belum ada laporan"
    assert (root / "inbox" / LAPORAN_E1).is_file() and not (root / "hasil").exists()


def _outputs(root: Path) -> dict[str, object]:
    """What a person would compare between two runs: file lists, summary cells, PDF texts."""
    hasil = root / "hasil" / "2026-11"
    wb = openpyxl.load_workbook(hasil / "ringkasan_2026-11.xlsx")
    return {
        "pdfs": {p.name: pdf_text(p) for p in sorted((hasil / "umpan_balik").glob("*.pdf"))},
        "pegawai": list(wb["Pegawai"].iter_rows(values_only=True)),
        "validasi": list(wb["Validasi"].iter_rows(values_only=True)),
        "arsip": sorted(p.name for p in (root / "arsip").rglob("*") if p.is_file()),
        "inbox": sorted(p.name for p in (root / "inbox").rglob("*")),
        "temporary": sorted(str(p) for p in root.rglob("*.tmp")),
    }


@pytest.mark.parametrize("delay", [0.4, 0.9, 1.4, 1.9, 2.6])
def test_a_run_killed_at_any_point_then_rerun_ends_like_a_clean_run(
    tmp_path: Path, delay: float
) -> None:
    killed = make_workspace(tmp_path / "killed", drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    clean = make_workspace(tmp_path / "clean")
    for name in (
        "kriteria.xlsx",
        "pegawai.xlsx",
        *(f"inbox/{n}" for n in (LAPORAN_E1, LAPORAN_E2, NILAI_A)),
    ):
        (clean / name).write_bytes((killed / name).read_bytes())  # the very same inputs
    run(clean)
    command = [sys.executable, "-m", "kinerja_batch", "run"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, cwd=killed, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = subprocess.run(command, cwd=killed, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _outputs(killed) == _outputs(clean)
    history = History(killed / DB_NAME)
    assert len(history.inputs()) == 3
    history.close()


def _month(spec: InboxSpec, periode: str) -> InboxSpec:
    for name in (LAPORAN_E1, LAPORAN_E2):
        spec.sheet(name, "Identitas")[2][1] = periode
    spec.sheet(NILAI_A, "Identitas")[2][1] = periode
    return spec


def test_three_months_give_trends_and_an_annual_suggestion(tmp_path: Path) -> None:
    """September, October and November arrive month by month; then `kinerja tahunan 2026`.

    E1 every month: Hasil 90.0, Perilaku 87.5 -> Sangat Baik.
    E2: September 55.0 / 62.5 (Baik); October HK-PM-01 = 5 -> 60% x 100 + 40% x 62.5 = 85.0 / 62.5
    (Baik); November PK-01 = 5 -> 55.0 / 50% x 100 + 50% x 75 = 87.5 (Baik).
    Annual (local rule): E2 Hasil (55 + 85 + 55) / 3 = 65.0 (Sesuai), Perilaku (62.5 + 62.5 + 87.5)
    / 3 = 70.83 -> 70.8 (Sesuai) -> Baik, 3 months Baik; E1 90.0 / 87.5 -> Sangat Baik, 3 months.
    """
    root = make_workspace(tmp_path)
    september = _month(valid_inbox(), "September 2026")
    october = _month(valid_inbox(), "2026-10")
    october.sheet(NILAI_A, "Nilai")[5][2] = 5
    november = _month(valid_inbox(), "11/2026")
    november.sheet(NILAI_A, "Nilai")[7][2] = 5
    for spec in (september, october, november):
        for name in (LAPORAN_E1, LAPORAN_E2, NILAI_A):
            drop(root, spec, name)
        run(root)
    rows = pegawai_rows(root)
    assert (rows[NIP_E2]["Nilai Hasil Kerja"], rows[NIP_E2]["Nilai Perilaku Kerja"]) == (55, 87.5)
    e2_pdf = next((root / "hasil" / "2026-11" / "umpan_balik").glob(f"{NIP_E2}_*.pdf"))
    text = pdf_text(e2_pdf)
    assert "Tren Kinerja" in text and "September 2026" in text and "Oktober 2026" in text
    assert "85,0" in text  # October's Nilai Hasil Kerja in the trend table
    wb = openpyxl.load_workbook(root / "hasil" / "2026-11" / "ringkasan_2026-11.xlsx")
    assert wb.sheetnames == [
        "Ringkasan",
        "Pegawai",
        "Per Unit",
        "Tren",
        "Kalibrasi",
        "Distribusi",
        "Bukti",
        "Tindak Lanjut",
        "Validasi",
    ]
    tren = {str(r[0]): r for r in wb["Tren"].iter_rows(values_only=True)}
    assert tren[NIP_E2][3:] == ("Baik", 55, 62.5, "Baik", 85, 62.5, "Baik", 55, 87.5)

    out = io.StringIO()
    with contextlib.chdir(root), contextlib.redirect_stdout(out), pytest.raises(SystemExit) as info:
        main(["tahunan", "2026"])
    assert info.value.code == 0, out.getvalue()
    assert "aturan lokal" in out.getvalue()
    folder = root / "hasil" / "tahunan-2026"
    sheet = openpyxl.load_workbook(folder / "ringkasan_tahunan_2026.xlsx")["Tahunan"]
    table = list(sheet.iter_rows(values_only=True))
    header_row = next(i for i, r in enumerate(table) if r[0] == "NIP")
    header = [str(h) for h in table[header_row]]
    by_nip = {
        str(r[0]): dict(zip(header, r, strict=False)) for r in table[header_row + 1 :] if r[0]
    }
    e2, e1 = by_nip[NIP_E2], by_nip[NIP_E1]
    assert (e2["Rata-rata Nilai Hasil Kerja"], e2["Rata-rata Nilai Perilaku Kerja"]) == (65, 70.8)
    assert e2["Usulan Predikat Tahunan"] == "Baik" and e2["Bulan Baik"] == 3
    assert e2["Jumlah Bulan Dinilai"] == 3
    assert (e1["Usulan Predikat Tahunan"], e1["Bulan Sangat Baik"]) == ("Sangat Baik", 3)
    pdfs = sorted(p.name[:18] for p in (folder / "umpan_balik").glob("*.pdf"))
    assert pdfs == sorted([NIP_E1, NIP_E2])
    annual_text = pdf_text(next((folder / "umpan_balik").glob(f"{NIP_E2}_*.pdf")))
    assert "aturan lokal" in annual_text and "70,8" in annual_text


def test_annual_without_history_says_so(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    out = io.StringIO()
    with contextlib.chdir(root), contextlib.redirect_stdout(out), pytest.raises(SystemExit) as info:
        main(["tahunan", "2026"])
    assert info.value.code == 2
    assert "Belum ada hasil penilaian tahun 2026" in out.getvalue()
