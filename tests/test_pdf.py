"""The feedback PDF, read back as a reader would: its text, its metadata and its page size."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pypdf
import pytest

import kinerja_batch.documents.weasy as weasy_module
from kinerja_batch.documents.chart import criteria_chart, short_period_label, trend_chart
from kinerja_batch.documents.feedback import (
    TRUNCATION_NOTE,
    FeedbackRenderer,
    strengths_and_areas,
)
from kinerja_batch.documents.weasy import (
    ResourceRefused,
    TemplatesOnlyFetcher,
    fetch_template_resource,
    resolve_template_resource,
)
from kinerja_batch.findings import Source
from kinerja_batch.formatting import angka, desimal, persen, tanggal
from kinerja_batch.fsutil import templates_dir
from kinerja_batch.model import (
    Achievement,
    Challenge,
    Criterion,
    CriterionResult,
    DimensionResult,
    Employee,
    EmployeeResult,
    Feedback,
    Jenis,
    Periode,
    Plan,
    Predikat,
    Rating,
    ScoreSheet,
    SelfReport,
    Thresholds,
    TrendPoint,
)
from kinerja_batch.parsing import format_nip
from kinerja_batch.paths import pdf_file_name
from kinerja_batch.settings import Settings

NIP = "198503122010011005"
NIP_PENILAI = "197801152003121002"
PERIODE = Periode(2026, 11)
GENERATED_ON = dt.date(2026, 11, 30)
DOC_ID = "KB-2026-11-000123"
INSTANSI = "Pemerintah Kabupaten Kemuning"
MALICIOUS = (
    '<img src="file:///etc/passwd"> <style>body{display:none}</style> '
    '=HYPERLINK("http://x.invalid","klik")'
)
REKOMENDASI = "Lanjutkan program pelatihan guru dan perluas ke sekolah lain di kecamatan."
UMPAN_BALIK = "Laporan capaian disertai bukti yang jelas; pelayanan sangat responsif."

SRC = Source("berkas.xlsx", "Nilai", "C3")
HASIL_THRESHOLDS = Thresholds(di_atas=80.0, sesuai=50.0)


def _criterion(kode: str, jenis: Jenis, nama: str, bobot: float, deskripsi: str = "") -> Criterion:
    return Criterion(kode, jenis, "Pendidikan", nama, bobot, 1.0, 5.0, deskripsi, SRC)


def _scored(criterion: Criterion, nilai: float, catatan: str = "") -> CriterionResult:
    normalised = (nilai - criterion.skala_min) / (criterion.skala_maks - criterion.skala_min) * 100
    return CriterionResult(criterion, nilai, normalised, catatan)


def make_result(**changes: object) -> EmployeeResult:
    """A complete, consistent result; `changes` replace fields of the EmployeeResult."""
    employee = Employee(
        NIP, "Dr. Siti Aminah, M.Pd.", "Pengawas Sekolah", "Dinas Pendidikan", "Pendidikan",
        NIP_PENILAI, "siti@example.go.id", SRC,
    )  # fmt: skip
    atasan = Employee(
        NIP_PENILAI, "Budi Santoso, S.E.", "Kepala Bidang Pembinaan Guru", "Dinas Pendidikan",
        "Pendidikan", None, None, SRC,
    )  # fmt: skip
    pelatihan = _criterion(
        "HK-PD-01",
        Jenis.HASIL,
        "Dampak pelatihan guru pada metode mengajar",
        60,
        "Perubahan metode mengajar guru peserta pelatihan",
    )
    laporan = _criterion("HK-PD-02", Jenis.HASIL, "Ketepatan & kelengkapan <laporan>", 40)
    hasil_items = (
        _scored(pelatihan, 5, "Sebelas sekolah menerapkan metode baru."),
        _scored(laporan, 3.5, MALICIOUS),
    )
    perilaku_items = tuple(
        _scored(_criterion(f"PK-0{i + 1}", Jenis.PERILAKU, nama, bobot), nilai)
        for i, (nama, bobot, nilai) in enumerate(
            (
                ("Berorientasi Pelayanan", 20, 4),
                ("Akuntabel", 20, 4),
                ("Kompeten", 15, 5),
                ("Harmonis", 15, 4),
                ("Loyal", 10, 4),
                ("Adaptif", 10, 3),
                ("Kolaboratif", 10, 2),
            )
        )
    )
    hasil = DimensionResult(
        Jenis.HASIL, 85.0, Rating.DI_ATAS, Rating.DI_ATAS, HASIL_THRESHOLDS, hasil_items
    )
    perilaku = DimensionResult(
        Jenis.PERILAKU, 71.3, Rating.SESUAI, Rating.SESUAI, HASIL_THRESHOLDS, perilaku_items
    )
    report = SelfReport(
        NIP,
        employee.nama,
        PERIODE,
        achievements=(
            Achievement(
                "HK-PD-01", "Guru yang dilatih", 40, 37, "orang",
                "Pelatihan metode aktif untuk guru SD. " + MALICIOUS, "Daftar hadir, foto", SRC,
            ),
            Achievement("HK-PD-02", "Laporan tepat waktu", 12, 12, "laporan", "", "", SRC),
        ),
        challenges=(Challenge("Jarak sekolah yang jauh", "Dua kunjungan tertunda"),),
        plans=(Plan("Kunjungan daring untuk sekolah terpencil", "Desember 2026"),),
        source_file="capaian.xlsx",
    )  # fmt: skip
    sheet = ScoreSheet(NIP_PENILAI, atasan.nama, PERIODE, (), (), "nilai.xlsx")
    feedback = Feedback(NIP, UMPAN_BALIK, REKOMENDASI, None, None, SRC)
    result = EmployeeResult(
        employee, PERIODE, hasil, perilaku, Predikat.BAIK, feedback, report, sheet, atasan
    )
    return dataclasses.replace(result, **changes)  # type: ignore[arg-type]


UNIT_AVERAGE = {"HK-PD-01": 61.25, "HK-PD-02": 57.45, "PK-01": 70.0}


@pytest.fixture(scope="module")
def renderer() -> FeedbackRenderer:
    return FeedbackRenderer()


def _render(renderer: FeedbackRenderer, result: EmployeeResult, **kwargs: object) -> bytes:
    options: dict[str, object] = {
        "instansi": INSTANSI,
        "unit_average": None,
        "generated_on": GENERATED_ON,
        "document_id": DOC_ID,
    }
    options.update(kwargs)
    return renderer.render(result, **options)  # type: ignore[arg-type]


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    """Text with line breaks and repeated spaces folded, so wrapped lines still match."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pdf(renderer: FeedbackRenderer) -> bytes:
    return _render(renderer, make_result())


