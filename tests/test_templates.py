"""`kinerja init` and `kinerja templat`: blank workbooks that are hard to fill in wrong, and a round
trip from generated templates, filled in by a program, through `kinerja run`."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from openpyxl.packaging.custom import StringProperty
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader

from kinerja_batch.findings import Finding, Severity, Source, finding
from kinerja_batch.loading import NoProgress, load_inbox
from kinerja_batch.model import CriteriaSet, Periode, SelfReport
from kinerja_batch.pipeline import assess
from kinerja_batch.settings import Settings
from kinerja_batch.validate.criteria import read_criteria
from kinerja_batch.validate.reports import read_score_sheet, read_self_report
from kinerja_batch.validate.roster import read_roster
from kinerja_batch.workbooks.contract import WORKBOOKS, FormSheet, Kind, TableSheet
from kinerja_batch.workbooks.kinds import SHEETS, TEMPLATE_VERSION
from kinerja_batch.workbooks.reader import open_workbook

from factories import run_cli

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
KRITERIA = SAMPLE / "kriteria.xlsx"
PEGAWAI = SAMPLE / "pegawai.xlsx"
ENDANG = "197808162003082654"  # Pendidikan
ERNA = "196812091992082833"  # Endang's supervisor
INDAH = "198404112011082067"  # Administrasi Keuangan, with a 0-100 criterion (HK-AK-02)

HEAD = "196803191991061990"  # Sekretaris Daerah: nobody scores the head


def invoke(*argv: str) -> tuple[int, str]:
    return run_cli(*argv)


def data_rows(ws: Worksheet, header: str = "NIP") -> tuple[int, dict[str, int], list[int]]:
    """The header row, column numbers by header, and the data rows of a generated table sheet."""
    for row in ws.iter_rows(min_row=1, max_row=10):
        headers = {str(c.value): c.column for c in row if c.value is not None}
        if header in headers:
            first = int(row[0].row or 0)
            rows = [r for r in range(first + 1, ws.max_row + 1) if ws.cell(r, 1).value is not None]
            return first, headers, rows
    raise AssertionError(f"no header {header} in {ws.title}")


@dataclass
class RoundTrip:
    templates: Path
    inbox: Path
    out: Path
    code: int
    stdout: str


def fill_templates(templates: Path, inbox: Path) -> None:
    """Fill every generated workbook the way a person would: scores in the scale (all maximum for
    Endang's Hasil Kerja, three quarters of the scale otherwise; Perilaku Kerja all maximum), notes,
    feedback, and a self-report text."""
    inbox.mkdir(parents=True)
    for path in sorted(templates.rglob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        if path.name.startswith("penilaian_"):
            ws = wb["Nilai"]
            _, col, rows = data_rows(ws)
            for r in rows:
                nip = str(ws.cell(r, col["NIP"]).value)
                kode = str(ws.cell(r, col["Kode Kriteria"]).value)
                low, high = (float(x) for x in str(ws.cell(r, col["Skala"]).value).split("-"))
                top = kode.startswith("PK") or nip == ENDANG
                ws.cell(r, col["Nilai"]).value = high if top else low + (high - low) * 0.75
                ws.cell(r, col["Catatan"]).value = f"Catatan untuk {kode}"
            ub = wb["Umpan Balik"]
            _, col, rows = data_rows(ub)
            for r in rows:
                ub.cell(
                    r, col["Umpan Balik"]
                ).value = "Pertahankan kinerja dan bagikan praktik baik."
                ub.cell(r, col["Rekomendasi"]).value = "Lanjutkan dan perluas programnya."
        else:
            ws = wb["Capaian"]
            _, col, rows = data_rows(ws, "Kode Kriteria")
            for r in rows:
                ws.cell(r, col["Indikator"]).value = "Indikator capaian"
                ws.cell(r, col["Target"]).value = 100
                ws.cell(r, col["Realisasi"]).value = 90
                ws.cell(r, col["Uraian"]).value = "Kegiatan selesai tepat waktu bersama tim."
            tantangan = wb["Tantangan"]
            _, col, _ = data_rows(tantangan, "Tantangan")
            tantangan.cell(4, col["Tantangan"]).value = "Jaringan internet tidak stabil"
        wb.save(inbox / path.name)


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    base = tmp_path_factory.mktemp("templat")
    templates = base / "templat"
    code, out = invoke(
        "templat", "--periode", "2026-11", "--kriteria", str(KRITERIA), "--pegawai", str(PEGAWAI),
        "--out", str(templates),
    )  # fmt: skip
    assert code == 0, out
    assert "49 laporan pegawai, 16 penilaian atasan" in out
    fill_templates(templates, base / "inbox")
    code, out = invoke(
        "run", str(base / "inbox"), "--out", str(base / "hasil"),
        "--kriteria", str(KRITERIA), "--pegawai", str(PEGAWAI),
    )  # fmt: skip
    return RoundTrip(templates, base / "inbox", base / "hasil" / "2026-11", code, out)


def test_round_trip_results_match_hand_computation(round_trip: RoundTrip) -> None:
    assert round_trip.code == 0, round_trip.stdout
    assert (
        "48 pegawai dinilai, 1 belum dinilai, 0 belum ada laporan, 0 diblokir" in round_trip.stdout
    )
    assert "Temuan: 0 galat, 0 peringatan, 0 info." in round_trip.stdout
    wb = openpyxl.load_workbook(round_trip.out / "ringkasan_2026-11.xlsx")
    rows = list(wb["Pegawai"].iter_rows(values_only=True))
    col = {str(h): i for i, h in enumerate(rows[0])}
    by_nip = {str(r[0]): r for r in rows[1:]}
    # Endang: every Hasil Kerja score at the top -> 100.0; Perilaku all 5 -> 100.0
    endang = by_nip[ENDANG]
    assert (endang[col["Nilai Hasil Kerja"]], endang[col["Nilai Perilaku Kerja"]]) == (100, 100)
    assert endang[col["Predikat"]] == "Sangat Baik"
    # Indah: three quarters of every scale (4 on 1-5, 75 on 0-100) -> 75.0, Sesuai; PK 100 -> Baik
    indah = by_nip[INDAH]
    assert indah[col["Nilai Hasil Kerja"]] == 75
    assert indah[col["Rating Hasil Kerja"]] == "Sesuai Ekspektasi"
    assert indah[col["HK-AK-02 Kualitas laporan keuangan"]] == 75
    assert indah[col["Predikat"]] == "Baik"
    assert by_nip[HEAD][col["Status"]] == "Belum dinilai"
    text = " ".join(
        page.extract_text()
        for page in PdfReader(next((round_trip.out / "umpan_balik").glob(f"{ENDANG}_*.pdf"))).pages
    )
    assert "Kegiatan selesai tepat waktu bersama tim." in " ".join(text.split())


def _self_report(path: Path) -> SelfReport:
    book = open_workbook(path, path.name, SHEETS[Kind.LAPORAN], Settings().limits)
    report, findings = read_self_report(book)
    assert report is not None and [f for f in findings if f.severity != Severity.INFO] == []
    return report


def test_challenges_and_plans_of_a_template_read_as_typed(round_trip: RoundTrip) -> None:
    """The `Tantangan` sheet is titled `Tantangan`, its only required column: the title is not the
    header row, so neither it nor the name below it is read as a challenge."""
    (filled,) = round_trip.inbox.glob(f"laporan_{ENDANG}_*.xlsx")
    report = _self_report(filled)
    assert [(c.tantangan, c.dampak) for c in report.challenges] == [
        ("Jaringan internet tidak stabil", "")
    ]
    assert report.plans == ()
    (blank,) = round_trip.templates.rglob(f"laporan_{INDAH}_*.xlsx")
    assert _self_report(blank).challenges == ()  # nothing written, nothing read
    text = " ".join(
        page.extract_text()
        for page in PdfReader(next((round_trip.out / "umpan_balik").glob(f"{ENDANG}_*.pdf"))).pages
    )
    text = " ".join(text.split())
    assert "Tantangan Dampak Jaringan internet tidak stabil – Rencana Perbaikan" in text


def test_templates_are_grouped_per_unit(round_trip: RoundTrip) -> None:
    folders = sorted(p.name for p in round_trip.templates.iterdir())
    assert folders == [
        "Badan_Keuangan_Daerah",
        "Dinas_Kependudukan_dan_Pencatatan_Sipil",
        "Dinas_Pendidikan",
        "Kecamatan_Kemuning_Barat",
        "Sekretariat_Daerah",
    ]
    assert (
        round_trip.templates
        / "Dinas_Pendidikan"
        / f"laporan_{ENDANG}_Dr_Endang_Sulistyowati_M_Pd.xlsx"
    ).is_file()
    assert list((round_trip.templates / "Dinas_Pendidikan").glob(f"penilaian_{ERNA}_*.xlsx"))


def _penilaian(round_trip: RoundTrip) -> openpyxl.Workbook:
    (path,) = round_trip.templates.rglob(f"penilaian_{ERNA}_*.xlsx")
    return openpyxl.load_workbook(path)


def test_score_cells_carry_the_scale_as_data_validation(round_trip: RoundTrip) -> None:
    wb = _penilaian(round_trip)
    ws = wb["Nilai"]
    header, col, rows = data_rows(ws)
    assert ws.freeze_panes == f"A{header + 1}"
    validations = ws.data_validations.dataValidation
    for r in rows:
        ref = f"{openpyxl.utils.get_column_letter(col['Nilai'])}{r}"
        (dv,) = [v for v in validations if ref in v.sqref]
        low, high = str(ws.cell(r, col["Skala"]).value).split("-")
        assert (dv.type, dv.operator) == ("decimal", "between")
        assert (float(dv.formula1), float(dv.formula2)) == (float(low), float(high))
        assert dv.showErrorMessage and dv.errorStyle == "stop"
        assert not dv.allow_blank  # every score must be given
        assert f"antara {low} dan {high}" in str(dv.error)
        assert dv.showInputMessage and f"Isi angka {low} sampai {high}" in str(dv.prompt)


def test_only_input_cells_are_unlocked_and_nips_are_text(round_trip: RoundTrip) -> None:
    wb = _penilaian(round_trip)
    for name, editable in (
        ("Nilai", {"Nilai", "Catatan", "Ekspektasi Khusus"}),
        (
            "Umpan Balik",
            {"Umpan Balik", "Rekomendasi", "Rating Hasil Kerja", "Rating Perilaku Kerja"},
        ),
    ):
        ws = wb[name]
        assert ws.protection.sheet is True
        assert ws.protection.password is None  # no password unless the configuration sets one
        _, col, rows = data_rows(ws)
        assert rows
        for r in rows:
            for header, c in col.items():
                cell = ws.cell(r, c)
                assert cell.protection.locked is (header not in editable), (name, header, r)
            nip = ws.cell(r, col["NIP"])
            assert isinstance(nip.value, str) and len(nip.value) == 18
            assert nip.number_format == "@" and nip.data_type == "s"
    identitas = wb["Identitas"]
    assert identitas.protection.sheet is True
    assert [identitas.cell(r, 1).value for r in (1, 2, 3)] == [
        "NIP Penilai",
        "Nama Penilai",
        "Periode",
    ]
    assert identitas.cell(1, 2).value == ERNA and identitas.cell(3, 2).value == "November 2026"


def test_rating_overrides_offer_a_dropdown(round_trip: RoundTrip) -> None:
    ws = _penilaian(round_trip)["Umpan Balik"]
    _, col, rows = data_rows(ws)
    letter = openpyxl.utils.get_column_letter(col["Rating Hasil Kerja"])
    (dv,) = [v for v in ws.data_validations.dataValidation if f"{letter}{rows[0]}" in v.sqref]
    assert dv.type == "list"
    assert dv.formula1 == '"Di Atas Ekspektasi,Sesuai Ekspektasi,Di Bawah Ekspektasi"'
    assert dv.allow_blank and "alasannya" in str(dv.prompt)
    assert ws.cell(rows[0], col["Umpan Balik"]).alignment.wrap_text


def test_self_report_template(round_trip: RoundTrip) -> None:
    (path,) = round_trip.templates.rglob(f"laporan_{ENDANG}_*.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Petunjuk", "Identitas", "Capaian", "Tantangan", "Rencana Perbaikan"]
    ws = wb["Capaian"]
    _, col, rows = data_rows(ws, "Kode Kriteria")
    codes = [ws.cell(r, col["Kode Kriteria"]).value for r in rows]
    assert codes == ["HK-PD-01", "HK-PD-02", "HK-PD-03", "HK-PD-04"]
    assert (
        ws.cell(rows[0], col["Kriteria"]).value == "Dampak pelatihan guru terhadap metode mengajar"
    )
    assert ws.cell(rows[0], col["Kode Kriteria"]).protection.locked
    assert not ws.cell(rows[0], col["Realisasi"]).protection.locked
    # Every validated input may be left blank (LibreOffice marks a blank cell whose validation
    # does not allow blanks as invalid): Target, Realisasi, and the extra rows' codes.
    validations = ws.data_validations.dataValidation
    assert {dv.type for dv in validations} == {"decimal", "list"}
    assert all(dv.allow_blank for dv in validations)
    identitas = wb["Identitas"]
    assert identitas.cell(1, 2).value == ENDANG and identitas.cell(1, 2).data_type == "s"
    guide = " ".join(str(c.value) for c in wb["Petunjuk"]["A"] if c.value)
    assert "Isi hanya sel berwarna krem" in guide and "Realisasi (angka saja" in guide
    with zipfile.ZipFile(path) as z:
        custom = z.read("docProps/custom.xml").decode()
    assert "kinerja-templat" in custom and ">laporan<" in custom
    assert f">{TEMPLATE_VERSION}<" in custom and ">2026-11<" in custom


def test_a_password_from_the_configuration_protects_the_sheets(tmp_path: Path) -> None:
    folder = tmp_path / "kantor"
    invoke("init", str(folder))
    config = folder / "kinerja.toml"
    config.write_text(config.read_text().replace('kata_sandi = ""', 'kata_sandi = "rahasia"', 1))
    with contextlib.chdir(folder):
        code, out = invoke("templat", "--periode", "2026-11")
    assert code == 0, out
    (path,) = (folder / "templat" / "2026-11").rglob("penilaian_*.xlsx")
    ws = openpyxl.load_workbook(path)["Nilai"]
    assert ws.protection.sheet and ws.protection.password  # stored as Excel's hash


def test_old_template_version_is_warned_about(tmp_path: Path, round_trip: RoundTrip) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(round_trip.inbox, inbox)
    (path,) = inbox.glob(f"penilaian_{ERNA}_*.xlsx")
    wb = openpyxl.load_workbook(path)
    for prop in wb.custom_doc_props:  # type: ignore[attr-defined]
        if prop.name == "kinerja-versi":
            prop.value = 0
    wb.save(path)
    loaded = load_inbox(inbox, Settings(), NoProgress(), standing=[KRITERIA, PEGAWAI])
    outcome = assess(loaded, Periode(2026, 11), requested=True)
    f = next(f for f in outcome.findings if f.code == "templat-versi")
    assert (
        f.file == path.name and "versi 0" in f.message and f"adalah {TEMPLATE_VERSION}" in f.message
    )
    assert len(outcome.results) == 48  # still read


@pytest.mark.parametrize("version", [None, "", "1.0"])
def test_a_template_version_dropped_or_respelled_is_not_warned_about(
    tmp_path: Path, round_trip: RoundTrip, version: str | None
) -> None:
    """Gnumeric drops (or blanks) custom properties; some programs store 1 as 1.0. The workbook is
    read by its sheets like any other: nothing to warn about, nothing for people to fix."""
    inbox = tmp_path / "inbox"
    shutil.copytree(round_trip.inbox, inbox)
    (path,) = inbox.glob(f"penilaian_{ERNA}_*.xlsx")
    wb = openpyxl.load_workbook(path)
    props = wb.custom_doc_props  # type: ignore[attr-defined]
    (prop,) = [p for p in props if p.name == "kinerja-versi"]
    props.props.remove(prop)
    if version is not None:
        props.append(StringProperty(name="kinerja-versi", value=version))
    wb.save(path)
    loaded = load_inbox(inbox, Settings(), NoProgress(), standing=[KRITERIA, PEGAWAI])
    assert [f for f in loaded.findings if f.code == "templat-versi"] == []


def test_libreoffice_opens_the_generated_workbooks(tmp_path: Path, round_trip: RoundTrip) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui"
        )
    (penilaian,) = round_trip.templates.rglob(f"penilaian_{ERNA}_*.xlsx")
    (laporan,) = round_trip.templates.rglob(f"laporan_{ENDANG}_*.xlsx")
    profile = tmp_path / "profile"
    for source in (penilaian, laporan):
        done = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "ods",
             "--outdir", str(tmp_path), str(source)],
            capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
        converted = tmp_path / (source.stem + ".ods")
        assert done.returncode == 0 and converted.is_file(), done.stderr
        book = python_calamine.CalamineWorkbook.from_path(str(converted))
        identitas = book.get_sheet_by_name("Identitas").to_python()
        assert identitas[0][1] in (ERNA, ENDANG)
        assert identitas[2][1] == "November 2026"


def test_init_creates_a_working_folder_and_never_overwrites(tmp_path: Path) -> None:
    folder = tmp_path / "kantor"
    code, out = invoke("init", str(folder), "--instansi", "Pemerintah Kota Contoh")
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "inbox",
        "kinerja.toml",
        "kriteria.xlsx",
        "log",
        "pegawai.xlsx",
    ]
    assert 'nama = "Pemerintah Kota Contoh"' in (folder / "kinerja.toml").read_text()
    kriteria = openpyxl.load_workbook(folder / "kriteria.xlsx")
    assert "Petunjuk" in kriteria.sheetnames
    names = [r[3] for r in kriteria["Kriteria"].iter_rows(min_row=3, values_only=True)]
    for value in (
        "Berorientasi Pelayanan",
        "Akuntabel",
        "Kompeten",
        "Harmonis",
        "Loyal",
        "Adaptif",
        "Kolaboratif",
    ):
        assert value in names
    assert kriteria["Pengaturan"]["B1"].value == "Pemerintah Kota Contoh"
    pegawai = openpyxl.load_workbook(folder / "pegawai.xlsx")
    assert pegawai["Pegawai"]["A500"].number_format == "@"  # NIPs typed later stay text
    # A second init keeps every file as it is.
    (folder / "kriteria.xlsx").write_bytes(b"changed by HR")
    code, out = invoke("init", str(folder))
    assert code == 0
    assert "Sudah ada, tidak diubah" in out
    assert (folder / "kriteria.xlsx").read_bytes() == b"changed by HR"


def test_from_empty_folder_to_a_run(tmp_path: Path) -> None:
    """init -> templat -> fill -> run, inside the working folder, with no paths on the command line."""
    folder = tmp_path / "kantor"
    invoke("init", str(folder))
    with contextlib.chdir(folder):
        code, out = invoke("templat", "--periode", "2026-11")
        assert code == 0, out
        assert "2 laporan pegawai, 1 penilaian atasan" in out
        code, out = invoke("templat", "--periode", "2026-11")
        assert "3 berkas sudah ada dan tidak diubah" in out
        fill_templates(folder / "templat" / "2026-11", folder / "inbox" / "november")
        code, out = invoke("run", "--periode", "2026-11")
    assert code == 0, out
    assert "Periode November 2026: 1 pegawai dinilai" in out
    assert (folder / "hasil" / "2026-11" / "ringkasan_2026-11.xlsx").is_file()


def test_templat_stops_like_run_on_invalid_criteria(tmp_path: Path) -> None:
    folder = tmp_path / "kantor"
    invoke("init", str(folder))
    wb = openpyxl.load_workbook(folder / "kriteria.xlsx")
    wb["Kriteria"]["E3"] = 10  # HK-PM-01 weight 50 -> 10: Pelayanan Masyarakat sums to 60
    wb.save(folder / "kriteria.xlsx")
    with contextlib.chdir(folder):
        code, out = invoke("templat", "--periode", "2026-11")
    assert code == 2
    assert "(bobot-tidak-100)" in out
    assert not (folder / "templat").exists()


def test_templat_outside_a_working_folder_needs_paths(tmp_path: Path) -> None:
    with contextlib.chdir(tmp_path):
        code, out = invoke("templat", "--periode", "2026-11")
    assert code == 2
    assert "--kriteria" in out and "kinerja init" in out


# --- the declared contract ------------------------------------------------------------------------

# CONTRACT.md v1, per kind and sheet: (required, optional) headers or labels. The contract is public:
# nothing here may be renamed or dropped, and whatever is added later must be optional.
V1: dict[Kind, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    Kind.KRITERIA: {
        "Kriteria": (
            ("Kode", "Jenis", "Bidang", "Kriteria", "Bobot"),
            ("Skala Min", "Skala Maks", "Deskripsi"),
        ),
        "Ambang": (("Jenis", "Di Atas Ekspektasi", "Sesuai Ekspektasi"), ()),
        "Pengaturan": ((), ("Nama Instansi", "Predikat Kinerja Organisasi")),
    },
    Kind.PEGAWAI: {
        "Pegawai": (("NIP", "Nama", "Jabatan", "Unit Kerja", "Bidang"), ("NIP Atasan", "Email")),
    },
    Kind.LAPORAN: {
        "Identitas": (
            ("NIP", "Nama", "Periode"),
            ("Jabatan", "Unit Kerja", "Bidang", "Atasan Langsung"),
        ),
        "Capaian": (
            ("Kode Kriteria", "Indikator", "Target", "Realisasi"),
            ("Kriteria", "Satuan", "Uraian", "Bukti"),
        ),
        "Tantangan": (("Tantangan",), ("Dampak",)),
        "Rencana Perbaikan": (("Rencana",), ("Target Waktu",)),
    },
    Kind.PENILAIAN: {
        "Identitas": (("NIP Penilai", "Nama Penilai", "Periode"), ("Jabatan", "Unit Kerja")),
        "Nilai": (("NIP", "Kode Kriteria", "Nilai"), ("Catatan", "Nama", "Kriteria", "Skala")),
        "Umpan Balik": (
            ("NIP", "Umpan Balik"),
            ("Rekomendasi", "Rating Hasil Kerja", "Rating Perilaku Kerja", "Nama"),
        ),
    },
}
V1_MARKERS = {
    Kind.KRITERIA: "Kriteria",
    Kind.PEGAWAI: "Pegawai",
    Kind.LAPORAN: "Capaian",
    Kind.PENILAIAN: "Nilai",
}
V1_REQUIRED_SHEETS = {"Kriteria", "Pegawai", "Identitas", "Capaian", "Nilai"}
# Shown in the templates for people, never read (docs/format.md, v1.1).
V1_INFORMATIONAL = {
    ("Capaian", "Kriteria"),
    ("Nilai", "Nama"),
    ("Nilai", "Kriteria"),
    ("Nilai", "Skala"),
    ("Umpan Balik", "Nama"),
}


def _names(sheet: TableSheet | FormSheet) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required, every) header or label of a declared sheet."""
    if isinstance(sheet, TableSheet):
        return sheet.required_headers, sheet.headers
    return sheet.required_labels, tuple(x.label for x in sheet.labels)


def test_the_declaration_keeps_the_v1_contract() -> None:
    assert list(WORKBOOKS) == list(V1)
    for kind, sheets in V1.items():
        book = WORKBOOKS[kind]
        assert book.marker == V1_MARKERS[kind]
        assert [s.name for s in book.sheets][: len(sheets)] == list(sheets)
        for declared in book.sheets:
            assert declared.required is (declared.name in V1_REQUIRED_SHEETS), declared.name
            required, every = _names(declared)
            if declared.name not in sheets:  # a sheet added later is optional (checked above)
                continue
            v1_required, v1_optional = sheets[declared.name]
            assert required == v1_required, declared.name  # a new required column breaks old files
            assert set(v1_optional) <= set(every) - set(required), declared.name
            if isinstance(declared, TableSheet):
                shown = {c.header for c in declared.columns if c.informational}
                assert shown == {h for s, h in V1_INFORMATIONAL if s == declared.name}
    assert SHEETS[Kind.LAPORAN] == ("Identitas", "Capaian", "Tantangan", "Rencana Perbaikan")


@pytest.fixture(scope="module")
def blank_books(
    round_trip: RoundTrip, tmp_path_factory: pytest.TempPathFactory
) -> dict[Kind, Path]:
    """One blank workbook of each kind, as `kinerja init` and `kinerja templat` write them."""
    folder = tmp_path_factory.mktemp("blank") / "kantor"
    code, out = invoke("init", str(folder))
    assert code == 0, out
    (laporan,) = round_trip.templates.rglob(f"laporan_{ENDANG}_*.xlsx")
    (penilaian,) = round_trip.templates.rglob(f"penilaian_{ERNA}_*.xlsx")
    return {
        Kind.KRITERIA: folder / "kriteria.xlsx",
        Kind.PEGAWAI: folder / "pegawai.xlsx",
        Kind.LAPORAN: laporan,
        Kind.PENILAIAN: penilaian,
    }


def _header_row(ws: Worksheet, declared: TableSheet) -> int:
    """The row that reads exactly the declared headers, in the declared order."""
    for row in ws.iter_rows(min_row=1, max_row=10):
        if tuple(c.value for c in row if c.value is not None) == declared.headers:
            return int(row[0].row or 0)
    raise AssertionError(f"no row of {ws.title} reads {declared.headers}")


def _read(kind: Kind, path: Path, blank_books: dict[Kind, Path]) -> list[Finding]:
    """The findings the kind's validator makes on `path`."""
    settings = Settings()
    book = open_workbook(path, path.name, SHEETS[kind], settings.limits)
    if kind is Kind.KRITERIA:
        return read_criteria(book, settings)[1]
    if kind is Kind.PEGAWAI:
        return read_roster(book, _starter_criteria(blank_books), settings.weight_tolerance)[1]
    if kind is Kind.LAPORAN:
        return read_self_report(book)[1]
    return read_score_sheet(book)[1]


def _starter_criteria(blank_books: dict[Kind, Path]) -> CriteriaSet:
    path, settings = blank_books[Kind.KRITERIA], Settings()
    criteria, findings = read_criteria(
        open_workbook(path, path.name, SHEETS[Kind.KRITERIA], settings.limits), settings
    )
    assert criteria is not None, findings
    return criteria


@pytest.mark.parametrize("kind", list(Kind))
def test_blank_workbooks_are_written_from_the_declaration(
    blank_books: dict[Kind, Path], kind: Kind
) -> None:
    wb = openpyxl.load_workbook(blank_books[kind])
    assert wb.sheetnames == ["Petunjuk", *(s.name for s in WORKBOOKS[kind].sheets)]
    for ws in wb.worksheets:  # A4, one page wide; landscape where the columns are wide
        setup = ws.page_setup
        assert (setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (9, 1, 0), ws.title
        fit = ws.sheet_properties.pageSetUpPr
        assert fit is not None and fit.fitToPage, ws.title
        width = sum(ws.column_dimensions[c].width for c in ws.column_dimensions)
        assert setup.orientation == ("landscape" if width > 100 else "portrait"), ws.title
    for declared in WORKBOOKS[kind].sheets:
        ws = wb[declared.name]
        if isinstance(declared, FormSheet):
            labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
            assert labels == [x.label for x in declared.labels]
            widths = (ws.column_dimensions["A"].width, ws.column_dimensions["B"].width)
            assert widths == (declared.label_width, declared.value_width)
            continue
        header = _header_row(ws, declared)
        assert ws.freeze_panes == f"A{header + 1}"
        assert ws.print_title_rows == f"${header}:${header}"  # repeated on every printed page
        for c, col in enumerate(declared.columns, start=1):
            letter = openpyxl.utils.get_column_letter(c)
            assert ws.column_dimensions[letter].width == col.width, (declared.name, col.header)
            first = ws.cell(header + 1, c)  # the first row to fill in (or an example row)
            assert bool(first.alignment.wrap_text) is col.wrap, (declared.name, col.header)
            assert (first.number_format == "@") is col.text, (declared.name, col.header)
    noise = {"kolom-tidak-dikenal", "kolom-wajib-tidak-ada", "isian-wajib-tidak-ada"}
    noise |= {"sheet-wajib-tidak-ada", "sheet-tidak-ada"}
    found = _read(kind, blank_books[kind], blank_books)
    assert [f for f in found if f.code in noise] == []


REQUIRED_NAMES = [
    pytest.param(kind, sheet.name, name, id=f"{kind.value}-{sheet.name}-{name}")
    for kind, book in WORKBOOKS.items()
    for sheet in book.sheets
    for name in _names(sheet)[0]
]


@pytest.mark.parametrize(("kind", "sheet_name", "name"), REQUIRED_NAMES)
def test_the_validators_require_what_the_declaration_requires(
    blank_books: dict[Kind, Path], tmp_path: Path, kind: Kind, sheet_name: str, name: str
) -> None:
    """A blank workbook with one declared-required header (or label) removed is refused, naming
    that header and the declared required ones."""
    declared = WORKBOOKS[kind].sheet(sheet_name)
    path = tmp_path / blank_books[kind].name
    wb = openpyxl.load_workbook(blank_books[kind])
    ws = wb[sheet_name]
    if isinstance(declared, FormSheet):
        (row,) = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == name]
        ws.cell(row, 1).value = None
        expected = finding("isian-wajib-tidak-ada", Source(), label=name)
    else:
        header = _header_row(ws, declared)
        ws.cell(header, declared.headers.index(name) + 1).value = None
        # The title above the table goes too: a title that happens to be a required header
        # (`Tantangan`) would otherwise be taken for the header row.
        for r in range(1, header):
            for c in range(1, ws.max_column + 1):
                ws.cell(r, c).value = None
        required = ", ".join(declared.required_headers)
        expected = finding("kolom-wajib-tidak-ada", Source(), columns=name, required=required)
    wb.save(path)
    found = [f for f in _read(kind, path, blank_books) if f.code == expected.code]
    assert [(f.sheet, f.message) for f in found] == [(ws.title, expected.message)]
