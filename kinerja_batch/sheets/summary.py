"""The summary workbook of one period: `Ringkasan`, `Pegawai`, `Per Unit`, `Validasi`; with the
working folder's history also `Tren`, and with HR's checks also `Kalibrasi`, `Distribusi` and
`Bukti`, and `Tindak Lanjut` (all before `Validasi`; see `checks_sheets.py`).

Everything the user reads is Bahasa Indonesia. Every text that came from an input goes through
`cells.write_text`, so it is stored as a string cell and never evaluated as a formula. Styles are a
few named styles registered once and shared by all cells, so 10,000 rows stay cheap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import cast

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from kinerja_batch.calibration import Checks
from kinerja_batch.documents.chart import short_period_label
from kinerja_batch.findings import SEVERITY_ORDER, Finding, Severity, sort_key
from kinerja_batch.model import (
    STATUS_ORDER,
    Jenis,
    Periode,
    PeriodOutcome,
    Predikat,
    TrendPoint,
    capaian_organisasi,
)
from kinerja_batch.settings import DEFAULT_SETTINGS, RATING_METHOD_LABELS
from kinerja_batch.sheets import checks as checks_sheets
from kinerja_batch.sheets.writer import SheetStyles, SheetWriter
from kinerja_batch.tally import PREDIKAT_ORDER, PeriodTally, tally_of
from kinerja_batch.workbooks.cells import save_workbook

SEVERITIES: tuple[Severity, ...] = tuple(sorted(Severity, key=SEVERITY_ORDER.__getitem__))

PEGAWAI_HEADERS: tuple[str, ...] = (
    "NIP",
    "Nama",
    "Jabatan",
    "Unit Kerja",
    "Bidang",
    "Nilai Hasil Kerja",
    "Rating Hasil Kerja",
    "Nilai Perilaku Kerja",
    "Rating Perilaku Kerja",
    "Predikat",
    "Status",
    "Rating Dihitung Hasil Kerja",
    "Rating Dihitung Perilaku Kerja",
    "Diubah Atasan",
    "Pejabat Penilai",
    "Umpan Balik",
    "Rekomendasi",
    "Capaian Kinerja Organisasi",
    "Kepala Unit",
)  # followed by one column per criterion
PER_UNIT_HEADERS: tuple[str, ...] = (
    "Unit Kerja",
    "Jumlah Pegawai",
    "Dinilai",
    "Belum Dinilai",
    "Belum Ada Laporan",
    "Diblokir",
    "Rata-rata Nilai Hasil Kerja",
    "Rata-rata Nilai Perilaku Kerja",
    *PREDIKAT_ORDER,
)
TREN_HEADERS: tuple[str, ...] = ("NIP", "Nama", "Unit Kerja")  # then three columns per period
TREN_PERIOD_HEADERS: tuple[str, ...] = ("Predikat", "Nilai Hasil Kerja", "Nilai Perilaku Kerja")
TREN_MAX_PERIODS = 12  # the latest periods shown in `Tren`
VALIDASI_HEADERS = ("Berkas", "Sheet", "Sel", "Tingkat", "Kode", "Pesan", "Nilai", "NIP")
NO_FINDINGS = "Tidak ada temuan."
YES = "Ya"
NO = "Tidak"
FOLLOW_UP_PREDIKAT = frozenset({Predikat.KURANG, Predikat.SANGAT_KURANG})
TINDAK_LANJUT_HEADERS: tuple[str, ...] = (
    "NIP",
    "Nama",
    "Jabatan",
    "Unit Kerja",
    "Periode",
    "Predikat",
    "Pejabat Penilai",
    "NIP Pejabat Penilai",
    "Berulang",
    "Periode Sebelumnya",
)
TINDAK_LANJUT_NOTE = (
    "Pegawai dengan predikat Kurang/Misconduct atau Sangat Kurang, untuk pembinaan oleh Pejabat "
    "Penilai dan unit kepegawaian (PP 30/2019 pasal 56). Berulang: predikat yang sama rendahnya "
    "juga ada pada periode sebelumnya dalam riwayat folder kerja."
)
RIWAYAT_TIDAK_TERSEDIA = "riwayat tidak tersedia"
NO_FOLLOW_UP = "Tidak ada pegawai dengan predikat Kurang/Misconduct atau Sangat Kurang."

_PREDIKAT_TABLE_ROW = 6  # its title; the header below it and the counts feed the chart


def write_summary(
    outcome: PeriodOutcome,
    path: Path,
    trends: Mapping[str, Sequence[TrendPoint]] | None = None,
    *,
    checks: Checks | None = None,
    findings: Sequence[Finding] | None = None,
    tally: PeriodTally | None = None,
    unit_average_min_employees: int = DEFAULT_SETTINGS.unit_average_min_employees,
) -> None:
    """Write the period's summary workbook to `path`, replacing it in one step.

    `findings` are those the `Validasi` sheet lists and `Ringkasan` counts: by default the
    outcome's; a build passes the outcome's and its rendering's (a PDF that failed).

    `trends` maps a NIP to that employee's evaluated periods (from the working folder's history);
    when it is given, even empty, the workbook gets a `Tren` sheet. Without it (a plain folder
    run) the workbook has no `Tren` sheet. `checks` (calibration.run_checks) add the sheets
    `Kalibrasi`, `Distribusi` and `Bukti`; without them the workbook has none of the three.

    Counts and means come from the period's tally: `tally` where the caller has it already (it
    must be of this `outcome`), else one built here. `Per Unit` leaves a unit's mean Nilai blank
    when it has fewer evaluated employees than `unit_average_min_employees`, as the PDFs do."""
    tally = tally_of(outcome, tally)
    wb = Workbook()
    styles = SheetStyles(wb)
    wb.properties.title = f"Ringkasan Hasil Penilaian Kinerja {outcome.periode.label}"
    wb.properties.creator = "kinerja-batch"
    first = cast(Worksheet, wb.active)
    first.title = "Ringkasan"
    shown = outcome.findings if findings is None else tuple(findings)
    _write_ringkasan(SheetWriter(first, styles), outcome, tally, shown)
    _write_pegawai(SheetWriter(wb.create_sheet("Pegawai"), styles), outcome)
    per_unit = SheetWriter(wb.create_sheet("Per Unit"), styles)
    _write_per_unit(per_unit, tally, unit_average_min_employees)
    if trends is not None:
        _write_tren(SheetWriter(wb.create_sheet("Tren"), styles), outcome, trends)
    if checks is not None:
        checks_sheets.write_kalibrasi(SheetWriter(wb.create_sheet("Kalibrasi"), styles), checks)
        distribusi = SheetWriter(wb.create_sheet("Distribusi"), styles)
        checks_sheets.write_distribusi(distribusi, tally, checks)
        checks_sheets.write_bukti(SheetWriter(wb.create_sheet("Bukti"), styles), checks)
        follow_up = SheetWriter(wb.create_sheet("Tindak Lanjut"), styles)
        _write_tindak_lanjut(follow_up, outcome, trends)
    _write_validasi(SheetWriter(wb.create_sheet("Validasi"), styles), shown)
    save_workbook(wb, path)


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


# --- sheets --------------------------------------------------------------------------------------


def _write_ringkasan(
    sh: SheetWriter, outcome: PeriodOutcome, tally: PeriodTally, findings: Sequence[Finding]
) -> None:
    st = sh.styles
    sh.text(1, 1, outcome.criteria.nama_instansi, st.title)
    sh.text(2, 1, "Ringkasan Hasil Penilaian Kinerja", st.section)
    sh.text(3, 1, f"Periode {outcome.periode.label}")
    if outcome.criteria.predikat_organisasi:
        sh.text(4, 1, "Predikat Kinerja Organisasi")
        sh.text(4, 2, outcome.criteria.predikat_organisasi)
    sh.text(5, 1, "Metode Rating")
    sh.text(5, 2, RATING_METHOD_LABELS.get(outcome.rating_method, outcome.rating_method))
    sh.widths.clear()  # the titles may run over the columns to their right

    predikat = tally.predikat_counts()
    evaluated = sum(predikat.values())
    row = _count_table(
        sh,
        _PREDIKAT_TABLE_ROW,
        "Predikat Kinerja",
        ("Predikat", "Jumlah", "Persentase dari yang dinilai"),
        [(p.value, predikat[p]) for p in PREDIKAT_ORDER],
        "Jumlah dinilai",
    )

    status = tally.status_counts()
    row = _count_table(
        sh,
        row + 2,
        "Status Pegawai",
        ("Status", "Jumlah", "Persentase dari semua pegawai"),
        [(s.value, status[s]) for s in STATUS_ORDER],
        "Jumlah pegawai",
    )

    severity = Counter(f.severity for f in findings)
    row = _count_table(
        sh,
        row + 2,
        "Temuan Validasi",
        ("Tingkat", "Jumlah", "Persentase dari semua temuan"),
        [(s.value, severity[s]) for s in SEVERITIES],
        "Jumlah temuan",
    )

    row += 2
    sh.text(row, 1, "Predikat per Unit Kerja", st.section)
    row += 1
    sh.header(row, ("Unit Kerja", *PREDIKAT_ORDER, "Dinilai", "Jumlah Pegawai"))
    for unit in tally.units():
        row += 1
        sh.text(row, 1, unit.name)
        for col, p in enumerate(PREDIKAT_ORDER, start=2):
            sh.number(row, col, unit.predikat[p])
        sh.number(row, len(PREDIKAT_ORDER) + 2, unit.evaluated)
        sh.number(row, len(PREDIKAT_ORDER) + 3, unit.employees)

    sh.fit_columns()
    sh.landscape()
    _add_predikat_chart(sh.ws, _PREDIKAT_TABLE_ROW + 1, evaluated)


def _count_table(
    sh: SheetWriter,
    row: int,
    title: str,
    headers: tuple[str, str, str],
    counts: Sequence[tuple[str, int]],
    total_label: str,
) -> int:
    """A titled table of label, count, share of the total, and a total row; returns its last row."""
    st = sh.styles
    total = sum(n for _, n in counts)
    sh.text(row, 1, title, st.section)
    sh.header(row + 1, headers)
    row += 1
    for label, n in counts:
        row += 1
        sh.text(row, 1, label)
        sh.number(row, 2, n)
        sh.number(row, 3, _share(n, total), st.percent)
    row += 1
    sh.text(row, 1, total_label, st.total)
    sh.number(row, 2, total, st.total)
    sh.number(row, 3, 1.0 if total else None, st.total_percent)
    return row


def _add_predikat_chart(ws: Worksheet, header_row: int, evaluated: int) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = "Sebaran Predikat Kinerja"
    chart.y_axis.title = "Jumlah pegawai"
    chart.x_axis.title = f"Predikat ({evaluated} pegawai dinilai)"
    chart.y_axis.numFmt = "0"
    chart.y_axis.majorUnit = max(1, -(-evaluated // 10))  # whole people, at most ~10 gridlines
    chart.x_axis.delete = False  # recent Excel hides axes that openpyxl leaves unspecified
    chart.y_axis.delete = False
    chart.legend = None
    chart.width, chart.height = 16, 8
    last = header_row + len(PREDIKAT_ORDER)
    chart.add_data(
        Reference(ws, min_col=2, min_row=header_row, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=last))
    ws.add_chart(chart, f"E{header_row - 1}")


def _write_pegawai(sh: SheetWriter, outcome: PeriodOutcome) -> None:
    st = sh.styles
    criteria = outcome.criteria.criteria
    criterion_col = {
        c.kode.casefold(): col for col, c in enumerate(criteria, len(PEGAWAI_HEADERS) + 1)
    }
    sh.header(1, (*PEGAWAI_HEADERS, *(f"{c.kode} {c.nama}" for c in criteria)), height=45)

    for row, o in enumerate(outcome.outcomes, start=2):
        e = o.employee
        sh.text(row, 1, e.nip, st.nip)
        sh.text(row, 2, e.nama)
        sh.text(row, 3, e.jabatan)
        sh.text(row, 4, e.unit_kerja)
        sh.text(row, 5, e.bidang)
        sh.text(row, 11, o.status.value)
        r = o.result
        capaian = (
            r.capaian_organisasi
            if r
            else capaian_organisasi(outcome.criteria, e.unit_kerja, outcome.periode)
        )
        sh.text(row, 18, capaian or "")
        sh.text(row, 19, YES if e.kepala_unit else "")
        if r is None:
            continue
        sh.number(row, 6, r.hasil.value, st.value)
        sh.text(row, 7, r.hasil.rating.value)
        sh.number(row, 8, r.perilaku.value, st.value)
        sh.text(row, 9, r.perilaku.rating.value)
        sh.text(row, 10, r.predikat.value)
        sh.text(row, 12, r.hasil.computed_rating.value)
        sh.text(row, 13, r.perilaku.computed_rating.value)
        sh.text(row, 14, YES if r.hasil.overridden or r.perilaku.overridden else "")
        sh.text(row, 15, r.penilai.nama_penilai)
        if r.feedback is not None:
            sh.text(row, 16, r.feedback.umpan_balik, st.wrapped)
            sh.text(row, 17, r.feedback.rekomendasi, st.wrapped)
        for dim in r.dimensions:
            for cr in dim.criteria:
                col = criterion_col.get(cr.criterion.kode.casefold())
                if col is not None:
                    sh.number(row, col, cr.nilai)

    last_col = len(PEGAWAI_HEADERS) + len(criteria)
    sh.table(1, len(outcome.outcomes) + 1, last_col, freeze_col=3)
    sh.landscape(1, print_cols=PEGAWAI_HEADERS.index("Pejabat Penilai") + 1)
    sh.fit_columns(wrapped=(16, 17))


def _write_per_unit(sh: SheetWriter, tally: PeriodTally, min_employees: int) -> None:
    """One row per unit; its mean Nilai blank below `min_employees` evaluated employees."""
    st = sh.styles
    sh.header(1, PER_UNIT_HEADERS, height=45)
    units = tally.units(min_employees)
    for row, unit in enumerate(units, start=2):
        sh.text(row, 1, unit.name)
        sh.number(row, 2, unit.employees)
        for col, s in enumerate(STATUS_ORDER, start=3):
            sh.number(row, col, unit.status[s])
        for col, j in enumerate(Jenis, start=7):
            sh.number(row, col, None if unit.means is None else unit.means[j], st.value)
        for col, p in enumerate(PREDIKAT_ORDER, start=9):
            sh.number(row, col, unit.predikat[p])
    sh.table(1, len(units) + 1, len(PER_UNIT_HEADERS), freeze_col=2)
    sh.landscape(1)
    sh.fit_columns()


def trend_periods(trends: Mapping[str, Sequence[TrendPoint]]) -> list[Periode]:
    """The periods in any employee's trend, oldest first, at most the latest `TREN_MAX_PERIODS`."""
    periods = sorted({p.periode for points in trends.values() for p in points})
    return periods[-TREN_MAX_PERIODS:]