@pytest.fixture(scope="module")
def text(pdf: bytes) -> str:
    return _flat(_text(pdf))


# --- formatting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        (82.45, 1, "82,5"),  # half up, not the float's 82.4499...
        (82.44, 1, "82,4"),
        (100, 1, "100,0"),
        (0.05, 1, "0,1"),
        (-0.04, 1, "0,0"),
        (1250000.5, 1, "1.250.000,5"),
        (2.675, 2, "2,68"),
    ],
)
def test_desimal(value: float, digits: int, shown: str) -> None:
    assert desimal(value, digits) == shown


def test_other_formats() -> None:
    assert tanggal(dt.date(2026, 11, 30)) == "30 November 2026"
    assert tanggal(dt.date(2027, 3, 1)) == "1 Maret 2027"
    assert persen(92.25) == "92,3%"
    assert persen(None) == "–"
    assert angka(5.0) == "5"
    assert angka(4.5) == "4,5"
    assert angka(0.125) == "0,13"
    assert angka(1250000) == "1.250.000"
    assert angka(None) == "–"


# --- what the reader sees ------------------------------------------------------------------------


def test_identity_and_result(text: str) -> None:
    assert "Dr. Siti Aminah, M.Pd." in text
    assert format_nip(NIP) in text
    assert "19850312 201001 1 005" in text
    assert "Pengawas Sekolah" in text
    assert "Dinas Pendidikan" in text
    assert "Budi Santoso, S.E." in text
    assert format_nip(NIP_PENILAI) in text
    assert "Kepala Bidang Pembinaan Guru" in text
    assert INSTANSI.upper() in text  # letterhead
    assert f"Instansi {INSTANSI}" in text  # identity table
    assert "Umpan Balik Kinerja Pegawai" in text
    assert "Periode November 2026" in text
    assert "PREDIKAT KINERJA Baik" in text  # the big card
    assert "menghasilkan predikat Baik" in text  # under the matrix
    assert "NILAI HASIL KERJA 85,0 Di Atas Ekspektasi" in text
    assert "NILAI PERILAKU KERJA 71,3 Sesuai Ekspektasi" in text
    assert (
        "Nilai Hasil Kerja (rata-rata berbobot) 85,0 Rating Hasil Kerja Di Atas Ekspektasi"
    ) in text
    assert (
        "Nilai Perilaku Kerja (rata-rata berbobot) 71,3 Rating Perilaku Kerja Sesuai Ekspektasi"
    ) in text


