"""The dashboard's figures from plain rows: pure, no I/O. The suppression rule lives here.

Nothing below ever sees a meeting's title, a name or record text: the repository hands over
only units, frame keys, times and counts.

Suppression (cells under THRESHOLD answers, and the cells that would give them away) is in
app/dashboard/suppression.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from app.dashboard.suppression import THRESHOLD, Group, Key, Status, suppress_counts, suppress_means

QUESTIONS = ("heard", "next", "together")
SCORES = (1, 2, 3, 4, 5)
RESPONDENTS = ("family", "professionals")
# Months are counted in the services' own time, so a meeting closed at 23.30 on the last day
# of a month belongs to that month.
LOCAL_TIME = ZoneInfo("Europe/Helsinki")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """A month from "YYYY-MM"; ValueError for anything else."""
        found = _MONTH.match(text.strip())
        if not found or not 1 <= int(found[2]) <= 12 or not 1900 < int(found[1]) < 3000:
            raise ValueError(text)
        return cls(int(found[1]), int(found[2]))

    @classmethod
    def of(cls, moment: dt.datetime, tz: dt.tzinfo = LOCAL_TIME) -> Month:
        """The local month an aware moment falls in."""
        local = moment.astimezone(tz)
        return cls(local.year, local.month)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def minus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 - months
        return Month(index // 12, index % 12 + 1)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def start(self, tz: dt.tzinfo = LOCAL_TIME) -> dt.datetime:
        """The month's first local midnight, in UTC."""
        local = dt.datetime(self.year, self.month, 1, tzinfo=tz)
        return local.astimezone(dt.UTC)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def months_from(first: Month, last: Month) -> list[Month]:
    """Every month from first to last, both included."""
    out, month = [], first
    while month <= last:
        out.append(month)
        month = month.next()
    return out


# The rows the repository hands over.


@dataclass(frozen=True)
class HeldMeeting:
    """One closed meeting, reduced to what the dashboard counts."""

    unit: str
    frame_key: str
    created_at: dt.datetime
    closed_at: dt.datetime
    first_admitted: dt.datetime | None
    phases_used: int
    attributed_entries: int
    family_entries: int

    @property
    def minutes(self) -> float:
        """From the first admission (or the meeting's creation) to its closing."""
        start = self.first_admitted or self.created_at
        return max(0.0, (self.closed_at - start).total_seconds() / 60)

    @property
    def family_share(self) -> float | None:
        """The share of the family's voices among entries said by a participant, if any were."""
        if self.attributed_entries <= 0:
            return None
        return self.family_entries / self.attributed_entries


@dataclass(frozen=True)
class FeedbackCount:
    """How many answers had these three scores (one GROUP BY row)."""

    unit: str
    month: Month
    family: bool
    heard: int
    next: int
    together: int
    count: int


# The figures.


@dataclass(frozen=True)
class Cell:
    """A published figure: its value only when its status is "ok"."""

    value: float | None
    status: Status
    basis: int = 0


def _cell(value: float | None, status: Status, basis: int) -> Cell:
    return Cell(value if status == "ok" else None, status, basis)


@dataclass
class MonthRow:
    """One month of the held meetings."""

    month: Month
    held: int
    by_frame: dict[str, int]
    length: Cell
    phases: Cell
    voices: Cell


@dataclass
class FeedbackRow:
    """One month of one question's answers: the number of answers and one cell per score."""

    month: Month
    answers: Cell
    scores: tuple[Cell, ...]


@dataclass
class Dashboard:
    """Everything the page, the charts and the CSV show, for one unit (None: all)."""

    unit: str | None
    months: list[Month]
    frames: list[str]
    rows: list[MonthRow]
    held: int
    by_frame: dict[str, int]
    length: Cell
    phases: Cell
    voices: Cell
    feedback: dict[str, dict[str, list[FeedbackRow]]] = field(default_factory=dict)


ALL = "\x00all"  # the key of "every unit", never a real unit's name
MEASURES = ("length", "phases", "voices")


MeanKey = tuple[str, str, Month | None]


def _mean_figures(
    meetings: Iterable[HeldMeeting], units: list[str], months: list[Month]
) -> dict[MeanKey, Cell]:
    """Each measure's average per (unit, month), and per unit over the period (month None)."""
    sums: dict[MeanKey, float] = defaultdict(float)
    bases: dict[MeanKey, int] = defaultdict(int)
    for m in meetings:
        month = Month.of(m.closed_at)
        measured = {"length": m.minutes, "phases": float(m.phases_used), "voices": m.family_share}
        for unit in (m.unit, ALL):
            for when in (month, None):
                for measure, value in measured.items():
                    if value is not None:
                        sums[measure, unit, when] += value
                        bases[measure, unit, when] += 1
    out: dict[MeanKey, Cell] = {}
    for measure in MEASURES:
        keys: list[MeanKey] = [(measure, u, month) for u in [*units, ALL] for month in months]
        basis: dict[Key, int] = {k: bases.get(k, 0) for k in keys}
        groups = [
            Group((measure, ALL, month), tuple((measure, u, month) for u in units))
            for month in months
        ]
        status = suppress_means(basis, groups)
        for k in keys:
            out[k] = _cell(sums.get(k, 0.0) / basis[k] if basis[k] else None, status[k], basis[k])
        for unit in [*units, ALL]:
            # The period's average is shown only when every month of it is: it then tells
            # nothing new, whereas otherwise two periods' difference would give a month away.
            k = (measure, unit, None)
            n = bases.get(k, 0)
            monthly = {out[measure, unit, month].status for month in months}
            period: Status = (
                "none"
                if n == 0
                else "small"
                if n < THRESHOLD
                else "ok"
                if monthly <= {"ok", "none"}
                else "hidden"
            )
            out[k] = _cell(sums.get(k, 0.0) / n if n else None, period, n)
    return out


