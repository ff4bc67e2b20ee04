"""The item rule (`metode = "butir"`, PermenPANRB 6/2022): every value below is checked by hand.

On a 1-5 scale with the default bounds a 5 is above expectation, a 3 or 4 as expected, a 1 or 2 below.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pypdf
import pytest

from kinerja_batch import compute
from kinerja_batch.cli import main
from kinerja_batch.config import ConfigError, config_text, load_config
from kinerja_batch.documents.feedback import FeedbackRenderer
from kinerja_batch.findings import RunStopped, Severity, Source
from kinerja_batch.loading import NoProgress, load_inbox
from kinerja_batch.model import (
    Criterion,
    DimensionResult,
    EmployeeResult,
    Jenis,
    Periode,
    PeriodOutcome,
    Predikat,
    Rating,
    Thresholds,
)
from kinerja_batch.pipeline import assess
from kinerja_batch.settings import RATING_METHOD_LABELS, Settings
from kinerja_batch.sheets.summary import write_summary

from factories import KRITERIA, NILAI_A, NIP_E1, NIP_E2, PEGAWAI, InboxSpec, valid_inbox

D = Rating.DI_ATAS
S = Rating.SESUAI
B = Rating.DI_BAWAH
AMBANG = Thresholds(di_atas=80, sesuai=50)


def crit(
    kode: str,
    *,
    jenis: Jenis = Jenis.HASIL,
    utama: bool = True,
    bobot: float = 25,
    low: float = 1,
    high: float = 5,
    batas_di_atas: float | None = None,
    batas_sesuai: float | None = None,
) -> Criterion:
    return Criterion(
        kode,
        jenis,
        "Semua",
        kode,
        bobot,
        low,
        high,
        "",
        Source(),
        utama=utama,
        batas_di_atas=batas_di_atas,
        batas_sesuai=batas_sesuai,
    )


def hasil(
    scores: list[float], utama: list[bool] | None = None, method: str = "butir"
) -> DimensionResult:
    flags = utama or [True] * len(scores)
    bobot = 100 / len(scores)
    scored = [
        (crit(f"HK-{i}", utama=u, bobot=bobot), s, "")
        for i, (s, u) in enumerate(zip(scores, flags, strict=True), start=1)
    ]
    return compute.evaluate_dimension(Jenis.HASIL, scored, AMBANG, method=method)


def test_4_4_4_5_is_sesuai_by_items_but_di_atas_by_weights() -> None:
    by_items = hasil([4, 4, 4, 5])
    assert [c.expectation for c in by_items.criteria] == [S, S, S, D]
    assert by_items.computed_rating is S
    assert by_items.rating is S
    assert by_items.method == "butir"
    # The weighted value is still there, for the summary and the trends: (75 + 75 + 75 + 100) / 4
    # = 81.25, shown 81.3.
    assert by_items.value == 81.3
    by_weights = hasil([4, 4, 4, 5], method="bobot")
    assert (by_weights.value, by_weights.rating, by_weights.method) == (81.3, D, "bobot")
    assert all(c.expectation is None for c in by_weights.criteria)
    # With Perilaku Kerja Sesuai: Baik by items, where the weights would also give Baik ...
    assert compute.predikat(by_items.rating, S) is Predikat.BAIK
    # ... and with Perilaku Kerja Di Atas: Baik by items, Sangat Baik by the weights.
    assert compute.predikat(by_items.rating, D) is Predikat.BAIK
    assert compute.predikat(by_weights.rating, D) is Predikat.SANGAT_BAIK


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([5, 5, 4, 4], S),  # 2 above, 2 as: half is not most
        ([5, 5, 2, 2], S),  # 2 above, 2 below: no majority either way
        ([5, 5, 5, 4], D),  # 3 of 4 above
        ([5, 5, 5, 5], D),  # all above
        ([2, 2, 2, 5], B),  # 3 of 4 below
        ([1, 2, 4, 4], S),  # 2 below of 4: not most
        ([5, 5, 4], D),  # 2 of 3 above
        ([5], D),
        ([3], S),
        ([2], B),
    ],
)
def test_majority_of_hasil_kerja_items(scores: list[float], expected: Rating) -> None:
    assert hasil(scores).rating is expected


def test_a_utama_item_below_keeps_hasil_kerja_from_di_atas() -> None:
    # 3 of 4 above, the fourth (2) below expectation.
    assert hasil([5, 5, 5, 2], [True, True, True, True]).rating is S  # it is a Utama item
    assert hasil([5, 5, 5, 2], [True, True, True, False]).rating is D  # it is Tambahan


def test_all_tambahan_items_follow_the_majority() -> None:
    assert hasil([5, 5, 5, 2], [False] * 4).rating is D
    assert hasil([5, 4, 4, 4], [False] * 4).rating is S
    assert hasil([1, 2, 2, 5], [False] * 4).rating is B


def test_perilaku_kerja_by_majority_without_the_utama_constraint() -> None:
    scored = [(crit(f"PK-{i}", jenis=Jenis.PERILAKU, bobot=20), s, "") for i, s in
              enumerate([5, 5, 5, 2, 4], start=1)]  # fmt: skip
    dim = compute.evaluate_dimension(Jenis.PERILAKU, scored, AMBANG, method="butir")
    assert [c.expectation for c in dim.criteria] == [D, D, D, B, S]
    assert dim.rating is D  # 3 of 5 above; the value below expectation is no Utama result


@pytest.mark.parametrize(
    ("criterion", "nilai", "expected"),
    [
        (crit("a"), 5, D),
        (crit("a"), 4.9, S),
        (crit("a"), 3, S),
        (crit("a"), 2.9, B),
        (crit("a", low=0, high=100), 100, D),
        (crit("a", low=0, high=100), 50, S),  # the middle of 0-100 is as expected
        (crit("a", low=0, high=100), 49.9, B),
        (crit("a", low=1, high=4), 2.5, S),  # the middle of 1-4
        (crit("a", low=1, high=4), 2, B),
        (crit("a", batas_di_atas=4), 4, D),  # per-criterion bound
        (crit("a", batas_di_atas=4), 3.9, S),
        (crit("a", batas_sesuai=4), 3, B),
        (crit("a", batas_sesuai=2), 2, S),
        (crit("a", batas_di_atas=4.5, batas_sesuai=3.5), 4.5, D),
        (crit("a", batas_di_atas=4.5, batas_sesuai=3.5), 3.4, B),
    ],
)
def test_item_bounds(criterion: Criterion, nilai: float, expected: Rating) -> None:
    assert compute.item_expectation(criterion, nilai) is expected


def test_per_criterion_bounds_change_the_rating() -> None:
    # 4, 4, 4, 5 with `Batas Di Atas` 4 on every criterion: all four above.
    scored = [(crit(f"HK-{i}", batas_di_atas=4), s, "") for i, s in enumerate([4, 4, 4, 5])]
    assert compute.evaluate_dimension(Jenis.HASIL, scored, AMBANG, method="butir").rating is D


def test_the_supervisors_override_still_wins() -> None:
    scored = [(crit(f"HK-{i}"), s, "") for i, s in enumerate([4, 4, 4, 5])]
    dim = compute.evaluate_dimension(Jenis.HASIL, scored, AMBANG, override=D, method="butir")
    assert (dim.computed_rating, dim.rating, dim.overridden) == (S, D, True)


def test_ekspektasi_khusus_travels_with_its_criterion() -> None:
    scored = [(crit("PK-01", jenis=Jenis.PERILAKU, bobot=100), 4, "")]
    dim = compute.evaluate_dimension(
        Jenis.PERILAKU, scored, AMBANG, method="butir", ekspektasi_khusus={"pk-01": "Tepat waktu"}
    )
    assert dim.criteria[0].ekspektasi_khusus == "Tepat waktu"


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="butiran"):
        hasil([4], method="butiran")


# --- kinerja.toml -------------------------------------------------------------------------------


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kinerja.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_written_config_names_the_method_and_defaults_to_bobot(tmp_path: Path) -> None:
    text = config_text("Kabupaten Kemuning")
    assert "[penilaian]\n" in text
    assert 'metode = "bobot"' in text
    assert load_config(write_config(tmp_path, text)).metode_penilaian == "bobot"


def test_the_config_chooses_butir(tmp_path: Path) -> None:
    text = config_text("Kemuning").replace('metode = "bobot"', 'metode = "butir"')
    config = load_config(write_config(tmp_path, text))
    assert config.metode_penilaian == "butir"
    from kinerja_batch.cli.app import settings_for

    assert settings_for(config).rating_method == "butir"
    assert settings_for(None).rating_method == "bobot"


def test_a_misspelt_method_is_refused_in_indonesian(tmp_path: Path) -> None:
    text = config_text("Kemuning").replace('metode = "bobot"', 'metode = "butr"')
    with pytest.raises(ConfigError) as e:
        load_config(write_config(tmp_path, text))
    message = str(e.value)
    assert "metode di bagian [penilaian]" in message
    assert "'butr'" in message
    assert 'Mungkin maksudnya "butir"?' in message


def test_settings_default_is_bobot() -> None:
    assert Settings().rating_method == "bobot"
    assert dataclasses.replace(Settings(), rating_method="butir").rating_method == "butir"


# --- from the workbooks to the documents ----------------------------------------------------------


def _with_v2_columns(spec: InboxSpec) -> InboxSpec:
    """The valid inbox with the v2 columns: HK-PM-02 a Tambahan result read above expectation
    from 4 (`Batas Di Atas`), a Pangkat/Golongan, and an Ekspektasi Khusus on E1's PK-01."""
    kriteria = spec.sheet(KRITERIA, "Kriteria")
    kriteria[1] += ["Jenis Hasil", "Batas Di Atas", "Batas Sesuai"]
    for row in kriteria[2:]:
        row += [None, None, None]
    kriteria[3][-3:] = ["Tambahan", 4, None]  # HK-PM-02
    pegawai = spec.sheet(PEGAWAI, "Pegawai")
    pegawai[0].append("Pangkat/Golongan")
    for row in pegawai[1:]:
        row.append(None)
    pegawai[3][-1] = "Penata Tk. I (III/d)"  # E1
    nilai = spec.sheet(NILAI_A, "Nilai")
    nilai[0].append("Ekspektasi Khusus")
    for row in nilai[1:]:
        row.append(None)
    nilai[3][-1] = "Menjawab setiap pengaduan dalam satu hari kerja"  # E1, PK-01
    return spec


