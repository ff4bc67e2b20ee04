import pytest

from kinerja_batch import compute
from kinerja_batch.findings import Source
from kinerja_batch.model import Criterion, Jenis, Predikat, Rating, Thresholds

D = Rating.DI_ATAS
S = Rating.SESUAI
B = Rating.DI_BAWAH


def crit(kode: str, bobot: float, low: float = 1, high: float = 5) -> Criterion:
    return Criterion(kode, Jenis.HASIL, "Semua", kode, bobot, low, high, "", Source())


@pytest.mark.parametrize(
    ("hasil", "perilaku", "expected"),
    [
        (D, B, Predikat.KURANG),
        (D, S, Predikat.BAIK),
        (D, D, Predikat.SANGAT_BAIK),
        (S, B, Predikat.KURANG),
        (S, S, Predikat.BAIK),
        (S, D, Predikat.BAIK),
        (B, B, Predikat.SANGAT_KURANG),
        (B, S, Predikat.BUTUH_PERBAIKAN),
        (B, D, Predikat.BUTUH_PERBAIKAN),
    ],
)
def test_predikat_matrix_all_nine_cells(
    hasil: Rating, perilaku: Rating, expected: Predikat
) -> None:
    assert compute.predikat(hasil, perilaku) is expected


def test_predikat_labels_are_canonical() -> None:
    assert [p.value for p in Predikat] == [
        "Sangat Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang/Misconduct",
        "Sangat Kurang",
    ]


DEFAULT = Thresholds(di_atas=80, sesuai=50)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100.0, D),
        (80.0, D),
        (79.95, D),  # shown as 80,0: never rated below an 80 threshold
        (79.9, S),
        (79.94, S),  # shown as 79,9
        (50.0, S),
        (49.95, S),  # shown as 50,0
        (49.9, B),
        (0.0, B),
    ],
)
def test_threshold_boundaries(value: float, expected: Rating) -> None:
    assert compute.rate(value, DEFAULT) is expected


def test_custom_thresholds() -> None:
    t = Thresholds(di_atas=90, sesuai=60.5)
    assert compute.rate(90.0, t) is D
    assert compute.rate(89.9, t) is S
    assert compute.rate(60.5, t) is S
    assert compute.rate(60.4, t) is B


@pytest.mark.parametrize(
    ("nilai", "low", "high", "expected"),
    [(1, 1, 5, 0.0), (5, 1, 5, 100.0), (4, 1, 5, 75.0), (3, 1, 4, 200 / 3), (85, 0, 100, 85.0)],
)
def test_normalise(nilai: float, low: float, high: float, expected: float) -> None:
    assert compute.normalise(nilai, low, high) == pytest.approx(expected)


def test_weighted_value_is_exact_and_rounded_half_up() -> None:
    # 4 on 1-5 (75) weight 60, 5 on 1-5 (100) weight 40 -> 85.0
    assert compute.weighted_value([(crit("A", 60), 4), (crit("B", 40), 5)]) == 85.0
    # 1/3 of 75 + 2/3 of 100 = 91.666.. -> 91.7
    assert compute.weighted_value([(crit("A", 1), 4), (crit("B", 2), 5)]) == 91.7
    # exactly 79.95 -> 80.0 (half up, no float drift)
    assert (
        compute.weighted_value([(crit("A", 50, 0, 100), 79.9), (crit("B", 50, 0, 100), 80)]) == 80.0
    )
    # 0.05 on a 0-1 scale -> 5.0; weights that are not integers
    assert (
        compute.weighted_value([(crit("A", 12.5, 0, 1), 0.5), (crit("B", 87.5, 0, 1), 0.5)]) == 50.0
    )


def test_weighted_value_needs_criteria() -> None:
    with pytest.raises(ValueError):
        compute.weighted_value([])


def test_evaluate_dimension_with_and_without_override() -> None:
    scored = [(crit("A", 50), 4.0, "baik"), (crit("B", 50), 3.0, "")]  # 75, 50 -> 62.5
    dim = compute.evaluate_dimension(Jenis.HASIL, scored, DEFAULT)
    assert dim.value == 62.5
    assert dim.computed_rating is S and dim.rating is S and not dim.overridden
    assert [c.normalised for c in dim.criteria] == [75.0, 50.0]
    assert dim.criteria[0].catatan == "baik"
    decided = compute.evaluate_dimension(Jenis.HASIL, scored, DEFAULT, override=D)
    assert decided.computed_rating is S and decided.rating is D and decided.overridden
