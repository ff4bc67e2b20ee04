"""Runs killed at random moments, then run again: does the rerun end like a run never disturbed?

Makes a working folder with a generated office of N employees (`generate.py`), runs `kinerja run`
once undisturbed (the reference), then for each trial: a fresh copy of the folder, `kinerja run`
killed with SIGKILL after a random delay within the reference run's duration (every other
trial in its last fifth, where inputs are archived and recorded), and `kinerja run`
again. A trial matches when the rerun's exit code, the summary's `Pegawai` and `Validasi` sheets,
the PDFs (their names and text), the archive (names and bytes), the history's accepted inputs and
results are those of the reference, the inbox is empty, and no temporary file or folder is left.

    python benchmarks/kill.py [--employees 30] [--trials 20] [--seed 1] [--workers 2]

Prints each trial (when it was killed, what the killed run had done, whether the rerun matched)
and the count: `matched K of N`. Not a test: it takes minutes.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

from kinerja_batch.workspace import init_workspace

State = dict[str, object]

# Chosen moments: the run is killed as soon as the test sees each of these.
CHOSEN_WHEN: dict[str, Callable[[Path], bool]] = {
    "first PDF written": lambda f: any((f / "hasil").rglob("*.pdf")),
    "summary written": lambda f: any((f / "hasil").rglob("ringkasan_*.xlsx")),
    "first input archived": lambda f: any((f / "arsip").rglob("*.xlsx")),
    "history written": lambda f: (f / "kinerja.db-wal").exists(),
}
CHOSEN: list[tuple[str | None, float]] = [(event, 0.0) for event in CHOSEN_WHEN]


def make_folder(target: Path, employees: int, seed: int) -> None:
    init_workspace(target, "Pemerintah Kabupaten Kemuning")
    staging = target.parent / "staging"
    generate(employees, staging, "2026-11", seed)
    for name in ("kriteria.xlsx", "pegawai.xlsx"):
        shutil.move(staging / name, target / name)
    for workbook in staging.iterdir():
        shutil.move(workbook, target / "inbox" / workbook.name)
    staging.rmdir()


def kinerja(folder: Path, scratch: Path, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TMPDIR": str(scratch)}
    return subprocess.Popen(
        [sys.executable, "-m", "kinerja_batch", "run", "--workers", str(workers)],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def state(folder: Path) -> State:
    """What a user and the next run see of a working folder, dates and times aside."""
    period = folder / "hasil" / "2026-11"
    wb = openpyxl.load_workbook(period / "ringkasan_2026-11.xlsx", read_only=True)
    sheets = {
        name: [tuple(r) for r in wb[name].iter_rows(values_only=True)]
        for name in ("Pegawai", "Validasi")
    }
    pdfs = {
        p.name: " ".join(page.extract_text() or "" for page in PdfReader(p).pages)
        for p in sorted((period / "umpan_balik").glob("*.pdf"))
    }
    archive = {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in (folder / "arsip").rglob("*.*")
    }
    with sqlite3.connect(folder / "kinerja.db") as db:
        inputs = sorted(
            db.execute("SELECT sha256, kind, periode, subject, archive_path FROM inputs")
        )
        results = sorted(db.execute("SELECT * FROM results").fetchall(), key=str)
    leftovers = [p.name for p in folder.rglob("*") if p.name.endswith(".tmp")]
    return {
        "sheets": sheets,
        "pdfs": pdfs,
        "archive": archive,
        "inputs": inputs,
        "results": [r[:-1] for r in results],  # the run id aside
        "inbox": sorted(p.name for p in (folder / "inbox").rglob("*")),
        "leftovers": leftovers,
    }


def differences(expected: State, got: State) -> list[str]:
    return [key for key in expected if expected[key] != got.get(key)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=30)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="kinerja-kill-bench-") as tmp:
        work = Path(tmp)
        pristine = work / "pristine" / "kantor"
        make_folder(pristine, args.employees, args.seed)
        scratch = work / "tmp"
        scratch.mkdir()

        reference = work / "reference"
        shutil.copytree(pristine.parent, reference)
        start = time.perf_counter()
        code = kinerja(reference / "kantor", scratch, args.workers).wait()
        duration = time.perf_counter() - start
        expected = state(reference / "kantor")
        print(f"reference run: exit {code}, {duration:.1f} s, {len(expected['pdfs'])} PDFs")  # type: ignore[arg-type]

        matched = 0
        moments = [*CHOSEN, *((None, rng.uniform(0.0, duration)) for _ in range(args.trials))]
        for trial, (event, delay) in enumerate(moments, start=1):
            folder = work / f"trial-{trial}"
            shutil.copytree(pristine.parent, folder)
            process = kinerja(folder / "kantor", scratch, args.workers)
            start = time.perf_counter()
            if event is None:
                time.sleep(delay)
            else:  # a chosen moment: as soon as it is seen
                while process.poll() is None and not CHOSEN_WHEN[event](folder / "kantor"):
                    time.sleep(0.001)
            delay = time.perf_counter() - start
            killed = process.poll() is None
            if killed:
                process.send_signal(signal.SIGKILL)
            process.wait()
            time.sleep(0.2)  # its workers see the parent gone and end (PR_SET_PDEATHSIG)
            archived = len(list((folder / "kantor" / "arsip").rglob("*.*")))
            pdfs = len(list((folder / "kantor" / "hasil").rglob("*.pdf")))
            rerun = kinerja(folder / "kantor", scratch, args.workers).wait()
            got = state(folder / "kantor")
            diff = differences(expected, got) + ([] if rerun == code else ["exit code"])
            left = [p.name for p in scratch.iterdir()]
            if left:
                diff.append(f"temporary files: {left}")
            matched += not diff
            what = ("killed" if killed else "had already ended") + (f" ({event})" if event else "")
            print(
                f"trial {trial:2d}: {what} at {delay:5.2f} s ({pdfs} PDFs, {archived} archived by "
                f"then); rerun exit {rerun}: {'matches' if not diff else 'DIFFERS: ' + ', '.join(diff)}"
            )
            shutil.rmtree(folder)
        print(
            f"matched {matched} of {len(moments)} ({len(CHOSEN)} chosen moments, {args.trials} "
            "random ones; each killed run, then one rerun)"
        )
        return 0 if matched == len(moments) else 1


if __name__ == "__main__":
    raise SystemExit(main())
