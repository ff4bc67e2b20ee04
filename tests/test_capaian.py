"""Capaian Kinerja Organisasi per unit and period, unit heads, and the follow-up list (issue 16).

The tiny office of `factories.valid_inbox()`: H (Setda, no supervisor) supervises A (Kepala Seksi,
Dukcapil), who supervises E1, E2 and a PPPK employee, all in Dukcapil. So A is Dukcapil's head by
the derived rule (their own supervisor is outside the unit and they supervise staff of it).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from pypdf import PdfReader

from kinerja_batch.calibration import distribution_check, organisation_predikat, run_checks
from kinerja_batch.config import load_config
from kinerja_batch.findings import Severity, Source
from kinerja_batch.model import (
    CriteriaSet,
    DimensionResult,
    Employee,
    EmployeeOutcome,
    EmployeeResult,
    Jenis,
    OrganisationCapaian,
    Periode,
    PeriodOutcome,
    Predikat,
    Rating,
    ScoreSheet,
    Status,
    Thresholds,
    capaian_organisasi,
)
from kinerja_batch.operations import run_workspace
from kinerja_batch.pipeline import current_outcome, run
from kinerja_batch.settings import Settings
from kinerja_batch.sheets.summary import write_summary
from kinerja_batch.tally import INSTANSI_SCOPE
from kinerja_batch.validate.roster import derive_unit_heads, read_roster
from kinerja_batch.workbooks.reader import open_workbook

from factories import (
    KRITERIA,
    LAPORAN_E1,
    LAPORAN_E2,
    NILAI_A,
    NILAI_H,
    NIP_A,
    NIP_E1,
    NIP_E2,
    NIP_H,
    NIP_PPPK,
    PEGAWAI,
    InboxSpec,
    drop_file,
    make_workspace,
    valid_inbox,
    with_capaian_organisasi,
    with_head_scored,
)

NOV = Periode(2026, 11)
OCT = Periode(2026, 10)
AGENCY = "Pemerintah Kabupaten Kemuning"
SETTINGS = Settings(workers=1)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def _outcome(spec: InboxSpec, tmp_path: Path) -> PeriodOutcome:
    inbox = spec.write(tmp_path / "inbox")
    return current_outcome(inbox, SETTINGS, (), None)


def _result(outcome: PeriodOutcome, nip: str) -> EmployeeResult:
    return next(r for r in outcome.results if r.employee.nip == nip)


# --- the capaian of a unit in a period -----------------------------------------------------------


def test_unit_row_then_agency_row_then_pengaturan() -> None:
    src = Source("kriteria.xlsx", "Capaian Organisasi", "C2")
    criteria = CriteriaSet(
        criteria=(),
        thresholds={},
        nama_instansi=AGENCY,
        predikat_organisasi="Baik",
        source_file="kriteria.xlsx",
        capaian_organisasi=(
            OrganisationCapaian("Dukcapil", NOV, "Istimewa", src),
            OrganisationCapaian("", NOV, "Kurang", src),
            OrganisationCapaian("Dukcapil", OCT, "Sangat Kurang", src),
        ),
    )
    assert capaian_organisasi(criteria, " dukcapil ", NOV) == "Istimewa"  # case and spaces
    assert capaian_organisasi(criteria, "Setda", NOV) == "Kurang"  # the agency-wide row
    assert capaian_organisasi(criteria, None, NOV) == "Kurang"
    assert capaian_organisasi(criteria, "Setda", OCT) == "Baik"  # Pengaturan, every period
    assert capaian_organisasi(criteria, "Dukcapil", OCT) == "Sangat Kurang"
    no_fallback = CriteriaSet((), {}, AGENCY, None, "kriteria.xlsx")
    assert capaian_organisasi(no_fallback, "Setda", NOV) is None
    assert capaian_organisasi(no_fallback, "Setda", NOV, "Baik") == "Baik"  # the configuration's


def test_sheet_rows_agency_name_and_findings_at_the_cell(tmp_path: Path) -> None:
    spec = with_capaian_organisasi(
        valid_inbox(),
        ("Dukcapil", "November 2026", "istimewa"),  # row 2: case is ignored
        (AGENCY, "2026-11", "Butuh Perbaikan"),  # row 3: the agency's name = agency-wide
        ("Setda", "2026-11", "Luar Biasa"),  # row 4: not a capaian
        ("dukcapil", "11/2026", "Baik"),  # row 5: Dukcapil's November again
    )
    outcome = _outcome(spec, tmp_path)
    rows = outcome.criteria.capaian_organisasi
    assert [(r.unit_kerja, r.periode, r.capaian, r.source.cell) for r in rows] == [
        ("Dukcapil", NOV, "Istimewa", "C2"),
        ("", NOV, "Butuh Perbaikan", "C3"),
    ]
    found = {f.code: f for f in outcome.findings if f.sheet == "Capaian Organisasi"}
    bad = found["capaian-organisasi-tidak-valid"]
    assert (bad.file, bad.cell, bad.value, bad.severity) == (
        KRITERIA,
        "C4",
        "Luar Biasa",
        Severity.PERINGATAN,
    )
    assert "'Luar Biasa' tidak dikenal" in bad.message
    twice = found["capaian-organisasi-ganda"]
    assert (twice.cell, twice.severity) == ("C5", Severity.PERINGATAN)
    assert "sel C2" in twice.message
    # Nobody is blocked by the optional sheet: E1 and E2 are evaluated.
    assert {r.employee.nip for r in outcome.results} == {NIP_E1, NIP_E2}
    assert organisation_predikat(outcome, SETTINGS) == "Butuh Perbaikan"


# --- unit heads ----------------------------------------------------------------------------------


def _employee(nip: str, unit: str, atasan: str | None, kepala: bool = False) -> Employee:
    return Employee(nip, nip, "Staf", unit, "Umum", atasan, None, Source(), kepala_unit=kepala)


def test_derived_heads_and_an_ambiguous_unit() -> None:
    roster = [
        _employee("H", "Setda", None),  # supervises only people of other units: not Setda's head
        _employee("A", "Dukcapil", "H"),  # supervisor outside, supervises E1: Dukcapil's head
        _employee("E1", "Dukcapil", "A"),
        _employee("P1", "Bappeda", "H"),  # two people fit in Bappeda: nobody is derived
        _employee("P2", "Bappeda", "H"),
        _employee("S1", "Bappeda", "P1"),
        _employee("S2", "Bappeda", "P2"),
    ]
    heads = [e.nip for e in derive_unit_heads(roster) if e.kepala_unit]
    assert heads == ["A"]


def test_declared_head_wins_over_the_derived_rule(tmp_path: Path) -> None:
    spec = valid_inbox()
    rows = spec.sheet(PEGAWAI, "Pegawai")
    rows[0].append("Kepala Unit")
    marks = {NIP_H: "Ya", NIP_A: None, NIP_E1: "ya", NIP_E2: "Mungkin", NIP_PPPK: "YA"}
    for row in rows[1:]:
        row.append(marks.get(str(row[0])))
    path = spec.write(tmp_path / "inbox") / PEGAWAI
    book = open_workbook(path, PEGAWAI, ("Pegawai",), SETTINGS.limits)
    criteria = _outcome(valid_inbox(), tmp_path / "other").criteria
    roster, findings = read_roster(book, criteria, SETTINGS.weight_tolerance)
    assert roster is not None
    # Dukcapil declares E1 and the PPPK employee (so A is not derived); Setda declares H;
    # `Mungkin` is not a yes.
    assert sorted(e.nip for e in roster if e.kepala_unit) == sorted([NIP_H, NIP_E1, NIP_PPPK])
    (bad,) = [f for f in findings if f.code == "kepala-unit-tidak-valid"]
    assert (bad.sheet, bad.cell, bad.value, bad.nip) == ("Pegawai", "H5", "Mungkin", NIP_E2)
    assert bad.severity is Severity.PERINGATAN
    (twice,) = [f for f in findings if f.code == "kepala-unit-ganda"]
    assert (twice.cell, twice.nip, twice.severity) == ("H6", NIP_PPPK, Severity.PERINGATAN)
    assert "Unit 'Dukcapil' punya lebih dari satu Kepala Unit (juga di sel H4)" in twice.message


def test_head_of_an_istimewa_unit_is_rated_di_atas_and_the_pdf_says_so(tmp_path: Path) -> None:
    """A: HK-MN-01 = 3 -> (3 - 1) / 4 = 50.0, computed Sesuai Ekspektasi; Dukcapil's capaian for
    November is Istimewa -> Di Atas Ekspektasi. Perilaku 50% x 100 + 50% x 75 = 87.5 (Di Atas).
    Di Atas / Di Atas -> Sangat Baik. H (Setda, no row of its own) gets the agency-wide row."""
    spec = with_capaian_organisasi(
        with_head_scored(valid_inbox(), hasil=3, pk01=5, pk02=4),
        ("Dukcapil", "2026-11", "Istimewa"),
        ("", "2026-11", "Butuh Perbaikan"),
    )
    inbox = spec.write(tmp_path / "inbox")
    report = run(inbox, tmp_path / "hasil", settings=SETTINGS)
    (period,) = report.periods
    a = _result(period.outcome, NIP_A)
    assert a.employee.kepala_unit and a.hasil_follows_capaian
    assert (a.hasil.value, a.hasil.rating, a.perilaku.value, a.perilaku.rating) == (
        50.0,
        Rating.DI_ATAS,
        87.5,
        Rating.DI_ATAS,
    )
    assert a.predikat is Predikat.SANGAT_BAIK
    e1 = _result(period.outcome, NIP_E1)  # staff are rated as before
    assert (e1.capaian_organisasi, e1.hasil_follows_capaian, e1.hasil.rating) == (
        "Istimewa",
        False,
        Rating.DI_ATAS,
    )

    (pdf,) = (tmp_path / "hasil").rglob(f"{NIP_A}_*.pdf")
    text = pdf_text(pdf)
    assert "Capaian Kinerja Organisasi Istimewa Kepala Unit Ya" in text  # the identity table
    assert (
        "Sebagai kepala unit, Rating Hasil Kerja Anda mengikuti Capaian Kinerja Organisasi unit "
        "yang Anda pimpin (Istimewa): Di Atas Ekspektasi" in text
    )
    (e1_pdf,) = (tmp_path / "hasil").rglob(f"{NIP_E1}_*.pdf")
    e1_text = pdf_text(e1_pdf)
    assert "Capaian Kinerja Organisasi Istimewa Kepala Unit –" in e1_text
    assert "Sebagai kepala unit" not in e1_text

    (summary,) = (tmp_path / "hasil").rglob("ringkasan*.xlsx")
    rows = list(openpyxl.load_workbook(summary)["Pegawai"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    by_nip = {str(r[0]): dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert (by_nip[NIP_A]["Capaian Kinerja Organisasi"], by_nip[NIP_A]["Kepala Unit"]) == (
        "Istimewa",
        "Ya",
    )
    assert by_nip[NIP_A]["Rating Hasil Kerja"] == "Di Atas Ekspektasi"
    assert by_nip[NIP_H]["Capaian Kinerja Organisasi"] == "Butuh Perbaikan"  # not evaluated
    assert by_nip[NIP_E1]["Kepala Unit"] is None


def test_supervisor_override_wins_over_the_unit_capaian(tmp_path: Path) -> None:
    spec = with_capaian_organisasi(
        with_head_scored(valid_inbox(), hasil=3, pk01=5, pk02=4), ("Dukcapil", "2026-11", "Baik")
    )
    spec.sheet(NILAI_H, "Umpan Balik")[0].append("Rating Hasil Kerja")
    spec.sheet(NILAI_H, "Umpan Balik")[1].append("Di Bawah Ekspektasi")
    a = _result(_outcome(spec, tmp_path), NIP_A)
    # Baik -> Sesuai Ekspektasi follows; the supervisor decided Di Bawah Ekspektasi.
    assert (a.hasil.computed_rating, a.hasil.rating) == (Rating.SESUAI, Rating.DI_BAWAH)
    assert a.hasil_follows_capaian


def test_missing_capaian_warns_and_the_computed_rating_stands(tmp_path: Path) -> None:
    """No `Capaian Organisasi` sheet and no `Predikat Kinerja Organisasi`: A keeps 50.0 -> Sesuai
    Ekspektasi; with Perilaku Di Atas -> Baik; a warning on A's roster row."""
    spec = with_head_scored(valid_inbox(), hasil=3, pk01=5, pk02=4)
    spec.books[KRITERIA].sheets["Pengaturan"] = [["Nama Instansi", AGENCY]]
    outcome = _outcome(spec, tmp_path)
    a = _result(outcome, NIP_A)
    assert (a.capaian_organisasi, a.hasil_follows_capaian) == (None, False)
    assert (a.hasil.rating, a.predikat) == (Rating.SESUAI, Predikat.BAIK)
    (warning,) = [f for f in outcome.findings if f.code == "capaian-kepala-unit-tidak-ada"]
    assert (warning.severity, warning.file, warning.cell, warning.nip) == (
        Severity.PERINGATAN,
        PEGAWAI,
        "A3",
        NIP_A,
    )
    assert "kepala unit 'Dukcapil'" in warning.message and "November 2026" in warning.message


