"""Turning what people type into values: numbers, periods, NIPs, ratings, labels.

Pure functions. Each parser either returns a value or raises `ParseError` with the finding code and
the parameters its message needs; the caller knows the place and turns it into a finding.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kinerja_batch.formatting import tanggal
from kinerja_batch.model import Granularity, Jenis, Periode, Rating

Raw = object  # a cell value as a reader gives it: str, int, float, bool, date, datetime, Percent, None


@dataclass(frozen=True)
class Percent:
    """A number stored as a fraction and shown as a percentage (a cell with a percent format):
    `95%` typed in a spreadsheet is stored as 0.95. The number format is part of the value: people
    read and mean the percent they see."""

    fraction: float

    @property
    def shown(self) -> float:
        """The number before the `%` sign, as the cell shows it: 0.95 -> 95 (exactly, not
        94.99999999999999)."""
        return float(Decimal(repr(self.fraction)) * 100)


class ParseError(ValueError):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


_SPACES = re.compile(r"\s+")


def label_key(label: object) -> str:
    """How sheet names, headers and form labels are compared: case and spacing ignored."""
    return _SPACES.sub(" ", str(label).replace("\u00a0", " ")).strip().casefold()


def is_blank(raw: Raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.replace("\u00a0", " ").strip())


def text(raw: Raw) -> str:
    """A cell as text, the way a person reads it: `85.0` becomes `85`, outer spaces trimmed."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "BENAR" if raw else "SALAH"
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    if isinstance(raw, Percent):
        return f"{text(raw.shown)}%"
    if isinstance(raw, dt.datetime):  # dates as Indonesians write them, never ISO
        shown = tanggal(raw.date())
        return shown if raw.time() == dt.time() else f"{shown} {raw:%H.%M}"
    if isinstance(raw, dt.date):
        return tanggal(raw)
    return str(raw).replace("\u00a0", " ").strip()


# --- numbers -------------------------------------------------------------------------------------

_PLAIN = re.compile(r"[+-]?\d+")
_GROUPED_DOT = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")
_GROUPED_COMMA = re.compile(r"[+-]?\d{1,3}(,\d{3})+")


