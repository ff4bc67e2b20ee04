"""Every finding code, planted by a fixture factory, found at its file, sheet and cell."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from kinerja_batch.findings import CATALOGUE, Finding, RunStopped, Severity, Source
from kinerja_batch.loading import NoProgress, load_inbox
from kinerja_batch.model import Periode, PeriodOutcome, ScoreSheet, SelfReport, Status
from kinerja_batch.pipeline import assess
from kinerja_batch.settings import Settings
from kinerja_batch.validate.period import cross_check

from factories import (
    EXPECTED,
    FLAWS,
    KRITERIA,
    LAPORAN_E1,
    LAPORAN_E2,
    NILAI_A,
    NIP_E1,
    NIP_E2,
    PEGAWAI,
    InboxSpec,
    valid_inbox,
    write_with_specials,
)

NOVEMBER = Periode(2026, 11)


def outcome_of(spec: InboxSpec, folder: Path) -> PeriodOutcome:
    write_with_specials(spec, folder)
    inbox = load_inbox(folder, Settings(), NoProgress())
    return assess(inbox, NOVEMBER, requested=True)


def status(outcome: PeriodOutcome, nip: str) -> Status:
    return next(o.status for o in outcome.outcomes if o.employee.nip == nip)


def test_valid_inbox_has_no_findings_and_hand_computed_results(tmp_path: Path) -> None:
    outcome = outcome_of(valid_inbox(), tmp_path)
    assert [f for f in outcome.findings if f.severity is not Severity.INFO] == []
    for result in outcome.results:
        expected = EXPECTED[result.employee.nip]
        got = (
            result.hasil.value,
            result.hasil.rating.value,
            result.perilaku.value,
            result.perilaku.rating.value,
            result.predikat.value,
        )
        assert got == expected
    assert {r.employee.nip for r in outcome.results} == {NIP_E1, NIP_E2}
    statuses = {o.employee.nama: o.status for o in outcome.outcomes}
    assert statuses["Made Wirawan, A.Md."] is Status.BELUM_ADA_LAPORAN
    assert statuses["Ayu Lestari, S.Sos."] is Status.BELUM_ADA_LAPORAN


@pytest.mark.parametrize("name", sorted(FLAWS))
def test_each_flaw_gives_its_finding(name: str, tmp_path: Path) -> None:
    spec = valid_inbox()
    expected = FLAWS[name](spec)
    outcome = outcome_of(spec, tmp_path / "inbox")
    matches = [f for f in outcome.findings if f.code == expected.code]
    places = [(f.file, f.sheet, f.cell) for f in matches]
    assert (expected.file, expected.sheet, expected.cell) in places, (
        f"{expected.code} expected at {expected}, found {places}; all: "
        f"{[(f.code, f.file, f.sheet, f.cell) for f in outcome.findings]}"
    )
    found = matches[places.index((expected.file, expected.sheet, expected.cell))]
    assert found.severity is CATALOGUE[expected.code].severity
    assert found.message and "{" not in found.message  # every placeholder was filled
    for text in expected.says:
        assert text in found.message, (text, found.message)
    if expected.blocks:
        assert status(outcome, expected.blocks) is Status.DIBLOKIR
        assert expected.blocks not in {r.employee.nip for r in outcome.results}
    # One bad workbook never stops the others: an employee the flaw does not touch is evaluated.
    untouched = {NIP_E1, NIP_E2} - {expected.blocks}
    if name not in ("nip_typed_as_number", "scored_twice_in_two_books"):
        assert any(status(outcome, nip) is Status.DINILAI for nip in untouched)


def test_nip_typed_as_number_message_says_how_to_fix(tmp_path: Path) -> None:
    spec = valid_inbox()
    FLAWS["nip_typed_as_number"](spec)
    outcome = outcome_of(spec, tmp_path)
    f = next(f for f in outcome.findings if f.code == "nip-angka")
    assert "1.99505E+17" in f.message
    assert "Teks" in f.message and "ketik ulang" in f.message
    # E2's row with the broken NIP is lost, so E2's scores are incomplete and E2 is blocked.
    assert status(outcome, NIP_E2) is Status.DIBLOKIR
    assert status(outcome, NIP_E1) is Status.DINILAI


def test_override_is_applied_and_recorded(tmp_path: Path) -> None:
    spec = valid_inbox()
    spec.sheet("penilaian_a.xlsx", "Umpan Balik")[2] = [
        NIP_E2,
        "Capaian lapangan melebihi angka karena menangani dua loket.",
        "",
        "Diatas Ekspektasi",
        None,
    ]
    outcome = outcome_of(spec, tmp_path)
    result = next(r for r in outcome.results if r.employee.nip == NIP_E2)
    assert result.hasil.computed_rating.value == "Sesuai Ekspektasi"
    assert result.hasil.rating.value == "Di Atas Ekspektasi"
    assert result.predikat.value == "Baik"


def test_other_period_is_reported_and_not_used(tmp_path: Path) -> None:
    spec = valid_inbox()
    spec.sheet("laporan_e1.xlsx", "Identitas")[2][1] = "Oktober 2026"
    outcome = outcome_of(spec, tmp_path)
    f = next(f for f in outcome.findings if f.code == "periode-lain")
    assert (f.file, f.severity) == ("laporan_e1.xlsx", Severity.PERINGATAN)
    assert (f.sheet, f.cell) == ("Identitas", "B3")  # the Periode cell
    assert "Oktober 2026" in f.message and "November 2026" in f.message
    assert "laporan-tidak-ada" in {x.code for x in outcome.findings if x.nip == NIP_E1}


def _stop(spec: InboxSpec, folder: Path) -> list[Finding]:
    write_with_specials(spec, folder)
    with pytest.raises(RunStopped) as info:
        load_inbox(folder, Settings(), NoProgress())
    return list(info.value.findings)


Edit = Callable[[InboxSpec], None]


def _set(file: str, sheet: str, row: int, col: int, value: object) -> Edit:
    def edit(spec: InboxSpec) -> None:
        spec.sheet(file, sheet)[row][col] = value

    return edit


def _both(first: Edit, second: Edit) -> Edit:
    def edit(spec: InboxSpec) -> None:
        first(spec)
        second(spec)

    return edit


@pytest.mark.parametrize(
    ("edit", "code", "sheet", "cell"),
    [
        # The sum of a bidang's weights: at the Bobot cell of its first row (E3: HK-PM-01)...
        (_set(KRITERIA, "Kriteria", 2, 4, 50), "bobot-tidak-100", "Kriteria", "E3"),
        # ... or of the first `Semua` row where the bidang has no rows of that Jenis (E7: PK-01).
        (_set(KRITERIA, "Kriteria", 6, 4, 40), "bobot-tidak-100", "Kriteria", "E7"),
        # HK-PM-01 moved to Perilaku Kerja: Hasil Kerja is HK-PM-02 (E4) alone.
        (_set(KRITERIA, "Kriteria", 2, 1, "Perilaku Kerja"), "bobot-tidak-100", "Kriteria", "E4"),
        (
            _set(KRITERIA, "Kriteria", 2, 1, "Kinerja"),
            "jenis-kriteria-tidak-valid",
            "Kriteria",
            "B3",
        ),
        (_set(KRITERIA, "Kriteria", 2, 4, 0), "bobot-tidak-positif", "Kriteria", "E3"),
        (_set(KRITERIA, "Kriteria", 2, 4, "enam puluh"), "bukan-angka", "Kriteria", "E3"),
        (_set(KRITERIA, "Kriteria", 2, 5, 5), "skala-tidak-valid", "Kriteria", "F3"),
        # Skala Min left blank (1): the Skala Maks typed is the fault.
        (
            _both(_set(KRITERIA, "Kriteria", 2, 5, None), _set(KRITERIA, "Kriteria", 2, 6, "0,5")),
            "skala-tidak-valid",
            "Kriteria",
            "G3",
        ),
        (_set(KRITERIA, "Kriteria", 3, 0, "HK-PM-01"), "kode-ganda", "Kriteria", "A4"),
        # Sesuai Ekspektasi above Di Atas Ekspektasi: at the Sesuai cell; out of 0-100: at that one.
        (_set(KRITERIA, "Ambang", 1, 2, 90), "ambang-tidak-valid", "Ambang", "C2"),
        (_set(KRITERIA, "Ambang", 1, 1, 120), "ambang-tidak-valid", "Ambang", "B2"),
        (_set(KRITERIA, "Kriteria", 2, 3, None), "isian-kosong", "Kriteria", "D3"),
    ],
)
def test_invalid_criteria_stop_the_run(
    edit: Edit, code: str, sheet: str, cell: str, tmp_path: Path
) -> None:
    spec = valid_inbox()
    edit(spec)
    findings = _stop(spec, tmp_path)
    assert (code, KRITERIA, sheet, cell) in [(f.code, f.file, f.sheet, f.cell) for f in findings]


def test_weights_message_names_bidang_jenis_and_total(tmp_path: Path) -> None:
    spec = valid_inbox()
    _set(KRITERIA, "Kriteria", 2, 4, 50)(spec)
    f = next(f for f in _stop(spec, tmp_path) if f.code == "bobot-tidak-100")
    assert "Hasil Kerja" in f.message and "Pelayanan Masyarakat" in f.message and "90" in f.message
    assert "(2 kriteria: HK-PM-01, HK-PM-02)" in f.message  # the rows that make the sum


def test_repeated_criterion_code_names_the_first(tmp_path: Path) -> None:
    spec = valid_inbox()
    _set(KRITERIA, "Kriteria", 3, 0, "HK-PM-01")(spec)
    f = next(f for f in _stop(spec, tmp_path) if f.code == "kode-ganda")
    assert (f.cell, f.value) == ("A4", "HK-PM-01") and "juga di sel A3" in f.message


@pytest.mark.parametrize(
    ("drop", "add", "code"),
    [
        (KRITERIA, None, "kriteria-tidak-ada"),
        (PEGAWAI, None, "pegawai-tidak-ada"),
        (None, ("kriteria_lama.xlsx", KRITERIA), "kriteria-ganda"),
        (None, ("pegawai_lama.xlsx", PEGAWAI), "pegawai-ganda"),
    ],
)
def test_missing_or_doubled_criteria_and_roster_stop_the_run(
    drop: str | None, add: tuple[str, str] | None, code: str, tmp_path: Path
) -> None:
    spec = valid_inbox()
    if drop:
        del spec.books[drop]
    if add:  # an older version: its first sheet's title differs (identical copies are one input)
        older = copy.deepcopy(spec.books[add[1]])
        first = next(iter(older.sheets.values()))
        first.insert(0, ["Versi lama"])
        spec.books[add[0]] = older
    assert code in {f.code for f in _stop(spec, tmp_path)}


def test_bidang_covered_by_semua_alone_is_valid(tmp_path: Path) -> None:
    spec = valid_inbox()
    rows = spec.sheet(KRITERIA, "Kriteria")
    rows.append(["HK-ALL", "Hasil Kerja", "Semua", "Capaian umum", 100, 1, 5, ""])
    for row in rows[2:6]:  # the bidang's own Hasil Kerja rows go; only `Semua` remains
        row[2] = "Lainnya"
    spec.sheet(PEGAWAI, "Pegawai")[3][4] = "Bidang Baru"
    write_with_specials(spec, tmp_path)
    inbox = load_inbox(tmp_path, Settings(), NoProgress())
    assert "bidang-tidak-dikenal" not in {f.code for f in inbox.findings}


@pytest.mark.parametrize(
    ("copy_name", "original"),
    [
        ("salinan_laporan_e1.xlsx", LAPORAN_E1),
        ("laporan_e2 (1).xlsx", LAPORAN_E2),
        ("penilaian_a - Copy.xlsx", NILAI_A),
        ("kriteria (1).xlsx", KRITERIA),  # two criteria workbooks would stop the run
    ],
)
def test_identical_copies_are_one_input(copy_name: str, original: str, tmp_path: Path) -> None:
    spec = valid_inbox()
    spec.copies[copy_name] = original
    outcome = outcome_of(spec, tmp_path)
    assert [f for f in outcome.findings if f.severity is not Severity.INFO] == []
    assert {r.employee.nip for r in outcome.results} == {NIP_E1, NIP_E2}
    (note,) = [f for f in outcome.findings if f.code == "berkas-salinan"]
    assert (note.file, note.sheet, note.cell, note.value) == (copy_name, "", "", original)
    assert original in note.message and "sama persis" in note.message


def test_the_shorter_name_of_identical_files_is_used(tmp_path: Path) -> None:
    spec = valid_inbox()
    spec.books["laporan_e1 (2).xlsx"] = spec.books.pop(LAPORAN_E1)
    spec.copies[LAPORAN_E1] = "laporan_e1 (2).xlsx"
    spec.sheet("laporan_e1 (2).xlsx", "Identitas")[1][1] = "Siti Rahma"  # a finding to place
    outcome = outcome_of(spec, tmp_path)
    (note,) = [f for f in outcome.findings if f.code == "berkas-salinan"]
    assert (note.file, note.value) == ("laporan_e1 (2).xlsx", LAPORAN_E1)
    (name,) = [f for f in outcome.findings if f.code == "nama-tidak-cocok"]
    assert (name.file, name.sheet, name.cell) == (LAPORAN_E1, "Identitas", "B2")


def test_criteria_and_roster_named_from_inside_the_inbox_are_read_once(tmp_path: Path) -> None:
    inbox = write_with_specials(valid_inbox(), tmp_path)
    standing = [inbox / KRITERIA, inbox / PEGAWAI]  # `run inbox --kriteria inbox/kriteria.xlsx`
    loaded = load_inbox(inbox, Settings(), NoProgress(), standing=standing)
    assert loaded.findings == [] and loaded.files_seen == 5


def test_each_person_workbook_knows_its_period_cell(tmp_path: Path) -> None:
    spec = valid_inbox()
    spec.sheet(LAPORAN_E1, "Identitas")[2][1] = "bulan depan"  # unreadable: no record
    loaded = load_inbox(write_with_specials(spec, tmp_path), Settings(), NoProgress())
    cells = {
        pf.name: (pf.periode, pf.periode_source.sheet, pf.periode_source.cell)
        for pf in loaded.person_files
    }
    assert cells[LAPORAN_E1] == (None, "Identitas", "B3")
    assert cells[NILAI_A] == (NOVEMBER, "Identitas", "B3")


def test_two_versions_of_a_report_each_say_how_they_differ(tmp_path: Path) -> None:
    spec = valid_inbox()
    FLAWS["report_twice"](spec)
    outcome = outcome_of(spec, tmp_path)
    found = {f.file: f for f in outcome.findings if f.code == "laporan-ganda"}
    assert set(found) == {LAPORAN_E1, "laporan_e1_revisi.xlsx"}
    mine, theirs = found[LAPORAN_E1], found["laporan_e1_revisi.xlsx"]
    assert (mine.sheet, mine.cell, mine.value) == ("Capaian", "D2", "92")
    assert (theirs.sheet, theirs.cell, theirs.value) == ("Capaian", "D2", "95")
    assert (
        "Berkas ini berbeda dengan laporan_e1_revisi.xlsx di sheet Capaian (1 sel, pertama di D2) "
        "dan sheet Tantangan (2 sel, pertama di A3)." in mine.message
    )
    assert "berbeda dengan laporan_e1.xlsx di sheet Capaian" in theirs.message
    assert mine.nip == theirs.nip == NIP_E1 and status(outcome, NIP_E1) is Status.DIBLOKIR
    # Blocked for the conflict, not reported as missing a self-report.
    assert "laporan-tidak-ada" not in {f.code for f in outcome.findings if f.nip == NIP_E1}
    assert status(outcome, NIP_E2) is Status.DINILAI


def test_two_versions_with_the_same_values_say_so(tmp_path: Path) -> None:
    spec = valid_inbox()
    write_with_specials(spec, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / LAPORAN_E1)
    wb.properties.title = "Laporan Siti"  # saved again: other bytes, the same cells
    wb.save(tmp_path / "laporan_e1_lagi.xlsx")
    outcome = assess(load_inbox(tmp_path, Settings(), NoProgress()), NOVEMBER, requested=True)
    found = [f for f in outcome.findings if f.code == "laporan-ganda"]
    assert {(f.file, f.sheet, f.cell) for f in found} == {
        (LAPORAN_E1, "", ""),
        ("laporan_e1_lagi.xlsx", "", ""),
    }
    assert all("hanya format atau properti berkas" in f.message for f in found)


def test_two_versions_of_a_score_workbook_block_every_employee_they_score(
    tmp_path: Path,
) -> None:
    spec = valid_inbox()
    FLAWS["scored_twice_in_two_books"](spec)
    outcome = outcome_of(spec, tmp_path)
    places = sorted(
        (f.file, f.cell, f.nip) for f in outcome.findings if f.code == "penilaian-ganda"
    )
    assert places == [
        (NILAI_A, "A2", NIP_E1),
        (NILAI_A, "A6", NIP_E2),
        ("penilaian_a_salinan.xlsx", "A2", NIP_E1),
        ("penilaian_a_salinan.xlsx", "A6", NIP_E2),
    ]
    assert outcome.results == ()


def test_cross_check_given_two_reports_of_one_employee_uses_neither(tmp_path: Path) -> None:
    """Reading resolves versions; cross_check still refuses two it is handed directly."""
    loaded = load_inbox(write_with_specials(valid_inbox(), tmp_path), Settings(), NoProgress())
    reports = [pf.record for pf in loaded.person_files if isinstance(pf.record, SelfReport)]
    sheets = [pf.record for pf in loaded.person_files if isinstance(pf.record, ScoreSheet)]
    e1 = next(r for r in reports if r.nip == NIP_E1)
    again = replace(
        e1,
        source_file="laporan_e1_lagi.xlsx",
        nip_source=Source("laporan_e1_lagi.xlsx", "Identitas", "B1"),
    )
    inputs = cross_check(loaded.criteria, loaded.roster, [*reports, again], sheets)
    places = sorted((f.file, f.sheet, f.cell) for f in inputs.findings if f.code == "laporan-ganda")
    assert places == [(LAPORAN_E1, "Identitas", "B1"), ("laporan_e1_lagi.xlsx", "Identitas", "B1")]
    assert NIP_E1 not in inputs.reports
    assert "laporan-tidak-ada" not in {f.code for f in inputs.findings}


def test_lowest_score_needs_a_note_and_top_score_does_not(tmp_path: Path) -> None:
    spec = valid_inbox()
    rows = spec.sheet(NILAI_A, "Nilai")
    rows[5][2:4] = [1, "Loket sering ditutup tanpa pemberitahuan"]  # C6: lowest, with a reason
    rows[6][2:4] = [1, "  "]  # C7: lowest, a note of spaces only
    rows[2][2:4] = [5, ""]  # C3: top of the scale without a note (a pattern is calibration's)
    outcome = outcome_of(spec, tmp_path)
    warned = [f for f in outcome.findings if f.severity is not Severity.INFO]
    assert [(f.code, f.file, f.sheet, f.cell, f.nip) for f in warned] == [
        ("nilai-terendah-tanpa-catatan", NILAI_A, "Nilai", "C7", NIP_E2)
    ]
    assert "HK-PM-02" in warned[0].message and "Catatan" in warned[0].message
    assert status(outcome, NIP_E2) is Status.DINILAI


def test_every_catalogue_code_is_exercised() -> None:
    """Codes without a fixture here are listed, so a new code cannot go untested unnoticed."""
    covered = {
        # planted by FLAWS (checked in test_each_flaw_gives_its_finding)
        "nip-angka",
        "nilai-di-luar-skala",
        "nilai-tidak-lengkap",
        "nilai-kosong",
        "nilai-terendah-tanpa-catatan",
        "bukan-angka",
        "angka-ambigu",
        "nilai-ganda",
        "kode-nilai-tidak-berlaku",
        "penilai-bukan-atasan",
        "nip-tidak-dikenal",
        "override-tanpa-alasan",
        "rating-tidak-valid",
        "umpan-balik-kosong",
        "umpan-balik-tanpa-nilai",
        "umpan-balik-ganda",
        "periode-tidak-valid",
        "isian-wajib-tidak-ada",
        "sheet-wajib-tidak-ada",
        "sheet-tidak-ada",
        "kolom-wajib-tidak-ada",
        "kolom-tidak-dikenal",
        "kolom-ganda",
        "baris-diabaikan",
        "kode-capaian-tidak-berlaku",
        "nama-tidak-cocok",
        "laporan-ganda",
        "berkas-salinan",
        "laporan-tidak-ada",
        "penilaian-ganda",
        "rumus-tanpa-nilai",
        "sel-galat-excel",
        "nip-ganda",
        "bidang-tidak-dikenal",
        "atasan-tidak-dikenal",
        "atasan-diri-sendiri",
        "atasan-kosong",
        "email-tidak-valid",
        "isian-kosong",
        "nip-tanggal-lahir",
        "nip-jenis-kelamin",
        "nip-format",
        "predikat-organisasi-tidak-valid",
        "format-tidak-didukung",
        "jenis-tidak-dikenal",
        "jenis-ganda",
        "berkas-terpotong",
        # planted by tests/test_hostile.py
        "berkas-rusak",
        "berkas-kosong",
        "berkas-bukan-excel",
        "berkas-terkunci",
        "berkas-terlalu-besar",
        "xml-berbahaya",
        "tautan-luar",
        "baris-tersembunyi",
        "kolom-tersembunyi",
        # checked in the tests above / in test_cli
        "periode-lain",
        "bobot-tidak-100",
        "jenis-kriteria-tidak-valid",
        "bobot-tidak-positif",
        "skala-tidak-valid",
        "kode-ganda",
        "ambang-tidak-valid",
        "kriteria-tidak-ada",
        "pegawai-tidak-ada",
        "kriteria-ganda",
        "pegawai-ganda",
        "periode-tidak-ada",
        # checked in tests/test_parsing.py through ParseError codes
        "nip-tmt",
    }
    covered |= {"kriteria-kosong", "render-gagal"}  # tests/test_cli.py
    covered |= {"templat-versi"}  # tests/test_templates.py
    covered |= {"pdf-gagal-ditulis"}  # tests/test_build.py
    covered |= {"berkas-diganti", "riwayat-kosong"}  # tests/test_operations.py
    covered |= {"periode-triwulan-di-instansi-bulanan"}  # tests/test_quarters.py
    covered |= {  # tests/test_butir.py
        "batas-butir-tidak-valid",
        "jenis-hasil-tidak-valid",
        "jenis-hasil-bukan-hasil-kerja",
    }
    covered |= {  # tests/test_capaian.py
        "capaian-organisasi-tidak-valid",
        "capaian-organisasi-ganda",
        "capaian-kepala-unit-tidak-ada",
        "kepala-unit-tidak-valid",
        "kepala-unit-ganda",
    }
    untested = set(CATALOGUE) - covered
    assert untested == set()


@pytest.mark.parametrize(
    ("value", "code", "cell"),
    [("__ERROR__#DIV/0!", "sel-galat-excel", "C7"), ("empat", "bukan-angka", "C7")],
)
def test_an_unreadable_score_is_one_finding_at_its_cell(
    tmp_path: Path, value: str, code: str, cell: str
) -> None:
    """The criterion was scored, unreadably: not also reported as missing or blank."""
    spec = valid_inbox()
    spec.sheet("penilaian_a.xlsx", "Nilai")[6][2] = value  # E2's HK-PM-01
    outcome = outcome_of(spec, tmp_path)
    about_e2 = [f for f in outcome.findings if f.nip == NIP_E2 and f.severity is Severity.GALAT]
    assert [(f.code, f.sheet, f.cell) for f in about_e2] == [(code, "Nilai", cell)]
    assert status(outcome, NIP_E2) is Status.DIBLOKIR


def test_figures_typed_as_percents_keep_their_unit(tmp_path: Path) -> None:
    spec = valid_inbox()
    row = spec.sheet("laporan_e1.xlsx", "Capaian")[1]  # HK-PM-01
    row[2], row[3], row[4] = "90%", "85,5%", None  # Target, Realisasi, no Satuan
    outcome = outcome_of(spec, tmp_path)
    result = next(r for r in outcome.results if r.employee.nip == NIP_E1)
    assert result.report is not None
    achievement = result.report.achievements[0]
    assert (achievement.target, achievement.realisasi, achievement.satuan) == (90, 85.5, "%")
