"""Sends the outbox over SMTP, one message at a time, off the event loop: a page or the live path
never waits for it. A refusal or a lost connection is tried again with back-off; a message is
never sent twice: it is marked "sending" (committed) just before its content goes on the wire,
and a sender killed at that moment leaves it so (a message the server may have taken is not sent
again), while one killed before that is claimed again once its claim has lapsed."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid

from sqlalchemy import Engine, or_
from sqlmodel import col, select

from app.clock import utcnow
from app.config import Settings
from app.db import transaction
from app.mail.outbox import Mail

log = logging.getLogger("avoin.mail")
CLAIM_SECONDS = 120  # a claim not finished in this long was a sender that died before sending
GIVE_UP_AFTER = 12  # tries; the back-off doubles from 30 s to at most an hour
FIRST_WAIT, LONGEST_WAIT = 30, 3600


def _claim(engine: Engine, now: dt.datetime) -> Mail | None:
    """The next message due, claimed for this sender (committed)."""
    lapsed = now - dt.timedelta(seconds=CLAIM_SECONDS)
    with transaction(engine) as session:
        mail = session.exec(
            select(Mail)
            .where(Mail.status == "queued", Mail.next_try_at <= now)
            .where(or_(col(Mail.claimed_at).is_(None), col(Mail.claimed_at) < lapsed))
            .order_by(col(Mail.next_try_at), col(Mail.id))
            .limit(1)
        ).first()
        if mail is None:
            return None
        mail.claimed_at = now
        session.add(mail)
        session.flush()
        session.expunge(mail)
        return mail


def _mark(engine: Engine, mail_id: int, **values: object) -> None:
    with transaction(engine) as session:
        row = session.get(Mail, mail_id)
        if row is not None:
            for key, value in values.items():
                setattr(row, key, value)
            session.add(row)


def message(mail: Mail, sender: str, domain: str) -> EmailMessage:
    """The message as it goes out; its Message-ID is the outbox key's, the same on every try."""
    out = EmailMessage()
    out["From"] = sender
    out["To"] = mail.to
    out["Subject"] = mail.subject
    out["Date"] = format_datetime(utcnow())
    out["Message-ID"] = make_msgid(idstring=f"avoin-{mail.id}", domain=domain)
    out.set_content(mail.body, cte="quoted-printable")  # 7-bit: any server takes it
    if mail.ics:
        out.add_attachment(
            mail.ics.encode(),
            maintype="text",
            subtype="calendar",
            filename="invite.ics",
            params={"method": mail.ics_method or "REQUEST"},
        )
    return out


def deliver_due(engine: Engine, settings: Settings, now: dt.datetime | None = None) -> int:
    """Send every message due now; how many were sent."""
    sent = 0
    while True:
        moment = now or utcnow()
        mail = _claim(engine, moment)
        if mail is None:
            return sent
        if _send(engine, settings, mail, moment):
            sent += 1


def _send(engine: Engine, settings: Settings, mail: Mail, now: dt.datetime) -> bool:
    assert mail.id is not None
    domain = settings.public_url.split("//")[-1].split("/")[0].split(":")[0] or "avoin"
    on_wire = accepted = False
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
            smtp.ehlo_or_helo_if_needed()
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
            code, _ = smtp.mail(settings.mail_from)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, b"", settings.mail_from)
            code, _ = smtp.rcpt(mail.to)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({mail.to: (code, b"")})
            # From here the server may take it: it is never sent again.
            _mark(engine, mail.id, status="sending")
            on_wire = True
            # CRLF line ends, as SMTP has them (smtplib leaves bytes as they are).
            raw = message(mail, settings.mail_from, domain).as_bytes(policy=SMTP_POLICY)
            code, _ = smtp.data(raw)
            if code != 250:
                raise smtplib.SMTPDataError(code, b"refused")
            accepted = True
    except smtplib.SMTPDataError as exc:
        _failed(engine, mail, now, f"SMTPDataError {exc.smtp_code}")  # answered: not taken
        return False
    except (smtplib.SMTPException, OSError) as exc:
        if accepted:
            pass  # taken; only the goodbye failed
        elif on_wire:
            # Lost on the wire: the server may have it. Left "sending", never sent again.
            _mark(engine, mail.id, error=f"uncertain: {type(exc).__name__}"[:200])
            log.warning("mail lost on the wire (%s): not sent again", type(exc).__name__)
            return False
        else:
            _failed(engine, mail, now, type(exc).__name__)
            return False
    _mark(engine, mail.id, status="sent", sent_at=utcnow(), error="")
    return True


def _failed(engine: Engine, mail: Mail, now: dt.datetime, reason: str) -> None:
    assert mail.id is not None
    tries = mail.tries + 1
    wait = min(LONGEST_WAIT, FIRST_WAIT * 2 ** (tries - 1))
    status = "failed" if tries >= GIVE_UP_AFTER else "queued"
    _mark(
        engine,
        mail.id,
        status=status,
        tries=tries,
        claimed_at=None,
        next_try_at=now + dt.timedelta(seconds=wait),
        error=reason[:200],
    )
    log.warning("mail not sent (%s), try %d", reason, tries)
