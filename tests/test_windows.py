"""Windows and macOS, simulated here: no module needs fcntl, prctl or fork; every name the program
writes is valid on Windows; a file held open (as Excel holds the workbooks it shows) is retried and
then reported; a console that cannot show a character does not end a command; the Task Scheduler
recipe runs the monthly job as cron and systemd do."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from kinerja_batch import fsutil
from kinerja_batch.cli.stops import EXIT_ENVIRONMENT, environment_problem
from kinerja_batch.fsutil import WINDOWS_RESERVED, atomic_write_bytes, slug

from factories import (
    LAPORAN_E1,
    LAPORAN_E2,
    NILAI_A,
    PEGAWAI,
    make_workspace,
    valid_inbox,
    write_with_specials,
)

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
TASK = "{http://schemas.microsoft.com/windows/2004/02/mit/task}"
FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# Room left for where HR puts the working folder (`C:\Users\<name>\Documents\kantor\`).
MAX_RELATIVE_PATH = 200


def windows_problem(name: str) -> str | None:
    """Why Windows would refuse `name` as a file or folder name, or None."""
    if FORBIDDEN.search(name):
        return "a forbidden character"
    if name.endswith((".", " ")):
        return "a trailing dot or space"
    if name.split(".")[0].upper() in WINDOWS_RESERVED:
        return "a reserved name"
    if len(name) > 255:
        return "longer than 255 characters"
    return None


def test_the_name_rule_refuses_what_windows_refuses() -> None:
    for bad in ("a:b.pdf", "laporan?.xlsx", "CON.pdf", "nul", "Unit.", "Unit ", "x" * 256):
        assert windows_problem(bad) is not None, bad
    assert windows_problem("198503122010012004_Siti_Aminah_S_E.pdf") is None


@pytest.mark.parametrize("name", ["CON", "con", "Aux", "COM1", "LPT9", "Nul."])
def test_names_windows_reserves_are_not_written(name: str) -> None:
    assert windows_problem(slug(name)) is None
    assert slug(name).rstrip("_").upper() == name.rstrip(".").upper()


def test_every_module_imports_without_fcntl() -> None:
    code = (
        "import sys\n"
        "sys.modules['fcntl'] = None  # as on Windows: importing it raises ImportError\n"
        "import importlib, pkgutil, kinerja_batch\n"
        "for m in pkgutil.walk_packages(kinerja_batch.__path__, 'kinerja_batch.'):\n"
        "    if m.name != 'kinerja_batch.__main__':  # that one runs the command line\n"
        "        importlib.import_module(m.name)\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_a_working_folder_run_needs_no_fcntl_and_no_fork(tmp_path: Path) -> None:
    """The monthly run with fcntl unavailable and PDF workers started with `spawn`, as on Windows
    (macOS starts them with `spawn` too)."""
    root = make_workspace(tmp_path, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    code = (
        "import sys\n"
        "sys.modules['fcntl'] = None\n"
        "from kinerja_batch.cli import main\n"
        "main(['run', '--workers', '2'])\n"
    )
    env = {**os.environ, "KINERJA_START_METHOD": "spawn"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Periode November 2026: 2 pegawai dinilai" in done.stdout
    assert len(list((root / "hasil" / "2026-11" / "umpan_balik").glob("*.pdf"))) == 2


def test_every_name_the_program_writes_is_valid_on_windows(tmp_path: Path) -> None:
    spec = valid_inbox()
    roster = spec.sheet(PEGAWAI, "Pegawai")
    roster[3][1] = 'Siti "Aminah": S.E. / M.M.?'  # E1's name, with what Windows forbids
    roster[3][3] = "CON"  # E1's unit: a name Windows reserves
    root = make_workspace(tmp_path, spec, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    env = {**os.environ}

    def kinerja(*argv: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "kinerja_batch", *argv],
            cwd=root,
            capture_output=True,
            text=True,
            env=env,
        )
        assert done.returncode in (0, 1), done.stdout + done.stderr

    kinerja("templat", "--periode", "2026-12")
    kinerja("run")
    kinerja("kirim", "--periode", "2026-11", "--folder", "bagikan")
    kinerja("tahunan", "2026")
    kinerja("status", "--xlsx", "pengingat.xlsx")
    written = [p for p in root.rglob("*") if p.relative_to(root).parts[0] != "inbox"]
    assert len(written) > 20
    for path in written:
        relative = path.relative_to(root)
        for part in relative.parts:
            assert windows_problem(part) is None, f"{relative}: {windows_problem(part)}"
        assert len(str(relative)) <= MAX_RELATIVE_PATH, relative
    for archive in root.rglob("*.zip"):
        for member in zipfile.ZipFile(archive).namelist():
            assert windows_problem(member) is None, member


def test_a_file_held_open_is_retried_then_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to replace a file another program holds open (Excel, a virus scanner)."""
    target = tmp_path / "ringkasan_2026-11.xlsx"
    target.write_bytes(b"lama")
    replace = os.replace
    refusals = [PermissionError(13, "The process cannot access the file")] * 2

    def held_open_twice(source: str | Path, destination: str | Path) -> None:
        if refusals:
            raise refusals.pop()
        replace(source, destination)

    monkeypatch.setattr(fsutil, "REPLACE_RETRIES", 3)
    monkeypatch.setattr(fsutil, "REPLACE_PAUSE", 0.01)
    monkeypatch.setattr(os, "replace", held_open_twice)
    atomic_write_bytes(target, b"baru")
    assert target.read_bytes() == b"baru"

    def held_open(source: str | Path, destination: str | Path) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", held_open)
    with pytest.raises(OSError) as info:
        atomic_write_bytes(target, b"lebih baru")
    assert info.value.errno == errno.EBUSY and target.read_bytes() == b"baru"
    assert list(tmp_path.glob("*.tmp")) == []  # never a half file
    message, code = environment_problem(info.value) or ("", 0)
    assert code == EXIT_ENVIRONMENT
    assert "sedang dipakai program lain" in message and "Tutup program" in message


