"""The summary workbook's sheets for HR's checks (see `calibration.py`): `Kalibrasi` (how each
supervisor scores beside the others), `Distribusi` (the predikat distribution against the rules for
the organisation's predikat, with a chart) and `Bukti` (self-reported figures that contradict the
score). They inform; nothing in them changes a result.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter

from kinerja_batch.calibration import Checks
from kinerja_batch.findings import Severity
from kinerja_batch.formatting import angka, check_message
from kinerja_batch.model import Jenis
from kinerja_batch.sheets.writer import SheetWriter
from kinerja_batch.tally import PREDIKAT_ORDER, PeriodTally

YES = "Ya"
INFO_NOTE = (
    "Lembar ini informasi untuk bagian kepegawaian: tidak ada nilai, rating atau predikat yang "
    "diubah karenanya."
)

KALIBRASI_HEADERS: tuple[str, ...] = (
    "Pejabat Penilai",
    "NIP Penilai",
    "Unit Kerja",
    "Jumlah Pegawai Dinilai",
    "Rata-rata Capaian Tim",
    *(
        title
        for j in Jenis
        for title in (
            f"Rata-rata Nilai {j}",
            f"Nilai Tengah {j} Penilai Lain",
            f"Rentang Wajar {j}",
            f"Perbandingan {j}",
        )
    ),
    "Simpangan Baku Nilai Kriteria",
    "Nilai Tertinggi Skala",
    "Nilai Terendah Skala",
    "Pegawai Bernilai Seragam",
    "Rating Diubah",
    "Ditandai",
    "Alasan",
)
KALIBRASI_NOTE = (
    "Rata-rata Nilai adalah rata-rata Nilai Hasil Kerja atau Nilai Perilaku Kerja pegawai yang "
    "dinilai. Simpangan baku dan persentase nilai tertinggi/terendah memakai Nilai Normal (0-100) "
    "setiap kriteria."
)
NO_SUPERVISORS = "Belum ada pegawai yang dinilai."
# The comparisons' and the reasons' columns, whose texts wrap.
KALIBRASI_WRAPPED = tuple(
    i
    for i, title in enumerate(KALIBRASI_HEADERS, start=1)
    if title.startswith(("Perbandingan", "Alasan"))
)

DISTRIBUSI_COUNT_HEADERS: tuple[str, ...] = (
    "Lingkup",
    "Dinilai",
    *PREDIKAT_ORDER,
    *(f"% {p}" for p in PREDIKAT_ORDER),
)
DISTRIBUSI_RULE_HEADERS: tuple[str, ...] = (
    "Lingkup",
    "Dinilai",
    "Aturan",
    "Jumlah",
    "Persentase",
    "Status",
    "Capaian Kinerja Organisasi",
)
STATUS_OK = "Sesuai"
STATUS_REVIEW = "Perlu ditinjau"
STATUS_NOT_JUDGED = "Tidak dinilai: terlalu sedikit pegawai dinilai"
DISTRIBUSI_SOURCE = (
    "Aturan sebaran: SE MenPANRB No. 3 Tahun 2023 menurut ringkasan sekunder; angka dapat diatur "
    "dalam konfigurasi. Hasil pemeriksaan adalah peringatan, bukan galat."
)
NO_ORGANISATION_PREDIKAT = (
    "Predikat Kinerja Organisasi belum diisi (sheet Pengaturan di buku kerja kriteria atau "
    "konfigurasi), sehingga aturan sebaran seluruh instansi tidak diperiksa."
)
UNIT_RULES_NOTE = (
    "Setiap unit diperiksa dengan aturan Capaian Kinerja Organisasi unit itu sendiri (sheet "
    "Capaian Organisasi di buku kerja kriteria); unit tanpa capaian sendiri memakai capaian "
    "instansi."
)

BUKTI_HEADERS: tuple[str, ...] = (
    "NIP",
    "Nama",
    "Unit Kerja",
    "Pejabat Penilai",
    "Kode Kriteria",
    "Kriteria",
    "Indikator",
    "Target",
    "Realisasi",
    "Satuan",
    "Capaian",
    "Nilai",
    "Skala",
    "Keterangan",
    "Berkas",
    "Sel",
)
NO_MISMATCHES = "Tidak ada capaian yang bertentangan dengan nilainya."


def write_kalibrasi(sh: SheetWriter, checks: Checks) -> None:
    st = sh.styles
    sh.header(1, KALIBRASI_HEADERS, height=60)
    if not checks.supervisors:
        sh.text(2, 1, NO_SUPERVISORS)
    row = 1
    for row, s in enumerate(checks.supervisors, start=2):
        sh.text(row, 1, s.nama_penilai)
        sh.text(row, 2, s.nip_penilai, st.nip)
        sh.text(row, 3, s.unit_kerja)
        sh.number(row, 4, s.employees)
        sh.number(row, 5, None if s.capaian is None else s.capaian / 100, st.percent)
        col = 6
        for js in s.by_jenis:
            sh.number(row, col, js.mean, st.value)
            sh.number(row, col + 1, js.reference, st.value)
            has_range = js.low is not None
            sh.text(row, col + 2, check_message("rentang-wajar", js.params) if has_range else "")
            comparison = [check_message(js.standing.value, js.params)]
            if js.adjustment_code is not None:
                comparison.append(check_message(js.adjustment_code, js.params))
            sh.text(row, col + 3, "\n".join(comparison), st.wrapped)
            col += 4
        sh.number(row, col, s.spread, st.value)
        sh.number(row, col + 1, s.top_share, st.percent)
        sh.number(row, col + 2, s.bottom_share, st.percent)
        sh.number(row, col + 3, len(s.straight_lined))
        sh.number(row, col + 4, s.overrides)
        flag_style = st.by_severity[Severity.PERINGATAN] if s.flagged else None
        sh.text(row, col + 5, YES if s.flagged else "", flag_style)
        reasons = "\n".join(check_message(f.code, f.params) for f in s.flags)
        sh.text(row, col + 6, reasons, st.wrapped)
    sh.table(1, max(row, 2), len(KALIBRASI_HEADERS), freeze_col=2)
    sh.landscape(1)
    sh.fit_columns(wrapped=KALIBRASI_WRAPPED)
    notes = [check_message("aturan-penandaan", checks.rules)]
    for spread in checks.spreads:
        notes.append(check_message("sebaran", spread.params))
        if spread.adjustment_code is not None:
            notes.append(check_message(spread.adjustment_code, spread.params))
    notes += [check_message("capaian-tim", checks.rules), KALIBRASI_NOTE, INFO_NOTE]
    for i, note in enumerate(notes, start=max(row, 2) + 2):
        sh.note(i, note, len(KALIBRASI_HEADERS))


def write_distribusi(sh: SheetWriter, tally: PeriodTally, checks: Checks) -> None:
    st = sh.styles
    sh.text(1, 1, "Sebaran Predikat Kinerja", st.title)
    if checks.organisation_predikat:
        sh.text(2, 1, f"Predikat Kinerja Organisasi: {checks.organisation_predikat}")
    else:
        sh.text(2, 1, NO_ORGANISATION_PREDIKAT)
    sh.text(3, 1, DISTRIBUSI_SOURCE)
    sh.text(4, 1, INFO_NOTE)
    sh.text(5, 1, UNIT_RULES_NOTE)
    sh.widths.clear()  # the notes may run over the columns to their right

    sh.text(6, 1, "Jumlah dan persentase per predikat", st.section)
    header_row = 7
    sh.header(header_row, DISTRIBUSI_COUNT_HEADERS, height=45)
    row = header_row
    for scope in tally.scopes():
        row += 1
        total = scope.evaluated
        sh.text(row, 1, scope.name, st.total if row == header_row + 1 else None)
        sh.number(row, 2, total)
        for i, p in enumerate(PREDIKAT_ORDER):
            sh.number(row, 3 + i, scope.predikat[p])
            share = scope.predikat[p] / total if total else None
            sh.number(row, 3 + len(PREDIKAT_ORDER) + i, share, st.percent)
    last_count_row = row
    _add_distribution_chart(sh, header_row, last_count_row)

    row += 2
    sh.text(row, 1, "Pemeriksaan aturan sebaran", st.section)
    row += 1
    rules_header = row
    sh.header(row, DISTRIBUSI_RULE_HEADERS)
    review = st.by_severity[Severity.PERINGATAN]
    for d in checks.distribution:
        row += 1
        sh.text(row, 1, d.scope)
        sh.number(row, 2, d.evaluated)
        sh.text(row, 3, check_message(d.code, d.params))
        sh.number(row, 4, d.count)
        sh.number(row, 5, d.share, st.percent)
        if d.ok is None:
            sh.text(row, 6, STATUS_NOT_JUDGED)
        else:
            sh.text(row, 6, STATUS_OK if d.ok else STATUS_REVIEW, None if d.ok else review)
        sh.text(row, 7, d.capaian)
    if not checks.distribution:
        sh.text(row + 1, 1, "Tidak ada aturan yang diperiksa.")
    sh.fit_columns(first_row=rules_header + 1)
    sh.landscape()


def _add_distribution_chart(sh: SheetWriter, header_row: int, last_row: int) -> None:
    """Each scope's predikat as one 100% bar, so units of any size compare at a glance."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "percentStacked"
    chart.overlap = 100
    chart.title = "Sebaran Predikat per Lingkup"
    chart.y_axis.title = "Persentase pegawai dinilai"
    chart.y_axis.numFmt = "0%"
    chart.x_axis.scaling.orientation = "maxMin"  # the whole organisation on top, as in the table
    chart.x_axis.delete = False  # recent Excel hides axes that openpyxl leaves unspecified
    chart.y_axis.delete = False
    chart.width, chart.height = 18, 2 + 1.2 * (last_row - header_row)
    data = Reference(
        sh.ws, min_col=3, max_col=2 + len(PREDIKAT_ORDER), min_row=header_row, max_row=last_row
    )
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sh.ws, min_col=1, min_row=header_row + 1, max_row=last_row))
    anchor_col = len(DISTRIBUSI_COUNT_HEADERS) + 2
    sh.ws.add_chart(chart, f"{get_column_letter(anchor_col)}{header_row}")


