"""The `avoin` command: migrate, user add, demo, serve."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlmodel import select

import app.models  # noqa: F401 - every table known before the first insert
from app.accounts import User, add_user
from app.address import only_this_computer, public_url
from app.config import VAR_DIR, get_settings
from app.db import make_engine, transaction
from app.errors import AppError

if TYPE_CHECKING:
    from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent
DEMO_USER, DEMO_PASSWORD = "demo", "demo-salasana"


def alembic_config(database_url: str) -> Config:
    """Alembic's config for this database, wherever the command is run from."""
    # Alembic is a third of the command line's start-up, and only `migrate` needs it.
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def migrate(database_url: str) -> None:
    """Bring the database to the newest schema."""
    if database_url.startswith("sqlite:///./"):
        VAR_DIR.mkdir(exist_ok=True)
    from alembic import command

    command.upgrade(alembic_config(database_url), "head")


def _demo() -> None:
    """Make the demo account and an open demo meeting if there are none; print the links."""
    from app.frames.loader import load_frames
    from app.meetings.links import format_code, links
    from app.meetings.models import Meeting
    from app.meetings.screen_keys import new_link
    from app.meetings.service import create_meeting

    settings = get_settings()
    engine = make_engine(settings.database_url)
    with transaction(engine) as session:
        user = session.exec(select(User).where(User.username == DEMO_USER)).first()
        if user is None:
            user = add_user(session, DEMO_USER, DEMO_PASSWORD, display_name="Demo (puheenjohtaja)")
        meeting = session.exec(
            select(Meeting).where(Meeting.owner_id == user.id, Meeting.status == "open")
        ).first()
        if meeting is None:
            frame = load_frames(settings.frames_dir)["hypothesis"]
            meeting = create_meeting(
                session, user.id or 0, user.display_name, "Koulunkäynnin tuki", frame, "fi"
            )
        urls = links(settings, meeting, new_link(session, meeting.id))
        code = format_code(meeting.join_code)
    engine.dispose()
    print(
        f"""
Avoin is ready. Open these in a browser:

  Chair (log in as {DEMO_USER} / {DEMO_PASSWORD}):
      {urls["chair"]}
  Scribe (join, then the chair makes you the scribe):
      {urls["scribe"]}
  Shared screen (projector):
      {urls["screen"]}
  Phones join at {settings.base_url}/join with the code {code}, or:
      {urls["join"]}
"""
    )
    if only_this_computer(settings.base_url):
        room = public_url("0.0.0.0", urlsplit(settings.base_url).port or 8000)
        print(
            f"""  These links open only on this computer. For phones on the room's network:
      make run HOST=0.0.0.0          (the links then use {room})
  or set AVOIN_PUBLIC_URL to the address phones reach (behind a proxy: its https:// address).
"""
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="avoin", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="create or upgrade the database schema")
    user = sub.add_parser("user", help="professionals' accounts")
    user_sub = user.add_subparsers(dest="action", required=True)
    add = user_sub.add_parser("add", help="add an account")
    add.add_argument("--username", required=True)
    add.add_argument("--password", required=True)
    add.add_argument("--name", default="")
    add.add_argument("--admin", action="store_true")
    add.add_argument("--manager", action="store_true", help="may see the follow-up dashboard")
    add.add_argument("--unit", default="", help="the service unit, e.g. 'Perhekeskus Hervanta'")
    sub.add_parser("demo", help="make a demo account and meeting; print the links")
    sub.add_parser("purge", help="delete every meeting past its retention date")
    serve = sub.add_parser("serve", help="run the server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    url = sub.add_parser("url", help="the address links use for a server on --host and --port")
    url.add_argument("--host", default="127.0.0.1")
    url.add_argument("--port", type=int, default=8000)
    return parser


def _add_user(database_url: str, args: argparse.Namespace) -> int:
    engine = make_engine(database_url)
    try:
        with transaction(engine) as session:
            add_user(
                session,
                args.username,
                args.password,
                admin=args.admin,
                display_name=args.name,
                manager=args.manager,
                unit=args.unit,
            )
    except AppError as err:
        print(f"avoin: {err.message}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"Added {args.username}.")
    return 0


def _purge(database_url: str) -> int:
    from app.meetings.retention import purge_expired

    engine = make_engine(database_url)
    try:
        ids = purge_expired(engine)
    finally:
        engine.dispose()
    print(f"Purged {len(ids)} meeting(s).")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `avoin` console script."""
    args = _parser().parse_args(argv)
    settings = get_settings()
    if args.command == "migrate":
        migrate(settings.database_url)
        print("Database is up to date.")
    elif args.command == "user":
        return _add_user(settings.database_url, args)
    elif args.command == "demo":
        _demo()
    elif args.command == "purge":
        return _purge(settings.database_url)
    elif args.command == "serve":
        serve_app(args.host, args.port)
    elif args.command == "url":
        print(public_url(args.host, args.port))
    return 0


def serve_app(host: str, port: int) -> None:
    """uvicorn with the sans-io websockets implementation and deliberate socket limits."""
    import uvicorn

    from app.logs import log_config
    from app.server import uvicorn_options

    settings = get_settings()
    options = uvicorn_options(host, port, settings.trusted_proxies, settings.heartbeat_seconds)
    uvicorn.run("app.main:app", log_config=log_config(), **options)


if __name__ == "__main__":
    sys.exit(main())