def _write_tren(
    sh: SheetWriter, outcome: PeriodOutcome, trends: Mapping[str, Sequence[TrendPoint]]
) -> None:
    """One row per roster employee; per period its predikat and both values (`Predikat Nov 2026`,
    `Nilai Hasil Kerja Nov 2026`, `Nilai Perilaku Kerja Nov 2026`), blank where it has none."""
    st = sh.styles
    periods = trend_periods(trends)
    per_period = len(TREN_PERIOD_HEADERS)
    headers = [*TREN_HEADERS]
    for periode in periods:
        label = short_period_label(periode)
        headers += [f"{title} {label}" for title in TREN_PERIOD_HEADERS]
    sh.header(1, headers, height=45)
    first_col = len(TREN_HEADERS) + 1
    for row, o in enumerate(outcome.outcomes, start=2):
        e = o.employee
        sh.text(row, 1, e.nip, st.nip)
        sh.text(row, 2, e.nama)
        sh.text(row, 3, e.unit_kerja)
        by_periode = {p.periode: p for p in trends.get(e.nip, ())}
        for i, periode in enumerate(periods):
            point = by_periode.get(periode)
            col = first_col + per_period * i
            # A line left of each period's first column, blank or not, keeps the periods apart.
            sh.text(row, col, "" if point is None else point.predikat.value, st.period_start)
            if point is None:
                continue
            sh.number(row, col + 1, point.nilai_hasil, st.value)
            sh.number(row, col + 2, point.nilai_perilaku, st.value)
    sh.table(1, len(outcome.outcomes) + 1, len(headers), freeze_col=3)
    sh.landscape(1)
    sh.fit_columns()