def write_bukti(sh: SheetWriter, checks: Checks) -> None:
    st = sh.styles
    sh.header(1, BUKTI_HEADERS, height=30)
    if not checks.evidence:
        sh.text(2, 1, NO_MISMATCHES)
    for row, m in enumerate(checks.evidence, start=2):
        sh.text(row, 1, m.nip, st.nip)
        sh.text(row, 2, m.nama)
        sh.text(row, 3, m.unit_kerja)
        sh.text(row, 4, m.nama_penilai)
        sh.text(row, 5, m.kode)
        sh.text(row, 6, m.kriteria)
        sh.text(row, 7, m.indikator, st.wrapped)
        sh.number(row, 8, m.target)
        sh.number(row, 9, m.realisasi)
        sh.text(row, 10, m.satuan)
        sh.number(row, 11, m.percent / 100, st.percent)
        sh.number(row, 12, m.nilai)
        sh.text(row, 13, f"{angka(m.skala_min)}-{angka(m.skala_maks)}")
        sh.text(row, 14, check_message(m.code, m.params), st.wrapped)
        sh.text(row, 15, m.source.file)
        sh.text(row, 16, f"{m.source.sheet}!{m.source.cell}" if m.source.cell else m.source.sheet)
    sh.table(1, max(len(checks.evidence), 1) + 1, len(BUKTI_HEADERS), freeze_col=3)
    sh.landscape(1)
    sh.fit_columns(wrapped=(7, 14))