def test_criteria_table_uses_decimal_comma(text: str) -> None:
    # HK-PD-02: nilai 3,5 on 1-5 -> 62,5; the table shows raw value, scale and normalised value.
    assert "Ketepatan & kelengkapan <laporan> (HK-PD-02) 40 3,5 1-5 62,5" in text
    assert (
        "Dampak pelatihan guru pada metode mengajar (HK-PD-01) "
        "Perubahan metode mengajar guru peserta pelatihan 60 5 1-5 100,0"  # with its Deskripsi
    ) in text
    assert "62.5" not in text  # never a decimal point


def test_criteria_notes_are_shown(text: str) -> None:
    assert "Catatan penilai: Sebelas sekolah menerapkan metode baru." in text


def test_free_text_appears_literally(text: str) -> None:
    # Narrow cells wrap inside words, so compare without whitespace.
    packed, malicious = "".join(text.split()), "".join(MALICIOUS.split())
    assert packed.count(malicious) == 2  # the catatan and the uraian
    assert "Pertahankan Dampak" in text
    assert "Ketepatan & kelengkapan <laporan>" in text  # a criterion name, not a tag


def test_chart_is_self_contained_and_escaped() -> None:
    result = make_result()
    svg = criteria_chart(result.dimensions, {"hk-pd-01": 61.25})
    root = ElementTree.fromstring(svg)  # well-formed XML
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Ketepatan & kelengkapan <laporan>" in texts
    assert "<laporan>" not in svg
    assert "Rata-rata unit kerja" in texts
    assert "61,3" in texts  # the average, matched ignoring the kode's case
    assert "href" not in svg and "url(" not in svg
    assert "Rata-rata unit kerja" not in criteria_chart(result.dimensions, None)


def test_report_feedback_and_recommendation(text: str) -> None:
    assert "Guru yang dilatih" in text
    assert "92,5%" in text  # 37 of 40
    assert "Jarak sekolah yang jauh" in text
    assert "Kunjungan daring untuk sekolah terpencil" in text
    assert UMPAN_BALIK in text
    assert REKOMENDASI in text


def test_strengths_and_areas_are_distinct(text: str) -> None:
    assert "Pertahankan Dampak pelatihan guru pada metode mengajar" in text
    assert "Pertahankan Kompeten" in text
    assert "Kembangkan Kolaboratif" in text
    assert "Kembangkan Adaptif" in text


def test_how_it_was_computed(text: str) -> None:
    assert "Bagaimana hasil ini diperoleh" in text
    assert "(60 × 100,0 + 40 × 62,5) ÷ 100 = 85,0" in text
    assert "Di Atas Ekspektasi bila nilai ≥ 80" in text
    assert "PermenPANRB No. 6 Tahun 2022" in text
    assert "diputuskan pejabat penilai" not in text  # nothing was overridden


def test_signatures_and_footer(text: str, pdf: bytes) -> None:
    assert "Kemuning, 30 November 2026" in text
    assert "Pejabat Penilai Kinerja" in text
    assert "Pegawai yang Dinilai" in text
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= 2
    for number in range(1, pages + 1):
        assert f"Halaman {number} dari {pages}" in text
    assert text.count(f"No. Dokumen: {DOC_ID}") >= pages  # every footer (and the letterhead)