def _feedback_figures(
    counts: Iterable[FeedbackCount], units: list[str], months: list[Month], respondents: str
) -> dict[str, dict[str, list[FeedbackRow]]]:
    """Each question's distribution per (unit, month) for one group of respondents, suppressed."""
    values = _feedback_counts(counts, respondents)
    every = [*units, ALL]
    cells, groups, public = _feedback_cells(values, units, months)
    status = suppress_counts(cells, groups, public)

    def cell(k: Key) -> Cell:
        return _cell(float(cells[k]), status[k], cells[k])

    return {
        unit: {
            q: [
                FeedbackRow(
                    month,
                    cell(("n", unit, month)),
                    tuple(cell((q, unit, month, s)) for s in SCORES),
                )
                for month in months
            ]
            for q in QUESTIONS
        }
        for unit in every
    }


def _feedback_counts(counts: Iterable[FeedbackCount], respondents: str) -> dict[Key, int]:
    """How many answers, and how many of each score per question, per unit (and all) and month."""
    values: dict[Key, int] = defaultdict(int)
    for row in counts:
        if ("family" if row.family else "professionals") != respondents:
            continue
        scores = {"heard": row.heard, "next": row.next, "together": row.together}
        if not all(s in SCORES for s in scores.values()):
            continue
        for unit in (row.unit, ALL):
            values["n", unit, row.month] += row.count
            for q, s in scores.items():
                values[q, unit, row.month, s] += row.count
    return values


def _feedback_cells(
    values: dict[Key, int], units: list[str], months: list[Month]
) -> tuple[dict[Key, int], list[Group], list[Key]]:
    """Every cell of the tables, the groups whose sums could reveal a suppressed cell, and the
    cells that are public anyway."""
    cells: dict[Key, int] = {}
    groups: list[Group] = []
    # A month in which a unit got no answers at all is an open secret (it held no meetings, or
    # the count of its meetings says so): its zeros are taken as known and protect nothing.
    public: list[Key] = []
    for month in months:
        for unit in [*units, ALL]:
            n = cells["n", unit, month] = values.get(("n", unit, month), 0)
            if n == 0:
                public.append(("n", unit, month))
            for q in QUESTIONS:
                members = tuple((q, unit, month, s) for s in SCORES)
                for k in members:
                    cells[k] = values.get(k, 0)
                if n == 0:
                    public.extend(members)
                groups.append(Group(("n", unit, month), members))
        groups.append(Group(("n", ALL, month), tuple(("n", u, month) for u in units)))
        for q in QUESTIONS:
            for s in SCORES:
                groups.append(Group((q, ALL, month, s), tuple((q, u, month, s) for u in units)))
    return cells, groups, public


def build(
    meetings: Sequence[HeldMeeting],
    feedback: Sequence[FeedbackCount],
    months: Sequence[Month],
    unit: str | None,
    frames: Sequence[str] = (),
    units: Iterable[str] = (),
) -> Dashboard:
    """The dashboard of one unit (None: every unit) over these months.

    `meetings` and `feedback` must hold every unit's rows of the period, not only the chosen
    unit's: the suppression is settled over all units together.
    """
    months = list(months)
    wanted = set(months)
    meetings = [m for m in meetings if Month.of(m.closed_at) in wanted]
    feedback = [f for f in feedback if f.month in wanted]
    all_units = sorted(
        {*units, *(m.unit for m in meetings), *(f.unit for f in feedback)}
        | ({unit} if unit is not None else set())
    )
    key = ALL if unit is None else unit
    frame_keys = list(dict.fromkeys([*frames, *sorted({m.frame_key for m in meetings})]))
    held: dict[Month, dict[str, int]] = {month: dict.fromkeys(frame_keys, 0) for month in months}
    for m in meetings:
        if unit is None or m.unit == unit:
            held[Month.of(m.closed_at)][m.frame_key] += 1
    means = _mean_figures(meetings, all_units, months)
    rows = [
        MonthRow(
            month,
            sum(held[month].values()),
            held[month],
            means["length", key, month],
            means["phases", key, month],
            means["voices", key, month],
        )
        for month in months
    ]
    by_frame = {f: sum(held[month][f] for month in months) for f in frame_keys}
    feedback_out = {
        who: _feedback_figures(feedback, all_units, months, who)[key] for who in RESPONDENTS
    }
    return Dashboard(
        unit=unit,
        months=months,
        frames=frame_keys,
        rows=rows,
        held=sum(by_frame.values()),
        by_frame=by_frame,
        length=means["length", key, None],
        phases=means["phases", key, None],
        voices=means["voices", key, None],
        feedback=feedback_out,
    )
