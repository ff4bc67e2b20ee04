"""The criteria workbook: sheets `Kriteria`, `Ambang` (optional), `Pengaturan` (optional) and
`Capaian Organisasi` (optional)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from fractions import Fraction

from kinerja_batch.findings import Finding, Severity, Source, finding
from kinerja_batch.model import (
    CriteriaSet,
    Criterion,
    Jenis,
    OrganisationCapaian,
    Thresholds,
    bidang_key,
    unit_key,
)
from kinerja_batch.parsing import label_key
from kinerja_batch.settings import Settings
from kinerja_batch.validate.fields import Fields
from kinerja_batch.workbooks.contract import (
    AMBANG,
    CAPAIAN_ORGANISASI,
    JENIS_HASIL,
    KRITERIA,
    PENGATURAN,
)
from kinerja_batch.workbooks.reader import Workbook
from kinerja_batch.workbooks.tables import Cell, Row, read_form, read_table


def read_criteria(book: Workbook, settings: Settings) -> tuple[CriteriaSet | None, list[Finding]]:
    """Read and check the criteria workbook. Returns no set when any blocking finding was made:
    a criteria sheet with a wrong row would make every score that uses it meaningless."""
    findings: list[Finding] = []
    sheet = book.sheet(KRITERIA.name)
    if sheet is None:  # the kind was told by this sheet, so it exists; kept for type narrowing
        return None, [finding("sheet-wajib-tidak-ada", Source(book.name), name=KRITERIA.name)]
    table, table_findings = read_table(book, sheet, KRITERIA)
    findings += table_findings
    if table is None:
        return None, findings

    criteria: list[Criterion] = []
    first_seen: dict[str, str] = {}
    for row in table.rows:
        fields = Fields(findings)
        kode = fields.required_text(row["Kode"], "Kode")
        jenis = fields.jenis(row["Jenis"])
        bidang = fields.required_text(row["Bidang"], "Bidang")
        nama = fields.required_text(row["Kriteria"], "Kriteria")
        bobot = fields.number(row["Bobot"], "Bobot", required=True)
        low = fields.number(row["Skala Min"], "Skala Min")
        high = fields.number(row["Skala Maks"], "Skala Maks")
        deskripsi = fields.text(row["Deskripsi"])
        low = settings.skala_min if low is None else low
        high = settings.skala_maks if high is None else high
        utama = _utama(fields, row["Jenis Hasil"], jenis)
        batas_di_atas = fields.number(row["Batas Di Atas"], "Batas Di Atas")
        batas_sesuai = fields.number(row["Batas Sesuai"], "Batas Sesuai")
        ok = utama is not None
        if low < high and (batas_di_atas is not None or batas_sesuai is not None):
            ok = (
                _check_bounds(fields, row, kode or "", low, high, batas_di_atas, batas_sesuai)
                and ok
            )
        if bobot is not None and bobot <= 0:
            fields.add("bobot-tidak-positif", row["Bobot"])
            ok = False
        if low >= high:
            # At the bound that was written; when both were, at Skala Min (the message names both).
            at = row["Skala Maks"] if row["Skala Min"].blank else row["Skala Min"]
            fields.add("skala-tidak-valid", at, low=_num(low), high=_num(high))
            ok = False
        if kode is not None:
            key = kode.casefold()
            if key in first_seen:
                fields.add("kode-ganda", row["Kode"], other=first_seen[key])
                ok = False
            first_seen.setdefault(key, row["Kode"].source.cell)
        if ok and kode and jenis and bidang and nama and bobot is not None:
            criteria.append(
                Criterion(
                    kode,
                    jenis,
                    bidang,
                    nama,
                    bobot,
                    low,
                    high,
                    deskripsi,
                    row["Kode"].source,
                    bobot_source=row["Bobot"].source,
                    utama=bool(utama),
                    batas_di_atas=batas_di_atas,
                    batas_sesuai=batas_sesuai,
                )
            )
    if not table.rows:
        findings.append(finding("kriteria-kosong", Source(book.name, sheet.name)))

    thresholds = _read_thresholds(book, settings, findings)
    nama_instansi, predikat_organisasi = _read_settings_sheet(book, findings)
    capaian = _read_capaian_organisasi(book, nama_instansi, findings)
    if any(f.severity is Severity.GALAT for f in findings):
        return None, findings
    criteria_set = CriteriaSet(
        criteria=tuple(criteria),
        thresholds=thresholds,
        nama_instansi=nama_instansi,
        predikat_organisasi=predikat_organisasi,
        source_file=book.name,
        capaian_organisasi=capaian,
    )
    return criteria_set, findings


def _utama(fields: Fields, cell: Cell, jenis: Jenis | None) -> bool | None:
    """`Jenis Hasil`: True for `Utama` or blank, False for `Tambahan`; None (with a finding) for
    anything else. On a Perilaku Kerja row it is ignored, with a warning."""
    if not fields.usable(cell):
        return None
    if cell.blank:
        return True
    choice = {label_key(c): c for c in JENIS_HASIL}.get(label_key(cell.text))
    if choice is None:
        fields.add("jenis-hasil-tidak-valid", cell)
        return None
    if jenis is Jenis.PERILAKU:
        fields.add("jenis-hasil-bukan-hasil-kerja", cell, jenis=jenis.value)
        return True
    return choice == "Utama"


def _check_bounds(
    fields: Fields,
    row: Row,
    kode: str,
    low: float,
    high: float,
    di_atas: float | None,
    sesuai: float | None,
) -> bool:
    """The item method's bounds, with the scale's defaults for the one left blank, must lie in the
    scale with `Batas Sesuai` below `Batas Di Atas`; False (with a finding) otherwise."""
    eff_atas = high if di_atas is None else di_atas
    eff_sesuai = (low + high) / 2 if sesuai is None else sesuai
    if low <= eff_sesuai < eff_atas <= high:
        return True
    detail = f"Batas Di Atas {_num(eff_atas)}, Batas Sesuai {_num(eff_sesuai)}"
    # At a written bound outside the scale; otherwise at the written one (Batas Sesuai first).
    if di_atas is not None and not low <= di_atas <= high:
        at = row["Batas Di Atas"]
    elif sesuai is not None:
        at = row["Batas Sesuai"]
    else:
        at = row["Batas Di Atas"]
    fields.add(
        "batas-butir-tidak-valid", at, kode=kode, detail=detail, low=_num(low), high=_num(high)
    )
    return False


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


def _read_thresholds(
    book: Workbook, settings: Settings, findings: list[Finding]
) -> dict[Jenis, Thresholds]:
    thresholds = dict(settings.thresholds)
    sheet = book.sheet(AMBANG.name)
    if sheet is None:
        return thresholds
    table, table_findings = read_table(book, sheet, AMBANG)
    findings += table_findings
    for row in table.rows if table else ():
        fields = Fields(findings)
        jenis = fields.jenis(row["Jenis"])
        di_atas = fields.number(row["Di Atas Ekspektasi"], "Di Atas Ekspektasi", required=True)
        sesuai = fields.number(row["Sesuai Ekspektasi"], "Sesuai Ekspektasi", required=True)
        if jenis is None or di_atas is None or sesuai is None:
            continue
        if not (0 <= sesuai < di_atas <= 100):
            detail = f"Di Atas Ekspektasi {_num(di_atas)}, Sesuai Ekspektasi {_num(sesuai)}"
            # At a bound outside 0-100; when both lie inside but in the wrong order, at Sesuai
            # Ekspektasi, the lower bound that reaches above the upper one.
            at = row["Di Atas Ekspektasi"] if not 0 <= di_atas <= 100 else row["Sesuai Ekspektasi"]
            fields.add("ambang-tidak-valid", at, jenis=jenis.value, detail=detail)
            continue
        thresholds[jenis] = Thresholds(di_atas=di_atas, sesuai=sesuai)
    return thresholds


def _read_settings_sheet(book: Workbook, findings: list[Finding]) -> tuple[str, str | None]:
    sheet = book.sheet(PENGATURAN.name)
    if sheet is None:
        return "", None
    form = read_form(book, sheet)
    fields = Fields(findings)
    nama_cell = form.get(label_key("Nama Instansi"))
    nama = fields.text(nama_cell) if nama_cell is not None else ""
    predikat: str | None = None
    label = PENGATURAN.label("Predikat Kinerja Organisasi")
    cell = form.get(label_key(label.label))
    if cell is not None and fields.usable(cell) and not cell.blank:
        by_key = {label_key(p): p for p in label.choices}
        predikat = by_key.get(label_key(cell.text))
        if predikat is None:
            fields.add("predikat-organisasi-tidak-valid", cell)
    return nama, predikat


def _read_capaian_organisasi(
    book: Workbook, nama_instansi: str, findings: list[Finding]
) -> tuple[OrganisationCapaian, ...]:
    """The optional sheet `Capaian Organisasi`. A row naming the agency (`Nama Instansi`), or with
    `Unit Kerja` blank, is the agency-wide value. The sheet is optional, so what is wrong in it is a
    warning and the row is left out; it never stops the run."""
    sheet = book.sheet(CAPAIAN_ORGANISASI.name)
    if sheet is None:
        return ()
    own: list[Finding] = []
    table, table_findings = read_table(book, sheet, CAPAIAN_ORGANISASI)
    own += table_findings
    by_key = {label_key(p): p for p in CAPAIAN_ORGANISASI.column("Capaian").choices}
    agency = unit_key(nama_instansi) if nama_instansi else None
    rows: list[OrganisationCapaian] = []
    first_seen: dict[tuple[str, str], str] = {}
    for row in table.rows if table else ():
        fields = Fields(own)
        unit = fields.text(row["Unit Kerja"])
        if agency is not None and unit_key(unit) == agency:
            unit = ""
        periode = fields.periode(row["Periode"])
        cell = row["Capaian"]
        capaian = fields.required_text(cell, "Capaian")
        if capaian is not None:
            capaian = by_key.get(label_key(capaian))
            if capaian is None:
                fields.add("capaian-organisasi-tidak-valid", cell)
        if periode is None or capaian is None:
            continue
        key = (unit_key(unit), periode.key)
        if key in first_seen:
            fields.add(
                "capaian-organisasi-ganda",
                cell,
                unit=unit or nama_instansi or "seluruh instansi",
                periode=periode.label,
                other=first_seen[key],
            )
            continue
        first_seen[key] = cell.source.cell
        rows.append(OrganisationCapaian(unit, periode, capaian, cell.source))
    findings += [
        dataclasses.replace(f, severity=Severity.PERINGATAN) if f.severity is Severity.GALAT else f
        for f in own
    ]
    return tuple(rows)


def check_weights(
    criteria: CriteriaSet, bidang_used: Iterable[str], tolerance: float
) -> list[Finding]:
    """Every bidang in use that has rows of its own must have weights summing to 100 per Jenis.

    A bidang without rows of its own is checked per employee in the roster (it may be a typo)."""
    findings: list[Finding] = []
    known = criteria.known_bidang()
    checked: set[str] = set()
    for bidang in bidang_used:
        key = bidang_key(bidang)
        if key not in known or key in checked:
            continue
        checked.add(key)
        findings += weight_findings(criteria, bidang, tolerance)
    return findings


def weight_findings(criteria: CriteriaSet, bidang: str, tolerance: float) -> list[Finding]:
    findings = []
    for jenis in Jenis:
        applicable = criteria.applicable(bidang, jenis)
        total = sum((Fraction(str(c.bobot)) for c in applicable), Fraction(0))
        if abs(total - 100) > Fraction(str(tolerance)):
            # At the Bobot cell of the bidang's own first row (else the first `Semua` row); the
            # message names every row that counts.
            own = [c for c in applicable if bidang_key(c.bidang) == bidang_key(bidang)]
            first = (own or list(applicable))[:1]
            source = Source(criteria.source_file, "Kriteria")
            if first:
                source = first[0].bobot_source if first[0].bobot_source.file else first[0].source
            findings.append(
                finding(
                    "bobot-tidak-100",
                    source,
                    value=_num(float(total)),
                    jenis=jenis.value,
                    bidang=bidang,
                    total=_num(float(total)),
                    count=len(applicable),
                    codes=", ".join(c.kode for c in applicable) or "tidak ada",
                )
            )
    return findings