# --- the distribution check per unit -------------------------------------------------------------

_T = Thresholds(80.0, 50.0)
_RATINGS = {  # a predikat and the two ratings that give it (PermenPANRB 6/2022's matrix)
    Predikat.SANGAT_BAIK: (Rating.DI_ATAS, Rating.DI_ATAS),
    Predikat.BAIK: (Rating.SESUAI, Rating.SESUAI),
    Predikat.BUTUH_PERBAIKAN: (Rating.SESUAI, Rating.DI_BAWAH),
}


def _unit(unit: str, counts: dict[Predikat, int]) -> list[EmployeeResult]:
    sheet = ScoreSheet("197001011995031001", "Penilai", NOV, (), (), "nilai.xlsx")
    results: list[EmployeeResult] = []
    for predikat, n in counts.items():
        hasil, perilaku = _RATINGS[predikat]
        for _ in range(n):
            nip = f"19900101202001{len(results) + 1:04d}{unit[-1]}"
            e = Employee(nip, nip, "Staf", unit, "Umum", None, None, Source())
            results.append(
                EmployeeResult(
                    e,
                    NOV,
                    DimensionResult(Jenis.HASIL, 60.0, hasil, hasil, _T, ()),
                    DimensionResult(Jenis.PERILAKU, 60.0, perilaku, perilaku, _T, ()),
                    predikat,
                    None,
                    None,
                    sheet,
                    None,
                )
            )
    return results


