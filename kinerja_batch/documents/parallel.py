"""Feedback PDFs written one per employee, in this process or in worker processes.

Layout is the cost of a PDF (WeasyPrint, about 0.2-0.4 s each) and it is CPU-bound Python, so PDFs
are spread over processes, one per core by default (`Settings.workers`). Each worker makes its own
`FeedbackRenderer` once and writes the PDFs itself, atomically: no PDF bytes travel back, and the
parent's memory stays flat however many employees there are. At most two jobs per worker are
queued, so the parent does not hold the whole period's work either.

A PDF that fails (an exception while rendering) is reported for its employee and the others go on,
exactly as in a serial run. A worker process that dies (a crash in a C library, the kernel's
out-of-memory killer) breaks the whole pool: the jobs it may have been working on are then retried
one at a time, each in a fresh process of its own, so the one that kills its process is reported
and every other PDF is still written; then a fresh pool takes the rest.

Workers are started with `fork` where the platform has it, before any progress bar thread runs; a
renderer patched or subclassed by the caller (tests do) is what the workers use. With `spawn` (the
default on Windows and macOS, or `KINERJA_START_METHOD=spawn`) every job and the renderer's class
travel to the workers by pickle; a class defined in an importable module is all that needs.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path
from types import TracebackType

from kinerja_batch.documents.feedback import FeedbackRenderer, PdfNotWritten
from kinerja_batch.fsutil import os_error_text
from kinerja_batch.model import EmployeeResult, TrendPoint
from kinerja_batch.settings import Settings

JOBS_PER_WORKER = 2  # queued per worker: enough to keep it busy, few enough to keep memory flat
REASON_CHARS = 300
WORKER_DIED = "proses pembuat PDF berhenti tiba-tiba"
PR_SET_PDEATHSIG = 1  # prctl(2), Linux
START_METHOD_ENV = "KINERJA_START_METHOD"
PARENT_CHECK_SECONDS = 0.5
WORKER_GC_THRESHOLD = 10_000  # allocations between young collections in a worker (default 700)


@dataclass(frozen=True)
class PdfJob:
    """One employee's feedback PDF: what `FeedbackRenderer.write` needs, and the employee's place
    in the period (`index`), which keeps the output in the same order however jobs finish."""

    index: int
    result: EmployeeResult
    path: Path
    instansi: str
    unit_average: Mapping[str, float] | None
    generated_on: dt.date
    document_id: str
    trend: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class PdfFailure:
    """Why one employee's PDF was not written: `code` is the finding's code, `render-gagal` (the
    layout failed: the program's fault) or `pdf-gagal-ditulis` (the file could not be written:
    something in the output folder is in the way)."""

    code: str
    reason: str


RENDER_FAILED, NOT_WRITTEN = "render-gagal", "pdf-gagal-ditulis"


def write_pdf(renderer: FeedbackRenderer, job: PdfJob) -> PdfFailure | None:
    """Write the job's PDF; None when it was written, else why it was not."""
    try:
        renderer.write(
            job.result,
            job.path,
            instansi=job.instansi,
            unit_average=job.unit_average,
            generated_on=job.generated_on,
            document_id=job.document_id,
            trend=job.trend,
        )
    except PdfNotWritten as error:
        return PdfFailure(NOT_WRITTEN, os_error_text(error.error))
    except Exception as error:  # one employee's PDF must not stop the others; reported per NIP
        return PdfFailure(RENDER_FAILED, _reason(error))
    return None


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:REASON_CHARS]


Outcomes = Iterator[tuple[PdfJob, PdfFailure | None]]  # each job, and why it failed (None: written)


@contextmanager
def pdf_writer(
    renderer: FeedbackRenderer, settings: Settings, most_jobs: int
) -> Iterator[Callable[[Iterable[PdfJob]], Outcomes]]:
    """A function that writes the jobs' PDFs and yields each job with its outcome as it finishes.

    With `settings.workers` above one (and more than one job to do) that many worker processes
    write them; they are started on entering, so before the caller starts a progress bar (its
    thread must not be running when the processes are forked). Otherwise this process writes them,
    one after another."""
    workers = min(settings.workers, most_jobs)
    if workers <= 1:
        yield lambda jobs: ((job, write_pdf(renderer, job)) for job in jobs)
        return
    with WorkerPool(renderer, settings, workers) as pool:
        yield pool.write


# --- in a worker process -------------------------------------------------------------------------

_worker_renderer: FeedbackRenderer | None = None  # one per worker process, made by _start_worker


def _start_worker(
    kind: type[FeedbackRenderer], settings: Settings, place: str, parent: int, scratch: str
) -> None:
    global _worker_renderer
    _end_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # Whatever the worker's libraries put in temporary folders (WeasyPrint's fonts) goes into
    # the pool's scratch folder, which the parent removes even if this process is killed.
    tempfile.tempdir = scratch
    _worker_renderer = kind(settings, place=place)
    # What the worker holds for good (modules, the renderer) is kept out of collections, and a
    # layout's many short-lived objects are collected less often: ~4% less time per PDF.
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD)


