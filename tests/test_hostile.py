"""Hostile and broken files in the inbox: each ends as its own finding, and the rest of the inbox is
processed as if it were not there."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import msoffcrypto.format.ooxml
import openpyxl
import pytest

from kinerja_batch.findings import CATALOGUE, Severity
from kinerja_batch.loading import NoProgress, load_inbox
from kinerja_batch.model import Periode, PeriodOutcome, Status
from kinerja_batch.pipeline import assess
from kinerja_batch.settings import Settings

from factories import NIP_E1, NIP_E2, valid_inbox, write_with_specials


@dataclass(frozen=True)
class Case:
    file: str  # as named in the finding; "" when the file must produce no finding at all
    code: str | None


Maker = Callable[[Path], Case]
CORPUS: dict[str, Maker] = {}


def case(fn: Maker) -> Maker:
    CORPUS[fn.__name__] = fn
    return fn


def _valid_workbook_bytes(tmp: Path) -> bytes:
    path = tmp.parent / f"_{tmp.name}.src.xlsx"
    wb = openpyxl.Workbook()
    assert wb.active is not None
    wb.active.title = "Capaian"
    wb.active.append(["Kode Kriteria", "Indikator", "Target", "Realisasi"])
    wb.save(path)
    data = path.read_bytes()
    path.unlink()
    return data


def _rezip(
    source: bytes, replace: dict[str, bytes], extra: dict[str, bytes] | None = None
) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            zout.writestr(item.filename, replace.get(item.filename, zin.read(item.filename)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return out.getvalue()


@case
def zero_byte_file(inbox: Path) -> Case:
    (inbox / "kosong.xlsx").write_bytes(b"")
    return Case("kosong.xlsx", "berkas-kosong")


@case
def truncated_zip(inbox: Path) -> Case:
    data = _valid_workbook_bytes(inbox / "x")
    (inbox / "terpotong.xlsx").write_bytes(data[: len(data) // 2])
    return Case("terpotong.xlsx", "berkas-terpotong")


@case
def word_document_renamed_xlsx(inbox: Path) -> Case:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    (inbox / "laporan_word.xlsx").write_bytes(out.getvalue())
    return Case("laporan_word.xlsx", "berkas-bukan-excel")


@case
def pdf_renamed_xlsx(inbox: Path) -> Case:
    (inbox / "scan.xlsx").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
    return Case("scan.xlsx", "berkas-bukan-excel")


@case
def csv_renamed_xlsx(inbox: Path) -> Case:
    (inbox / "ekspor.xlsx").write_bytes(b"NIP;Nama\n198503122010011005;Siti\n")
    return Case("ekspor.xlsx", "berkas-bukan-excel")


@case
def csv_file(inbox: Path) -> Case:
    (inbox / "nilai.csv").write_bytes(b"NIP,Nilai\n198503122010011005,4\n")
    return Case("nilai.csv", "format-tidak-didukung")


@case
def password_protected_workbook(inbox: Path) -> Case:
    out = io.BytesIO()
    source = msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(_valid_workbook_bytes(inbox / "x")))
    source.encrypt("rahasia", out)
    (inbox / "terkunci.xlsx").write_bytes(out.getvalue())
    return Case("terkunci.xlsx", "berkas-terkunci")


@case
def zip_bomb_by_ratio(inbox: Path) -> Case:
    bomb = _rezip(_valid_workbook_bytes(inbox / "x"), {}, {"xl/media/bom.bin": b"\0" * 20_000_000})
    (inbox / "bom.xlsx").write_bytes(bomb)
    return Case("bom.xlsx", "berkas-terlalu-besar")


@case
def too_many_zip_entries(inbox: Path) -> Case:
    extra = {f"xl/media/{i}.bin": b"x" for i in range(6000)}
    (inbox / "banyak.xlsx").write_bytes(_rezip(_valid_workbook_bytes(inbox / "x"), {}, extra))
    return Case("banyak.xlsx", "berkas-terlalu-besar")


@case
def sheet_with_300_thousand_rows(inbox: Path) -> Case:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 300_001))
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()
    data = _rezip(_valid_workbook_bytes(inbox / "x"), {"xl/worksheets/sheet1.xml": sheet})
    (inbox / "raksasa.xlsx").write_bytes(data)
    return Case("raksasa.xlsx", "berkas-terlalu-besar")


def _entity_sheet(declaration: str, reference: str) -> bytes:
    return (
        f'<?xml version="1.0"?>{declaration}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>{reference}</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()


@case
def entity_expansion_billion_laughs(inbox: Path) -> Case:
    lol = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    sheet = _entity_sheet(lol, "&lol3;")
    data = _rezip(_valid_workbook_bytes(inbox / "x"), {"xl/worksheets/sheet1.xml": sheet})
    (inbox / "tawa.xlsx").write_bytes(data)
    return Case("tawa.xlsx", "xml-berbahaya")


@case
def external_entity_reads_a_file(inbox: Path) -> Case:
    xxe = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    sheet = _entity_sheet(xxe, "&xxe;")
    data = _rezip(_valid_workbook_bytes(inbox / "x"), {"xl/worksheets/sheet1.xml": sheet})
    (inbox / "xxe.xlsx").write_bytes(data)
    return Case("xxe.xlsx", "xml-berbahaya")


@case
def malformed_sheet_xml(inbox: Path) -> Case:
    broken = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"'
    data = _rezip(_valid_workbook_bytes(inbox / "x"), {"xl/worksheets/sheet1.xml": broken})
    (inbox / "cacat.xlsx").write_bytes(data)
    return Case("cacat.xlsx", "berkas-rusak")


@case
def excel_lock_file(inbox: Path) -> Case:
    (inbox / "~$pegawai.xlsx").write_bytes(b"\x0bSiti Aminah" + b" " * 40)
    return Case("", None)


@case
def hidden_files_and_folders(inbox: Path) -> Case:
    (inbox / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (inbox / ".cache").mkdir()
    (inbox / ".cache" / "x.xlsx").write_bytes(b"garbage")
    return Case("", None)


@case
def symlink_to_outside(inbox: Path) -> Case:
    secret = inbox.parent / "rahasia.xlsx"
    secret.write_bytes(_valid_workbook_bytes(inbox / "x"))
    os.symlink(secret, inbox / "tautan.xlsx")
    return Case("tautan.xlsx", "tautan-luar")


def _run(tmp_path: Path, maker: Maker) -> tuple[Case, PeriodOutcome]:
    inbox = write_with_specials(valid_inbox(), tmp_path / "inbox")
    expected = maker(inbox)
    loaded = load_inbox(inbox, Settings(), NoProgress())
    return expected, assess(loaded, Periode(2026, 11), requested=True)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_gives_its_finding_and_the_rest_goes_on(name: str, tmp_path: Path) -> None:
    expected, outcome = _run(tmp_path, CORPUS[name])
    about_file = [f for f in outcome.findings if f.file == expected.file]
    if expected.code is None:
        assert [f for f in outcome.findings if f.severity is not Severity.INFO] == []
    else:
        assert [f.code for f in about_file] == [expected.code]
        assert about_file[0].message and "{" not in about_file[0].message
    results = {r.employee.nip: r.predikat.value for r in outcome.results}
    assert results == {NIP_E1: "Sangat Baik", NIP_E2: "Baik"}


def test_password_message_says_how_to_remove_it(tmp_path: Path) -> None:
    _, outcome = _run(tmp_path, CORPUS["password_protected_workbook"])
    f = next(f for f in outcome.findings if f.code == "berkas-terkunci")
    assert "kata sandi" in f.message and f.severity is Severity.GALAT


def test_word_file_is_named_as_such(tmp_path: Path) -> None:
    _, outcome = _run(tmp_path, CORPUS["word_document_renamed_xlsx"])
    assert (
        "dokumen Word"
        in next(f for f in outcome.findings if f.code == "berkas-bukan-excel").message
    )


def test_hidden_rows_and_columns_are_read_and_flagged(tmp_path: Path) -> None:
    inbox = write_with_specials(valid_inbox(), tmp_path / "inbox")
    path = inbox / "penilaian_a.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["Nilai"].row_dimensions[3].hidden = True
    wb["Nilai"].column_dimensions["D"].hidden = True
    wb.save(path)
    outcome = assess(load_inbox(inbox, Settings(), NoProgress()), Periode(2026, 11), requested=True)
    found = {(f.code, f.sheet, f.cell) for f in outcome.findings}
    assert ("baris-tersembunyi", "Nilai", "A3") in found
    assert ("kolom-tersembunyi", "Nilai", "D1") in found
    assert {r.employee.nip for r in outcome.results} == {NIP_E1, NIP_E2}  # the hidden row counts


def test_merged_header_and_nip_merged_down(tmp_path: Path) -> None:
    spec = valid_inbox()
    rows = spec.sheet("penilaian_a.xlsx", "Nilai")
    rows.insert(0, ["NIP", "Penilaian", None, None])  # a two-row header: NIP merged A1:A2
    rows[1][0] = None
    for r in (3, 4, 5, 7, 8, 9):  # rows of the same employee: NIP merged down
        rows[r - 1][0] = None
    inbox = write_with_specials(spec, tmp_path / "inbox")
    path = inbox / "penilaian_a.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["Nilai"]
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:D1")
    ws["A3"] = NIP_E1
    ws.merge_cells("A3:A6")
    ws["A7"] = NIP_E2
    ws.merge_cells("A7:A10")
    wb.save(path)
    outcome = assess(load_inbox(inbox, Settings(), NoProgress()), Periode(2026, 11), requested=True)
    assert [f for f in outcome.findings if f.severity is not Severity.INFO] == []
    assert {o.employee.nip: o.status for o in outcome.outcomes}[NIP_E2] is Status.DINILAI
    assert {r.employee.nip: r.hasil.value for r in outcome.results} == {NIP_E1: 90.0, NIP_E2: 55.0}


def test_every_hostile_code_is_in_the_catalogue() -> None:
    codes = {"berkas-kosong", "berkas-terpotong", "berkas-bukan-excel", "berkas-terkunci",
             "berkas-terlalu-besar", "xml-berbahaya", "tautan-luar"}  # fmt: skip
    assert codes <= set(CATALOGUE)


def test_ods_and_xls_follow_the_same_contract(tmp_path: Path) -> None:
    """A self-report saved as .ods and a score sheet saved as .xls (by LibreOffice, see
    tests/data/make_other_formats.sh) give the same results as the .xlsx originals."""
    inbox = write_with_specials(valid_inbox(), tmp_path / "inbox")
    (inbox / "laporan_e1.xlsx").unlink()
    (inbox / "penilaian_a.xlsx").unlink()
    data = Path(__file__).resolve().parent / "data"
    for name in ("laporan_e1.ods", "penilaian_a.xls"):
        (inbox / name).write_bytes((data / name).read_bytes())
    outcome = assess(load_inbox(inbox, Settings(), NoProgress()), Periode(2026, 11), requested=True)
    assert [f for f in outcome.findings if f.severity is not Severity.INFO] == []
    got = {
        r.employee.nip: (r.hasil.value, r.perilaku.value, r.predikat.value) for r in outcome.results
    }
    assert got == {NIP_E1: (90.0, 87.5, "Sangat Baik"), NIP_E2: (55.0, 62.5, "Baik")}
    report = next(r for r in outcome.results if r.employee.nip == NIP_E1).report
    assert report is not None and report.source_file == "laporan_e1.ods"
    assert [a.realisasi for a in report.achievements] == [92.0, 85.5]


def test_messy_but_honest_workbook_is_read_correctly(tmp_path: Path) -> None:
    """Sheet name with a trailing space, headers in other case and with non-breaking spaces, a table
    that starts lower under a title, blank rows inside it, codes in lower case, numbers as text."""
    spec = valid_inbox()
    book = spec.books["penilaian_a.xlsx"]
    rows = book.sheets.pop("Nilai")
    rows[0] = ["  nip ", "KODE\u00a0 KRITERIA", "nilai", "catatan"]
    rows[1][1] = "hk-pm-01"
    rows[2][2] = "4,0"
    rows.insert(3, [None, None, None, None])
    book.sheets["Nilai "] = [
        ["Penilaian Kinerja November 2026"],
        ["Isi satu baris per kriteria."],
        *rows,
    ]
    inbox = write_with_specials(spec, tmp_path / "inbox")
    outcome = assess(load_inbox(inbox, Settings(), NoProgress()), Periode(2026, 11), requested=True)
    assert [f for f in outcome.findings if f.severity is not Severity.INFO] == []
    assert {r.employee.nip: r.hasil.value for r in outcome.results} == {NIP_E1: 90.0, NIP_E2: 55.0}
