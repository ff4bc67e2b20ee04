"""Per-person workbooks: the employee's self-report (`Capaian`) and the supervisor's scores (`Nilai`).

These checks need nothing but the file itself; checks against the roster and the criteria are in
`validate.period`.
"""

from __future__ import annotations

from collections.abc import Sequence

from kinerja_batch.findings import Finding, Source, finding
from kinerja_batch.model import (
    Achievement,
    Challenge,
    Feedback,
    Granularity,
    Periode,
    Plan,
    Score,
    ScoreSheet,
    SelfReport,
)
from kinerja_batch.parsing import Percent, label_key
from kinerja_batch.validate.fields import Fields
from kinerja_batch.workbooks.contract import (
    CAPAIAN,
    IDENTITAS_LAPORAN,
    IDENTITAS_PENILAIAN,
    NILAI,
    RENCANA_PERBAIKAN,
    TANTANGAN,
    UMPAN_BALIK,
    FormSheet,
    TableSheet,
)
from kinerja_batch.workbooks.reader import Workbook
from kinerja_batch.workbooks.tables import Cell, Table, read_form, read_table


def _identity(
    book: Workbook, form_sheet: FormSheet, findings: list[Finding], labels: Sequence[str] = ()
) -> dict[str, Cell] | None:
    """The `Identitas` form's required labels (or only `labels`), or None (with findings) when the
    sheet or one of those labels is missing."""
    labels = labels or form_sheet.required_labels
    sheet = book.sheet(form_sheet.name)
    if sheet is None:
        findings.append(finding("sheet-wajib-tidak-ada", Source(book.name), name=form_sheet.name))
        return None
    form = read_form(book, sheet)
    missing = [label for label in labels if label_key(label) not in form]
    for label in missing:
        findings.append(
            finding("isian-wajib-tidak-ada", Source(book.name, sheet.name, "A:A"), label=label)
        )
    return None if missing else {label: form[label_key(label)] for label in labels}


def read_periode(
    book: Workbook, granularity: Granularity = Granularity.BULANAN
) -> tuple[Periode | None, Source]:
    """The (agency's) period a per-person workbook states, and its cell, without recording
    findings (for grouping, and for pointing at a period other than the one asked for)."""
    scratch: list[Finding] = []
    ident = _identity(book, IDENTITAS_LAPORAN, scratch, ("Periode",))
    if ident is None:
        return None, Source(book.name, IDENTITAS_LAPORAN.name)
    cell = ident["Periode"]
    return Fields(scratch).periode(cell, granularity=granularity), cell.source


def _table(book: Workbook, declared: TableSheet, findings: list[Finding]) -> Table | None:
    sheet = book.sheet(declared.name)
    if sheet is None:
        code = "sheet-wajib-tidak-ada" if declared.required else "sheet-tidak-ada"
        findings.append(finding(code, Source(book.name), name=declared.name))
        return None
    table, table_findings = read_table(book, sheet, declared)
    findings += table_findings
    return table


def read_self_report(
    book: Workbook, granularity: Granularity = Granularity.BULANAN
) -> tuple[SelfReport | None, list[Finding]]:
    findings: list[Finding] = []
    ident = _identity(book, IDENTITAS_LAPORAN, findings)
    if ident is None:
        return None, findings
    nip = Fields(findings).nip(ident["NIP"])
    if nip is None:
        return None, findings
    fields = Fields(findings, nip=nip)
    nama = fields.text(ident["Nama"])
    periode = fields.periode(ident["Periode"], granularity=granularity)

    achievements: list[Achievement] = []
    capaian = _table(book, CAPAIAN, findings)
    for row in capaian.rows if capaian else ():
        achievements.append(
            Achievement(
                kode=fields.required_text(row["Kode Kriteria"], "Kode Kriteria") or "",
                indikator=fields.text(row["Indikator"]),
                target=fields.number(row["Target"], "Target"),
                realisasi=fields.number(row["Realisasi"], "Realisasi"),
                satuan=fields.text(row["Satuan"]) or _percent_unit(row["Target"], row["Realisasi"]),
                uraian=fields.text(row["Uraian"]),
                bukti=fields.text(row["Bukti"]),
                source=row["Kode Kriteria"].source,
            )
        )
    challenges: list[Challenge] = []
    tantangan = _table(book, TANTANGAN, findings)
    for row in tantangan.rows if tantangan else ():
        challenges.append(Challenge(fields.text(row["Tantangan"]), fields.text(row["Dampak"])))
    plans: list[Plan] = []
    rencana = _table(book, RENCANA_PERBAIKAN, findings)
    for row in rencana.rows if rencana else ():
        plans.append(Plan(fields.text(row["Rencana"]), fields.text(row["Target Waktu"])))

    if periode is None or capaian is None:
        return None, findings
    report = SelfReport(
        nip=nip,
        nama=nama,
        periode=periode,
        achievements=tuple(achievements),
        challenges=tuple(challenges),
        plans=tuple(plans),
        source_file=book.name,
        nip_source=ident["NIP"].source,
        nama_source=ident["Nama"].source,
        periode_source=ident["Periode"].source,
    )
    return report, findings


