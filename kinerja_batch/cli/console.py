"""What the commands print: progress bars, findings, a period's closing lines, the status table.

Every text goes out with `markup=False`: names and messages from workbooks are printed as typed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from kinerja_batch.findings import Finding, Severity, sort_key
from kinerja_batch.formatting import check_message
from kinerja_batch.loading import FINDINGS_SUFFIX
from kinerja_batch.model import Periode, Status
from kinerja_batch.operations import WorkspaceReport
from kinerja_batch.pipeline import PeriodReport, RunReport
from kinerja_batch.sheets.status import STATUS_ORDER, StatusRow

MAX_FINDINGS_SHOWN = 40


class ConsoleProgress:
    """The pipeline's progress as a rich bar on the error stream."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar: RichProgress | None = None
        self.task: Any = None

    def start(self, label: str, total: int) -> None:
        self.bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task(label, total=total)

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def say(out: Console, text: str, **style: Any) -> None:
    out.print(text, markup=False, highlight=False, **style)


def finding_line(f: Finding) -> str:
    place = f"{f.place} " if f.place else ""
    return f"[{f.severity.value}] {place}({f.code}): {f.message}"


def print_findings(out: Console, findings: Sequence[Finding]) -> None:
    shown = [f for f in sorted(findings, key=sort_key) if f.severity is not Severity.INFO]
    for f in shown[:MAX_FINDINGS_SHOWN]:
        say(out, finding_line(f), style="red" if f.severity is Severity.GALAT else "yellow")
    if len(shown) > MAX_FINDINGS_SHOWN:
        say(
            out,
            f"... dan {len(shown) - MAX_FINDINGS_SHOWN} temuan lain; lihat sheet Validasi di "
            "buku kerja ringkasan.",
        )


def print_counts(out: Console, findings: Sequence[Finding]) -> None:
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    say(
        out,
        f"Temuan: {counts[Severity.GALAT]} galat, {counts[Severity.PERINGATAN]} peringatan, "
        f"{counts[Severity.INFO]} info.",
    )


def print_run_report(out: Console, report: RunReport) -> None:
    findings = report.findings()
    print_findings(out, findings)
    out.print()
    say(out, f"Selesai. {report.files_seen} berkas di folder masukan diperiksa.")
    for p in report.periods:
        print_period(out, p, rerendered=False)
    print_counts(out, findings)


def print_workspace_report(out: Console, report: WorkspaceReport) -> None:
    print_findings(out, report.outcomes_findings)
    out.print()
    say(out, f"Selesai. {report.files_seen} berkas di inbox diperiksa.")
    for p in report.built:
        print_period(out, p, rerendered=True)
    for periode in report.unchanged:
        say(out, f"Periode {periode.label}: tidak ada yang berubah sejak proses terakhir.")
    if report.archived:
        say(out, f"{len(report.archived)} berkas dipindahkan ke arsip.")
    if report.duplicates:
        say(
            out,
            f"{len(report.duplicates)} salinan berkas yang sudah diterima dihapus dari inbox "
            "(isinya sama persis dengan yang ada di arsip).",
        )
    for name in report.kept:
        say(out, f"Tertahan di inbox (lihat {name}{FINDINGS_SUFFIX}): {name}")
    for name in report.changed:
        say(
            out,
            f"Disimpan lagi selama proses: {name}. Hasil memakai versi yang sudah dibaca (kini di "
            "arsip); versi baru tetap di inbox dan diproses pada proses berikutnya.",
        )
    print_counts(out, report.outcomes_findings)
    if report.log_path:
        say(out, f"Catatan proses: {report.log_path}")


def print_period(out: Console, p: PeriodReport, *, rerendered: bool) -> None:
    """A period's closing lines: statuses, where the PDFs and the summary are, who still has no
    PDF, the checks."""
    counts = {s: 0 for s in Status}
    for o in p.outcome.outcomes:
        counts[o.status] += 1
    say(
        out,
        f"Periode {p.outcome.periode.label}: {counts[Status.DINILAI]} pegawai dinilai, "
        f"{counts[Status.BELUM_DINILAI]} belum dinilai, "
        f"{counts[Status.BELUM_ADA_LAPORAN]} belum ada laporan, "
        f"{counts[Status.DIBLOKIR]} diblokir temuan.",
    )
    if p.rendering is not None:
        made = f", {p.rendered} dibuat ulang" if rerendered else ""
        say(out, f"  PDF umpan balik: {p.paths.pdf_folder} ({len(p.pdfs)} berkas{made})")
    missing = p.without_pdf
    if missing:
        say(
            out,
            f"  {len(missing)} pegawai dinilai belum punya PDF (lihat temuan di atas; dicoba lagi "
            "pada proses berikutnya):",
            style="red",
        )
        for employee in missing:
            say(out, f"    {employee.nama} (NIP {employee.nip})", style="red")
    say(out, f"  Ringkasan: {p.summary_path}")
    _print_checks(out, p)


def _print_checks(out: Console, period: PeriodReport) -> None:
    marked, supervisors = period.checks.flagged_supervisors, period.checks.supervisors
    if marked:
        count = f"{len(marked)} dari {len(supervisors)} penilai"
        say(out, f"  Kalibrasi: {count} ditandai karena pola pada timnya (sheet Kalibrasi).")
    for s in marked:
        reasons = "; ".join(check_message(f.code, f.params).rstrip(".") for f in s.flags) + "."
        say(out, f"    {s.nama_penilai}: {reasons}")
    mismatches = len(period.checks.evidence)
    if mismatches:
        say(
            out,
            f"  Bukti: {mismatches} pasangan capaian dan nilai yang tidak sejalan (sheet Bukti).",
        )
    warnings = len(period.checks.distribution_warnings)
    if warnings:
        say(
            out,
            f"  Distribusi: {warnings} aturan distribusi predikat perlu ditinjau (sheet Distribusi).",
        )


def print_status(out: Console, periode: Periode, rows: Sequence[StatusRow]) -> None:
    table = Table(title=f"Status penilaian kinerja {periode.label}", show_lines=False)
    for header in ("Unit Kerja", *(s.value for s in STATUS_ORDER)):
        table.add_column(header, justify="left" if header == "Unit Kerja" else "right")
    units: dict[str, dict[Status, int]] = {}
    for row in rows:
        units.setdefault(row.unit_kerja, {s: 0 for s in Status})[row.status] += 1
    for unit, counts in units.items():
        table.add_row(unit, *(str(counts[s]) for s in STATUS_ORDER))
    out.print(table)
    for status in (s for s in STATUS_ORDER if s is not Status.DINILAI):
        waiting = [r for r in rows if r.status is status]
        if waiting:
            say(out, f"\n{status.value}:")
            for r in waiting:
                line = f"  {r.unit_kerja} | {r.nip} | {r.nama} | atasan: {r.atasan}"
                if status is Status.DIBLOKIR:
                    line += f" | {r.keterangan}"
                say(out, line)