def test_a_console_that_cannot_show_a_character_does_not_end_the_command(
    tmp_path: Path,
) -> None:
    spec = valid_inbox()
    spec.sheet(LAPORAN_E1, "Identitas")[1][1] = "Siti Aminah 李 ✓"  # differs from the roster
    inbox = write_with_specials(spec, tmp_path / "inbox")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}  # a Windows console's legacy code page
    done = subprocess.run(
        [sys.executable, "-m", "kinerja_batch", "run", str(inbox), "--out", str(tmp_path / "h")],
        capture_output=True,
        env=env,
    )
    out = done.stdout.decode("cp1252")
    assert done.returncode == 0, out + done.stderr.decode("cp1252", "replace")
    assert "(nama-tidak-cocok)" in out and "Siti Aminah ? ?" in out


def test_task_scheduler_recipe_runs_the_monthly_job(tmp_path: Path) -> None:
    task = ET.fromstring((DEPLOY / "kinerja-task.xml").read_bytes())
    trigger = task.find(f"{TASK}Triggers/{TASK}CalendarTrigger")
    assert trigger is not None
    start = trigger.findtext(f"{TASK}StartBoundary") or ""
    assert start.endswith("T06:00:00")  # 06:00, as the cron and systemd examples
    by_month = trigger.find(f"{TASK}ScheduleByMonth")
    assert by_month is not None
    days = [d.text for d in by_month.iter(f"{TASK}Day")]
    assert days == ["1", "2", "3", "4", "5"]
    months = by_month.find(f"{TASK}Months")
    assert months is not None and len(list(months)) == 12
    settings = task.find(f"{TASK}Settings")
    assert settings is not None
    assert settings.findtext(f"{TASK}MultipleInstancesPolicy") == "IgnoreNew"
    action = task.find(f"{TASK}Actions/{TASK}Exec")
    assert action is not None
    command = action.findtext(f"{TASK}Command") or ""
    assert command.endswith(r"\Scripts\kinerja.exe")
    arguments = (action.findtext(f"{TASK}Arguments") or "").split()
    assert arguments == ["run"]
    # The same command here: this interpreter's `kinerja`, in a working folder of the test's own.
    from test_deploy import working_folder

    root = working_folder(tmp_path)
    kinerja = shutil.which("kinerja", path=str(Path(sys.executable).parent)) or "kinerja"
    done = subprocess.run([kinerja, *arguments], cwd=root, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    assert "Periode November 2026" in done.stdout
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    assert "kinerja-task.xml" in readme and "schtasks" in readme
