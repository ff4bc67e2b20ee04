"""Inline SVG charts: a bar chart of the employee's normalised score (0-100) per criterion, grouped
by Jenis, beside the unit's average where one may be shown; and a line chart of the employee's
Nilai Hasil Kerja and Nilai Perilaku Kerja over the last periods (the trend).

Each chart is a plain string of SVG built here, every text escaped; it refers to nothing outside
itself, so it renders the same in any PDF without fetching a resource.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from kinerja_batch.formatting import desimal
from kinerja_batch.model import DimensionResult, Periode, TrendPoint

LEGEND_EMPLOYEE = "Nilai pegawai"
LEGEND_AVERAGE = "Rata-rata unit kerja"
AXIS_TITLE = "Nilai normal (0-100)"

EMPLOYEE_COLOUR = "#1f3a5f"
AVERAGE_COLOUR = "#9aa9bb"
GRID_COLOUR = "#d9dee5"
TEXT_COLOUR = "#1d2733"
MUTED_COLOUR = "#5b6675"
FONT = "Open Sans, sans-serif"

# Geometry, in SVG user units (the chart is scaled to the text width: 680 units ~ 178 mm).
WIDTH = 680.0
LABEL_X = 0.0
LABEL_INDENT = 8.0
BAR_X = 270.0  # where 0 lies
BAR_WIDTH = 360.0  # 0..100
LABEL_CHARS = 44  # per label line, at the label font size
LABEL_LINES = 2
LINE_HEIGHT = 12.0
FONT_SIZE = 10.5
BAR_HEIGHT = 9.0
AVERAGE_HEIGHT = 5.0
BAR_GAP = 1.5  # between a bar and its average
ROW_PADDING = 5.0
GROUP_TITLE_HEIGHT = 16.0
LEGEND_HEIGHT = 20.0


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
    legend: list[str] = [
        _rect(BAR_X, 2, 12, 9, EMPLOYEE_COLOUR),
        _text(BAR_X + 16, 10, LEGEND_EMPLOYEE),
    ]
    if show_average:
        x = BAR_X + 16 + 6 * len(LEGEND_EMPLOYEE) + 24
        legend += [_rect(x, 4, 12, 5, AVERAGE_COLOUR), _text(x + 16, 10, LEGEND_AVERAGE)]

    plot_top = y = LEGEND_HEIGHT
    bars_height = BAR_HEIGHT + (BAR_GAP + AVERAGE_HEIGHT if show_average else 0)
    rows: list[str] = []
    for group in groups:
        rows.append(_text(LABEL_X, y + 11, group.title, weight="bold", size=11))
        y += GROUP_TITLE_HEIGHT
        for row in group.rows:
            lines = _label_lines(row.label)
            row_height = max(len(lines) * LINE_HEIGHT, bars_height) + ROW_PADDING
            text_top = y + (row_height - len(lines) * LINE_HEIGHT) / 2
            for i, line in enumerate(lines):
                rows.append(
                    _text(LABEL_X + LABEL_INDENT, text_top + (i + 1) * LINE_HEIGHT - 2.5, line)
                )
            top = y + (row_height - bars_height) / 2
            end = _x(row.value)
            rows.append(_rect(BAR_X, top, end - BAR_X, BAR_HEIGHT, EMPLOYEE_COLOUR))
            rows.append(_text(end + 4, top + BAR_HEIGHT - 1, desimal(row.value), size=9.5))
            if show_average and row.average is not None:
                top += BAR_HEIGHT + BAR_GAP
                end = _x(row.average)
                rows.append(_rect(BAR_X, top, end - BAR_X, AVERAGE_HEIGHT, AVERAGE_COLOUR))
                rows.append(
                    _text(
                        end + 4,
                        top + AVERAGE_HEIGHT + 1.5,
                        desimal(row.average),
                        size=8.5,
                        colour=MUTED_COLOUR,
                    )
                )
            y += row_height
        y += 3.0
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
            _text(x, plot_bottom + 11, str(tick), size=9, anchor="middle", colour=MUTED_COLOUR)
        )
    middle = BAR_X + BAR_WIDTH / 2
    grid.append(
        _text(middle, plot_bottom + 23, AXIS_TITLE, size=9, anchor="middle", colour=MUTED_COLOUR)
    )
    height = plot_bottom + 27

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {_n(WIDTH)} '
        f'{_n(height)}" width="{_n(WIDTH)}" height="{_n(height)}" font-family="{FONT}" '
        f'role="img" aria-label="{escape(AXIS_TITLE)}">' + "".join(grid + legend + rows) + "</svg>"
    )


# --- the trend: two lines over the employee's last periods ----------------------------------------

TREND_LEGEND_HASIL = "Nilai Hasil Kerja"
TREND_LEGEND_PERILAKU = "Nilai Perilaku Kerja"
TREND_TITLE = "Tren Nilai Hasil Kerja dan Nilai Perilaku Kerja (0-100)"
HASIL_COLOUR = EMPLOYEE_COLOUR
PERILAKU_COLOUR = "#c77d1a"

# Drawn beside the trend table, at about the text size of the criteria chart (~0.25 mm per unit).
TREND_WIDTH = 330.0
TREND_HEIGHT = 128.0
TREND_PLOT_LEFT = 26.0  # right of the value labels
TREND_PLOT_RIGHT = 326.0
TREND_PLOT_TOP = 24.0  # below the legend
TREND_PLOT_BOTTOM = 106.0  # above the period labels
TREND_INSET = 22.0  # from the plot's edges to the first and last point (half a period label)
TREND_TICKS = (0, 25, 50, 75, 100)


def short_period_label(periode: Periode) -> str:
    """`Nov 2026`: a month's first three letters (the usual Indonesian abbreviations) and year;
    `TW III 2026` for a quarter."""
    return periode.short_label


def _trend_y(value: float) -> float:
    share = min(max(value, 0.0), 100.0) / 100.0
    return TREND_PLOT_BOTTOM - (TREND_PLOT_BOTTOM - TREND_PLOT_TOP) * share


def _marker(x: float, y: float, colour: str, *, square: bool) -> str:
    if square:  # Perilaku Kerja: squares, so the lines differ in grey print too
        return _rect(x - 3.2, y - 3.2, 6.4, 6.4, colour)
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.6" fill="{colour}"/>'


def _polyline(coords: Sequence[tuple[float, float]], colour: str, *, dashed: bool) -> str:
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)
    dash = ' stroke-dasharray="6 3"' if dashed else ""
    return (
        f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"'
        f'{dash} stroke-linejoin="round"/>'
    )


def trend_chart(points: Sequence[TrendPoint]) -> str:
    """Nilai Hasil Kerja and Nilai Perilaku Kerja per period on a 0-100 axis, in the given order
    (oldest first); each period is labelled `Nov 2026` below its points."""
    first_x = TREND_PLOT_LEFT + TREND_INSET
    span = TREND_PLOT_RIGHT - TREND_INSET - first_x
    if len(points) > 1:
        xs = [first_x + i * span / (len(points) - 1) for i in range(len(points))]
    else:  # a single point (the PDF shows a sentence instead) sits in the middle
        xs = [first_x + span / 2] * len(points)

    parts: list[str] = []
    for tick in TREND_TICKS:
        y = _trend_y(tick)
        parts.append(
            f'<line x1="{_n(TREND_PLOT_LEFT)}" y1="{_n(y)}" x2="{_n(TREND_PLOT_RIGHT)}" '
            f'y2="{_n(y)}" stroke="{MUTED_COLOUR if tick == 0 else GRID_COLOUR}" '
            f'stroke-width="0.8"/>'
        )
        parts.append(
            _text(
                TREND_PLOT_LEFT - 5, y + 3.5, str(tick), size=9, anchor="end", colour=MUTED_COLOUR
            )
        )
    for x, point in zip(xs, points, strict=True):
        label = short_period_label(point.periode)
        parts.append(
            _text(x, TREND_PLOT_BOTTOM + 15, label, size=9, anchor="middle", colour=MUTED_COLOUR)
        )

    for values, colour, square in (
        ([p.nilai_hasil for p in points], HASIL_COLOUR, False),
        ([p.nilai_perilaku for p in points], PERILAKU_COLOUR, True),
    ):
        coords = [(x, _trend_y(v)) for x, v in zip(xs, values, strict=True)]
        if len(coords) > 1:
            parts.append(_polyline(coords, colour, dashed=square))
        parts += [_marker(x, y, colour, square=square) for x, y in coords]

    legend_x = TREND_PLOT_LEFT
    for label, colour, square in (
        (TREND_LEGEND_HASIL, HASIL_COLOUR, False),
        (TREND_LEGEND_PERILAKU, PERILAKU_COLOUR, True),
    ):
        parts.append(_polyline([(legend_x, 8), (legend_x + 22, 8)], colour, dashed=square))
        parts.append(_marker(legend_x + 11, 8, colour, square=square))
        parts.append(_text(legend_x + 28, 11.5, label))
        legend_x += 28 + 6 * len(label) + 24

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 '
        f'{_n(TREND_WIDTH)} {_n(TREND_HEIGHT)}" width="{_n(TREND_WIDTH)}" '
        f'height="{_n(TREND_HEIGHT)}" font-family="{FONT}" role="img" '
        f'aria-label="{escape(TREND_TITLE)}">' + "".join(parts) + "</svg>"
    )
