"""Calendar files (.ics) for the next meeting and the plan's due dates, with icalendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from app.meetings.domain import MeetingState

HELSINKI = ZoneInfo("Europe/Helsinki")


def new_calendar() -> Calendar:
    """An empty calendar file as Avoin writes them."""
    cal = Calendar()
    cal.add("prodid", "-//Avoin//network meetings//FI")
    cal.add("version", "2.0")
    return cal


def local_time(when: str) -> dt.datetime:
    """A scheduled time: given without a zone, it is Finnish time (where the meetings are)."""
    moment = dt.datetime.fromisoformat(when)
    return moment if moment.tzinfo else moment.replace(tzinfo=HELSINKI)


def next_meeting_ics(state: MeetingState, title: str, minutes: int = 90) -> bytes:
    """The next meeting as one calendar event (no names or record text in it)."""
    nxt = state.process.next_meeting
    if nxt is None:
        raise ValueError("no next meeting scheduled")
    start = local_time(nxt["when"])
    event = Event()
    event.add("uid", f"next-{state.id}@avoin")
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=minutes))
    event.add("summary", title)
    if nxt.get("place"):
        event.add("location", nxt["place"])
    cal = new_calendar()
    cal.add_component(event)
    # A TZID names a zone that the file must define (RFC 5545 §3.2.19): Outlook and others
    # otherwise read the time as UTC or drop the event.
    cal.add_missing_timezones()
    ics: bytes = cal.to_ical()  # icalendar does not annotate it
    return ics


def plan_ics(state: MeetingState, label: str, who_label: str) -> bytes:
    """The plan's steps with a due date, as all-day events on their due dates, each naming who
    takes the step."""
    cal = new_calendar()
    for entry in state.entries.values():
        if entry.kind != "plan" or not entry.shared or not entry.due:
            continue
        due = dt.date.fromisoformat(entry.due)
        event = Event()
        event.add("uid", f"{entry.id}@avoin")
        event.add("dtstamp", dt.datetime.now(dt.UTC))
        event.add("dtstart", due)
        event.add("dtend", due + dt.timedelta(days=1))
        summary = f"{label}: {entry.text[:120]}"
        if entry.owner:
            summary += f" ({entry.owner})"
            event.add("description", f"{who_label}: {entry.owner}")
        event.add("summary", summary)
        cal.add_component(event)
    ics: bytes = cal.to_ical()
    return ics
