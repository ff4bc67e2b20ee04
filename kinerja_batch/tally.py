"""A period's tallies in one place: who is in which unit with what status and predikat, and the mean
Nilai and criterion scores per unit and per supervisor.

`PeriodTally.of(outcome)` builds three tidy pandas tables once per period: `employees`, one row per
roster employee (roster order), `scores`, one row per evaluated employee and criterion, and
`achievements`, one row per self-reported realisation with a target of a Hasil Kerja criterion the
employee was scored on. The summary's sheets, HR's checks, the status rows and the PDFs' unit
averages all read from it. Pure: plain data in, plain data out.

Units are the same unit whatever their case and spacing (`model.unit_key`); a unit is shown as it
is first spelled in the roster and units are listed by their key. Means are `statistics.fmean`
(the sum rounded once, then divided), so they do not depend on the order of the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from kinerja_batch.model import (
    STATUS_ORDER,
    EmployeeOutcome,
    EmployeeResult,
    Jenis,
    PeriodOutcome,
    Predikat,
    Status,
    unit_key,
)

if TYPE_CHECKING:  # pandas is imported when a tally is built, not when this module is
    import pandas as pd

INSTANSI_SCOPE = "Seluruh instansi"  # the scope of the whole organisation, before its units
PREDIKAT_ORDER: tuple[Predikat, ...] = tuple(Predikat)
VALUE_COLUMNS: dict[Jenis, str] = {Jenis.HASIL: "nilai_hasil", Jenis.PERILAKU: "nilai_perilaku"}
EMPLOYEE_COLUMNS = (
    "nip",
    "nama",
    "unit_key",
    "unit_kerja",  # as written in the employee's roster row (stripped)
    "status",
    "predikat",  # blank (NaN) where the employee was not evaluated, as are the two below
    *VALUE_COLUMNS.values(),
    "nip_penilai",
)  # then "unit": the unit as first spelled in the roster
SCORE_COLUMNS = ("position", "unit_key", "nip_penilai", "kode", "jenis", "normalised")
# "percent": realisation as a percentage of target (`model.Achievement.percent`)
ACHIEVEMENT_COLUMNS = ("position", "nip_penilai", "kode", "percent")
_STATUS_RANK = {s.value: i for i, s in enumerate(STATUS_ORDER)}


@dataclass(frozen=True)
class UnitTally:
    """One unit: its employees by status and by predikat, and the mean Nilai per Jenis of its
    evaluated employees (None where it has fewer of them than the minimum asked for)."""

    key: str  # model.unit_key
    name: str  # as first spelled in the roster
    employees: int
    status: dict[Status, int]  # every status, in STATUS_ORDER
    predikat: dict[Predikat, int]  # every predikat, best first
    means: dict[Jenis, float] | None

    @property
    def evaluated(self) -> int:
        return sum(self.predikat.values())


@dataclass(frozen=True)
class Scope:
    """The predikat of the evaluated employees of the whole organisation or of one unit."""

    name: str  # INSTANSI_SCOPE or the unit's name
    predikat: dict[Predikat, int]  # every predikat, best first

    @property
    def evaluated(self) -> int:
        return sum(self.predikat.values())


@dataclass(frozen=True, eq=False)
class PeriodTally:
    """One period's tidy tables (build with `PeriodTally.of(outcome)`) and what is counted from
    them: per status and predikat, per unit, per supervisor."""

    outcome: PeriodOutcome
    employees: pd.DataFrame  # EMPLOYEE_COLUMNS and "unit"; one row per roster employee, in order
    scores: pd.DataFrame  # SCORE_COLUMNS; "position" is the employee's row in `employees`
    achievements: pd.DataFrame  # ACHIEVEMENT_COLUMNS; evaluated employees' self-reports only

    @classmethod
    def of(cls, outcome: PeriodOutcome) -> PeriodTally:
        import pandas as pd

        people: list[dict[str, object]] = []
        scores: list[tuple[int, str, str, str, str, float]] = []
        achieved: list[tuple[int, str, str, float]] = []
        for position, o in enumerate(outcome.outcomes):
            e, r = o.employee, o.result
            key = unit_key(e.unit_kerja)
            person: dict[str, object] = {
                "nip": e.nip,
                "nama": e.nama,
                "unit_key": key,
                "unit_kerja": e.unit_kerja.strip(),
                "status": o.status.value,
            }
            if r is not None:
                person["predikat"] = r.predikat.value
                person["nip_penilai"] = r.penilai.nip_penilai
                for d in r.dimensions:
                    person[VALUE_COLUMNS[d.jenis]] = d.value
                    scores += (
                        (
                            position,
                            key,
                            r.penilai.nip_penilai,
                            c.criterion.kode,
                            d.jenis.value,
                            c.normalised,
                        )
                        for c in d.criteria
                    )
                if r.report is not None:
                    hasil = {c.criterion.kode.casefold() for c in r.hasil.criteria}
                    achieved += (
                        (position, r.penilai.nip_penilai, a.kode, a.percent)
                        for a in r.report.achievements
                        if a.percent is not None and a.kode.casefold() in hasil
                    )
            people.append(person)
        employees = pd.DataFrame(people, columns=EMPLOYEE_COLUMNS)
        employees = employees.astype(dict.fromkeys(VALUE_COLUMNS.values(), float))
        # A unit is shown as it is first spelled in the roster.
        employees["unit"] = employees.groupby("unit_key")["unit_kerja"].transform("first")
        table = pd.DataFrame(scores, columns=SCORE_COLUMNS).astype({"normalised": float})
        achievements = pd.DataFrame(achieved, columns=ACHIEVEMENT_COLUMNS)
        return cls(outcome, employees, table, achievements.astype({"percent": float}))

    # --- the whole period ---------------------------------------------------------------------

    def _evaluated(self) -> pd.DataFrame:
        return self.employees[self.employees["predikat"].notna()]

    def status_counts(self) -> dict[Status, int]:
        """Roster employees per status, in STATUS_ORDER."""
        counts = self.employees["status"].value_counts()
        return {s: int(counts.get(s.value, 0)) for s in STATUS_ORDER}

    def predikat_counts(self) -> dict[Predikat, int]:
        """Evaluated employees per predikat, best first."""
        counts = self.employees["predikat"].value_counts()
        return {p: int(counts.get(p.value, 0)) for p in PREDIKAT_ORDER}

    def mean_values(self) -> dict[Jenis, float]:
        """The mean Nilai per Jenis of every evaluated employee (the period must have one)."""
        evaluated = self._evaluated()
        return {j: fmean(evaluated[column]) for j, column in VALUE_COLUMNS.items()}

    # --- units --------------------------------------------------------------------------------

    def units(self, min_employees: int = 1) -> list[UnitTally]:
        """Every unit of the roster, by key. A unit with fewer evaluated employees than
        `min_employees` (`Settings.unit_average_min_employees`) gets no means: a mean over so
        few people could reveal a colleague's Nilai."""
        e, evaluated = self.employees, self._evaluated()
        first = e.groupby("unit_key", sort=True)["unit"].first()
        names = {str(key): str(name) for key, name in first.items()}
        status = _crosstab(e, "unit_key", "status")
        predikat = _crosstab(evaluated, "unit_key", "predikat")
        means = _means_by(evaluated, "unit_key")
        units = []
        for key, name in names.items():
            counts = {p: predikat.get(key, {}).get(p.value, 0) for p in PREDIKAT_ORDER}
            by_status = {s: status[key].get(s.value, 0) for s in STATUS_ORDER}
            shown = sum(counts.values()) >= max(min_employees, 1)
            units.append(
                UnitTally(
                    key=key,
                    name=name,
                    employees=sum(by_status.values()),
                    status=by_status,
                    predikat=counts,
                    means=means[key] if shown else None,
                )
            )
        return units

    def scopes(self) -> list[Scope]:
        """The whole organisation, then each unit with evaluated employees, by key."""
        units = [Scope(u.name, u.predikat) for u in self.units() if u.evaluated]
        return [Scope(INSTANSI_SCOPE, self.predikat_counts()), *units]

    def unit_criterion_means(self, min_employees: int) -> dict[str, dict[str, float] | None]:
        """Per unit key with evaluated employees: criterion kode (as written) -> the mean
        normalised score (0-100). None for a unit with fewer than `min_employees` evaluated
        employees, and a criterion scored for fewer of them is left out, for the same reason."""
        sizes = self._evaluated().groupby("unit_key").size()
        by_criterion = self.scores.groupby(["unit_key", "kode"], sort=False)["normalised"]
        table = by_criterion.agg(["size", fmean])
        means: dict[str, dict[str, float] | None] = {
            str(key): None if n < min_employees else {} for key, n in sizes.items()
        }
        for (key, kode), size, mean in zip(table.index, table["size"], table["fmean"], strict=True):
            unit = means[str(key)]
            if unit is not None and size >= min_employees:
                unit[str(kode)] = float(mean)
        return means

    def roster_by_unit(self) -> list[tuple[str, EmployeeOutcome]]:
        """(the unit's name, the employee's outcome) for every roster employee: by unit key, then
        status (STATUS_ORDER), then name."""
        e = self.employees.assign(rank=self.employees["status"].map(_STATUS_RANK))
        ordered = e.sort_values(["unit_key", "rank", "nama"], kind="stable")
        outcomes = self.outcome.outcomes
        return [
            (str(u), outcomes[int(i)]) for i, u in zip(ordered.index, ordered["unit"], strict=True)
        ]

    # --- supervisors --------------------------------------------------------------------------

    def supervisors(self) -> dict[str, tuple[EmployeeResult, ...]]:
        """The results per supervisor (NIP Penilai), in the order supervisors first appear."""
        outcomes = self.outcome.outcomes
        groups: dict[str, tuple[EmployeeResult, ...]] = {}
        for nip, rows in self._evaluated().groupby("nip_penilai", sort=False):
            groups[str(nip)] = tuple(_result(outcomes[int(i)]) for i in rows.index)
        return groups

    def supervisor_means(self) -> dict[str, dict[Jenis, float]]:
        """Per supervisor (NIP Penilai), the mean Nilai per Jenis of the employees they scored."""
        return _means_by(self._evaluated(), "nip_penilai")

    def employee_figures(self, achievement_cap: float) -> pd.DataFrame:
        """One row per evaluated employee (roster order, indexed by position): "nip_penilai", the
        Nilai per Jenis (VALUE_COLUMNS) and "capaian": the mean of the employee's self-reported
        realisations as percentages of target, each capped at `achievement_cap` so that one
        mistyped figure cannot dominate (NaN where the employee reported none)."""
        percent = self.achievements["percent"].clip(lower=0.0, upper=achievement_cap)
        capaian = percent.groupby(self.achievements["position"]).mean()
        figures = self._evaluated()[["nip_penilai", *VALUE_COLUMNS.values()]]
        return figures.assign(capaian=capaian.reindex(figures.index).astype(float))