def _outcome(spec: InboxSpec, folder: Path, method: str) -> PeriodOutcome:
    settings = Settings(rating_method=method)
    inbox = load_inbox(spec.write(folder), settings, NoProgress())
    return assess(inbox, Periode(2026, 11), requested=True, settings=settings)


def _result(outcome: PeriodOutcome, nip: str) -> EmployeeResult:
    return next(r for r in outcome.results if r.employee.nip == nip)


def test_the_valid_inbox_by_items_and_by_weights(tmp_path: Path) -> None:
    # E1: Hasil Kerja 5 (above), 4 (as): one of two above is no majority -> Sesuai; Perilaku
    # Kerja 5, 4 likewise -> Sesuai; predikat Baik, where the weights give 90.0 / 87.5 and
    # Sangat Baik. E2: 3, 3.5 and 3, 4 are all as expected -> Sesuai, Sesuai, Baik.
    by_items = _outcome(valid_inbox(), tmp_path / "butir", "butir")
    e1, e2 = _result(by_items, NIP_E1), _result(by_items, NIP_E2)
    assert (e1.hasil.value, e1.hasil.rating, e1.perilaku.rating, e1.predikat) == (
        90.0,
        S,
        S,
        Predikat.BAIK,
    )
    assert (e2.hasil.rating, e2.perilaku.rating, e2.predikat) == (S, S, Predikat.BAIK)
    assert by_items.rating_method == "butir"
    by_weights = _outcome(valid_inbox(), tmp_path / "bobot", "bobot")
    assert _result(by_weights, NIP_E1).predikat is Predikat.SANGAT_BAIK
    assert _result(by_weights, NIP_E1).hasil.method == "bobot"


