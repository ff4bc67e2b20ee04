"""Typed values from cells: each reader returns a value or None, and records a finding when the cell
holds something that is not what the column needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from kinerja_batch.findings import Finding, finding
from kinerja_batch.model import Granularity, Jenis, Periode, Rating
from kinerja_batch.parsing import (
    ParseError,
    Raw,
    parse_jenis,
    parse_nip,
    parse_number,
    parse_periode,
    parse_rating,
)
from kinerja_batch.workbooks.reader import FORMULA_WITHOUT_VALUE
from kinerja_batch.workbooks.tables import Cell

T = TypeVar("T")


class Fields:
    """Reads cells for one record; findings it records are tagged with `nip`."""

    def __init__(self, findings: list[Finding], nip: str | None = None) -> None:
        self.findings = findings
        self.tag = nip

    def add(self, code: str, cell: Cell, **params: object) -> None:
        value = params.pop("value", cell.text)
        self.findings.append(finding(code, cell.source, value=value, nip=self.tag, **params))

    def usable(self, cell: Cell) -> bool:
        """False (with a finding) for a formula without a cached value or an Excel error value."""
        if cell.bad is None:
            return True
        if cell.bad == FORMULA_WITHOUT_VALUE:
            self.add("rumus-tanpa-nilai", cell, value="")
        else:
            self.add("sel-galat-excel", cell, value=cell.bad)
        return False

    def text(self, cell: Cell) -> str:
        return cell.text if self.usable(cell) else ""

    def required_text(self, cell: Cell, column: str) -> str | None:
        if not self.usable(cell):
            return None
        if cell.blank:
            self.add("isian-kosong", cell, label=column)
            return None
        return cell.text

    def _parse(
        self, cell: Cell, column: str, parse: Callable[[Raw], T], required: bool
    ) -> T | None:
        if not self.usable(cell):
            return None
        if cell.blank:
            if required:
                self.add("isian-kosong", cell, label=column)
            return None
        try:
            return parse(cell.raw)
        except ParseError as e:
            # `shown` is how the value looks in Excel (e.g. a NIP that became 1.98503E+17)
            self.add(
                e.code, cell, column=column, value=e.params.get("shown", cell.text), **e.params
            )
            return None

    def number(
        self, cell: Cell, column: str, *, required: bool = False, ratio: bool = False
    ) -> float | None:
        return self._parse(cell, column, lambda raw: parse_number(raw, ratio=ratio), required)

    def nip(self, cell: Cell, column: str = "NIP", *, required: bool = True) -> str | None:
        return self._parse(cell, column, parse_nip, required)

    def periode(
        self, cell: Cell, column: str = "Periode", granularity: Granularity | None = None
    ) -> Periode | None:
        """The period in the cell; with the agency's `granularity`, the agency's period (a month in
        a quarterly agency is its quarter; a quarter in a monthly agency is a finding)."""
        return self._parse(cell, column, lambda raw: parse_periode(raw, granularity), True)

    def rating(self, cell: Cell, column: str) -> Rating | None:
        return self._parse(cell, column, parse_rating, False)

    def jenis(self, cell: Cell, column: str = "Jenis") -> Jenis | None:
        return self._parse(cell, column, parse_jenis, True)
