"""Blank workbooks that are hard to fill in wrong.

`kinerja templat` writes, per employee, a self-report (`laporan_<NIP>_<nama>.xlsx`) and, per
supervisor, a score sheet (`penilaian_<NIP>_<nama>.xlsx`), each pre-filled and protected so that only
the cells meant to be filled can be changed. `kinerja init` writes starter criteria and roster
workbooks. All follow the workbook contract, so `kinerja run` reads them like any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from kinerja_batch.model import CriteriaSet, Employee, Jenis, Periode
from kinerja_batch.parsing import format_nip
from kinerja_batch.workbooks.cells import cell_at, save_workbook, write_text
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
from kinerja_batch.workbooks.kinds import (
    PROP_KIND,
    PROP_PERIODE,
    PROP_VERSION,
    TEMPLATE_VERSION,
    Kind,
)

HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
FONT = "Calibri"  # named explicitly: an unnamed font falls back to a serif in LibreOffice
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF9E6")
BAND_FILL = PatternFill("solid", fgColor="E8EEF6")
TITLE_FONT = Font(name=FONT, bold=True, size=14, color="1F3A5F")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
UNLOCKED = Protection(locked=False)
EXTRA_ROWS = 5  # free rows under the pre-filled achievements, for more indicators
FREE_ROWS = 10  # rows to write challenges and plans in

# Printing: a sheet whose columns are wider than this (in Excel's character widths) is printed in
# landscape; about 95 characters fit across a portrait A4 page at full size, 140 across landscape.
PORTRAIT_MAX_WIDTH = 100
PAGE_FOOTER = "&A - halaman &P dari &N"  # sheet name, page number, page count


def page_setup(ws: Worksheet, header_row: int | None = None) -> None:
    """Print `ws` on A4 with every column on one page width (so a row's labels and values are
    never split across pages), in landscape when its columns are wide, `header_row` (1-based)
    repeated at the top of every page, and the sheet name and page number in the footer.

    Column widths must be set before calling this: they decide the orientation."""
    widths = [
        ws.column_dimensions[get_column_letter(c)].width or 8.43
        for c in range(1, ws.max_column + 1)
    ]
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = "landscape" if sum(widths) > PORTRAIT_MAX_WIDTH else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.gridLines = False
    footer = ws.oddFooter
    if footer is not None:  # openpyxl always makes one; its types say it may not
        footer.center.text = PAGE_FOOTER
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


def write_header(ws: Worksheet, row: int, declared: TableSheet) -> None:
    """The declared header row, with the declared column widths; the rows below it scroll."""
    for c, col in enumerate(declared.columns, start=1):
        cell = cell_at(ws, row, c)
        write_text(cell, col.header)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        ws.column_dimensions[cell.column_letter].width = col.width
    ws.freeze_panes = cell_at(ws, row + 1, 1)


def letter(declared: TableSheet, header: str) -> str:
    """The column letter of `header` in a template written from `declared`."""
    return get_column_letter(declared.columns.index(declared.column(header)) + 1)


class TemplateTable:
    """A table sheet of a blank workbook: title lines, the declared header row, then rows of locked
    and input cells."""

    def __init__(self, ws: Worksheet, declared: TableSheet, title: str, lines: Sequence[str]):
        self.ws = ws
        self.declared = declared
        write_text(cell_at(ws, 1, 1), title)
        cell_at(ws, 1, 1).font = TITLE_FONT
        for i, line in enumerate(lines, start=2):
            write_text(cell_at(ws, i, 1), line)
        self.header_row = len(lines) + 2
        write_header(ws, self.header_row, declared)
        self.next_row = self.header_row + 1

    def letter(self, header: str) -> str:
        return letter(self.declared, header)

    def put(self, row: int, header: str, value: str | float | None, *, editable: bool) -> Cell:
        col = self.declared.column(header)
        cell: Cell = cell_at(self.ws, row, self.declared.columns.index(col) + 1)
        if isinstance(value, str):
            write_text(cell, value)
        elif value is not None:
            cell.value = value
        if col.text:
            cell.number_format = "@"
        cell.alignment = WRAP if col.wrap else TOP
        if editable:
            cell.protection = UNLOCKED
            cell.fill = INPUT_FILL
        else:
            cell.fill = LOCKED_FILL
        return cell

    def row(self, values: dict[str, str | float | None], height: float) -> int:
        """A row with `values` pre-filled and locked; every other column is an input cell, except
        the informational ones (shown for people, never read)."""
        r = self.next_row
        for col in self.declared.columns:
            editable = col.header not in values and not col.informational
            self.put(r, col.header, values.get(col.header), editable=editable)
        self.ws.row_dimensions[r].height = height
        self.next_row += 1
        return r

    def protect(self, password: str | None) -> None:
        """Protect the sheet (only input cells can be changed) and set it up for printing: the
        last step, once every row is written."""
        page_setup(self.ws, self.header_row)
        p = self.ws.protection
        p.sheet = True
        p.formatColumns = False  # people may widen columns and rows to read
        p.formatRows = False
        if password:
            p.password = password


def _identity(
    ws: Worksheet, declared: FormSheet, values: Mapping[str, str], password: str | None
) -> None:
    """The declared form, every label (read or informational) with its value, locked."""
    ws.column_dimensions["A"].width = declared.label_width
    ws.column_dimensions["B"].width = declared.value_width
    for r, label in enumerate(declared.labels, start=1):
        write_text(cell_at(ws, r, 1), label.label)
        cell_at(ws, r, 1).font = Font(name=FONT, bold=True)
        cell = cell_at(ws, r, 2)
        write_text(cell, values[label.label])
        cell.number_format = "@"
        cell.fill = LOCKED_FILL
    page_setup(ws)
    ws.protection.sheet = True
    if password:
        ws.protection.password = password


def write_instructions(ws: Worksheet, title: str, paragraphs: Sequence[str]) -> None:
    ws.column_dimensions["A"].width = 110
    write_text(cell_at(ws, 1, 1), title)
    cell_at(ws, 1, 1).font = TITLE_FONT
    for r, text in enumerate(paragraphs, start=3):
        write_text(cell_at(ws, r, 1), text)
        cell_at(ws, r, 1).alignment = WRAP
        ws.row_dimensions[r].height = 15 * (1 + len(text) // 105)
    page_setup(ws)


def _properties(wb: Workbook, kind: Kind, periode: Periode, title: str, instansi: str) -> None:
    wb.properties.title = title
    wb.properties.creator = instansi or "kinerja-batch"
    wb.properties.subject = f"Penilaian kinerja {periode.label}"
    custom = wb.custom_doc_props  # type: ignore[attr-defined]  # missing from types-openpyxl
    custom.append(StringProperty(name=PROP_KIND, value=kind.value))
    custom.append(IntProperty(name=PROP_VERSION, value=TEMPLATE_VERSION))
    custom.append(StringProperty(name=PROP_PERIODE, value=periode.key))


# --- the employee's self-report -------------------------------------------------------------------

LAPORAN_GUIDE = (
    "Buku kerja ini adalah laporan kinerja Anda untuk satu periode. Isi hanya sel berwarna krem; sel "
    "abu-abu sudah diisi dan dikunci.",
    "Sheet Capaian: satu baris untuk setiap kriteria Hasil Kerja bidang Anda. Tulis Indikator, Target, "
    "Realisasi (angka saja, boleh desimal dengan koma, misalnya 92,5), Satuan, Uraian (apa yang dicapai) "
    "dan Bukti (dokumen pendukung). Baris kosong di bawahnya bisa dipakai untuk indikator tambahan: pilih "
    "Kode Kriteria dari daftar.",
    "Sheet Tantangan: tantangan yang Anda hadapi dan dampaknya. Sheet Rencana Perbaikan: apa yang akan "
    "Anda lakukan dan kapan.",
    "Jangan mengganti nama sheet atau judul kolom. Simpan sebagai .xlsx, lalu serahkan kepada bagian "
    "kepegawaian.",
)


def write_self_report(
    path: Path,
    employee: Employee,
    atasan: Employee | None,
    criteria: CriteriaSet,
    periode: Periode,
    password: str | None,
) -> None:
    wb = Workbook()
    assert wb.active is not None
    guide = wb.active
    guide.title = "Petunjuk"
    write_instructions(guide, f"Laporan Kinerja {periode.label}", LAPORAN_GUIDE)
    _identity(
        wb.create_sheet(IDENTITAS_LAPORAN.name),
        IDENTITAS_LAPORAN,
        {
            "NIP": employee.nip,
            "Nama": employee.nama,
            "Periode": periode.label,
            "Jabatan": employee.jabatan,
            "Unit Kerja": employee.unit_kerja,
            "Bidang": employee.bidang,
            "Atasan Langsung": f"{atasan.nama} ({format_nip(atasan.nip)})" if atasan else "-",
        },
        password,
    )
    hasil = criteria.applicable(employee.bidang, Jenis.HASIL)
    sheet = TemplateTable(
        wb.create_sheet(CAPAIAN.name),
        CAPAIAN,
        "Capaian Kinerja",
        [f"{employee.nama} - NIP {format_nip(employee.nip)} - {periode.label}"],
    )
    numbers = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,  # a number not known yet is left blank
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="Harus angka",
        error="Isi angka saja (boleh desimal), tanpa satuan. Satuan ditulis di kolom Satuan.",
        promptTitle="Angka",
        prompt="Isi angka saja, misalnya 100 atau 92,5.",
    )
    codes = DataValidation(
        type="list",
        formula1='"' + ",".join(c.kode for c in hasil) + '"',
        allow_blank=True,  # the extra rows are used only when needed
        showErrorMessage=True,
        errorTitle="Kode tidak dikenal",
        error="Pilih kode kriteria Hasil Kerja dari daftar.",
    )
    sheet.ws.add_data_validation(numbers)
    sheet.ws.add_data_validation(codes)
    target, realisasi, kode = (
        sheet.letter("Target"),
        sheet.letter("Realisasi"),
        sheet.letter("Kode Kriteria"),
    )
    for c in hasil:
        r = sheet.row({"Kode Kriteria": c.kode, "Kriteria": c.nama}, height=60)
        numbers.add(f"{target}{r}:{realisasi}{r}")
    for _ in range(EXTRA_ROWS):
        r = sheet.row({}, height=45)
        numbers.add(f"{target}{r}:{realisasi}{r}")
        codes.add(f"{kode}{r}")
    sheet.protect(password)
    for declared in (TANTANGAN, RENCANA_PERBAIKAN):
        free = TemplateTable(
            wb.create_sheet(declared.name), declared, declared.name, [employee.nama]
        )
        for _ in range(FREE_ROWS):
            free.row({}, height=45)
        free.protect(password)
    _properties(
        wb, Kind.LAPORAN, periode, f"Laporan Kinerja {employee.nama}", criteria.nama_instansi
    )
    save_workbook(wb, path)


# --- the supervisor's score sheet -----------------------------------------------------------------

PENILAIAN_GUIDE = (
    "Buku kerja ini untuk menilai pegawai yang Anda bina langsung. Isi hanya sel berwarna krem; sel "
    "abu-abu sudah diisi dan dikunci.",
    "Sheet Nilai: satu baris untuk setiap pegawai dan kriteria. Isi kolom Nilai dengan angka dalam skala "
    "yang tertulis di kolom Skala (Excel menolak angka di luar skala), dan Catatan bila perlu, terutama "
    "untuk nilai tertinggi atau terendah. Pada baris Perilaku Kerja, kolom Ekspektasi Khusus boleh "
    "diisi dengan ekspektasi khusus Anda untuk nilai itu; isinya tampil di PDF umpan balik.",
    "Sheet Umpan Balik: tulis umpan balik dan rekomendasi untuk setiap pegawai. Rating Hasil Kerja dan "
    "Rating Perilaku Kerja dikosongkan bila Anda setuju dengan hasil hitungan dari nilai; bila Anda "
    "memilih rating lain, tuliskan alasannya di kolom Umpan Balik.",
    "Rating dihitung dari nilai dengan metode yang ditetapkan instansi: bobot (rata-rata berbobot nilai "
    "yang dinormalkan ke 0-100, dibandingkan dengan ambang di buku kerja kriteria) atau butir (setiap "
    "kriteria dibaca di bawah, sesuai, atau di atas ekspektasi, lalu rating mengikuti sebagian besar "
    "butir). Predikat ditentukan oleh matriks PermenPANRB No. 6 Tahun 2022.",
    "Jangan mengganti nama sheet atau judul kolom. Simpan sebagai .xlsx, lalu serahkan kepada bagian "
    "kepegawaian.",
)


def write_score_sheet(
    path: Path,
    penilai: Employee,
    subordinates: Sequence[Employee],
    criteria: CriteriaSet,
    periode: Periode,
    password: str | None,
) -> None:
    wb = Workbook()
    assert wb.active is not None
    guide = wb.active
    guide.title = "Petunjuk"
    write_instructions(guide, f"Penilaian Kinerja {periode.label}", PENILAIAN_GUIDE)
    _identity(
        wb.create_sheet(IDENTITAS_PENILAIAN.name),
        IDENTITAS_PENILAIAN,
        {
            "NIP Penilai": penilai.nip,
            "Nama Penilai": penilai.nama,
            "Periode": periode.label,
            "Jabatan": penilai.jabatan,
            "Unit Kerja": penilai.unit_kerja,
        },
        password,
    )
    nilai = TemplateTable(
        wb.create_sheet(NILAI.name),
        NILAI,
        "Nilai per Kriteria",
        [f"Penilai: {penilai.nama} - {periode.label}"],
    )
    scales: dict[tuple[float, float], DataValidation] = {}
    for i, employee in enumerate(subordinates):
        for c in criteria.applicable(employee.bidang):
            low, high = c.skala_min, c.skala_maks
            given: dict[str, str | float | None] = {
                "NIP": employee.nip,
                "Nama": employee.nama,
                "Kode Kriteria": c.kode,
                "Kriteria": c.nama,
                "Skala": f"{_number(low)}-{_number(high)}",
            }
            r = nilai.row(given, height=30)
            if i % 2:  # every other employee's rows are banded, in the columns given
                for header in given:
                    nilai.ws[f"{nilai.letter(header)}{r}"].fill = BAND_FILL
            if (low, high) not in scales:
                dv = DataValidation(
                    type="decimal",
                    operator="between",
                    formula1=str(low),
                    formula2=str(high),
                    showErrorMessage=True,
                    showInputMessage=True,
                    errorStyle="stop",
                    errorTitle="Nilai di luar skala",
                    error=f"Nilai harus angka antara {_number(low)} dan {_number(high)}.",
                    promptTitle=f"Skala {_number(low)}-{_number(high)}",
                    prompt=f"Isi angka {_number(low)} sampai {_number(high)}.",
                )
                nilai.ws.add_data_validation(dv)
                scales[(low, high)] = dv
            scales[(low, high)].add(f"{nilai.letter('Nilai')}{r}")
    nilai.protect(password)

    umpan = TemplateTable(
        wb.create_sheet(UMPAN_BALIK.name),
        UMPAN_BALIK,
        "Umpan Balik dan Rekomendasi",
        [f"Penilai: {penilai.nama} - {periode.label}"],
    )
    ratings = DataValidation(
        type="list",
        formula1='"' + ",".join(UMPAN_BALIK.column("Rating Hasil Kerja").choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="Rating tidak dikenal",
        error="Pilih salah satu rating dari daftar, atau kosongkan.",
        promptTitle="Ubah rating (opsional)",
        prompt="Kosongkan bila setuju dengan hasil hitungan. Bila diubah, tulis alasannya di Umpan Balik.",
    )
    umpan.ws.add_data_validation(ratings)
    first, last = umpan.letter("Rating Hasil Kerja"), umpan.letter("Rating Perilaku Kerja")
    for employee in subordinates:
        r = umpan.row({"NIP": employee.nip, "Nama": employee.nama}, height=75)
        ratings.add(f"{first}{r}:{last}{r}")
    umpan.protect(password)
    _properties(
        wb,
        Kind.PENILAIAN,
        periode,
        f"Penilaian Kinerja oleh {penilai.nama}",
        criteria.nama_instansi,
    )
    save_workbook(wb, path)