def test_v2_columns_are_read_into_the_model(tmp_path: Path) -> None:
    outcome = _outcome(_with_v2_columns(valid_inbox()), tmp_path, "butir")
    assert not outcome.findings
    by_code = outcome.criteria.by_code()
    assert (by_code["hk-pm-01"].utama, by_code["hk-pm-02"].utama) == (True, False)
    assert (by_code["hk-pm-02"].batas_di_atas, by_code["hk-pm-02"].batas_sesuai) == (4, None)
    e1 = _result(outcome, NIP_E1)
    assert e1.employee.pangkat == "Penata Tk. I (III/d)"
    assert _result(outcome, NIP_E2).employee.pangkat == ""
    # HK-PM-02's 4 now reaches its own Batas Di Atas: both results above -> Di Atas.
    assert [c.expectation for c in e1.hasil.criteria] == [D, D]
    assert e1.hasil.rating is D
    assert e1.predikat is Predikat.BAIK  # Perilaku Kerja is still Sesuai
    special = {c.criterion.kode: c.ekspektasi_khusus for c in e1.perilaku.criteria}
    assert special == {"PK-01": "Menjawab setiap pengaduan dalam satu hari kerja", "PK-02": ""}


@pytest.mark.parametrize(
    ("cells", "code", "at", "says"),
    [
        (("Pokok", None, None), "jenis-hasil-tidak-valid", "I3", "Tulis Utama"),
        ((None, 6, None), "batas-butir-tidak-valid", "J3", "skala 1-5"),
        ((None, 3, 4), "batas-butir-tidak-valid", "K3", "Batas Di Atas 3, Batas Sesuai 4"),
        ((None, None, 5), "batas-butir-tidak-valid", "K3", "Batas Di Atas 5, Batas Sesuai 5"),
        ((None, "empat", None), "bukan-angka", "J3", "'empat'"),
    ],
)
def test_invalid_v2_criteria_cells_are_reported_at_their_cell(
    tmp_path: Path, cells: tuple[object, ...], code: str, at: str, says: str
) -> None:
    spec = _with_v2_columns(valid_inbox())
    spec.sheet(KRITERIA, "Kriteria")[2][-3:] = list(cells)  # HK-PM-01, row 3
    with pytest.raises(RunStopped) as stopped:  # criteria with a wrong row stop the run
        load_inbox(spec.write(tmp_path), Settings(rating_method="butir"), NoProgress())
    found = [f for f in stopped.value.findings if f.sheet == "Kriteria"]
    assert [(f.code, f.cell, f.severity) for f in found] == [(code, at, Severity.GALAT)]
    assert says in found[0].message


