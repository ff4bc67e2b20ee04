"""Faults from outside the program: a read-only folder, a full disk, a locked or damaged history,
a missing criteria workbook, a misspelt kinerja.toml, Ctrl-C and SIGTERM. Each ends with its own
Indonesian message and exit code (never 3, which is for the program's own bugs), and leaves the
inbox as it was.

The mount tests need root (a read-only bind mount stops root, `chmod` does not); the signal tests
pause a real `kinerja run` subprocess inside a PDF write, deterministically, then signal it.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kinerja_batch import history as history_module
from kinerja_batch.cli import main
from kinerja_batch.cli.stops import (
    EXIT_DAMAGED,
    EXIT_ENVIRONMENT,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    EXIT_UNUSABLE,
    environment_problem,
)
from kinerja_batch.history import History

from factories import LAPORAN_E1, LAPORAN_E2, NILAI_A, make_workspace

UNEXPECTED = "Terjadi kesalahan tak terduga"
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting needs root")


def workspace(tmp_path: Path) -> Path:
    return make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None) under `folder`, by relative path."""
    return {
        p.relative_to(folder).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in folder.rglob("*")
    }


def kinerja_run(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`kinerja run` in the working folder `root`, in this process: exit code and stdout."""
    previous = Path.cwd()
    os.chdir(root)
    try:
        with pytest.raises(SystemExit) as info:
            main(["run"])
    finally:
        os.chdir(previous)
    out, _ = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), out


def run_history(root: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(root / "kinerja.db") as db:
        return db.execute("SELECT status, summary FROM runs ORDER BY id").fetchall()


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mount {' '.join(args)}: {done.stderr.strip()}")


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` as a read-only bind mount of itself."""
    mount("--bind", str(folder), str(folder))
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@contextmanager
def tiny_disk(folder: Path, size: str) -> Iterator[None]:
    """A tmpfs of `size` mounted on `folder`."""
    mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


# --- the disk and the folders ----------------------------------------------------------------


@as_root
def test_read_only_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = workspace(tmp_path)
    (root / "hasil").mkdir()
    inbox = snapshot(root / "inbox")
    with read_only(root / "hasil"):
        code, out = kinerja_run(root, capsys)
    assert code == EXIT_ENVIRONMENT, out
    assert f"Berkas atau folder {root / 'hasil' / '2026-11'} tidak bisa dipakai" in out
    assert "foldernya hanya bisa dibaca" in out and "lalu jalankan lagi." in out
    assert UNEXPECTED not in out and "Errno" not in out
    assert snapshot(root / "inbox") == inbox
    assert run_history(root)[-1][0] == "gagal"


@as_root
def test_read_only_working_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = workspace(tmp_path)
    before = snapshot(root)
    with read_only(root):
        code, out = kinerja_run(root, capsys)
    assert code == EXIT_ENVIRONMENT, out
    assert f"Berkas atau folder {root / '.kinerja.lock'} tidak bisa dipakai" in out
    assert "foldernya hanya bisa dibaca" in out
    assert UNEXPECTED not in out and "Errno" not in out
    assert snapshot(root) == before  # nothing at all was written


@as_root
def test_disk_full_while_writing_outputs(tmp_path: Path) -> None:
    """In a process of its own: a library (openpyxl) leaves the file it could not finish open,
    which would keep the mount busy in this one."""
    root = workspace(tmp_path)
    (root / "hasil").mkdir()
    inbox = snapshot(root / "inbox")
    with tiny_disk(root / "hasil", "8k"):
        done = subprocess.run(
            [sys.executable, "-m", "kinerja_batch", "run"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        leftovers = [p.name for p in (root / "hasil").rglob("*.tmp")]
    assert done.returncode == EXIT_ENVIRONMENT, done.stdout + done.stderr
    assert "disk penuh. Kosongkan ruang di disk itu, lalu jalankan lagi." in done.stdout
    assert UNEXPECTED not in done.stdout and "Errno" not in done.stdout
    assert leftovers == []
    assert snapshot(root / "inbox") == inbox


# --- the history ---------------------------------------------------------------------------


def test_history_locked_by_another_program(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = workspace(tmp_path)
    History(root / "kinerja.db").close()
    inbox = snapshot(root / "inbox")
    viewer = sqlite3.connect(root / "kinerja.db", isolation_level=None)
    viewer.execute("BEGIN EXCLUSIVE")  # e.g. a database viewer with unsaved changes
    # The program waits 30 s for another program's lock; the test need not.
    monkeypatch.setattr(history_module, "BUSY_TIMEOUT", 0.2)
    started = time.monotonic()
    try:
        code, out = kinerja_run(root, capsys)
    finally:
        viewer.execute("ROLLBACK")
        viewer.close()
    assert time.monotonic() - started < 20
    assert code == EXIT_ENVIRONMENT, out
    assert "Riwayat kinerja.db sedang dikunci program lain" in out
    assert "Tutup program itu, lalu jalankan lagi." in out
    assert UNEXPECTED not in out
    assert snapshot(root / "inbox") == inbox


def test_damaged_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = workspace(tmp_path)
    garbage = bytes(range(256)) * 64
    (root / "kinerja.db").write_bytes(garbage)
    inbox = snapshot(root / "inbox")
    code, out = kinerja_run(root, capsys)
    assert code == EXIT_DAMAGED, out
    assert "Riwayat kinerja.db rusak" in out and "tidak ada yang diubah" in out
    assert "Jalankan `kinerja pulihkan`" in out
    assert UNEXPECTED not in out
    assert (root / "kinerja.db").read_bytes() == garbage
    assert snapshot(root / "inbox") == inbox
    assert not (root / "hasil").exists()


def test_other_database_errors_stay_bugs() -> None:
    """Only what the environment causes gets codes 5 and 6; a wrong query is the program's."""
    with sqlite3.connect(":memory:") as db, pytest.raises(sqlite3.OperationalError) as info:
        db.execute("SELECT * FROM no_such_table")
    assert environment_problem(info.value) is None
    assert environment_problem(OSError(errno.ECONNREFUSED, "refused")) is None
    assert environment_problem(ValueError("bug")) is None
    full = OSError(errno.ENOSPC, "No space left on device", "/srv/kantor/hasil/x.pdf")
    assert environment_problem(full) == (
        "Berkas atau folder /srv/kantor/hasil/x.pdf tidak bisa dipakai: disk penuh. Kosongkan "
        "ruang di disk itu, lalu jalankan lagi.",
        EXIT_ENVIRONMENT,
    )


# --- the working folder's own files ----------------------------------------------------------


def test_missing_criteria_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = workspace(tmp_path)
    (root / "kriteria.xlsx").unlink()
    inbox = snapshot(root / "inbox")
    code, out = kinerja_run(root, capsys)
    assert code == EXIT_UNUSABLE, out
    assert f"Buku kerja {root / 'kriteria.xlsx'} tidak ada." in out
    assert f'{root / "kinerja.toml"}, bagian [folder]: kriteria = "kriteria.xlsx"' in out
    assert snapshot(root / "inbox") == inbox
    assert not (root / "hasil").exists()


@pytest.mark.parametrize(
    ("line", "misspelt", "message"),
    [
        (
            "[folder]",
            "[foldr]",
            "Bagian [foldr] di {config} tidak dikenal. Mungkin maksudnya [folder]?",
        ),
        (
            'hasil = "hasil"',
            'hasl = "hasil"',
            "Kunci 'hasl' di bagian [folder] {config} tidak dikenal. Mungkin maksudnya 'hasil'?",
        ),
        (
            "per_menit = 30",
            "per_menut = 30",
            "Kunci 'per_menut' di bagian [email] {config} tidak dikenal. Mungkin maksudnya "
            "'per_menit'?",
        ),
        ("[pdf]", "[xyz]", "Bagian [xyz] di {config} tidak dikenal. Bagian yang dikenal: "),
    ],
)
def test_misspelt_name_in_kinerja_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, misspelt: str, message: str
) -> None:
    root = workspace(tmp_path)
    config = root / "kinerja.toml"
    text = config.read_text(encoding="utf-8")
    assert line in text
    config.write_text(text.replace(line, misspelt, 1), encoding="utf-8")
    code, out = kinerja_run(root, capsys)
    assert code == EXIT_UNUSABLE, out
    assert message.format(config=config) in out
    assert not (root / "hasil").exists()


# --- Ctrl-C and SIGTERM ----------------------------------------------------------------------

# `python -m kinerja_batch`, with every feedback PDF written in two halves: the first half goes to
# the PDF's temporary file, then the process says so (the `ready` file) and waits for `release`.
PAUSED_RUN = """
import runpy, sys, time
from pathlib import Path

import kinerja_batch.documents.feedback as feedback
from kinerja_batch.fsutil import atomic_path

ready, release = Path(sys.argv[1]), Path(sys.argv[2])


def paused(target, data):
    with atomic_path(target) as tmp:
        tmp.write_bytes(data[: len(data) // 2])
        ready.touch()
        while not release.exists():
            time.sleep(0.01)
        tmp.write_bytes(data)


feedback.atomic_write_bytes = paused
sys.argv = ["kinerja", *sys.argv[3:]]
runpy.run_module("kinerja_batch", run_name="__main__", alter_sys=True)
"""


def kinerja(root: Path, scratch: Path, *argv: str) -> subprocess.Popen[str]:
    # The pause hook is patched into the running process; workers see it when they are forked
    # (the suite's spawn pass included: how spawned workers end is tested in test_windows.py).
    env = {**os.environ, "TMPDIR": str(scratch), "KINERJA_START_METHOD": "fork"}
    return subprocess.Popen(
        [sys.executable, *argv],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def normalised(out: str, root: Path) -> str:
    return re.sub(r"kinerja-\d{8}-\d{6}", "kinerja-<waktu>", out.replace(str(root), "<kerja>"))


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> str:
    """What `kinerja run` prints in a fresh working folder that nothing interrupts."""
    tmp_path = tmp_path_factory.mktemp("clean")
    root = workspace(tmp_path)
    (tmp_path / "tmp").mkdir()
    out, err = kinerja(root, tmp_path / "tmp", "-m", "kinerja_batch", "run").communicate(
        timeout=120
    )
    assert "Periode November 2026: 2 pegawai dinilai" in out, err
    return normalised(out, root)


@pytest.mark.parametrize("workers", [1, 2], ids=["serial", "workers"])
@pytest.mark.parametrize(
    ("sig", "code", "message", "logged"),
    [
        pytest.param(
            signal.SIGINT,
            EXIT_INTERRUPTED,
            "Dibatalkan.",
            "Proses dihentikan (KeyboardInterrupt)",
            id="SIGINT",
        ),
        pytest.param(
            signal.SIGTERM,
            EXIT_TERMINATED,
            "Dihentikan (SIGTERM).",
            "Proses dihentikan (SIGTERM)",
            id="SIGTERM",
        ),
    ],
)
def test_a_run_stopped_while_it_renders(
    tmp_path: Path,
    clean_run: str,
    sig: signal.Signals,
    code: int,
    message: str,
    logged: str,
    workers: int,
) -> None:
    root = workspace(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    inbox = snapshot(root / "inbox")
    ready, release = tmp_path / "ready", tmp_path / "release"
    argv = ("-c", PAUSED_RUN, str(ready), str(release), "run", "--workers", str(workers))
    process = kinerja(root, scratch, *argv)
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the run never started a PDF"
            time.sleep(0.02)
        assert list((root / "hasil").rglob(".*.tmp")), "paused inside a PDF's temporary file"
        process.send_signal(sig)
        if workers > 1:
            release.touch()  # the workers finish the PDF in hand while the pool shuts down
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == code, out + err
    assert message in err.splitlines()
    assert UNEXPECTED not in out + err and "Traceback" not in err
    (log,) = (root / "log").glob("kinerja-*.log")
    assert logged in log.read_text(encoding="utf-8")
    assert run_history(root)[-1][0] == "dihentikan"
    assert list(root.rglob("*.tmp")) == []
    assert [p.name for p in scratch.iterdir()] == []  # no kinerja-* or weasyprint-* folder
    assert snapshot(root / "inbox") == inbox

    rerun = kinerja(root, scratch, "-m", "kinerja_batch", "run")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, out + err  # the lock was released, nothing is left half done
    assert normalised(out, root) == clean_run
    assert [status for status, _ in run_history(root)] == ["dihentikan", "selesai"]
    assert list((root / "inbox").iterdir()) == []
    assert [p.name for p in scratch.iterdir()] == []
