"""The dashboard's pure figures: months, meeting measures, and the suppression rule."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from app.dashboard.aggregates import (
    ALL,
    THRESHOLD,
    FeedbackCount,
    Group,
    HeldMeeting,
    Month,
    build,
    months_from,
    suppress_counts,
    suppress_means,
)

UTC = dt.UTC


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


def held(
    unit: str = "A",
    month: int = 3,
    minutes: int = 60,
    admitted_after: int | None = 10,
    phases: int = 4,
    said: int = 4,
    family: int = 1,
    frame: str = "hypothesis",
) -> HeldMeeting:
    created = at(month, 10)
    first = created + dt.timedelta(minutes=admitted_after) if admitted_after is not None else None
    closed = (first or created) + dt.timedelta(minutes=minutes)
    return HeldMeeting(unit, frame, created, closed, first, phases, said, family)


# Months.


def test_months_parse_and_step() -> None:
    assert Month.parse("2026-03") == Month(2026, 3)
    assert str(Month(2026, 3)) == "2026-03"
    for bad in ("2026-13", "2026-00", "26-03", "2026-3", "", "2026-03-01", "abcd-ef"):
        with pytest.raises(ValueError):
            Month.parse(bad)
    assert Month(2025, 12).next() == Month(2026, 1)
    assert Month(2026, 1).minus(1) == Month(2025, 12)
    assert Month(2026, 3).minus(14) == Month(2025, 1)
    assert months_from(Month(2025, 11), Month(2026, 2)) == [
        Month(2025, 11),
        Month(2025, 12),
        Month(2026, 1),
        Month(2026, 2),
    ]
    assert months_from(Month(2026, 2), Month(2026, 1)) == []


def test_months_are_local_to_finland() -> None:
    # 22.30 UTC on 31 March is 01.30 on 1 April in Helsinki (summer time).
    assert Month.of(dt.datetime(2026, 3, 31, 22, 30, tzinfo=UTC)) == Month(2026, 4)
    assert Month.of(dt.datetime(2026, 3, 31, 20, 30, tzinfo=UTC)) == Month(2026, 3)
    # A month starts at local midnight: UTC+2 in winter, UTC+3 in summer.
    assert Month(2026, 1).start() == dt.datetime(2025, 12, 31, 22, tzinfo=UTC)
    assert Month(2026, 7).start() == dt.datetime(2026, 6, 30, 21, tzinfo=UTC)


# One meeting's measures.


def test_length_runs_from_the_first_admission_or_else_from_the_opening() -> None:
    assert held(minutes=75, admitted_after=15).minutes == 75
    assert held(minutes=75, admitted_after=None).minutes == 75
    late = HeldMeeting("A", "hypothesis", at(3, 10, 12), at(3, 10, 11), None, 1, 0, 0)
    assert late.minutes == 0  # a clock gone wrong never makes a negative length


def test_family_share_counts_only_entries_said_by_a_participant() -> None:
    assert held(said=4, family=1).family_share == 0.25
    assert held(said=0, family=0).family_share is None


# Suppression of counts.

ROW = [Group("n", (1, 2, 3, 4, 5))]


def row(*scores: int) -> dict[object, int]:
    return {"n": sum(scores), **{i + 1: s for i, s in enumerate(scores)}}


def test_counts_of_five_or_more_are_shown_when_nothing_else_is_hidden() -> None:
    status = suppress_counts(row(6, 7, 9, 8, 10), ROW)
    assert set(status.values()) == {"ok"}


def test_counts_under_five_are_small_zero_included() -> None:
    status = suppress_counts(row(0, 3, 9, 8, 10), ROW)
    assert status[1] == status[2] == "small"
    assert status["n"] == status[3] == "ok"


def test_a_single_small_count_under_a_shown_total_takes_another_with_it() -> None:
    status = suppress_counts(row(3, 6, 9, 8, 10), ROW)
    assert status[1] == "small"
    assert status[2] == "hidden"  # the smallest of the rest
    assert [status[k] for k in (3, 4, 5, "n")] == ["ok"] * 4


def test_small_counts_that_add_up_to_under_five_take_another_with_them() -> None:
    # 0 + 1 + 3 = 4 answers of 1–3 would be a small figure of its own.
    status = suppress_counts(row(0, 1, 3, 10, 20), ROW)
    assert [status[k] for k in (1, 2, 3)] == ["small"] * 3
    assert status[4] == "hidden" and status[5] == "ok"


def test_everyone_giving_the_same_answer_is_not_shown_either() -> None:
    # Zeros elsewhere and a shown total would tell that all twelve answered 5.
    status = suppress_counts(row(0, 0, 0, 0, 12), ROW)
    assert status[5] == "hidden" and status["n"] == "ok"


def test_small_counts_that_must_all_be_four_are_not_left_alone() -> None:
    # Two "<5" that add up to 8 can only be 4 and 4.
    status = suppress_counts(row(4, 4, 9, 8, 10), ROW)
    assert status[1] == status[2] == "small"
    assert "hidden" in status.values()


def test_a_small_total_hides_its_whole_row() -> None:
    status = suppress_counts(row(0, 0, 1, 2, 1), ROW)
    assert set(status.values()) == {"small"}


def test_a_hidden_unit_is_never_the_only_unknown_under_the_figure_of_all_units() -> None:
    values = {"all": 20, "A": 3, "B": 9, "C": 8}
    status = suppress_counts(values, [Group("all", ("A", "B", "C"))])
    assert status == {"all": "ok", "A": "small", "B": "ok", "C": "hidden"}


def test_a_hidden_total_is_not_left_to_be_added_up() -> None:
    # x = all + y and all = A + B. The small y takes "all" with it in the first relation; then
    # A + B would give "all" back, so A (the smaller) goes too.
    values = {"x": 18, "all": 15, "y": 3, "A": 7, "B": 8}
    groups = [Group("x", ("all", "y")), Group("all", ("A", "B"))]
    assert suppress_counts(values, groups) == {
        "x": "ok",
        "all": "hidden",
        "y": "small",
        "A": "hidden",
        "B": "ok",
    }


def test_zeros_everyone_knows_protect_nothing_and_force_nothing() -> None:
    values = {"all": 20, "A": 0, "B": 12, "C": 8}
    groups = [Group("all", ("A", "B", "C"))]
    assert suppress_counts(values, groups, public=["A"]) == {
        "all": "ok",
        "A": "small",
        "B": "ok",
        "C": "ok",
    }
    # Without it being public, the lone zero would be worked out from the rest.
    assert "hidden" in suppress_counts(values, groups).values()


def _pinned(values: list[int], shown: list[bool], total: int) -> bool:
    """Brute force: can a reader who sees the shown cells, the total, and which hidden cells
    are "<5", pin a hidden cell down exactly or learn a hidden sum under five?"""
    hidden = [i for i, s in enumerate(shown) if not s]
    if not hidden:
        return False
    rest = total - sum(v for v, s in zip(values, shown, strict=True) if s)
    if rest < THRESHOLD:
        return True
    ranges = [
        range(THRESHOLD) if values[i] < THRESHOLD else range(THRESHOLD, rest + 1) for i in hidden
    ]
    possible: list[set[int]] = [set() for _ in hidden]
    for combo in itertools.product(*ranges):
        if sum(combo) == rest:
            for seen, value in zip(possible, combo, strict=True):
                seen.add(value)
    return any(len(seen) < 2 for seen in possible)


def test_no_hidden_count_in_a_row_can_be_pinned_down_by_brute_force() -> None:
    rng = random.Random(5)
    for _ in range(400):
        scores = [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20]) for _ in range(5)]
        values = row(*scores)
        status = suppress_counts(values, ROW)
        if status["n"] != "ok":
            assert all(status[k] != "ok" for k in (1, 2, 3, 4, 5))
            continue
        shown = [status[k] == "ok" for k in (1, 2, 3, 4, 5)]
        assert all(values[k] >= THRESHOLD for k in (1, 2, 3, 4, 5) if status[k] == "ok")
        assert not _pinned(scores, shown, values["n"]), (scores, status)


# Suppression of averages.


def test_averages_need_five_meetings_and_none_is_none() -> None:
    groups = [Group("all", ("A", "B", "C"))]
    status = suppress_means({"all": 12, "A": 0, "B": 5, "C": 7}, groups)
    assert status == {"all": "ok", "A": "none", "B": "ok", "C": "ok"}
    status = suppress_means({"all": 12, "A": 3, "B": 9}, [Group("all", ("A", "B"))])
    assert status == {"all": "ok", "A": "small", "B": "hidden"}
    # Two small ones together make five: neither can be told from the other.
    status = suppress_means({"all": 12, "A": 3, "B": 2, "C": 7}, groups)
    assert status == {"all": "ok", "A": "small", "B": "small", "C": "ok"}


# The whole dashboard.


def test_build_counts_meetings_per_month_frame_and_unit() -> None:
    meetings = [held("A", 3)] * 3 + [held("A", 4, frame="helpmap")] + [held("B", 3)] * 6
    months = [Month(2026, 3), Month(2026, 4)]
    everyone = build(meetings, [], months, None, frames=["hypothesis", "helpmap"])
    assert [r.held for r in everyone.rows] == [9, 1]
    assert everyone.rows[0].by_frame == {"hypothesis": 9, "helpmap": 0}
    assert everyone.by_frame == {"hypothesis": 9, "helpmap": 1}
    a = build(meetings, [], months, "A", frames=["hypothesis", "helpmap"])
    assert [r.held for r in a.rows] == [3, 1] and a.held == 4
    # Outside the months: not counted.
    assert build(meetings, [], [Month(2026, 5)], None).held == 0


def test_build_averages_and_hides_them_consistently_across_units() -> None:
    meetings = [held("A", 3, minutes=30)] * 3 + [held("B", 3, minutes=90)] * 6
    months = [Month(2026, 3)]
    everyone = build(meetings, [], months, None)
    assert everyone.rows[0].length.value == pytest.approx((3 * 30 + 6 * 90) / 9)
    assert everyone.rows[0].length.status == "ok"
    a = build(meetings, [], months, "A").rows[0]
    b = build(meetings, [], months, "B").rows[0]
    assert (a.length.status, a.length.value) == ("small", None)
    # B alone has six, but shown beside the figure of all units it would give A away.
    assert (b.length.status, b.length.value) == ("hidden", None)
    assert b.phases.status == "hidden" and b.voices.status == "hidden"


def test_the_period_average_shows_only_when_every_month_does() -> None:
    months = [Month(2026, 3), Month(2026, 4)]
    full = [held("A", 3)] * 5 + [held("A", 4)] * 5
    assert build(full, [], months, None).length.status == "ok"
    thin = [held("A", 3)] * 5 + [held("A", 4)] * 2
    report = build(thin, [], months, None)
    assert report.rows[1].length.status == "small"
    assert report.length.status == "hidden" and report.length.value is None
    # A month without meetings hides nothing.
    assert build([held("A", 3)] * 5, [], months, None).length.status == "ok"


def test_build_feedback_hides_small_counts_and_keeps_respondents_apart() -> None:
    march = Month(2026, 3)
    feedback = [
        FeedbackCount("A", march, True, 5, 5, 4, 9),
        FeedbackCount("A", march, True, 4, 4, 4, 6),
        FeedbackCount("A", march, True, 1, 2, 3, 1),
        FeedbackCount("A", march, False, 3, 3, 3, 2),
    ]
    report = build([], feedback, [march], "A")
    family = report.feedback["family"]
    heard = family["heard"][0]
    assert heard.answers.value == 16
    # Scores 1–3 hold one answer between them; under a shown total of 16 that single answer
    # would show, so the 6 of score 4 is hidden as well.
    assert [c.status for c in heard.scores] == ["small", "small", "small", "hidden", "ok"]
    assert [c.value for c in heard.scores] == [None, None, None, None, 9]
    professionals = report.feedback["professionals"]["heard"][0]
    assert professionals.answers.status == "small"
    assert all(c.status == "small" for c in professionals.scores)
    # Every unit's figures agree with those of all units: here A is the only unit.
    everyone = build([], feedback, [march], None).feedback["family"]["heard"][0]
    assert [c.status for c in everyone.scores] == [c.status for c in heard.scores]


def test_unknown_scores_are_left_out() -> None:
    march = Month(2026, 3)
    report = build([], [FeedbackCount("A", march, True, 9, 5, 5, 7)], [march], None)
    assert report.feedback["family"]["heard"][0].answers.status == "small"


def test_all_key_is_not_a_unit_name() -> None:
    assert ALL.startswith("\x00")
