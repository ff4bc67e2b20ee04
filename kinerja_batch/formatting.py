"""Numbers and dates as an Indonesian reader writes them: `82,5`, `1.250.000`, `30 November 2026`.

Every function is also a Jinja filter (see `FILTERS`). A value that is not known (`None`) is shown
as a dash, so that a blank never looks like a zero. `check_message` words HR's checks from their
code and numbers with the templates of `findings.CHECK_CATALOGUE`.
"""

from __future__ import annotations

import datetime as dt
import math
import string
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kinerja_batch.findings import CHECK_CATALOGUE
from kinerja_batch.model import MONTHS_ID

MISSING = "–"  # shown where a value is not known
INFINITE = "tak hingga"  # shown for an infinite number (a distance where the others all agree)


def tanggal(date: dt.date) -> str:
    """`30 November 2026`."""
    return f"{date.day} {MONTHS_ID[date.month - 1]} {date.year}"


def round_half_up(x: float, digits: int = 1) -> Decimal:
    """`x` rounded half up to `digits` decimals, as the reader would round the shown number.

    The float goes through its shortest text form (`82.45`), not its binary expansion
    (`82.4499999...`), so a value that reads as a half is rounded up.
    """
    value = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return abs(value) if value.is_zero() else value  # never show `-0,0`


def _group(whole: str) -> str:
    """`1250000` -> `1.250.000` (Indonesian thousands separator)."""
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.append(digits[-3:])
        digits = digits[:-3]
    groups.append(digits)
    return sign + ".".join(reversed(groups))


def _indonesian(value: Decimal) -> str:
    whole, _, frac = f"{value:f}".partition(".")
    return _group(whole) + (f",{frac}" if frac else "")


def desimal(x: float | None, digits: int = 1) -> str:
    """A number with exactly `digits` decimals and a decimal comma: `82,5`, `100,0`, `1.250,0`."""
    if x is None:
        return MISSING
    return _indonesian(round_half_up(x, digits))


def persen(x: float | None, digits: int = 1) -> str:
    """A percentage already on the 0-100 scale: `92,3%`."""
    if x is None:
        return MISSING
    return f"{desimal(x, digits)}%"


def angka(x: float | None, max_digits: int = 2) -> str:
    """A number without needless decimals: `5`, `4,5`, `0,13`, `1.250.000`."""
    if x is None:
        return MISSING
    value = round_half_up(x, max_digits)
    if value == value.to_integral_value():
        return _indonesian(value.quantize(Decimal(1)))
    return _indonesian(value.normalize())


FILTERS: dict[str, Callable[..., Any]] = {
    "tanggal": tanggal,
    "desimal": desimal,
    "persen": persen,
    "angka": angka,
}


def _joined(separator: str) -> Callable[[Iterable[object]], str]:
    return lambda items: separator.join(str(item) for item in items)


# How a placeholder's value reads, by the name after its colon: `{mean:desimal}`, `{z:desimal.2}`.
_NUMBERS: dict[str, Callable[..., str]] = {"desimal": desimal, "persen": persen, "angka": angka}
_LISTS: dict[str, Callable[[Iterable[object]], str]] = {
    "daftar": _joined(", "),
    "atau": _joined(" atau "),
}


class IndonesianFormatter(string.Formatter):
    """`str.format` with Indonesian numbers and lists: `{mean:desimal}` 82,5, `{z:desimal.2}`
    1,75, `{limit:angka}` 4,5, `{percent:persen}` 48,0%, `{names:daftar}` a, b, `{predikat:atau}`
    a atau b. Any other format spec is Python's own."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        name, _, digits = format_spec.partition(".")
        if name in _LISTS:
            return _LISTS[name](value)
        if name not in _NUMBERS:
            return super().format_field(value, format_spec)
        if isinstance(value, float) and math.isinf(value):
            return INFINITE
        return _NUMBERS[name](value, int(digits)) if digits else _NUMBERS[name](value)


_FORMATTER = IndonesianFormatter()


def check_message(code: str, params: Mapping[str, object]) -> str:
    """The sentence of one of HR's checks (a supervisor's flag, an evidence mismatch, a distribution
    rule) from its code's template in `CHECK_CATALOGUE` and the numbers and names it was given."""
    return _FORMATTER.vformat(CHECK_CATALOGUE[code], (), params)
