"""Throughput of a whole run for N employees, by stage, against WeasyPrint's own limit.

    python benchmarks/run.py N [--workers W] [--inbox FOLDER] [--naive-sample K] [--pure-sample K]
                               [--rerun]

Generates (or reuses) an inbox of N employees (benchmarks/generate.py), then runs the real pipeline
(`pipeline.run`, as `kinerja run` does) with a timer around each stage: read (opening every
workbook and checking each on its own), validate (the checks across workbooks), compute, render
(the feedback PDFs), summary (the workbook) and other. For each stage: wall time and the peak
resident memory of this process during it (the kernel's high-water mark, reset before each stage);
for render also the largest worker process's peak. Then, on the very same HTML documents:

(a) pure WeasyPrint: layout and write of every document with W processes, nothing else;
(b) the naive baseline: `HTML(string).write_pdf()` per document in one process, no shared
    stylesheet or font configuration, fontTools subsetting (WeasyPrint's default without
    libharfbuzz-subset0). Timed on a sample of K documents and extrapolated to N; the same
    with HarfBuzz subsetting is printed for information.

(a) is timed on every document unless `--pure-sample K` asks for the first K only (for N=10,000,
where (a) on every document would take as long as the run itself); it is then extrapolated to N.

With `--rerun`: a working folder (`kinerja init`) gets the same workbooks, then `kinerja run` (all
new) and `kinerja run` again (nothing new) are timed as the CLI runs them, in their own processes.

Targets (issue "Speed and scale"): whole run within 1.3x of (a), at least 4x faster than (b);
at N=10,000 peak memory under 1 GB and time per employee no worse than at N=1,000; a rerun with
nothing new under 3% of the full run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from kinerja_batch import pipeline
from kinerja_batch.documents.feedback import STYLESHEET_NAME, FeedbackRenderer
from kinerja_batch.documents.weasy import TemplatesOnlyFetcher
from kinerja_batch.fsutil import templates_dir
from kinerja_batch.loading import NoProgress
from kinerja_batch.model import EmployeeResult, unit_key
from kinerja_batch.settings import Settings
from kinerja_batch.tally import unit_criterion_means

HERE = Path(__file__).resolve().parent
STAGES = ("read", "validate", "compute", "render", "summary", "other")
TODAY = dt.date(2026, 12, 1)


# --- memory --------------------------------------------------------------------------------------


def reset_peak() -> None:
    """Start this process's high-water mark afresh (Linux: /proc/self/clear_refs)."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_mib() -> float:
    """The largest resident-set peak of any finished child process (the render workers). A forked
    worker's RSS also counts the pages it shares with the parent, so this overstates its cost."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _pss_kib(pid: int) -> int:
    """Proportional set size: private pages plus a fair share of pages shared with others."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:  # the process has just ended
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in map(int, children):
        found += [child, *_descendants(child)]
    return found


class TreeMemory:
    """The largest total memory of this process and all its descendants (the render workers), as
    the sum of their proportional set sizes sampled every 0.2 s: pages the workers share with the
    parent after fork are counted once, not once per process."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.2):
            total = sum(_pss_kib(pid) for pid in [me, *_descendants(me)])
            self.peak_kib = max(self.peak_kib, total)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# --- the pipeline, timed by stage ----------------------------------------------------------------


class Stages:
    def __init__(self) -> None:
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self.peak = dict.fromkeys(STAGES, 0.0)

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        reset_peak()
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - start
            self.peak[stage] = max(self.peak[stage], peak_mib())

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.timing(stage):
                return function(*args, **kwargs)

        return timed


def timed_run(
    inbox: Path, out: Path, settings: Settings
) -> tuple[Stages, float, pipeline.RunReport]:
    """`pipeline.run` with each stage's function wrapped in a timer."""
    stages = Stages()
    timed = {
        "load_inbox": "read",
        "cross_check": "validate",
        "evaluate_period": "compute",
        "write_summary": "summary",
        "render_pdfs": "render",
    }
    originals = {name: getattr(pipeline, name) for name in timed}
    for name, stage in timed.items():
        setattr(pipeline, name, stages.wrap(stage, originals[name]))
    reset_peak()
    start = time.perf_counter()
    try:
        report = pipeline.run(inbox, out, settings=settings, progress=NoProgress(), today=TODAY)
    finally:
        for name, function in originals.items():
            setattr(pipeline, name, function)
    total = time.perf_counter() - start
    stages.seconds["other"] = total - sum(stages.seconds[s] for s in STAGES[:-1])
    return stages, total, report