def test_metadata_and_page_size(pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Umpan Balik Kinerja - Dr. Siti Aminah, M.Pd. - November 2026"
    assert meta.author == INSTANSI
    for page in reader.pages:
        width_mm = float(page.mediabox.width) / 72 * 25.4
        height_mm = float(page.mediabox.height) / 72 * 25.4
        assert (round(width_mm), round(height_mm)) == (210, 297)


def test_unit_average_note_without_average(text: str) -> None:
    assert "Rata-rata unit kerja tidak ditampilkan" in text
    assert "sedikitnya 5 pegawai" in text
    assert "Rata-rata Unit" not in text


def test_unit_average_shown_when_given(renderer: FeedbackRenderer) -> None:
    text = _flat(_text(_render(renderer, make_result(), unit_average=UNIT_AVERAGE)))
    assert "Rata-rata unit kerja tidak ditampilkan" not in text
    assert "Rata-rata Unit" in text
    assert "Rata-rata unit kerja" in text  # the chart's legend
    assert "peserta pelatihan 60 5 1-5 100,0 61,3" in text  # 61.25 rounded half up
    assert "(HK-PD-02) 40 3,5 1-5 62,5 57,5" in text


def test_missing_report_and_feedback_are_said(renderer: FeedbackRenderer) -> None:
    text = _flat(_text(_render(renderer, make_result(report=None, feedback=None))))
    assert "Pegawai tidak menyerahkan laporan kinerja" in text
    assert "tidak menuliskan umpan balik" in text
    assert "tidak menuliskan rekomendasi" in text


def test_override_shows_computed_and_decided_rating(renderer: FeedbackRenderer) -> None:
    base = make_result()
    perilaku = dataclasses.replace(base.perilaku, rating=Rating.DI_ATAS)
    result = make_result(perilaku=perilaku, predikat=Predikat.SANGAT_BAIK)
    text = _flat(_text(_render(renderer, result)))
    assert "PREDIKAT KINERJA Sangat Baik" in text
    assert (
        "Rating Perilaku Kerja diputuskan pejabat penilai: Di Atas Ekspektasi "
        "(hasil hitungan: Sesuai Ekspektasi)"
    ) in text
    assert f"Alasan: {UMPAN_BALIK}" in text


def test_inconsistent_predikat_is_refused(renderer: FeedbackRenderer) -> None:
    with pytest.raises(ValueError, match="tidak sesuai matriks"):
        _render(renderer, make_result(predikat=Predikat.SANGAT_BAIK))


def test_long_text_is_cut_with_a_visible_note(tmp_path: Path) -> None:
    renderer = FeedbackRenderer(Settings(max_text_chars=300))
    long_text = "Awal uraian. " + "kata " * 200 + "AKHIR-YANG-DIPOTONG"
    result = make_result()
    feedback = dataclasses.replace(result.feedback, umpan_balik=long_text)  # type: ignore[type-var]
    text = _flat(_text(_render(renderer, make_result(feedback=feedback))))
    assert "Awal uraian." in text
    assert TRUNCATION_NOTE in text
    assert "AKHIR-YANG-DIPOTONG" not in text


def test_blank_instansi_leaves_no_empty_author(renderer: FeedbackRenderer) -> None:
    pdf = _render(renderer, make_result(), instansi="  ")
    meta = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None and meta.author is None
    assert "Instansi –" in _flat(_text(pdf))


def test_write_is_atomic_and_named(tmp_path: Path, renderer: FeedbackRenderer) -> None:
    result = make_result()
    name = pdf_file_name(result.employee.nip, result.employee.nama)
    assert name == "198503122010011005_Dr_Siti_Aminah_M_Pd.pdf"
    target = tmp_path / "2026-11" / name
    renderer.write(
        result,
        target,
        instansi=INSTANSI,
        unit_average=None,
        generated_on=GENERATED_ON,
        document_id=DOC_ID,
    )
    assert target.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in target.parent.iterdir()] == [name]  # no temporary file left


