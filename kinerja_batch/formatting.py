"""Numbers and dates as an Indonesian reader writes them: `82,5`, `1.250.000`, `30 November 2026`.

Every function is also a Jinja filter (see `FILTERS`). A value that is not known (`None`) is shown
as a dash, so that a blank never looks like a zero. `check_message` words HR's checks from their
code and numbers with the templates of `findings.CHECK_CATALOGUE`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
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


# An ISO date (`2026-12-15`), with a time of day or not (`2026-12-15 00:00:00`, `2026-12-15T08:30`),
# standing on its own: not part of a longer number or code (`NO-2026-12-15-01` stays as it is).
_ISO_DATE = re.compile(
    r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?(?![\w-])"
)


def tanggal_dalam_teks(text: str) -> str:
    """A free text with every ISO date in it written as Indonesians write dates: `Selesai
    2026-12-15` -> `Selesai 15 Desember 2026`; a time other than midnight is kept (`15 Desember
    2026 08.30`). A program that stores a date cell as text writes it this way; people never read
    it so. Something that only looks like a date (`2026-13-45`) is left as it is."""

    def indonesian(m: re.Match[str]) -> str:
        year, month, day, hour, minute = m.groups()
        try:
            shown = tanggal(dt.date(int(year), int(month), int(day)))
        except ValueError:
            return m.group(0)
        if hour is None or (hour, minute) == ("00", "00"):
            return shown
        return f"{shown} {hour}.{minute}"

    return _ISO_DATE.sub(indonesian, text)


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
    "tanggal_dalam_teks": tanggal_dalam_teks,
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
