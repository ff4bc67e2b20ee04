"""The scheduling examples in deploy/ run the real commands against a working folder."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from kinerja_batch.workspace import init_workspace

from factories import KRITERIA, LAPORAN_E1, NILAI_A, PEGAWAI, valid_inbox, write_with_specials

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
WORKDIR = "/srv/kinerja/kantor"
VENV = "/srv/kinerja/venv"


def working_folder(tmp_path: Path) -> Path:
    root = tmp_path / "kantor"
    init_workspace(root, "Pemerintah Kabupaten Kemuning")
    staging = write_with_specials(valid_inbox(), tmp_path / "staging")
    for name in (KRITERIA, PEGAWAI):
        shutil.copy(staging / name, root / name)
    for name in (LAPORAN_E1, NILAI_A):
        shutil.copy(staging / name, root / "inbox" / name)
    return root


def local(command: str, root: Path) -> str:
    """The deploy command with this machine's working folder and interpreter."""
    kinerja = shutil.which("kinerja", path=str(Path(sys.executable).parent)) or "kinerja"
    return command.replace(WORKDIR, str(root)).replace(f"{VENV}/bin/kinerja", kinerja)


def test_cron_line_runs_the_monthly_job(tmp_path: Path) -> None:
    lines = [
        line
        for line in (DEPLOY / "kinerja.cron").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    (line,) = lines
    fields = line.split(maxsplit=5)
    assert fields[:5] == ["0", "6", "1-5", "*", "*"]  # 06:00 on the 1st to the 5th
    root = working_folder(tmp_path)
    done = subprocess.run(
        ["bash", "-c", local(fields[5], root)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    cron_log = (root / "log" / "cron.log").read_text(encoding="utf-8")
    assert "Periode November 2026: 2 pegawai dinilai" in cron_log
    assert (root / "hasil" / "2026-11" / "ringkasan_2026-11.xlsx").is_file()
    assert list((root / "log").glob("kinerja-*.log"))


def test_systemd_service_and_timer(tmp_path: Path) -> None:
    service = configparser.ConfigParser(strict=False)
    service.read(DEPLOY / "kinerja.service")
    timer = configparser.ConfigParser(strict=False)
    timer.read(DEPLOY / "kinerja.timer")
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["SuccessExitStatus"] == "1"
    assert service["Service"]["KillMode"] == "mixed"  # SIGTERM to the run, which ends its workers
    assert timer["Timer"]["OnCalendar"] == "*-*-01..05 06:00:00"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    root = working_folder(tmp_path)
    command = local(service["Service"]["ExecStart"], root).split()
    done = subprocess.run(
        command,
        cwd=local(service["Service"]["WorkingDirectory"], root),
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ},
    )
    assert done.returncode in (0, 1), done.stderr
    assert "Periode November 2026" in done.stdout
    if shutil.which("systemd-analyze") is None:
        return
    check = subprocess.run(
        ["systemd-analyze", "calendar", timer["Timer"]["OnCalendar"]],
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode == 0:
        assert re.search(r"Next elapse: .* 06:00:00", check.stdout)


def test_deploy_readme_names_both_ways() -> None:
    text = (DEPLOY / "README.md").read_text(encoding="utf-8")
    for name in ("kinerja.cron", "kinerja.service", "kinerja.timer"):
        assert name in text