def test_strengths_and_areas_never_overlap() -> None:
    result = make_result()
    flat = dataclasses.replace(
        result.perilaku,
        criteria=tuple(dataclasses.replace(c, normalised=75.0) for c in result.perilaku.criteria),
    )
    hasil = dataclasses.replace(
        result.hasil,
        criteria=tuple(dataclasses.replace(c, normalised=75.0) for c in result.hasil.criteria),
    )
    strengths, areas = strengths_and_areas(make_result(hasil=hasil, perilaku=flat), 2)
    # All equal: the heaviest two are strengths and nothing is called weaker than an equal one.
    assert [s.item.criterion.kode for s in strengths] == ["HK-PD-01", "HK-PD-02"]
    assert areas == ()


# --- the URL fetcher -----------------------------------------------------------------------------


def test_fetcher_serves_fonts_only_from_templates() -> None:
    root = templates_dir()
    font = root / "fonts" / "OpenSans-Regular.ttf"
    response = fetch_template_resource(font.as_uri(), root)
    assert response.read()[:4] == font.read_bytes()[:4]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/font.ttf",
        "data:text/plain,halo",
        "ftp://example.com/x",
    ],
)
def test_fetcher_refuses_everything_else(url: str) -> None:
    with pytest.raises(ResourceRefused):
        resolve_template_resource(url, templates_dir())


def test_fetcher_refuses_escapes_from_templates(tmp_path: Path) -> None:
    root = tmp_path / "templates"
    root.mkdir()
    secret = tmp_path / "rahasia.txt"
    secret.write_text("rahasia")
    (root / "tautan.txt").symlink_to(secret)
    for url in (
        (root / ".." / "rahasia.txt").as_uri(),
        f"{root.as_uri()}/../rahasia.txt",
        (root / "tautan.txt").as_uri(),
        f"file://otherhost{secret}",
    ):
        with pytest.raises(ResourceRefused):
            resolve_template_resource(url, root)