def parse_number(raw: Raw, *, ratio: bool = False) -> float:
    """Read a number typed as a number or as text (`85`, `85,5`, `85.5`, `85%`, `1.250.000`).

    A percent, typed as text or a number in a percent-formatted cell, gives 85 for `85%`, or 0.85
    where the column is a `ratio`. A single dot followed by three digits (`1.250`) could be a
    thousand separator or a decimal point, so it is refused.
    """
    if isinstance(raw, bool) or raw is None:
        raise ParseError("bukan-angka")
    if isinstance(raw, Percent):
        if not math.isfinite(raw.fraction):
            raise ParseError("bukan-angka")
        return raw.fraction if ratio else raw.shown
    if isinstance(raw, int | float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ParseError("bukan-angka")
        return float(raw)
    if not isinstance(raw, str):
        raise ParseError("bukan-angka")
    s = raw.replace("\u00a0", " ").strip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    value = _parse_decimal_text(s)
    if percent and ratio:
        return value / 100
    return value


def _parse_decimal_text(s: str) -> float:
    if not s:
        raise ParseError("bukan-angka")
    if _PLAIN.fullmatch(s):
        return float(s)
    has_dot, has_comma = "." in s, "," in s
    if has_dot and has_comma:
        decimal = "." if s.rfind(".") > s.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        whole, _, frac = s.rpartition(decimal)
        grouped = re.fullmatch(rf"[+-]?\d{{1,3}}(\{thousands}\d{{3}})+", whole)
        if not grouped or not frac.isdigit():
            raise ParseError("bukan-angka")
        return float(whole.replace(thousands, "") + "." + frac)
    sep = "." if has_dot else ","
    if s.count(sep) > 1:
        pattern = _GROUPED_DOT if sep == "." else _GROUPED_COMMA
        if not pattern.fullmatch(s):
            raise ParseError("bukan-angka")
        return float(s.replace(sep, ""))
    m = re.fullmatch(r"([+-]?)(\d*)[.,](\d+)", s)
    if not m:
        raise ParseError("bukan-angka")
    sign, whole, frac = m.groups()
    if sep == "." and len(frac) == 3 and whole not in ("", "0"):
        raise ParseError("angka-ambigu")
    return float(f"{sign}{whole or '0'}.{frac}")


# --- periods -------------------------------------------------------------------------------------

_MONTH_NAMES: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("januari", "january", "jan"),
        ("februari", "february", "feb", "pebruari", "peb"),
        ("maret", "march", "mar"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("agustus", "august", "agu", "agt", "aug", "ags"),
        ("september", "sept", "sep"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nopember", "nov", "nop"),
        ("desember", "december", "des", "dec"),
    ),
    start=1,
):
    for _name in _names:
        _MONTH_NAMES[_name] = _number


_QUARTER_NUMBERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_WORD = r"(?:triwulan|triw|trw|tw|kuartal|kwartal|quarter|q)"
_QUARTER_NUMBER = r"(?:ke[ -]?)?(iv|iii|ii|i|[1-4])"
_QUARTER_PATTERNS = (
    # Triwulan III 2026, TW III/2026, TW 3 2026, Q3 2026, Q3-2026, triwulan ke-3 tahun 2026
    re.compile(rf"{_QUARTER_WORD}[ .-]*{_QUARTER_NUMBER}[ ./,-]*(?:tahun )?(\d{{4}})"),
    # 2026-Q3, 2026 Q3, 2026/TW III
    re.compile(rf"(\d{{4}})[ ./-]*{_QUARTER_WORD}[ .-]*{_QUARTER_NUMBER}"),
)


def parse_periode(raw: Raw, granularity: Granularity | None = None) -> Periode:
    """A month (`2026-11`, `11/2026`, `November 2026`, `Nov 2026`, or a date in it, cell or text)
    or a quarter (`Triwulan III 2026`, `TW III/2026`, `TW 3 2026`, `2026-Q3`, `Q3 2026`).

    With the agency's `granularity`, the period is the agency's: in a quarterly agency a month or
    a date is the quarter it lies in; in a monthly agency a quarter is refused
    (`periode-triwulan-di-instansi-bulanan`). Without it, the period is what was written."""
    written = _written_periode(raw)
    if granularity is None:
        return written
    periode = written.within(granularity)
    if periode is None:
        raise ParseError("periode-triwulan-di-instansi-bulanan", found=written.label)
    return periode


def _written_periode(raw: Raw) -> Periode:
    if isinstance(raw, dt.date):  # datetime is a date too
        return Periode(raw.year, raw.month)
    if not isinstance(raw, str):
        raise ParseError("periode-tidak-valid")
    s = label_key(raw)
    patterns: tuple[tuple[str, tuple[int, int]], ...] = (
        (r"(\d{4})[-/.](\d{1,2})", (1, 2)),  # 2026-11
        (r"(\d{1,2})[-/.](\d{4})", (2, 1)),  # 11/2026
        (r"(\d{4})-(\d{1,2})-\d{1,2}", (1, 2)),  # 2026-11-30
        (r"\d{1,2}[-/.](\d{1,2})[-/.](\d{4})", (2, 1)),  # 30/11/2026
    )
    for pattern, (year_group, month_group) in patterns:
        m = re.fullmatch(pattern, s)
        if m:
            return _periode(int(m.group(year_group)), int(m.group(month_group)))
    m = re.fullmatch(r"(?:\d{1,2} )?([a-z]+)\.?[ -]?(\d{4})", s)
    if m and m.group(1) in _MONTH_NAMES:
        return _periode(int(m.group(2)), _MONTH_NAMES[m.group(1)])
    for index, quarter_pattern in enumerate(_QUARTER_PATTERNS):
        m = quarter_pattern.fullmatch(s)
        if m:
            year, number = (m.group(2), m.group(1)) if index == 0 else (m.group(1), m.group(2))
            return _triwulan(int(year), _QUARTER_NUMBERS[number])
    raise ParseError("periode-tidak-valid")


def _periode(year: int, month: int) -> Periode:
    if not (1 <= month <= 12 and 1900 <= year <= 2999):
        raise ParseError("periode-tidak-valid")
    return Periode(year, month)


def _triwulan(year: int, quarter: int) -> Periode:
    if not 1900 <= year <= 2999:
        raise ParseError("periode-tidak-valid")
    return Periode.triwulan(year, quarter)


# --- NIP -----------------------------------------------------------------------------------------


def parse_nip(raw: Raw) -> str:
    """An 18-digit NIP (PNS) or NI PPPK, kept as text; spaces inside are removed."""
    if isinstance(raw, bool):
        raise ParseError("nip-format", digits=0)
    if isinstance(raw, int | float):
        shown = f"{raw:.5E}" if isinstance(raw, float) else str(raw)
        raise ParseError("nip-angka", shown=shown)
    s = "".join(text(raw).split())
    if not s.isdigit() or len(s) != 18:
        raise ParseError("nip-format", digits=sum(ch.isdigit() for ch in s))
    try:
        birth = dt.date(int(s[0:4]), int(s[4:6]), int(s[6:8]))
    except ValueError:
        raise ParseError("nip-tanggal-lahir", part=s[0:8]) from None
    if birth.year < 1900:
        raise ParseError("nip-tanggal-lahir", part=s[0:8])
    appointed = int(s[8:12])
    is_pns = 1 <= int(s[12:14]) <= 12
    is_pppk = s[12] == "2" and s[13] != "0"
    if not (is_pns or is_pppk) or not (birth.year + 14 <= appointed <= birth.year + 80):
        raise ParseError("nip-tmt", part=s[8:14])
    if s[14] not in "12":
        raise ParseError("nip-jenis-kelamin", part=s[14])
    return s


def format_nip(nip: str) -> str:
    """The grouped form people read: `19850312 201001 1 005` (PNS) or `20001231 2024 2 1 1 001`."""
    if len(nip) != 18:
        return nip
    if nip[12] == "2" and nip[13] != "0":
        return f"{nip[0:8]} {nip[8:12]} {nip[12]} {nip[13]} {nip[14]} {nip[15:]}"
    return f"{nip[0:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


# --- ratings and kinds ---------------------------------------------------------------------------


def _letters(raw: Raw) -> str:
    return re.sub(r"[^a-z]", "", text(raw).casefold())


_RATINGS = {
    "diatasekspektasi": Rating.DI_ATAS,
    "diatas": Rating.DI_ATAS,
    "sesuaiekspektasi": Rating.SESUAI,
    "sesuai": Rating.SESUAI,
    "dibawahekspektasi": Rating.DI_BAWAH,
    "dibawah": Rating.DI_BAWAH,
}


def parse_rating(raw: Raw) -> Rating:
    """Any spelling seen in real files: `Diatas Ekspektasi`, `di bawah ekspektasi`, ..."""
    try:
        return _RATINGS[_letters(raw)]
    except KeyError:
        raise ParseError("rating-tidak-valid") from None


_JENIS = {
    "hasilkerja": Jenis.HASIL,
    "hasil": Jenis.HASIL,
    "perilakukerja": Jenis.PERILAKU,
    "perilaku": Jenis.PERILAKU,
}


def parse_jenis(raw: Raw) -> Jenis:
    try:
        return _JENIS[_letters(raw)]
    except KeyError:
        raise ParseError("jenis-kriteria-tidak-valid") from None


_EMAIL = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[A-Za-z]{2,}")


def is_valid_email(address: str) -> bool:
    return bool(_EMAIL.fullmatch(address))