def test_each_unit_is_judged_by_its_own_capaian(tmp_path: Path) -> None:
    """Dinas A (Istimewa): 3 Sangat Baik, 2 Baik -> Sangat Baik most frequent (yes), at most 70%
    (60%: yes). Dinas B (Butuh Perbaikan): 3 Butuh Perbaikan, 1 Sangat Baik, 1 Baik -> at least
    60% Butuh Perbaikan (60%: yes), Sangat Baik at most 10% (20%: no). The whole agency (Baik, from
    Pengaturan): 4 Sangat Baik, 3 Baik, 3 Butuh Perbaikan -> Baik most frequent (no), Baik at most
    70% (30%: yes), some Butuh Perbaikan or Kurang (yes)."""
    sb, b, bp = Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN
    src = Source("kriteria.xlsx", "Capaian Organisasi", "C2")
    criteria = CriteriaSet(
        (),
        {},
        AGENCY,
        "Baik",
        "kriteria.xlsx",
        capaian_organisasi=(
            OrganisationCapaian("Dinas A", NOV, "Istimewa", src),
            OrganisationCapaian("Dinas B", NOV, "Butuh Perbaikan", src),
            OrganisationCapaian("Dinas B", OCT, "Istimewa", src),  # another period: not used
        ),
    )
    results = _unit("Dinas A", {sb: 3, b: 2}) + _unit("Dinas B", {bp: 3, sb: 1, b: 1})
    outcome = PeriodOutcome(
        NOV,
        criteria,
        tuple(EmployeeOutcome(r.employee, Status.DINILAI, r) for r in results),
        (),
    )
    checks = distribution_check(outcome, organisation_predikat(outcome, SETTINGS), SETTINGS)
    by_scope: dict[str, list[tuple[str, bool | None]]] = {}
    for d in checks:
        by_scope.setdefault(d.scope, []).append((d.capaian, d.ok))
    assert by_scope == {
        INSTANSI_SCOPE: [("Baik", False), ("Baik", True), ("Baik", True)],
        "Dinas A": [("Istimewa", True), ("Istimewa", True)],
        "Dinas B": [("Butuh Perbaikan", True), ("Butuh Perbaikan", False)],
    }

    path = tmp_path / "ringkasan.xlsx"
    write_summary(outcome, path, checks=run_checks(outcome, SETTINGS))
    rows = list(openpyxl.load_workbook(path)["Distribusi"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Lingkup" and "Aturan" in r)
    col = {str(h): i for i, h in enumerate(header)}
    judged = [
        (r[0], r[col["Capaian Kinerja Organisasi"]], r[col["Status"]])
        for r in rows
        if r and r[0] == "Dinas B" and isinstance(r[col["Status"]], str)
    ]
    assert judged == [
        ("Dinas B", "Butuh Perbaikan", "Sesuai"),
        ("Dinas B", "Butuh Perbaikan", "Perlu ditinjau"),
    ]


# --- the follow-up list --------------------------------------------------------------------------


def _month(spec: InboxSpec, periode: str) -> InboxSpec:
    for name in (LAPORAN_E1, LAPORAN_E2):
        spec.sheet(name, "Identitas")[2][1] = periode
    spec.sheet(NILAI_A, "Identitas")[2][1] = periode
    return spec


def _e2_all_lowest(spec: InboxSpec) -> InboxSpec:
    """E2 scored 1 on every criterion: 0.0 / 0.0 -> Di Bawah / Di Bawah -> Sangat Kurang."""
    for row in spec.sheet(NILAI_A, "Nilai")[5:9]:
        row[2], row[3] = 1, "Jauh di bawah target"
    return spec


def _tindak_lanjut(path: Path) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(path)["Tindak Lanjut"]
    rows: list[tuple[object, ...]] = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == "NIP")
    return rows[start:]


def test_follow_up_list_in_a_plain_folder_run_has_no_history(tmp_path: Path) -> None:
    inbox = _e2_all_lowest(valid_inbox()).write(tmp_path / "inbox")
    run(inbox, tmp_path / "hasil", settings=SETTINGS, check_only=True)
    (summary,) = (tmp_path / "hasil").rglob("ringkasan*.xlsx")
    header, *rows = _tindak_lanjut(summary)
    assert header[:10] == (
        "NIP",
        "Nama",
        "Jabatan",
        "Unit Kerja",
        "Periode",
        "Predikat",
        "Pejabat Penilai",
        "NIP Pejabat Penilai",
        "Berulang",
        "Periode Sebelumnya",
    )
    assert [r[:9] for r in rows] == [
        (
            NIP_E2,
            "Budi Hartono",
            "Petugas Loket",
            "Dukcapil",
            "November 2026",
            "Sangat Kurang",
            "Ayu Lestari, S.Sos.",
            NIP_A,
            "riwayat tidak tersedia",
        )
    ]


def test_follow_up_list_marks_a_repeat_across_two_periods(tmp_path: Path) -> None:
    """E2 is Sangat Kurang in October and in November: November's list says it repeats.
    E1 (Sangat Baik both months) is not listed."""
    root = make_workspace(tmp_path)
    for spec in (
        _e2_all_lowest(_month(valid_inbox(), "2026-10")),
        _e2_all_lowest(_month(valid_inbox(), "2026-11")),
    ):
        for name in (LAPORAN_E1, LAPORAN_E2, NILAI_A):
            drop_file(root, spec, name)
        run_workspace(load_config(root / "kinerja.toml"), SETTINGS)
    october = _tindak_lanjut(root / "hasil" / "2026-10" / "ringkasan_2026-10.xlsx")
    assert [(r[0], r[4], r[5], r[8], r[9]) for r in october[1:]] == [
        (NIP_E2, "Oktober 2026", "Sangat Kurang", "Tidak", None)
    ]
    november = _tindak_lanjut(root / "hasil" / "2026-11" / "ringkasan_2026-11.xlsx")
    assert [(r[0], r[4], r[5], r[8], r[9]) for r in november[1:]] == [
        (NIP_E2, "November 2026", "Sangat Kurang", "Ya", "Oktober 2026: Sangat Kurang")
    ]
