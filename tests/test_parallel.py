"""PDFs written by worker processes: the same outputs as a serial run, correct progress, and one
employee's failure (an exception, or a worker process that dies) costs only that employee's PDF."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from kinerja_batch.documents.feedback import FeedbackRenderer
from kinerja_batch.documents.parallel import WORKER_DIED
from kinerja_batch.loading import NoProgress, load_inbox
from kinerja_batch.model import Periode, PeriodOutcome
from kinerja_batch.paths import OutputPaths
from kinerja_batch.pipeline import PeriodReport, assess, build_period, run
from kinerja_batch.settings import Settings

from factories import NIP_E1, NIP_E2, valid_inbox, write_with_specials

TODAY = dt.date(2026, 12, 1)
NOV = Periode(2026, 11)
# The test process, also as seen from a spawned worker (which imports this module anew).
TEST_PROCESS = int(os.environ.setdefault("KINERJA_TEST_PROCESS", str(os.getpid())))


class CountingProgress:
    def __init__(self) -> None:
        self.totals: list[int] = []
        self.advanced: list[int] = []

    def start(self, label: str, total: int) -> None:
        self.totals.append(total)
        self.advanced.append(0)

    def advance(self) -> None:
        self.advanced[-1] += 1

    def finish(self) -> None:
        pass


class FailingRenderer(FeedbackRenderer):
    """Raises while writing E1's PDF."""

    def write(self, result: Any, path: Path, **kwargs: Any) -> None:
        if result.employee.nip == NIP_E1:
            raise RuntimeError("tata letak gagal")
        super().write(result, path, **kwargs)


class CrashingRenderer(FeedbackRenderer):
    """Kills the worker process writing E1's PDF, as a crash in a C library would."""

    def write(self, result: Any, path: Path, **kwargs: Any) -> None:
        if result.employee.nip == NIP_E1:
            assert os.getpid() != TEST_PROCESS, "only ever in a worker process"
            os._exit(70)
        super().write(result, path, **kwargs)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_with_specials(valid_inbox(), tmp_path_factory.mktemp("inbox"))


@pytest.fixture(scope="module")
def outcome(inbox: Path) -> PeriodOutcome:
    return assess(load_inbox(inbox, Settings(), NoProgress()), NOV, requested=True)


def render(
    outcome: PeriodOutcome, folder: Path, workers: int, renderer: type[FeedbackRenderer]
) -> tuple[PeriodReport, CountingProgress]:
    settings = Settings(workers=workers)
    progress = CountingProgress()
    paths = OutputPaths(folder).period(outcome.periode)
    with renderer(settings) as made:
        report = build_period(outcome, paths, made, settings, progress, TODAY)
    return report, progress


def test_default_is_one_worker_per_usable_core() -> None:
    assert Settings().workers == len(os.sched_getaffinity(0))


def test_parallel_run_gives_the_serial_outputs(inbox: Path, tmp_path: Path) -> None:
    reports = {}
    for workers in (1, 2):
        progress = CountingProgress()
        out = tmp_path / f"workers_{workers}"
        reports[workers] = run(
            inbox, out, settings=Settings(workers=workers), progress=progress, today=TODAY
        )
        assert progress.totals[-1] == progress.advanced[-1] == 2  # "Membuat PDF": E1 and E2
    serial, parallel = (reports[w].periods[0] for w in (1, 2))
    assert [p.relative_to(tmp_path / "workers_1") for p in serial.pdfs] == [
        p.relative_to(tmp_path / "workers_2") for p in parallel.pdfs
    ]
    assert [p.name[:18] for p in parallel.pdfs] == [NIP_E1, NIP_E2]
    assert parallel.rendered == serial.rendered == 2
    assert parallel.outcome.findings == serial.outcome.findings
    assert cells(parallel.summary_path) == cells(serial.summary_path)
    for s, p in zip(serial.pdfs, parallel.pdfs, strict=True):
        text = pdf_text(p)
        assert text == pdf_text(s)
        assert "Umpan Balik" in text and s.name[:18] in text.replace(" ", "")


@pytest.mark.parametrize("workers", [1, 2])
def test_an_exception_in_one_pdf_is_reported_for_that_employee(
    outcome: PeriodOutcome, tmp_path: Path, workers: int
) -> None:
    report, progress = render(outcome, tmp_path, workers, FailingRenderer)
    failed = [f for f in report.findings if f.code == "render-gagal"]
    assert [f.nip for f in failed] == [NIP_E1]
    assert "RuntimeError: tata letak gagal" in failed[0].message
    assert [p.name[:18] for p in report.pdfs] == [NIP_E2]
    pdf_folder = tmp_path / "2026-11" / "umpan_balik"
    assert [p.name[:18] for p in pdf_folder.glob("*.pdf")] == [NIP_E2]
    assert progress.totals == progress.advanced == [2]
    # The outcome stays as assessed: E1 is evaluated, and has no PDF yet.
    assert report.outcome is outcome
    assert [e.nip for e in report.without_pdf] == [NIP_E1]


def test_a_worker_that_dies_costs_only_its_employee(outcome: PeriodOutcome, tmp_path: Path) -> None:
    report, progress = render(outcome, tmp_path, 2, CrashingRenderer)
    failed = [f for f in report.findings if f.code == "render-gagal"]
    assert [f.nip for f in failed] == [NIP_E1]
    assert WORKER_DIED in failed[0].message
    pdf_folder = tmp_path / "2026-11" / "umpan_balik"
    assert [p.name[:18] for p in pdf_folder.glob("*.pdf")] == [NIP_E2]
    assert report.rendered == 1 and [p.name[:18] for p in report.pdfs] == [NIP_E2]
    assert "Umpan Balik" in pdf_text(report.pdfs[0])
    assert progress.totals == progress.advanced == [2]
    assert list(tmp_path.rglob("*.tmp")) == []