def _write_tindak_lanjut(
    sh: SheetWriter, outcome: PeriodOutcome, trends: Mapping[str, Sequence[TrendPoint]] | None
) -> None:
    """Every employee whose predikat calls for coaching (pembinaan), with their supervisor, unit
    and period, and whether it repeats an earlier period's (from `trends`, the working folder's
    history; without it, `RIWAYAT_TIDAK_TERSEDIA`)."""
    st = sh.styles
    sh.text(1, 1, f"Tindak Lanjut (Pembinaan) {outcome.periode.label}", st.title)
    sh.text(2, 1, TINDAK_LANJUT_NOTE)
    sh.widths.clear()  # the notes may run over the columns to their right
    header_row = 4
    sh.header(header_row, TINDAK_LANJUT_HEADERS, height=30)
    row = header_row
    for o in outcome.outcomes:
        r = o.result
        if r is None or r.predikat not in FOLLOW_UP_PREDIKAT:
            continue
        row += 1
        e = r.employee
        sh.text(row, 1, e.nip, st.nip)
        sh.text(row, 2, e.nama)
        sh.text(row, 3, e.jabatan)
        sh.text(row, 4, e.unit_kerja)
        sh.text(row, 5, outcome.periode.label)
        sh.text(row, 6, r.predikat.value)
        sh.text(row, 7, r.penilai.nama_penilai)
        sh.text(row, 8, r.penilai.nip_penilai, st.nip)
        if trends is None:
            sh.text(row, 9, RIWAYAT_TIDAK_TERSEDIA)
            continue
        earlier = [
            p
            for p in trends.get(e.nip, ())
            if p.periode < outcome.periode and p.predikat in FOLLOW_UP_PREDIKAT
        ]
        sh.text(row, 9, YES if earlier else NO)
        sh.text(row, 10, "; ".join(f"{p.periode.label}: {p.predikat.value}" for p in earlier))
    if row == header_row:
        sh.text(row + 1, 1, NO_FOLLOW_UP)
    sh.table(header_row, max(row, header_row + 1), len(TINDAK_LANJUT_HEADERS), freeze_col=3)
    sh.landscape(header_row)
    sh.fit_columns(first_row=header_row)


def _write_validasi(sh: SheetWriter, findings: Sequence[Finding]) -> None:
    st = sh.styles
    sh.header(1, VALIDASI_HEADERS, height=20)
    if not findings:
        sh.text(2, 1, NO_FINDINGS)
    for row, f in enumerate(sorted(findings, key=sort_key), start=2):
        sh.text(row, 1, f.file)
        sh.text(row, 2, f.sheet)
        sh.text(row, 3, f.cell)
        sh.text(row, 4, f.severity.value, st.by_severity.get(f.severity))
        sh.text(row, 5, f.code)
        sh.text(row, 6, f.message, st.wrapped)
        sh.text(row, 7, f.value, st.wrapped)
        sh.text(row, 8, f.nip or "", st.nip)
    sh.table(1, max(len(findings), 1) + 1, len(VALIDASI_HEADERS), freeze_col=1)
    sh.landscape(1)
    sh.fit_columns(wrapped=(6, 7))
