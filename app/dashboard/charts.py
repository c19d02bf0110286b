"""Accessible SVG charts as strings: horizontal bars, one row per month, no script needed.

Every text is escaped here. Colours come from CSS classes (dashboard.css) and text is drawn in
currentColor, so one chart reads right in the light and the dark theme alike. Each chart is an
image with a <title> and a <desc>; the page puts a data table with the same figures beside it.
Rows run down the page, so a long Finnish month name never has to be turned on its side.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 380
LABEL = 100  # room for "marras 2026" at the left
END = 48  # room for the figure written after the bar
ROW = 26
BAR = 16
TOP = 26  # the scale's numbers
PLOT = WIDTH - LABEL - END


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: nothing is drawn when `value` is None, only `text`."""

    label: str
    value: float | None
    text: str


@dataclass(frozen=True)
class Series:
    """One colour of a stacked chart (the CSS class names it)."""

    label: str
    css: str


@dataclass(frozen=True)
class Stack:
    """One row of a stacked chart: a size per series and a hatched hidden part at the end."""

    label: str
    parts: tuple[float, ...]
    hidden: float = 0.0
    text: str = ""


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """Round numbers from 0 up to at least `maximum`, about `count` steps."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    top = math.ceil(maximum / step - 1e-9) * step
    return [i * step for i in range(round(top / step) + 1)]


def _open(chart_id: str, title: str, desc: str, rows: int) -> list[str]:
    height = TOP + rows * ROW + 6
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{_attr(chart_id)}-title {_attr(chart_id)}-desc" '
        f'focusable="false" id="{_attr(chart_id)}">',
        f'<title id="{_attr(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{_attr(chart_id)}-desc">{escape(desc)}</desc>',
    ]


def _scale(ticks: Sequence[float], rows: int, fmt: Callable[[float], str]) -> list[str]:
    if not ticks:
        return []  # nothing drawn: a scale would only suggest a zero that is not there
    top = ticks[-1]
    out = ['<g class="scale">']
    for tick in ticks:
        x = LABEL + PLOT * tick / top
        out.append(
            f'<line class="grid" x1="{_num(x)}" x2="{_num(x)}" y1="{TOP - 4}" '
            f'y2="{TOP + rows * ROW}"/>'
        )
        out.append(
            f'<text class="tick" x="{_num(x)}" y="{TOP - 9}" text-anchor="middle">'
            f"{escape(fmt(tick))}</text>"
        )
    out.append("</g>")
    return out


def _label(row: int, label: str) -> str:
    y = TOP + row * ROW + ROW / 2
    return (
        f'<text class="label" x="{LABEL - 8}" y="{_num(y)}" text-anchor="end" '
        f'dominant-baseline="central">{escape(label)}</text>'
    )


def _end_text(row: int, x: float, text: str, css: str = "value") -> str:
    y = TOP + row * ROW + ROW / 2
    return (
        f'<text class="{css}" x="{_num(x + 6)}" y="{_num(y)}" dominant-baseline="central">'
        f"{escape(text)}</text>"
    )


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    fmt: Callable[[float], str],
    maximum: float | None = None,
) -> str:
    """A horizontal bar per row, its figure written after it."""
    top = maximum if maximum is not None else max((b.value or 0 for b in bars), default=0)
    ticks = nice_ticks(top) if maximum is None else [maximum * i / 4 for i in range(5)]
    if all(b.value is None for b in bars):
        ticks = []
    scale = ticks[-1] if ticks else 1.0
    out = _open(chart_id, title, desc, len(bars)) + _scale(ticks, len(bars), fmt)
    for i, bar in enumerate(bars):
        out.append(_label(i, bar.label))
        x: float = LABEL
        if bar.value is not None and bar.value > 0:
            width = PLOT * bar.value / scale
            y = TOP + i * ROW + (ROW - BAR) / 2
            out.append(
                f'<rect class="bar" x="{LABEL}" y="{_num(y)}" width="{_num(width)}" '
                f'height="{BAR}"/>'
            )
            x += width
        out.append(_end_text(i, x, bar.text, "value" if bar.value is not None else "missing"))
    out.append("</svg>")
    return "".join(out)


def stacked_chart(
    chart_id: str,
    title: str,
    desc: str,
    stacks: Sequence[Stack],
    series: Sequence[Series],
    fmt: Callable[[float], str],
    percent: bool = False,
) -> str:
    """Stacked horizontal bars: counts, or each row as shares of its whole (`percent`)."""
    totals = [sum(s.parts) + s.hidden for s in stacks]
    ticks = [0.0, 0.25, 0.5, 0.75, 1.0] if percent else nice_ticks(max(totals, default=0))
    if not any(totals):
        ticks = []
    scale = ticks[-1] if ticks else 1.0
    hatch = f"{chart_id}-hatch"
    out = _open(chart_id, title, desc, len(stacks))
    out.append(
        f'<defs><pattern id="{_attr(hatch)}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect class="hatch-bg" width="6" height="6"/>'
        '<line class="hatch-line" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>'
    )
    out += _scale(ticks, len(stacks), fmt)
    for i, (stack, total) in enumerate(zip(stacks, totals, strict=True)):
        out.append(_label(i, stack.label))
        x = float(LABEL)
        y = TOP + i * ROW + (ROW - BAR) / 2
        whole = total if percent else 1.0
        parts = [(s.css, size, "") for s, size in zip(series, stack.parts, strict=True)]
        parts.append(("hidden", stack.hidden, f' fill="url(#{_attr(hatch)})"'))
        for css, size, extra in parts:
            if size <= 0 or whole <= 0:
                continue
            width = PLOT * (size / whole) / scale
            # A gap of the background between parts tells them apart, not the colour alone.
            out.append(
                f'<rect class="part {_attr(css)}" x="{_num(x)}" y="{_num(y)}" '
                f'width="{_num(max(width - 1.5, 0.5))}" height="{BAR}"{extra}/>'
            )
            x += width
        if stack.text:
            out.append(_end_text(i, x, stack.text, "value" if total > 0 else "missing"))
    out.append("</svg>")
    return "".join(out)


def legend(series: Sequence[Series], hidden: str | None = None) -> str:
    """The colours' key as an HTML list (it wraps on a phone, unlike text inside the SVG)."""
    items = [
        f'<li><span class="swatch part {_attr(s.css)}" aria-hidden="true"></span>'
        f"{escape(s.label)}</li>"
        for s in series
    ]
    if hidden:
        items.append(
            f'<li><span class="swatch hatched" aria-hidden="true"></span>{escape(hidden)}</li>'
        )
    return f'<ul class="chart-legend">{"".join(items)}</ul>'