# --- the same HTML documents, without the pipeline -----------------------------------------------


def write_html(report: pipeline.RunReport, folder: Path, settings: Settings) -> list[Path]:
    """The HTML of every PDF the run wrote, exactly as the pipeline made it, one file each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with FeedbackRenderer(settings) as renderer:
        for period in report.periods:
            outcome = period.outcome
            averages = unit_criterion_means(outcome, settings.unit_average_min_employees)
            instansi = outcome.criteria.nama_instansi
            for result in outcome.results:
                paths.append(folder / f"{result.employee.nip}.html")
                html = html_of(renderer, result, instansi, averages)
                paths[-1].write_text(html, encoding="utf-8")
    return paths


def html_of(
    renderer: FeedbackRenderer,
    result: EmployeeResult,
    instansi: str,
    averages: dict[str, dict[str, float] | None],
) -> str:
    unit_average = averages.get(unit_key(result.employee.unit_kerja))
    content = pipeline.content_digest(renderer, result, instansi, unit_average, ())
    return renderer.render_html(
        result,
        instansi=instansi,
        unit_average=unit_average,
        generated_on=TODAY,
        document_id=pipeline.document_id(result, content),
    )


_css: CSS | None = None
_fonts: FontConfiguration | None = None
_fetcher: TemplatesOnlyFetcher | None = None


def _start_layout_worker() -> None:
    global _css, _fonts, _fetcher
    root = templates_dir()
    _fonts = FontConfiguration()
    _fetcher = TemplatesOnlyFetcher(root)
    css = (root / STYLESHEET_NAME).read_text(encoding="utf-8")
    _css = CSS(string=css, base_url=str(root), url_fetcher=_fetcher, font_config=_fonts)


def _layout(paths: tuple[Path, Path]) -> None:
    source, target = paths
    html = HTML(
        string=source.read_text("utf-8"), base_url=str(templates_dir()), url_fetcher=_fetcher
    )
    html.write_pdf(target, stylesheets=[_css], font_config=_fonts)


def pure_weasyprint(documents: list[Path], out: Path, workers: int) -> float:
    """(a): lay out and write every document with `workers` processes; the wall time."""
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(d, out / f"{d.stem}.pdf") for d in documents]
    start = time.perf_counter()
    if workers <= 1:
        _start_layout_worker()
        for job in jobs:
            _layout(job)
    else:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_start_layout_worker) as pool:
            for _ in pool.imap_unordered(_layout, jobs, chunksize=4):
                pass
    return time.perf_counter() - start


def naive(documents: list[Path], out: Path, fonttools: bool) -> float:
    """(b), in this process: one `write_pdf` per document, nothing shared; seconds per document."""
    if fonttools:
        from weasyprint.pdf import fonts

        fonts.harfbuzz_subset = None  # as if libharfbuzz-subset0 were not installed
    out.mkdir(parents=True, exist_ok=True)
    root = templates_dir()
    start = time.perf_counter()
    for d in documents:
        HTML(string=d.read_text("utf-8"), base_url=str(root)).write_pdf(
            out / f"{d.stem}.pdf", stylesheets=[CSS(filename=str(root / STYLESHEET_NAME))]
        )
    return (time.perf_counter() - start) / len(documents)


def naive_in_child(documents: list[Path], out: Path, fonttools: bool) -> float:
    """`naive` in a fresh process, so patching the subsetter touches nothing else."""
    listing = out / "documents.json"
    out.mkdir(parents=True, exist_ok=True)
    listing.write_text(json.dumps([str(d) for d in documents]))
    command = [sys.executable, __file__, "--naive", str(listing), str(out)]
    done = subprocess.run(
        [*command, *(["--fonttools"] if fonttools else [])],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


# --- a working folder: everything new, then nothing new --------------------------------------------


def workspace_runs(inbox: Path, folder: Path, workers: int) -> tuple[float, float]:
    """Seconds of `kinerja run` in a fresh working folder holding the inbox's workbooks, and of the
    same command again with nothing new."""
    from months import kinerja  # benchmarks/ is on the path when this runs as a script

    kinerja(folder.parent, "init", folder.name)
    for path in inbox.iterdir():
        standing = path.name in ("kriteria.xlsx", "pegawai.xlsx")
        shutil.copy(path, folder / path.name if standing else folder / "inbox" / path.name)
    runs = []
    for _ in range(2):
        seconds, code, out = kinerja(folder, "run", "--workers", str(workers))
        if code != 0:
            raise SystemExit(f"kinerja run failed ({code}):\n{out}")
        runs.append(seconds)
    if "tidak ada yang berubah" not in out:
        raise SystemExit(f"the rerun did something:\n{out}")
    return runs[0], runs[1]


# --- the report ----------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    if argv[:1] == ["--naive"]:
        documents = [Path(p) for p in json.loads(Path(argv[1]).read_text())]
        print(naive(documents, Path(argv[2]), "--fonttools" in argv))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("n", type=int, help="how many employees")
    parser.add_argument("--workers", type=int, default=Settings().workers)
    parser.add_argument("--inbox", type=Path, help="default: <tmp>/kinerja-bench/inbox-N")
    parser.add_argument("--naive-sample", type=int, default=50, help="documents timed for (b)")
    parser.add_argument("--pure-sample", type=int, help="documents timed for (a); default: all")
    parser.add_argument("--rerun", action="store_true", help="also time a working folder's rerun")
    args = parser.parse_args(argv)

    base = Path(tempfile.gettempdir()) / "kinerja-bench"
    inbox: Path = args.inbox or base / f"inbox-{args.n}"
    if not (inbox / "pegawai.xlsx").is_file():
        sys.path.insert(0, str(HERE))
        from generate import generate

        print(f"generating {args.n} employees in {inbox} ...", flush=True)
        generate(args.n, inbox)
    work = Path(tempfile.mkdtemp(prefix=f"run-{args.n}-", dir=base))
    settings = Settings(workers=args.workers)

    with TreeMemory() as tree:
        stages, total, report = timed_run(inbox, work / "hasil", settings)
    worker_peak = children_peak_mib()
    pdfs = sum(len(p.pdfs) for p in report.periods)
    findings = [f for f in report.findings() if f.severity.value != "info"]
    print(
        f"\nN={args.n} employees, {pdfs} PDFs, {args.workers} worker(s), {len(findings)} findings above info"
    )
    print(f"{'stage':<10} {'seconds':>9} {'share':>6} {'peak MiB':>9}")
    for stage in STAGES:
        share = stages.seconds[stage] / total
        print(f"{stage:<10} {stages.seconds[stage]:>9.1f} {share:>6.0%} {stages.peak[stage]:>9.0f}")
    print(f"{'total':<10} {total:>9.1f} {1:>6.0%} {max(stages.peak.values()):>9.0f}")
    print(
        f"render workers: largest resident peak {worker_peak:.0f} MiB each (shared pages "
        f"included); whole run, parent and workers together: peak {tree.peak_kib / 1024:.0f} MiB "
        "(sum of proportional set sizes)"
    )
    print(f"{args.n / total * 3600:,.0f} employees per hour; {total / pdfs * 1000:.0f} ms per PDF")

    documents = write_html(report, work / "html", settings)
    timed_documents = documents[: args.pure_sample] if args.pure_sample else documents
    pure = pure_weasyprint(timed_documents, work / "pure", args.workers)
    pure *= len(documents) / len(timed_documents)
    sample = documents[: args.naive_sample]
    per_doc = naive_in_child(sample, work / "naive", fonttools=True)
    per_doc_hb = naive_in_child(sample, work / "naive_hb", fonttools=False)
    baseline = per_doc * len(documents)
    sampled = (
        f" (sample of {len(timed_documents)}, extrapolated)"
        if len(timed_documents) < len(documents)
        else ""
    )
    print(
        f"\n(a) pure WeasyPrint, same {len(documents)} documents, {args.workers} process(es): "
        f"{pure:.1f} s{sampled}"
    )
    print(
        f"(b) naive, one process, fontTools subsetting: {per_doc * 1000:.0f} ms per document "
        f"(sample of {len(sample)}, extrapolated to {len(documents)}: {baseline:.1f} s)"
    )
    print(
        f"    for information, naive with HarfBuzz subsetting: {per_doc_hb * 1000:.0f} ms per document"
    )
    print(f"whole run / (a) = {total / pure:.2f}  (target at most 1.3)")
    print(f"(b) / whole run = {baseline / total:.2f}  (target at least 4)")
    if args.rerun:
        full, rerun = workspace_runs(inbox, work / "kantor", args.workers)
        print(
            f"\nworking folder: kinerja run {full:.1f} s; again with nothing new {rerun:.1f} s "
            f"= {rerun / full:.1%} of the full run  (target under 3%)"
        )
    print(f"outputs in {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