def test_jenis_hasil_on_a_perilaku_row_is_a_warning(tmp_path: Path) -> None:
    spec = _with_v2_columns(valid_inbox())
    spec.sheet(KRITERIA, "Kriteria")[6][-3] = "Tambahan"  # PK-01, row 7
    inbox = load_inbox(spec.write(tmp_path), Settings(rating_method="butir"), NoProgress())
    assert [(f.code, f.cell, f.severity) for f in inbox.findings] == [
        ("jenis-hasil-bukan-hasil-kerja", "I7", Severity.PERINGATAN)
    ]
    assert inbox.criteria.by_code()["pk-01"].utama


def _pdf_text(result: EmployeeResult) -> str:
    with FeedbackRenderer(Settings(workers=1)) as renderer:
        pdf = renderer.render(
            result,
            instansi="Pemerintah Kabupaten Kemuning",
            unit_average=None,
            generated_on=dt.date(2026, 12, 5),
            document_id="UB-2026-11-TEST",
        )
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_feedback_pdf_names_the_method_and_each_items_expectation(tmp_path: Path) -> None:
    outcome = _outcome(_with_v2_columns(valid_inbox()), tmp_path, "butir")
    text = _pdf_text(_result(outcome, NIP_E1))
    assert "Golongan Penata Tk. I (III/d)" in text  # the label wraps as `Pangkat/ Golongan`
    assert (
        "Metode Rating Butir (per hasil kerja dan perilaku, PermenPANRB No. 6 Tahun 2022)" in text
    )
    assert "Metode rating: butir." in text
    assert "A. Hasil Kerja Utama" in text
    assert "B. Hasil Kerja Tambahan" in text
    assert text.index("A. Hasil Kerja Utama") < text.index("B. Hasil Kerja Tambahan")
    assert "Ekspektasi" in text
    assert "Ekspektasi khusus pimpinan: Menjawab setiap pengaduan dalam satu hari kerja" in text
    assert "Hasil Kerja: 2 dari 2 butir di atas ekspektasi, 0 sesuai, 0 di bawah ekspektasi" in text
    assert (
        "Perilaku Kerja: 1 dari 2 butir di atas ekspektasi, 1 sesuai, 0 di bawah ekspektasi" in text
    )


