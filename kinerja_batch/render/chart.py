"""An inline SVG bar chart: the employee's normalised score (0-100) per criterion, grouped by Jenis,
beside the unit's average where one may be shown.

The chart is a plain string of SVG built here, every text escaped; it refers to nothing outside
itself, so it renders the same in any PDF without fetching a resource.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from kinerja_batch.model import DimensionResult
from kinerja_batch.render.formatting import desimal

LEGEND_EMPLOYEE = "Nilai pegawai"
LEGEND_AVERAGE = "Rata-rata unit kerja"
AXIS_TITLE = "Nilai normal (0-100)"

EMPLOYEE_COLOUR = "#1f3a5f"
AVERAGE_COLOUR = "#9aa9bb"
GRID_COLOUR = "#d9dee5"
TEXT_COLOUR = "#1d2733"
MUTED_COLOUR = "#5b6675"
FONT = "Open Sans, sans-serif"

WIDTH = 680.0
LABEL_X = 0.0
BAR_X = 270.0  # where 0 lies
BAR_WIDTH = 360.0  # 0..100
LABEL_CHARS = 42  # per label line, at the label font size
LABEL_LINES = 2
LINE_HEIGHT = 13.0
FONT_SIZE = 10.5


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: float  # 0-100
    average: float | None  # 0-100, None where not shown


@dataclass(frozen=True)
class ChartGroup:
    title: str
    rows: tuple[ChartRow, ...]


def criteria_chart(
    dimensions: Sequence[DimensionResult], unit_average: Mapping[str, float] | None
) -> str:
    """The chart of a result's criteria; `unit_average` maps criterion kode -> unit mean (0-100)."""
    averages = None if unit_average is None else {k.casefold(): v for k, v in unit_average.items()}
    groups = tuple(
        ChartGroup(
            title=str(dimension.jenis),
            rows=tuple(
                ChartRow(
                    label=item.criterion.nama or item.criterion.kode,
                    value=item.normalised,
                    average=None
                    if averages is None
                    else averages.get(item.criterion.kode.casefold()),
                )
                for item in dimension.criteria
            ),
        )
        for dimension in dimensions
        if dimension.criteria
    )
    return bar_chart_svg(groups, show_average=averages is not None)


def _n(x: float) -> str:
    return f"{x:.1f}"


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = FONT_SIZE,
    anchor: str = "start",
    weight: str = "normal",
    colour: str = TEXT_COLOUR,
) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{colour}">{escape(content)}</text>'
    )


def _rect(x: float, y: float, width: float, height: float, colour: str) -> str:
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(width, 0.0))}" '
        f'height="{_n(height)}" fill="{colour}"/>'
    )


def _label_lines(label: str) -> list[str]:
    lines = textwrap.wrap(" ".join(label.split()), LABEL_CHARS, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        last = lines[-1]
        lines[-1] = (last[: LABEL_CHARS - 1].rstrip() if len(last) >= LABEL_CHARS else last) + "…"
    return lines


def _x(value: float) -> float:
    return BAR_X + BAR_WIDTH * min(max(value, 0.0), 100.0) / 100.0


def bar_chart_svg(groups: Sequence[ChartGroup], *, show_average: bool) -> str:
    """Horizontal bars, one row per criterion, a heading per group, a legend and a 0-100 axis."""
    parts: list[str] = []
    y = 4.0

    # Legend.
    legend_x = BAR_X
    parts.append(_rect(legend_x, y, 12, 10, EMPLOYEE_COLOUR))
    parts.append(_text(legend_x + 16, y + 9, LEGEND_EMPLOYEE))
    if show_average:
        legend_x += 16 + 6 * len(LEGEND_EMPLOYEE) + 24
        parts.append(_rect(legend_x, y + 2, 12, 6, AVERAGE_COLOUR))
        parts.append(_text(legend_x + 16, y + 9, LEGEND_AVERAGE))
    y += 22.0

    plot_top = y
    bar_height = 10.0
    avg_height = 6.0
    rows_svg: list[str] = []
    for group in groups:
        rows_svg.append(_text(LABEL_X, y + 11, group.title, weight="bold", size=11))
        y += 17.0
        for row in group.rows:
            lines = _label_lines(row.label)
            content_height = bar_height + (avg_height + 2 if show_average else 0)
            row_height = max(len(lines) * LINE_HEIGHT, content_height) + 7
            text_top = y + (row_height - len(lines) * LINE_HEIGHT) / 2
            for i, line in enumerate(lines):
                rows_svg.append(_text(LABEL_X + 8, text_top + (i + 1) * LINE_HEIGHT - 2.5, line))
            bar_top = y + (row_height - content_height) / 2
            rows_svg.append(
                _rect(BAR_X, bar_top, _x(row.value) - BAR_X, bar_height, EMPLOYEE_COLOUR)
            )
            rows_svg.append(
                _text(_x(row.value) + 4, bar_top + bar_height - 1.5, desimal(row.value), size=9.5)
            )
            if show_average and row.average is not None:
                avg_top = bar_top + bar_height + 2
                rows_svg.append(
                    _rect(BAR_X, avg_top, _x(row.average) - BAR_X, avg_height, AVERAGE_COLOUR)
                )
                rows_svg.append(
                    _text(
                        _x(row.average) + 4,
                        avg_top + avg_height,
                        desimal(row.average),
                        size=8.5,
                        colour=MUTED_COLOUR,
                    )
                )
            y += row_height
        y += 4.0
    plot_bottom = y

    # Grid and axis, drawn first so that the bars lie on top.
    grid: list[str] = []
    for tick in (0, 25, 50, 75, 100):
        x = _x(tick)
        grid.append(
            f'<line x1="{_n(x)}" y1="{_n(plot_top)}" x2="{_n(x)}" y2="{_n(plot_bottom)}" '
            f'stroke="{GRID_COLOUR if tick else MUTED_COLOUR}" stroke-width="0.8"/>'
        )
        grid.append(
            _text(x, plot_bottom + 12, str(tick), size=9, anchor="middle", colour=MUTED_COLOUR)
        )
    grid.append(
        _text(
            BAR_X + BAR_WIDTH / 2,
            plot_bottom + 25,
            AXIS_TITLE,
            size=9,
            anchor="middle",
            colour=MUTED_COLOUR,
        )
    )
    height = plot_bottom + 30

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {_n(WIDTH)} '
        f'{_n(height)}" width="{_n(WIDTH)}" height="{_n(height)}" font-family="{FONT}" '
        f'role="img" aria-label="{escape(AXIS_TITLE)}">'
        + "".join(grid + parts + rows_svg)
        + "</svg>"
    )
