"""Invitations and reminders by e-mail against a real SMTP server on loopback (aiosmtpd), on
SQLite and PostgreSQL: each invitee with an address and consent gets the invitation in their own
language with an iCalendar REQUEST (one UID, a growing SEQUENCE), a change and a cancellation;
the day-before reminder once; no record text in any of it. A server that refuses and then accepts
gets the message once; a sender killed in the middle of sending and started again delivers every
message exactly once."""

from __future__ import annotations

import datetime as dt
import email
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from app.cases.reminders import queue_reminders
from app.clock import utcnow
from app.db import transaction
from app.mail.outbox import Mail, queue
from app.mail.sender import deliver_due
from app.meetings.models import Meeting
from tests.cases.test_case_pages import english, new_case
from tests.conftest import free_port, server_on
from tests.helpers import LiveClient, RunningServer

ROOT = Path(__file__).parents[2]
SECRET = "Äidin jaksaminen on koetuksella"


class Inbox:
    """What the SMTP server was given; it can refuse the first messages, or act on each."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = 0
        self.on_message: Callable[[int], None] | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        if self.on_message is not None:
            self.on_message(len(self.messages))
        return "250 OK"


@pytest.fixture(scope="module", params=["sqlite+memory", "postgresql+redis"])
def mailing(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RunningServer, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings = {
        "smtp_host": "127.0.0.1",
        "smtp_port": controller.port,
        "smtp_starttls": False,
        "mail_every_seconds": 3600,  # the tests send themselves, at the moments they choose
    }
    try:
        with server_on(request.param, tmp_path_factory, **settings) as running:
            yield running, inbox
    finally:
        controller.stop()


def _text(message: EmailMessage) -> str:
    return "\n".join(
        part.get_content() for part in message.walk() if part.get_content_maintype() == "text"
    )


def _ics(message: EmailMessage) -> str:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    content = part.get_content()
    return content.decode() if isinstance(content, bytes) else content


async def test_invitations_changes_cancellation_and_the_reminder(
    mailing: tuple[RunningServer, Inbox],
) -> None:
    server, inbox = mailing
    inbox.messages.clear()
    kalle = await english(server, "kalle")
    async with server.http(cookies=kalle) as http:
        case_id = await new_case(http, "Perhe R")
        base = f"/cases/{case_id}"
        await http.post(base + "/core-question", data={"core_question": SECRET})
        people = [
            {"name": "Aino", "role": "äiti", "family": "true", "email": "aino@example.fi",
             "consent": "true", "language": "fi"},
            {"name": "Erik", "role": "morfar", "family": "true", "email": "erik@example.fi",
             "consent": "true", "language": "sv"},
            {"name": "Liisa", "role": "opettaja", "language": "fi"},
        ]  # fmt: skip
        for person in people:
            assert (await http.post(base + "/invitees", data=person)).status_code == 303
        no_consent = await http.post(
            base + "/invitees",
            data={"name": "Pekka", "email": "pekka@example.fi", "language": "fi"},
        )
        assert no_consent.status_code == 422
        answer = await http.post(base + "/meetings", data={"frame": "hypothesis"})
        meeting_id = answer.headers["location"].removeprefix("/m/")
        invite = f"{base}/meetings/{meeting_id}/invite"
        assert (await http.post(invite, data={"when": "tomorrow"})).status_code == 422
        sent = await http.post(invite, data={"when": "2030-03-04T09:30", "place": "Perhekeskus"})
        assert sent.status_code == 303
    assert server.app is not None
    engine, settings = server.app.state.engine, server.app.state.settings
    assert deliver_due(engine, settings) == 2
    by_to = {m["To"]: m for m in inbox.messages}
    aino, erik = by_to["aino@example.fi"], by_to["erik@example.fi"]
    assert "Kutsu verkostotapaamiseen" in aino["Subject"] and "4.3.2030 09:30" in aino["Subject"]
    assert "Inbjudan" in erik["Subject"] and "Hej Erik" in _text(erik)
    for message in (aino, erik):
        calendar = _ics(message)
        assert "METHOD:REQUEST" in calendar and f"UID:meeting-{meeting_id}@avoin" in calendar
        assert "SEQUENCE:0" in calendar
        assert "/join/" in _text(message)
        for secret in (SECRET, "Perhe R", "Liisa"):
            assert secret not in message.as_string(), secret

    async with server.http(cookies=kalle) as http:
        await http.post(invite, data={"when": "2030-03-04T10:00", "place": "Perhekeskus"})
        await http.post(f"{invite}/cancel")
    assert deliver_due(engine, settings) == 4
    changes = [m for m in inbox.messages[2:] if m["To"] == "aino@example.fi"]
    assert ["SEQUENCE:1" in _ics(m) for m in changes] == [True, False]
    assert "METHOD:CANCEL" in _ics(changes[1]) and "SEQUENCE:2" in _ics(changes[1])

    # Invited again; the day before, one reminder each, and only once.
    async with server.http(cookies=kalle) as http:
        await http.post(invite, data={"when": "2030-03-05T09:00", "place": ""})
    deliver_due(engine, settings)
    day_before = dt.datetime(2030, 3, 4, 12, 0, tzinfo=dt.UTC)
    for expected in (2, 0):
        with transaction(engine) as session:
            assert queue_reminders(session, settings, day_before) == expected
    assert deliver_due(engine, settings) == 2
    reminders = [
        m for m in inbox.messages if "Muistutus" in m["Subject"] or "Påminnelse" in m["Subject"]
    ]
    assert len(reminders) == 2 and all(SECRET not in m.as_string() for m in reminders)
    with server.app.state.session_factory() as session:
        assert session.get(Meeting, meeting_id) is not None


def _queued(server: RunningServer, keys: list[str]) -> None:
    assert server.app is not None
    with transaction(server.app.state.engine) as session:
        for key in keys:
            queue(session, key, f"{key}@example.fi", f"Viesti {key}", "Hei")


def test_a_refusal_is_tried_again_later_and_sent_once(
    mailing: tuple[RunningServer, Inbox],
) -> None:
    server, inbox = mailing
    inbox.messages.clear()
    assert server.app is not None
    engine, settings = server.app.state.engine, server.app.state.settings
    _queued(server, ["refused-1"])
    inbox.refuse = 1
    assert deliver_due(engine, settings) == 0
    with server.app.state.session_factory() as session:
        row = session.exec(select(Mail).where(Mail.key == "refused-1")).one()
        assert (row.status, row.tries, row.error) == ("queued", 1, "SMTPDataError 451")
    assert deliver_due(engine, settings) == 0  # not before its time
    later = utcnow() + dt.timedelta(hours=1)
    assert deliver_due(engine, settings, now=later) == 1
    assert deliver_due(engine, settings, now=later) == 0
    assert [m["To"] for m in inbox.messages] == ["refused-1@example.fi"]


def test_a_sender_killed_mid_send_and_started_again_delivers_each_once(
    mailing: tuple[RunningServer, Inbox],
) -> None:
    server, inbox = mailing
    inbox.messages.clear()
    assert server.app is not None
    keys = [f"kill-{i}" for i in range(5)]
    _queued(server, keys)
    url = server.app.state.settings.database_url
    port = server.app.state.settings.smtp_port
    sender = subprocess.Popen(
        [sys.executable, "-m", "tests.mail.send_once", url, str(port)], cwd=ROOT
    )

    def kill_at_the_second(count: int) -> None:
        if count == 2:  # the second message is taken; its sender dies before it hears so
            os.kill(sender.pid, signal.SIGKILL)

    inbox.on_message = kill_at_the_second
    try:
        assert sender.wait(30) == -signal.SIGKILL
    finally:
        inbox.on_message = None
    assert len(inbox.messages) == 2
    # Started again once the dead sender's claims have lapsed: the rest, and nothing twice.
    later = utcnow() + dt.timedelta(minutes=10)
    deliver_due(server.app.state.engine, server.app.state.settings, now=later)
    got = sorted(m["To"] for m in inbox.messages)
    assert got == sorted(f"{k}@example.fi" for k in keys)
    assert len({m["Message-ID"] for m in inbox.messages}) == 5


async def test_the_owner_of_a_plan_step_is_reminded_the_day_before(
    mailing: tuple[RunningServer, Inbox],
) -> None:
    server, inbox = mailing
    inbox.messages.clear()
    kalle = await english(server, "kalle")
    async with server.http(cookies=kalle) as http:
        case_id = await new_case(http, "Perhe S")
        invitee = {"name": "Pirjo", "role": "mummo", "family": "true", "email": "pirjo@example.fi",
                   "consent": "true", "language": "fi"}  # fmt: skip
        await http.post(f"/cases/{case_id}/invitees", data=invitee)
        answer = await http.post(f"/cases/{case_id}/meetings", data={"frame": "hypothesis"})
        meeting_id = answer.headers["location"].removeprefix("/m/")
    chair = await LiveClient.open(server, meeting_id, kalle)
    await chair.next_of("snapshot")
    step = {"op": "entry.add", "phase": "plan", "text": SECRET, "owner": "Pirjo (mummo)"}
    await chair.ok(step | {"due": "2030-05-06"})
    await chair.ok(step | {"due": "2030-05-09", "text": "Toinen askel"})
    await chair.ok({"op": "meeting.close"})
    await chair.close()
    assert server.app is not None
    engine, settings = server.app.state.engine, server.app.state.settings
    day_before = dt.datetime(2030, 5, 5, 8, 0, tzinfo=dt.UTC)
    for expected in (1, 0):
        with transaction(engine) as session:
            assert queue_reminders(session, settings, day_before) == expected
    assert deliver_due(engine, settings) == 1
    [reminder] = inbox.messages
    assert reminder["To"] == "pirjo@example.fi" and "6.5.2030" in reminder["Subject"]
    assert SECRET not in reminder.as_string() and "Toinen" not in reminder.as_string()