def _crosstab(frame: pd.DataFrame, rows: str, columns: str) -> dict[str, dict[str, int]]:
    """How many rows of `frame` have each value of `columns`, per value of `rows`."""
    import pandas as pd

    table = pd.crosstab(frame[rows], frame[columns]).to_dict(orient="index")
    return {str(r): {str(c): int(n) for c, n in counts.items()} for r, counts in table.items()}


def _means_by(evaluated: pd.DataFrame, by: str) -> dict[str, dict[Jenis, float]]:
    """Per value of `by`, the mean Nilai per Jenis of the evaluated employees."""
    columns = list(VALUE_COLUMNS.values())
    table = evaluated.groupby(by, sort=False)[columns].agg(fmean).to_dict(orient="index")
    return {
        str(k): {j: float(row[c]) for j, c in VALUE_COLUMNS.items()} for k, row in table.items()
    }


def tally_of(outcome: PeriodOutcome, given: PeriodTally | None = None) -> PeriodTally:
    """`given` where a caller already has the period's tally (it must be of this very outcome),
    else the tally built from `outcome`."""
    if given is None:
        return PeriodTally.of(outcome)
    if given.outcome is not outcome:
        raise ValueError("the tally given was built from another period outcome")
    return given


def _result(outcome: EmployeeOutcome) -> EmployeeResult:
    assert outcome.result is not None  # only rows with a predikat are asked for
    return outcome.result


def unit_criterion_means(
    outcome: PeriodOutcome, min_employees: int
) -> dict[str, dict[str, float] | None]:
    """Per unit key: criterion kode -> the unit's mean normalised score, or None for a unit with
    fewer than `min_employees` evaluated employees (the PDFs' unit averages)."""
    return PeriodTally.of(outcome).unit_criterion_means(min_employees)
