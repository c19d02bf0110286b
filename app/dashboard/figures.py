"""The dashboard's figures as the page shows them: titles, charts, tables, notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from fastapi import Request
from markupsafe import Markup

from app.dashboard import charts
from app.dashboard.aggregates import (
    QUESTIONS,
    SCORES,
    Cell,
    Dashboard,
    Month,
)
from app.i18n import N_, translate

QUESTION_TEXT = {
    "heard": N_("Were you heard?"),
    "next": N_("Do you know how things move on?"),
    "together": N_("Is the situation being solved together?"),
}
SCORE_TEXT = (N_("Not at all"), N_("Not much"), N_("Somewhat"), N_("Mostly"), N_("Fully"))
RESPONDENT_TEXT = {"family": N_("Family members"), "professionals": N_("Professionals")}
SMALL_NOTE = N_("fewer than 5: not shown, so that no one can be recognised")
HIDDEN_NOTE = N_("hidden, so that a figure under 5 cannot be worked out from the others")
NONE_NOTE = N_("no meetings")


@dataclass(frozen=True)
class Measure:
    """One of the meeting measures, as the page and the CSV name it."""

    key: str  # the attribute of MonthRow and Dashboard
    heading: str
    help: str
    label: str
    column: str  # short: a long Finnish compound would not fit a phone's table
    csv: str
    digits: int  # decimals in the CSV
    scale: float = 1.0  # CSV value = figure * scale


MEASURES = (
    Measure(
        "length",
        N_("Average length"),
        N_("Minutes from letting the first person in (or from opening the meeting) to closing it."),
        N_("Average length (minutes)"),
        N_("Average (minutes)"),
        "average_length_minutes",
        1,
    ),
    Measure(
        "phases",
        N_("Phases used"),
        N_(
            "Phases of the frame visited, or with at least one entry in the record; the first "
            "phase counts."
        ),
        N_("Average number of phases used"),
        N_("Average"),
        "average_phases_used",
        2,
    ),
    Measure(
        "voices",
        N_("Share of family voices"),
        N_(
            "Of the entries said by someone in the meeting, the share said by a member of the "
            "family or its close network; the average of the meetings that have such entries."
        ),
        N_("Share of family voices"),
        N_("Share"),
        "family_voice_share_percent",
        1,
        100.0,
    ),
)


def month_label(month: Month, lang: str, width: str = "LLL") -> str:
    return format_date(month.first_day(), f"{width} yyyy", locale=lang)


@dataclass
class Page:
    """What every figure of one page needs: the language, the number formats, the months."""

    request: Request
    lang: str
    data: Dashboard
    fmt: dict[str, Callable[[float], str]] = field(init=False)
    months: list[tuple[str, str]] = field(init=False)  # (short, long) label of each month

    def __post_init__(self) -> None:
        lang = self.lang
        self.fmt = {
            "count": lambda v: format_decimal(v, "#,##0", locale=lang),
            "length": lambda v: format_decimal(v, "#,##0", locale=lang),
            "phases": lambda v: format_decimal(v, "0.0", locale=lang),
            "voices": lambda v: format_percent(v, "#,##0 %", locale=lang),
        }
        self.months = [
            (month_label(m, lang), month_label(m, lang, "LLLL")) for m in self.data.months
        ]

    def _(self, message: str) -> str:
        return translate(message, self.lang)

    def describe(self) -> str:
        """The <desc> of every chart: what it shows and where the same figures are."""
        span = self._("From %(first)s to %(last)s, one bar per month.") % {
            "first": self.months[0][1],
            "last": self.months[-1][1],
        }
        where = self._("The same figures are in the table that follows the chart.")
        return f"{span} {where}"

    def frame_title(self, key: str) -> str:
        frame = self.request.app.state.frames.get(key)
        return str(frame.localized(self.lang)["title"]) if frame is not None else key

    def cell(self, cell: Cell, fmt: str) -> dict[str, str]:
        """A table cell: the figure, "<5", or a dash, each saying why to a screen reader."""
        if cell.status == "ok" and cell.value is not None:
            return {"text": self.fmt[fmt](cell.value), "css": "num"}
        if cell.status == "small":
            return {"text": "<5", "css": "num small", "sr": self._(SMALL_NOTE)}
        if cell.status == "hidden":
            return {"text": "–", "css": "num hidden", "sr": self._(HIDDEN_NOTE)}
        return {"text": "–", "css": "num none", "sr": self._(NONE_NOTE)}

    def count(self, value: float, css: str = "num") -> dict[str, str]:
        return {"text": self.fmt["count"](value), "css": css}


def _mark(cell: Cell) -> str:
    """What a chart writes in place of a figure it does not show."""
    return "<5" if cell.status == "small" else "–"


def _held_figure(page: Page) -> dict[str, Any]:
    """Meetings held per month, stacked by conversation frame."""
    data, _ = page.data, page._
    frames = [charts.Series(page.frame_title(k), f"f{i % 4}") for i, k in enumerate(data.frames)]
    stacks = [
        charts.Stack(
            short, tuple(float(r.by_frame[k]) for k in data.frames), text=page.fmt["count"](r.held)
        )
        for r, (short, _long) in zip(data.rows, page.months, strict=True)
    ]
    return {
        "id": "held",
        "heading": _("Meetings held, by conversation frame"),
        "help": _("Closed meetings, by the month they were closed in."),
        "svg": charts.stacked_chart(
            "chart-held",
            _("Meetings held per month"),
            page.describe(),
            stacks,
            frames,
            page.fmt["count"],
        ),
        "legend": charts.legend(frames),
        # A frame's title is a long compound: the one header allowed to break mid-word.
        "columns": [
            *({"text": s.label, "css": "num breaks"} for s in frames),
            {"text": _("Total"), "css": "num"},
        ],
        "rows": [
            (
                long,
                [
                    *(page.count(r.by_frame[k]) for k in data.frames),
                    page.count(r.held, "num total"),
                ],
            )
            for r, (_short, long) in zip(data.rows, page.months, strict=True)
        ],
    }


def _measure_figure(page: Page, measure: Measure) -> dict[str, Any]:
    """One average per month: length, phases used or family voices."""
    _, fmt = page._, page.fmt[measure.key]
    cells: list[Cell] = [getattr(r, measure.key) for r in page.data.rows]
    bars = [
        charts.Bar(short, c.value, fmt(c.value))
        if c.status == "ok" and c.value is not None
        else charts.Bar(short, None, _mark(c))
        for c, (short, _long) in zip(cells, page.months, strict=True)
    ]
    return {
        "id": measure.key,
        "heading": _(measure.heading),
        "help": _(measure.help),
        "svg": charts.bar_chart(
            f"chart-{measure.key}",
            _(measure.label),
            page.describe(),
            bars,
            fmt,
            maximum=1.0 if measure.key == "voices" else None,
        ),
        "columns": [
            {"text": _("Meetings counted"), "css": "num"},
            {"text": _(measure.column), "css": "num"},
        ],
        "rows": [
            (long, [page.count(c.basis), page.cell(c, measure.key)])
            for c, (_short, long) in zip(cells, page.months, strict=True)
        ],
    }


def _feedback_figure(page: Page, who: str, question: str) -> dict[str, Any]:
    """One question's answers per month, as shares of the month's answers."""
    _ = page._
    rows = page.data.feedback[who][question]
    scores = [charts.Series(f"{n} – {_(SCORE_TEXT[n - 1])}", f"s{n}") for n in SCORES]
    stacks = []
    for r, (short, _long) in zip(rows, page.months, strict=True):
        n = r.answers.value
        if n is None:
            stacks.append(charts.Stack(short, (0.0,) * len(SCORES), 0.0, _mark(r.answers)))
            continue
        # The hatched part is what the month's published total leaves over: no secret.
        shown = tuple(c.value or 0.0 for c in r.scores)
        stacks.append(charts.Stack(short, shown, n - sum(shown), page.fmt["count"](n)))
    title = f"{_(QUESTION_TEXT[question])} ({_(RESPONDENT_TEXT[who])})"
    return {
        "id": f"feedback-{question}",
        "heading": title,
        "help": _(
            "The answers of each month as shares of the month's answers; the number after the "
            "bar, and n in the table, is the number of answers."
        ),
        "svg": charts.stacked_chart(
            f"chart-feedback-{question}",
            title,
            page.describe(),
            stacks,
            scores,
            page.fmt["voices"],
            percent=True,
        ),
        "legend": charts.legend(scores, _("hidden: fewer than 5, or protecting such a figure")),
        "columns": [
            {"text": "n", "sr": _("Number of answers"), "css": "num"},
            *(
                {"text": str(n), "sr": s.label, "css": "num"}
                for n, s in zip(SCORES, scores, strict=True)
            ),
        ],
        "rows": [
            (long, [page.cell(r.answers, "count"), *(page.cell(c, "count") for c in r.scores)])
            for r, (_short, long) in zip(rows, page.months, strict=True)
        ],
    }


def all_figures(page: Page, who: str) -> list[dict[str, Any]]:
    """Every figure of the page, its chart and legend marked safe (charts escapes them)."""
    figures = [
        _held_figure(page),
        *(_measure_figure(page, m) for m in MEASURES),
        *(_feedback_figure(page, who, q) for q in QUESTIONS),
    ]
    for figure in figures:
        figure["svg"] = Markup(figure["svg"])
        if "legend" in figure:
            figure["legend"] = Markup(figure["legend"])
    return figures


def key_figures(page: Page) -> dict[str, Any]:
    """The period in a few numbers."""
    data = page.data
    frames = [
        {
            "label": page.frame_title(key),
            "count": page.fmt["count"](count),
            "share": page.fmt["voices"](count / data.held) if data.held else "–",
        }
        for key, count in data.by_frame.items()
    ]
    measures = [(page._(m.label), page.cell(getattr(data, m.key), m.key)) for m in MEASURES]
    return {"held": page.fmt["count"](data.held), "frames": frames, "measures": measures}