def test_no_resource_outside_templates_is_requested(
    renderer: FeedbackRenderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Render once and record every URL WeasyPrint asked for: fonts and nothing else."""

    asked: list[str] = []
    original = weasy_module.fetch_template_resource

    def recording(url: str, root: Path) -> object:
        asked.append(url)
        return original(url, root)

    monkeypatch.setattr(weasy_module, "fetch_template_resource", recording)
    FeedbackRenderer().render(
        make_result(),
        instansi=INSTANSI,
        unit_average=None,
        generated_on=GENERATED_ON,
        document_id=DOC_ID,
    )
    assert asked, "the fonts are fetched through the restricted fetcher"
    assert all(re.search(r"/templates/fonts/OpenSans-\w+\.ttf$", url) for url in asked), asked


def test_fetcher_refuses_inside_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Raw HTML that asks for local and remote files: WeasyPrint gets a refusal for each."""
    import weasyprint

    outcomes: dict[str, str] = {}
    original = weasy_module.fetch_template_resource

    def recording(url: str, root: Path) -> object:
        try:
            response = original(url, root)
        except ResourceRefused:
            outcomes[url] = "refused"
            raise
        outcomes[url] = "served"
        return response

    monkeypatch.setattr(weasy_module, "fetch_template_resource", recording)
    html = (
        '<link rel="stylesheet" href="https://example.invalid/x.css">'
        '<img src="file:///etc/hostname"><img src="../pyproject.toml">'
        '<img src="fonts/OpenSans-Regular.ttf">'
    )
    weasyprint.HTML(
        string=html,
        base_url=str(templates_dir()),
        url_fetcher=TemplatesOnlyFetcher(templates_dir()),
    ).write_pdf()
    served = [url for url, outcome in outcomes.items() if outcome == "served"]
    refused = sorted(url for url, outcome in outcomes.items() if outcome == "refused")
    assert [url.rsplit("/", 2)[-2:] for url in served] == [["fonts", "OpenSans-Regular.ttf"]]
    assert refused == sorted(
        [
            "https://example.invalid/x.css",
            "file:///etc/hostname",
            (templates_dir().parent / "pyproject.toml").as_uri(),
        ]
    )


def _iter_pages_text(pdf: bytes) -> Iterator[str]:
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        yield page.extract_text()


def test_first_page_holds_letterhead_and_result(pdf: bytes) -> None:
    first = _flat(next(_iter_pages_text(pdf)))
    assert "Umpan Balik Kinerja Pegawai" in first
    assert "Predikat Kinerja" in first
    assert "Halaman 1 dari" in first


# --- the trend -----------------------------------------------------------------------------------

TREND = (  # deliberately out of order: the PDF shows them oldest first
    TrendPoint(PERIODE, 85.0, Rating.DI_ATAS, 71.25, Rating.SESUAI, Predikat.BAIK),
    TrendPoint(
        Periode(2026, 9), 45.0, Rating.DI_BAWAH, 70.0, Rating.SESUAI, Predikat.BUTUH_PERBAIKAN
    ),
    TrendPoint(Periode(2026, 10), 66.3, Rating.SESUAI, 44.1, Rating.DI_BAWAH, Predikat.KURANG),
)


def _pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_trend_section_with_three_periods(renderer: FeedbackRenderer, pdf: bytes) -> None:
    with_trend = _render(renderer, make_result(), trend=TREND)
    text = _flat(_text(with_trend))
    assert "Tren Kinerja" in text
    assert "Nilai Hasil Kerja Nilai Perilaku Kerja" in text  # the chart's legend
    assert "Sep 2026" in text and "Okt 2026" in text and "Nov 2026" in text  # the chart's axis
    # The table, oldest first, with a decimal comma.
    assert "September 2026 45,0 70,0 Butuh Perbaikan" in text
    assert "Oktober 2026 66,3 44,1 Kurang/Misconduct" in text
    assert "November 2026 85,0 71,3 Baik" in text  # 71.25 rounded half up
    assert text.index("September 2026 45,0") < text.index("Oktober 2026 66,3")
    assert "Tren akan tampil" not in text
    # Compact: the trend costs at most one page more for this result (it did cost none before
    # the identity table gained the regulation's rows: Pangkat, method, capaian, unit head).
    assert _pages(with_trend) <= _pages(pdf) + 1


def test_no_trend_section_without_history(text: str) -> None:
    assert "Tren Kinerja" not in text
    assert "Tren akan tampil" not in text


def test_one_period_gives_a_sentence(renderer: FeedbackRenderer) -> None:
    html = renderer.render_html(
        make_result(),
        instansi=INSTANSI,
        unit_average=None,
        generated_on=GENERATED_ON,
        document_id=DOC_ID,
        trend=TREND[:1],
    )
    assert "Tren Kinerja" in html
    assert "Tren akan tampil setelah ada penilaian dari dua periode atau lebih." in html
    assert "<svg" not in html.split("Tren Kinerja", 1)[1].split("</section>", 1)[0]


def test_write_passes_the_trend(tmp_path: Path, renderer: FeedbackRenderer) -> None:
    target = tmp_path / "tren.pdf"
    renderer.write(
        make_result(),
        target,
        instansi=INSTANSI,
        unit_average=None,
        generated_on=GENERATED_ON,
        document_id=DOC_ID,
        trend=TREND,
    )
    assert "Oktober 2026 66,3 44,1 Kurang/Misconduct" in _flat(_text(target.read_bytes()))


@pytest.mark.parametrize(
    ("month", "label"),
    [(1, "Jan 2027"), (5, "Mei 2027"), (8, "Agu 2027"), (10, "Okt 2027"), (12, "Des 2027")],
)
def test_short_period_label(month: int, label: str) -> None:
    assert short_period_label(Periode(2027, month)) == label


SVG = "{http://www.w3.org/2000/svg}"


def _series(svg: str) -> list[list[tuple[float, float]]]:
    """The points of each line in a chart (the two series come first, then the legend samples)."""
    root = ElementTree.fromstring(svg)
    return [
        [(float(x), float(y)) for x, y in (xy.split(",") for xy in line.get("points", "").split())]
        for line in root.iter(f"{SVG}polyline")
    ]


def test_trend_chart_is_self_contained_and_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    import kinerja_batch.documents.chart as chart_module

    monkeypatch.setattr(chart_module, "TREND_LEGEND_HASIL", 'Hasil <Kerja> & "mutu"')
    svg = trend_chart(sorted(TREND, key=lambda p: p.periode))
    root = ElementTree.fromstring(svg)  # well-formed XML
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert texts[-2:] == ['Hasil <Kerja> & "mutu"', "Nilai Perilaku Kerja"]  # the legend
    assert "<Kerja>" not in svg
    assert [t for t in texts if t.endswith("2026")] == ["Sep 2026", "Okt 2026", "Nov 2026"]
    assert [t for t in texts if t.isdigit()] == ["0", "25", "50", "75", "100"]  # the axis
    assert "href" not in svg and "url(" not in svg and "<image" not in svg
    assert root.get("aria-label") == "Tren Nilai Hasil Kerja dan Nilai Perilaku Kerja (0-100)"

    hasil, perilaku = _series(svg)[:2]
    assert [x for x, _ in hasil] == [x for x, _ in perilaku]  # one column per period
    assert hasil[0][0] < hasil[1][0] < hasil[2][0]  # oldest on the left
    assert hasil[0][1] > hasil[1][1] > hasil[2][1]  # 45,0 -> 66,3 -> 85,0 rises (y grows down)
    assert perilaku[1][1] > perilaku[0][1] > perilaku[2][1]  # 70,0 -> 44,1 -> 71,3
    width, height = (float(v) for v in root.get("viewBox", "").split()[2:])
    for x, y in hasil + perilaku:  # every point inside the picture
        assert 0 < x < width and 0 < y < height


def test_trend_chart_clamps_values_to_0_100() -> None:
    kurang = (Rating.DI_BAWAH, Predikat.KURANG)
    wild = (
        TrendPoint(Periode(2026, 10), 150.0, Rating.DI_ATAS, -20.0, *kurang),
        TrendPoint(PERIODE, 100.0, Rating.DI_ATAS, 0.0, *kurang),
    )
    hasil, perilaku = _series(trend_chart(wild))[:2]
    assert hasil[0][1] == hasil[1][1]  # 150 drawn as 100
    assert perilaku[0][1] == perilaku[1][1]  # -20 drawn as 0


# --- the lean user-agent stylesheet (render/weasy.py) ----------------------------------------------


def test_lean_user_agent_css_keeps_what_our_documents_use() -> None:
    from weasyprint import html as weasy_html

    lean = weasy_module.lean_user_agent_css(weasy_html.UA)
    assert lean is not None, "the installed WeasyPrint's stylesheet is not the expected one"
    assert "li::marker" in lean
    assert "\n::marker" not in lean
    assert "footnote-call" not in lean and "note-callback" not in lean
    assert "@footnote" in lean  # page-area rules stay: only the per-element pseudo rules go
    assert lean.count("{") == weasy_html.UA.count("{") - weasy_module.NOTE_RULES_EXPECTED
    # Anything else than the expected stylesheet is left to WeasyPrint, unchanged.
    assert weasy_module.lean_user_agent_css("p { margin: 0 }") is None
    assert weasy_module.lean_user_agent_css(weasy_html.UA + "\n::marker { color: red }") is None


def _page_streams(pdf: bytes) -> list[bytes]:
    streams = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        contents = page.get_contents()
        assert contents is not None
        streams.append(contents.get_data())
    return streams


def test_lean_user_agent_stylesheet_changes_nothing_on_the_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lean stylesheet is a speed-up only: every page draws exactly what the stock one draws
    (same drawing operators, byte for byte), for a feedback PDF with every section in it."""
    perilaku = dataclasses.replace(make_result().perilaku, rating=Rating.DI_ATAS)  # overridden
    result = make_result(perilaku=perilaku, predikat=Predikat.SANGAT_BAIK)
    options: dict[str, object] = {"unit_average": UNIT_AVERAGE, "trend": TREND}
    assert weasy_module._lean_user_agent_stylesheet() is not None
    lean = _render(FeedbackRenderer(), result, **options)
    monkeypatch.setattr(weasy_module, "_lean_user_agent_stylesheet", lambda: None)
    stock = _render(FeedbackRenderer(), result, **options)
    assert len(_page_streams(lean)) >= 3
    assert _page_streams(lean) == _page_streams(stock)
