"""The sample office spread over three months in a working folder, timed.

Makes a working folder (`kinerja init`) with sample_data's criteria and roster, then for September,
October and November 2026 drops that month's workbooks (the sample's, with the period changed and a
few scores moved so trends are not flat) and runs `kinerja run`; then a rerun with nothing new, a late
arrival, and `kinerja tahunan 2026`. Prints the time of each step.

    python benchmarks/months.py [FOLDER]     # default: a temporary folder
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
MONTHS = (("2026-09", "September 2026", 1), ("2026-10", "Oktober 2026", 2), ("2026-11", None, 0))


def month_copy(source: Path, target: Path, periode: str | None, shift_every: int) -> None:
    """The sample workbook as another month's: Identitas!Periode changed; every `shift_every`-th
    score one step lower (within its scale)."""
    if periode is None:
        shutil.copy(source, target)
        return
    wb = openpyxl.load_workbook(source)
    for row in wb["Identitas"].iter_rows():
        if str(row[0].value).strip().lower() == "periode":
            row[1].value = periode
    if "Nilai" in wb.sheetnames and shift_every:
        ws = wb["Nilai"]
        header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "NIP")
        column = next(c for c in range(1, 10) if ws.cell(header, c).value == "Nilai")
        for r in range(header + 1, ws.max_row + 1):
            value = ws.cell(r, column).value
            if isinstance(value, int | float) and r % (shift_every + 2) == 0 and 1 < value <= 5:
                ws.cell(r, column).value = value - 1
    wb.save(target)


def kinerja(folder: Path, *args: str) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kinerja_batch", *args], cwd=folder, capture_output=True, text=True
    )
    return time.perf_counter() - start, done.returncode, done.stdout


def main(argv: list[str]) -> int:
    base = Path(argv[0]) if argv else Path(tempfile.mkdtemp())
    folder = base / "kantor"
    kinerja(base, "init", str(folder))
    for name in ("kriteria.xlsx", "pegawai.xlsx"):
        shutil.copy(SAMPLE / name, folder / name)
    people = sorted(
        p for p in SAMPLE.glob("*.xlsx") if p.name not in ("kriteria.xlsx", "pegawai.xlsx")
    )
    late = next(p for p in people if p.name.startswith("laporan_"))
    print(f"{'step':<44} {'seconds':>8}  exit")
    for key, periode, shift in MONTHS:
        for source in people:
            if key == "2026-11" and source == late:
                continue  # arrives late, after the November run
            month_copy(source, folder / "inbox" / f"{key}_{source.name}", periode, shift)
        seconds, code, _ = kinerja(folder, "run")
        print(
            f"{'run ' + key + ' (' + str(len(people)) + ' workbooks)':<44} {seconds:>8.1f}  {code}"
        )
    seconds, code, out = kinerja(folder, "run")
    print(f"{'rerun with nothing new':<44} {seconds:>8.1f}  {code}")
    assert "tidak ada yang berubah" in out, out
    shutil.copy(late, folder / "inbox" / late.name)
    seconds, code, out = kinerja(folder, "run")
    rebuilt = [line.strip() for line in out.splitlines() if "dibuat ulang" in line]
    print(f"{'late self-report for 2026-11':<44} {seconds:>8.1f}  {code}  {rebuilt}")
    seconds, code, _ = kinerja(folder, "status", "--xlsx", "status.xlsx")
    print(f"{'status':<44} {seconds:>8.1f}  {code}")
    seconds, code, _ = kinerja(folder, "tahunan", "2026")
    print(f"{'tahunan 2026':<44} {seconds:>8.1f}  {code}")
    print(f"working folder: {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
