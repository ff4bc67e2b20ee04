"""The roster workbook: sheet `Pegawai`."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from kinerja_batch.findings import Finding, Source, finding
from kinerja_batch.model import CriteriaSet, Employee, bidang_key, unit_key
from kinerja_batch.parsing import is_valid_email, label_key
from kinerja_batch.validate.criteria import weight_findings
from kinerja_batch.validate.fields import Fields
from kinerja_batch.workbooks.contract import KEPALA_UNIT_YES, PEGAWAI
from kinerja_batch.workbooks.reader import Workbook
from kinerja_batch.workbooks.tables import Cell, read_table


def read_roster(
    book: Workbook, criteria: CriteriaSet, tolerance: float
) -> tuple[list[Employee] | None, list[Finding]]:
    """Read the roster. Rows whose NIP cannot be read are reported and left out (nobody could be
    matched to them); every other row becomes an Employee, blocked by its findings where it has any.
    Returns None when the sheet has no usable table."""
    findings: list[Finding] = []
    sheet = book.sheet(PEGAWAI.name)
    if sheet is None:
        return None, [finding("sheet-wajib-tidak-ada", Source(book.name), name=PEGAWAI.name)]
    table, table_findings = read_table(book, sheet, PEGAWAI)
    findings += table_findings
    if table is None:
        return None, findings

    employees: list[Employee] = []
    first_cell: dict[str, str] = {}
    atasan_cells: dict[str, Source] = {}
    known_bidang = criteria.known_bidang()
    semua_ok: bool | None = None
    head_cells: dict[str, str] = {}  # unit key -> the Kepala Unit cell of its first head
    for row in table.rows:
        nip = Fields(findings).nip(row["NIP"])
        if nip is None:
            continue
        fields = Fields(findings, nip=nip)
        if nip in first_cell:
            fields.add("nip-ganda", row["NIP"], value=nip, other=first_cell[nip])
            continue
        first_cell[nip] = row["NIP"].source.cell
        nama = fields.required_text(row["Nama"], "Nama") or ""
        jabatan = fields.required_text(row["Jabatan"], "Jabatan") or ""
        unit = fields.required_text(row["Unit Kerja"], "Unit Kerja") or ""
        bidang = fields.required_text(row["Bidang"], "Bidang") or ""
        atasan = fields.nip(row["NIP Atasan"], "NIP Atasan", required=False)
        email = fields.text(row["Email"]) or None
        pangkat = fields.text(row["Pangkat/Golongan"])
        if bidang and bidang_key(bidang) not in known_bidang:
            if semua_ok is None:  # a bidang covered by the `Semua` rows alone is valid
                semua_ok = not weight_findings(criteria, "Semua", tolerance)
            if not semua_ok:
                fields.add("bidang-tidak-dikenal", row["Bidang"])
        if email and not is_valid_email(email):
            fields.add("email-tidak-valid", row["Email"])
        if atasan == nip:
            fields.add("atasan-diri-sendiri", row["NIP Atasan"])
            atasan = None
        atasan_cells[nip] = row["NIP Atasan"].source
        kepala = _kepala_unit(fields, row["Kepala Unit"])
        if kepala and unit:
            other = head_cells.setdefault(unit_key(unit), row["Kepala Unit"].source.cell)
            if other != row["Kepala Unit"].source.cell:
                fields.add("kepala-unit-ganda", row["Kepala Unit"], unit=unit, other=other)
        employee = Employee(nip, nama, jabatan, unit, bidang, atasan, email, row["NIP"].source)
        employees.append(dataclasses.replace(employee, kepala_unit=kepala, pangkat=pangkat))

    nips = {e.nip for e in employees}
    without_atasan = [e for e in employees if e.nip_atasan is None]
    for e in employees:
        if e.nip_atasan is not None and e.nip_atasan not in nips:
            source = atasan_cells[e.nip]
            findings.append(finding("atasan-tidak-dikenal", source, value=e.nip_atasan, nip=e.nip))
    if len(without_atasan) > 1:  # only the head of the organisation has no supervisor
        for e in without_atasan:
            findings.append(finding("atasan-kosong", atasan_cells[e.nip], nip=e.nip))
    return derive_unit_heads(employees), findings


def _kepala_unit(fields: Fields, cell: Cell) -> bool:
    """`Ya` (any case) marks the unit head; blank, `Tidak` or `-` do not; anything else is a
    warning at the cell and ignored."""
    if not fields.usable(cell) or cell.blank:
        return False
    word = label_key(cell.text)
    if word == label_key(KEPALA_UNIT_YES):
        return True
    if word not in {label_key("Tidak"), "-"}:
        fields.add("kepala-unit-tidak-valid", cell)
    return False


def derive_unit_heads(employees: Sequence[Employee]) -> list[Employee]:
    """Mark each unit's head where no row of the unit says `Kepala Unit` `Ya`: the one person of
    the unit whose own supervisor (NIP Atasan) is outside the unit, or who has none, and who
    supervises someone of the unit. A unit where more than one person (or nobody) fits gets none."""
    by_nip = {e.nip: e for e in employees}
    declared = {unit_key(e.unit_kerja) for e in employees if e.kepala_unit}
    supervisors_in_unit = {
        (e.nip_atasan, unit_key(e.unit_kerja)) for e in employees if e.nip_atasan is not None
    }
    candidates: dict[str, list[str]] = {}
    for e in employees:
        unit = unit_key(e.unit_kerja)
        if not unit or unit in declared or (e.nip, unit) not in supervisors_in_unit:
            continue
        atasan = by_nip.get(e.nip_atasan or "")
        if atasan is None or unit_key(atasan.unit_kerja) != unit:
            candidates.setdefault(unit, []).append(e.nip)
    heads = {nips[0] for nips in candidates.values() if len(nips) == 1}
    return [dataclasses.replace(e, kepala_unit=True) if e.nip in heads else e for e in employees]
