"""Professionals' accounts and sessions (family members never need an account)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Field, Session, SQLModel, select

from app.clock import utcnow
from app.errors import AppError

_hasher = PasswordHasher()


class User(SQLModel, table=True):
    """A professional who can log in and start meetings."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, index=True)
    display_name: str = Field(default="", max_length=80)
    password_hash: str = Field(max_length=200)
    is_admin: bool = False
    # Managers and developers of the services see the follow-up dashboard (no meeting content).
    is_manager: bool = False
    # The service unit the professional works in (e.g. "Perhekeskus Hervanta"); meetings they
    # open belong to it, and the dashboard can be filtered by it.
    unit: str = Field(default="", max_length=80)
    created_at: dt.datetime = Field(default_factory=utcnow)
    # A deactivated account logs in no more; its sessions and live sockets were ended with it.
    active: bool = True
    # The organisation's identity (issuer#subject) of an account that logs in with single sign-on.
    sso_subject: str | None = Field(default=None, max_length=300, unique=True)


class Unit(SQLModel, table=True):
    """A service unit professionals work in (e.g. "Perhekeskus Hervanta"), kept by the admins."""

    name: str = Field(primary_key=True, max_length=80)
    created_at: dt.datetime = Field(default_factory=utcnow)


class SSOLogin(SQLModel, table=True):
    """A single sign-on begun: its state (hashed), nonce and PKCE verifier, until the provider
    sends the browser back (app/sso.py). Used once."""

    state_hash: str = Field(primary_key=True, max_length=64)
    nonce: str = Field(max_length=100)
    verifier: str = Field(max_length=100)
    next: str = Field(default="/", max_length=200)
    expires_at: dt.datetime


class PasswordReset(SQLModel, table=True):
    """A one-time link to set a password: only its hash is kept, it is used once, it expires."""

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    expires_at: dt.datetime
    used: bool = False


class UserSession(SQLModel, table=True):
    """A login. Only the hash of the cookie is kept, so a leaked table logs nobody in."""

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime


def token_hash(token: str) -> str:
    """The stored form of a bearer token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A bearer token from the CSPRNG (192 bits)."""
    return secrets.token_urlsafe(24)


def add_user(
    session: Session,
    username: str,
    password: str,
    *,
    admin: bool = False,
    display_name: str = "",
    manager: bool = False,
    unit: str = "",
) -> User:
    """Create a professional's account."""
    username = username.strip()
    if not username or len(username) > 80:
        raise AppError("invalid", "A username is 1–80 characters.")
    if len(password) < 8:
        raise AppError("invalid", "A password is at least 8 characters.")
    if session.exec(select(User).where(User.username == username)).first():
        raise AppError("conflict", "That username is taken.")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=_hasher.hash(password),
        is_admin=admin,
        is_manager=manager,
        unit=unit.strip()[:80],
    )
    if user.unit and session.get(Unit, user.unit) is None:
        session.add(Unit(name=user.unit))  # a unit named here is one the admins can choose
    session.add(user)
    session.flush()
    return user


# An unknown username is checked against this hash, so that it costs the same argon2 work as a
# known one: the answer's time does not tell which usernames exist.
@functools.cache
def dummy_hash() -> str:
    """The hash an unknown username is checked against: made once, by the server at start-up
    (`create_app`), so that the first unknown login takes no longer than later ones; a command
    line that logs no one in never pays for it."""
    return _hasher.hash("avoin: no such user")


def find_user(session: Session, username: str) -> User | None:
    """The account of this username, if there is one (read only)."""
    return session.exec(select(User).where(User.username == username.strip())).first()


# Password checks take turns: each is a tenth of a second of every core (argon2's lanes), and sixty
# wrong logins at once would otherwise starve the event loop that serves the live meetings. Half
# the cores hash; the rest stay for the meetings.
_HASHING = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) // 2))


def password_matches(user: User | None, password: str) -> bool:
    """Whether the password is the user's: the same argon2 work whether or not the user exists.
    Runs with no database connection held (it takes about a tenth of a second)."""
    with _HASHING:
        try:
            _hasher.verify(user.password_hash if user is not None else dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            return False
    return user is not None


def start_session(session: Session, user: User, days: int) -> str:
    """Log the user in: the cookie value to set."""
    token = new_token()
    session.add(
        UserSession(
            token_hash=token_hash(token),
            user_id=user.id or 0,
            expires_at=utcnow() + dt.timedelta(days=days),
        )
    )
    return token


def user_for_token(session: Session, token: str | None) -> User | None:
    """The logged-in user of a session cookie, if it is valid and not expired."""
    if not token:
        return None
    row = session.get(UserSession, token_hash(token))
    if row is None or row.expires_at < utcnow():
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None


def end_sessions(session: Session, user_id: int) -> None:
    """Every login of this account ends (deactivated, or a new password set)."""
    for row in session.exec(select(UserSession).where(UserSession.user_id == user_id)):
        session.delete(row)


RESET_HOURS = 24


def new_reset_link(session: Session, user: User) -> str:
    """A one-time token to set the account's password (valid RESET_HOURS); earlier ones go."""
    for row in session.exec(select(PasswordReset).where(PasswordReset.user_id == user.id)):
        session.delete(row)
    token = new_token()
    expires = utcnow() + dt.timedelta(hours=RESET_HOURS)
    session.add(
        PasswordReset(token_hash=token_hash(token), user_id=user.id or 0, expires_at=expires)
    )
    return token


def reset_of(session: Session, token: str) -> PasswordReset | None:
    """The unused, unexpired reset of this token, or None."""
    row = session.get(PasswordReset, token_hash(token))
    if row is None or row.used or row.expires_at < utcnow():
        return None
    return row


def set_password(session: Session, user: User, password: str) -> None:
    """A new password: every earlier login of the account ends."""
    if len(password) < 8 or len(password) > 200:
        raise AppError("invalid", "A password is 8–200 characters.")
    user.password_hash = _hasher.hash(password)
    session.add(user)
    end_sessions(session, user.id or 0)


def end_session(session: Session, token: str | None) -> None:
    """Log out."""
    if token:
        row = session.get(UserSession, token_hash(token))
        if row is not None:
            session.delete(row)