def read_score_sheet(
    book: Workbook, granularity: Granularity = Granularity.BULANAN
) -> tuple[ScoreSheet | None, list[Finding]]:
    findings: list[Finding] = []
    ident = _identity(book, IDENTITAS_PENILAIAN, findings)
    if ident is None:
        return None, findings
    fields = Fields(findings)
    nip_penilai = fields.nip(ident["NIP Penilai"], "NIP Penilai")
    nama_penilai = fields.text(ident["Nama Penilai"])
    periode = fields.periode(ident["Periode"], granularity=granularity)

    scores: list[Score] = []
    nilai = _table(book, NILAI, findings)
    for row in nilai.rows if nilai else ():
        nip = Fields(findings).nip(row["NIP"])
        if nip is None:
            continue
        row_fields = Fields(findings, nip=nip)
        kode = row_fields.required_text(row["Kode Kriteria"], "Kode Kriteria")
        if kode is None:
            continue
        score = row_fields.number(row["Nilai"], "Nilai")
        catatan = row_fields.text(row["Catatan"])
        scores.append(
            Score(
                nip,
                kode,
                score,
                catatan,
                row["Nilai"].source,
                nip_source=row["NIP"].source,
                kode_source=row["Kode Kriteria"].source,
                # `#DIV/0!`, `delapan`: reported at the cell already; the criterion is scored,
                # so it is neither missing nor blank.
                unreadable=score is None and not row["Nilai"].blank,
                ekspektasi_khusus=row_fields.text(row["Ekspektasi Khusus"]),
            )
        )

    feedback: list[Feedback] = []
    umpan_balik = _table(book, UMPAN_BALIK, findings)
    for row in umpan_balik.rows if umpan_balik else ():
        nip = Fields(findings).nip(row["NIP"])
        if nip is None:
            continue
        row_fields = Fields(findings, nip=nip)
        feedback.append(
            Feedback(
                nip=nip,
                umpan_balik=row_fields.text(row["Umpan Balik"]),
                rekomendasi=row_fields.text(row["Rekomendasi"]),
                override_hasil=row_fields.rating(row["Rating Hasil Kerja"], "Rating Hasil Kerja"),
                override_perilaku=row_fields.rating(
                    row["Rating Perilaku Kerja"], "Rating Perilaku Kerja"
                ),
                source=row["NIP"].source,
                umpan_balik_source=row["Umpan Balik"].source,
            )
        )

    if nip_penilai is None or periode is None or nilai is None:
        return None, findings
    sheet = ScoreSheet(
        nip_penilai=nip_penilai,
        nama_penilai=nama_penilai,
        periode=periode,
        scores=tuple(scores),
        feedback=tuple(feedback),
        source_file=book.name,
    )
    return sheet, findings


def _percent_unit(*cells: Cell) -> str:
    """`%` when the figures were typed as percents (`85%`) and no unit was written."""
    typed = [c.raw for c in cells if not c.blank]
    percent = all(isinstance(r, Percent) or str(r).strip().endswith("%") for r in typed)
    return "%" if typed and percent else ""
