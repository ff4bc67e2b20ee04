"""The roster workbook: sheet `Pegawai`."""

from __future__ import annotations

from kinerja_batch.findings import Finding, Source, finding
from kinerja_batch.model import CriteriaSet, Employee, bidang_key
from kinerja_batch.parsing import is_valid_email
from kinerja_batch.validate.criteria import weight_findings
from kinerja_batch.validate.fields import Fields
from kinerja_batch.workbooks.contract import PEGAWAI
from kinerja_batch.workbooks.reader import Workbook
from kinerja_batch.workbooks.tables import read_table


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
        employees.append(
            Employee(nip, nama, jabatan, unit, bidang, atasan, email, row["NIP"].source)
        )

    nips = {e.nip for e in employees}
    without_atasan = [e for e in employees if e.nip_atasan is None]
    for e in employees:
        if e.nip_atasan is not None and e.nip_atasan not in nips:
            source = atasan_cells[e.nip]
            findings.append(finding("atasan-tidak-dikenal", source, value=e.nip_atasan, nip=e.nip))
    if len(without_atasan) > 1:  # only the head of the organisation has no supervisor
        for e in without_atasan:
            findings.append(finding("atasan-kosong", atasan_cells[e.nip], nip=e.nip))
    return employees, findings