def _end_with_parent(parent: int) -> None:
    """End this worker when the parent dies, even by SIGKILL: a worker must not outlive the run
    (a forked one holds the parent's open files, the working folder's lock among them). Linux's
    kernel does it (prctl PR_SET_PDEATHSIG); elsewhere a watchdog thread checks the parent's PID
    twice a second (a spawned worker holds no file of the parent's and its job queue breaks when
    the parent goes, so a short delay costs nothing)."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    elif hasattr(os, "getppid"):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the lines above
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _ready() -> None:
    """A no-op job: submitting it starts the worker processes."""


def _write_in_worker(job: PdfJob) -> PdfFailure | None:
    assert _worker_renderer is not None, "the pool's initializer makes the renderer"
    return write_pdf(_worker_renderer, job)


# --- in the parent -------------------------------------------------------------------------------


def _context() -> BaseContext:
    """`fork` where there is one (fast, and workers inherit the parent's renderer class as it is);
    the platform's default (`spawn` on Windows and macOS) elsewhere. `KINERJA_START_METHOD`
    chooses one (the tests run with `spawn` too, as Windows and macOS do)."""
    chosen = os.environ.get(START_METHOD_ENV, "")
    if chosen:
        return multiprocessing.get_context(chosen)
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class _PoolBroken(Exception):
    def __init__(self, unfinished: list[PdfJob]) -> None:
        super().__init__(f"{len(unfinished)} PDF belum selesai")
        self.unfinished = unfinished


class WorkerPool:
    """Worker processes that write PDFs; use as a context manager (the workers start on entry)."""

    def __init__(self, renderer: FeedbackRenderer, settings: Settings, workers: int) -> None:
        self._renderer = (type(renderer), settings, renderer.place, os.getpid())
        self._workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None

    @property
    def _initargs(self) -> tuple[type[FeedbackRenderer], Settings, str, int, str]:
        assert self._scratch is not None, "use WorkerPool as a context manager"
        return (*self._renderer, self._scratch.name)

    def __enter__(self) -> WorkerPool:
        self._scratch = tempfile.TemporaryDirectory(prefix="kinerja-pdf-")
        self._pool = self._start(self._workers)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def _start(self, workers: int) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=_context(),
            initializer=_start_worker,
            initargs=self._initargs,
        )
        # With fork, the first submit forks every worker. Objects the parent already holds are
        # frozen out of the collector meanwhile, so the workers' collections do not touch (and
        # copy) the pages they share with the parent.
        gc.freeze()
        try:
            pool.submit(_ready).result()
        finally:
            gc.unfreeze()
        return pool

    def write(self, jobs: Iterable[PdfJob]) -> Outcomes:
        """Each job with its outcome, as they finish; see the module's docstring for crashes."""
        waiting = iter(jobs)
        while True:
            try:
                yield from self._stream(waiting)
                return
            except _PoolBroken as broken:
                self._replace_pool(None)
                for job in sorted(broken.unfinished, key=lambda j: j.index):
                    yield job, self._alone(job)
                self._replace_pool(self._start(self._workers))

    def _replace_pool(self, pool: ProcessPoolExecutor | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = pool

    def _stream(self, waiting: Iterator[PdfJob]) -> Outcomes:
        assert self._pool is not None, "use WorkerPool as a context manager"
        in_flight: dict[Future[PdfFailure | None], PdfJob] = {}
        exhausted = False
        while True:
            while not exhausted and len(in_flight) < self._workers * JOBS_PER_WORKER:
                job = next(waiting, None)
                if job is None:
                    exhausted = True
                else:
                    in_flight[self._pool.submit(_write_in_worker, job)] = job
            if not in_flight:
                return
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken = False
            for future in sorted(done, key=lambda f: in_flight[f].index):
                error = future.exception()
                if isinstance(error, BrokenProcessPool):
                    broken = True
                    continue
                job = in_flight.pop(future)
                yield (
                    job,
                    future.result() if error is None else PdfFailure(RENDER_FAILED, _reason(error)),
                )
            if broken:
                unfinished = []
                for future, job in in_flight.items():
                    if future.done() and future.exception() is None:
                        yield job, future.result()
                    else:
                        unfinished.append(job)
                raise _PoolBroken(unfinished)

    def _alone(self, job: PdfJob) -> PdfFailure | None:
        """The job in a process of its own: a crash there is this job's."""
        pool = self._start(1)
        try:
            return pool.submit(_write_in_worker, job).result()
        except BrokenProcessPool:
            return PdfFailure(RENDER_FAILED, f"{BrokenProcessPool.__name__}: {WORKER_DIED}")
        except Exception as error:  # e.g. a job that cannot be sent to the worker
            return PdfFailure(RENDER_FAILED, _reason(error))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
