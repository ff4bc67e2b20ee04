"""Every finding code, planted by a fixture factory, found at its file, sheet and cell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kinerja_batch.findings import CATALOGUE, Finding, RunStopped, Severity
from kinerja_batch.loading import NoProgress, load_inbox
from kinerja_batch.model import Periode, PeriodOutcome, Status
from kinerja_batch.pipeline import assess
from kinerja_batch.settings import Settings

from factories import (
    EXPECTED,
    FLAWS,
    KRITERIA,
    NIP_E1,
    NIP_E2,
    PEGAWAI,
    Book,
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


@pytest.mark.parametrize(
    ("edit", "code", "sheet", "cell"),
    [
        (_set(KRITERIA, "Kriteria", 2, 4, 50), "bobot-tidak-100", "Kriteria", "A3"),
        (_set(KRITERIA, "Kriteria", 6, 4, 40), "bobot-tidak-100", "Kriteria", "A7"),
        (_set(KRITERIA, "Kriteria", 2, 1, "Perilaku Kerja"), "bobot-tidak-100", "Kriteria", "A4"),
        (
            _set(KRITERIA, "Kriteria", 2, 1, "Kinerja"),
            "jenis-kriteria-tidak-valid",
            "Kriteria",
            "B3",
        ),
        (_set(KRITERIA, "Kriteria", 2, 4, 0), "bobot-tidak-positif", "Kriteria", "E3"),
        (_set(KRITERIA, "Kriteria", 2, 4, "enam puluh"), "bukan-angka", "Kriteria", "E3"),
        (_set(KRITERIA, "Kriteria", 2, 5, 5), "skala-tidak-valid", "Kriteria", "F3"),
        (_set(KRITERIA, "Kriteria", 3, 0, "HK-PM-01"), "kode-ganda", "Kriteria", "A4"),
        (_set(KRITERIA, "Ambang", 1, 2, 90), "ambang-tidak-valid", "Ambang", "A2"),
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
    if add:
        spec.books[add[0]] = Book(dict(spec.books[add[1]].sheets))
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


def test_every_catalogue_code_is_exercised() -> None:
    """Codes without a fixture here are listed, so a new code cannot go untested unnoticed."""
    covered = {
        # planted by FLAWS (checked in test_each_flaw_gives_its_finding)
        "nip-angka",
        "nilai-di-luar-skala",
        "nilai-tidak-lengkap",
        "nilai-kosong",
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
    untested = set(CATALOGUE) - covered
    assert untested == set()