def test_the_feedback_pdf_under_bobot_keeps_the_thresholds(tmp_path: Path) -> None:
    outcome = _outcome(valid_inbox(), tmp_path, "bobot")
    text = _pdf_text(_result(outcome, NIP_E1))
    assert "Metode rating: bobot." in text
    assert "Metode Rating Bobot (nilai berbobot dan ambang instansi)" in text
    assert "Rating diusulkan dari ambang yang ditetapkan instansi" in text
    assert "Hasil Kerja Utama" not in text  # no Tambahan result: no grouping
    assert "butir di atas ekspektasi" not in text


@pytest.mark.parametrize(
    ("method", "label"),
    [
        ("butir", "Butir (per hasil kerja dan perilaku, PermenPANRB No. 6 Tahun 2022)"),
        ("bobot", "Bobot (nilai berbobot dan ambang instansi)"),
    ],
)
def test_the_summary_names_the_method(tmp_path: Path, method: str, label: str) -> None:
    outcome = _outcome(valid_inbox(), tmp_path / "masukan", method)
    path = tmp_path / "ringkasan.xlsx"
    write_summary(outcome, path)
    ws = openpyxl.load_workbook(path)["Ringkasan"]
    assert (ws["A5"].value, ws["B5"].value) == ("Metode Rating", label)


def _invoke(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            main(list(argv))
        except SystemExit as e:
            return (e.code if isinstance(e.code, int) else 0), out.getvalue()
    return 0, out.getvalue()


def test_a_working_folder_with_metode_butir(tmp_path: Path) -> None:
    """`kinerja.toml` -> settings -> ratings -> the summary and the PDF, through `kinerja run`."""
    folder = tmp_path / "kantor"
    code, out = _invoke("init", str(folder))
    assert code == 0, out
    toml = folder / "kinerja.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('metode = "bobot"', 'metode = "butir"'), encoding="utf-8")
    inbox = valid_inbox().write(folder / "inbox")
    for name in (KRITERIA, PEGAWAI):  # the office's standing workbooks live beside the inbox
        (inbox / name).replace(folder / name)
    with contextlib.chdir(folder):
        code, out = _invoke("run")
    assert code == 0, out
    hasil = folder / "hasil" / "2026-11"
    wb = openpyxl.load_workbook(hasil / "ringkasan_2026-11.xlsx")
    assert wb["Ringkasan"]["B5"].value == RATING_METHOD_LABELS["butir"]
    rows = list(wb["Pegawai"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    e1 = next(r for r in rows[1:] if r[col["NIP"]] == NIP_E1)
    # 5 and 4 on both Jenis: one item of two above expectation is no majority -> Sesuai, Baik
    # (by weights 90.0 and 87.5 would make it Sangat Baik).
    assert (e1[col["Nilai Hasil Kerja"]], e1[col["Rating Hasil Kerja"]], e1[col["Predikat"]]) == (
        90,
        "Sesuai Ekspektasi",
        "Baik",
    )
    (pdf,) = (hasil / "umpan_balik").glob(f"{NIP_E1}_*.pdf")
    reader = pypdf.PdfReader(pdf)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Metode rating: butir." in text
    assert "Hasil Kerja: 1 dari 2 butir di atas ekspektasi, 1 sesuai, 0 di bawah ekspektasi" in text
