"""Time and peak memory of reading each hostile file of the test corpus (tests/test_hostile.py).

Each case runs in a fresh process, so its peak resident memory is its own. The bounds the project
promises are checked here, never by timed assertions in tests:

    python benchmarks/hostile.py            # every case; exit 1 if a bound is broken
    python benchmarks/hostile.py CASE       # one case (used by the loop above)
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_hostile import Case  # noqa: E402 - after the tests folder is on the path

MAX_SECONDS = 5.0
MAX_PEAK_MIB = 500.0


def ten_million_rows(inbox: Path) -> Case:
    """A real 10-million-row sheet (about 400 MB of XML), streamed into the zip in chunks."""
    import zipfile

    from test_hostile import _rezip, _valid_workbook_bytes

    path = inbox / "sepuluh_juta.xlsx"
    path.write_bytes(_rezip(_valid_workbook_bytes(inbox / "x"), {}))
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z,
        z.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as part,
    ):
        part.write(
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        )
        for start in range(1, 10_000_001, 100_000):
            rows = "".join(
                f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'
                for r in range(start, start + 100_000)
            )
            part.write(rows.encode())
        part.write(b"</sheetData></worksheet>")
    return Case("sepuluh_juta.xlsx", "berkas-terlalu-besar")


def run_case(name: str) -> dict[str, object]:
    from test_hostile import CORPUS

    from kinerja_batch.loading import NoProgress, load_inbox
    from kinerja_batch.settings import Settings

    from factories import valid_inbox, write_with_specials

    makers = {**CORPUS, "ten_million_rows": ten_million_rows}

    with tempfile.TemporaryDirectory() as tmp:
        inbox = write_with_specials(valid_inbox(), Path(tmp) / "inbox")
        expected = makers[name](inbox)
        start = time.perf_counter()  # the file is made; only reading it is timed
        loaded = load_inbox(inbox, Settings(), NoProgress())
        seconds = time.perf_counter() - start
    codes = [f.code for f in loaded.findings if f.file == expected.file] if expected.file else []
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"case": name, "seconds": seconds, "peak_mib": peak_mib, "codes": codes}


def main(argv: list[str]) -> int:
    if argv:
        print(json.dumps(run_case(argv[0])))
        return 0
    from test_hostile import CORPUS

    cases = [*sorted(CORPUS), "ten_million_rows"]
    print(f"{'case':<36} {'seconds':>8} {'peak MiB':>9}  finding")
    broken = 0
    for name in cases:
        out = subprocess.run(
            [sys.executable, __file__, name], capture_output=True, text=True, check=True
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        ok = row["seconds"] <= MAX_SECONDS and row["peak_mib"] <= MAX_PEAK_MIB
        broken += not ok
        codes = ", ".join(row["codes"]) or "(diabaikan, tanpa temuan)"
        flag = "" if ok else "  <-- over the bound"
        print(f"{name:<36} {row['seconds']:>8.2f} {row['peak_mib']:>9.0f}  {codes}{flag}")
    print(
        f"bounds: {MAX_SECONDS} s and {MAX_PEAK_MIB:.0f} MiB per file (whole process, Python included)"
    )
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
