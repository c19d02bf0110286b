"""Settings: one small object read from the environment (prefix AVOIN_)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

VAR_DIR = Path("var")
LANGUAGES = ("fi", "sv", "en")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Settings(BaseSettings):
    """Everything the server reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="AVOIN_", extra="ignore")

    env: Literal["dev", "test", "prod"] = "dev"
    database_url: str = f"sqlite:///./{VAR_DIR}/avoin.db"
    # SQLite only. "normal": a commit is in the write-ahead log before it is acknowledged, so it
    # survives the server being killed at any moment, but the log is flushed to the disk only at
    # checkpoints (every few seconds): a power cut or a crash of the whole machine may lose the
    # last seconds. "full": the log is flushed at every commit, as PostgreSQL does; each op then
    # waits for the disk. docs/security.md, docs/benchmarks.md.
    sqlite_synchronous: Literal["normal", "full"] = "normal"
    secret_key: str = ""
    public_url: str = "http://127.0.0.1:8000"
    allowed_origins: Annotated[list[str], NoDecode] = []
    fanout_url: str = "memory://"
    frames_dir: Path | None = None
    # An organisation's own glossary terms (TOML files like app/glossary/terms.toml): they add
    # terms, or replace a built-in one with the same key.
    glossary_dir: Path | None = None
    language: Literal["fi", "sv", "en"] = "fi"
    # A live frame larger than this gets `too_large`; the socket itself accepts a little more so
    # that the answer can be an error frame and not a closed connection.
    max_frame_bytes: int = 64 * 1024
    # Room for a catch-up of up to 500 events (SNAPSHOT_AFTER) plus the live ones meanwhile.
    send_queue_size: int = 1024
    # A socket whose unsent backlog passes this is cut; it resumes with `since` when it can.
    send_buffer_bytes: int = 1024 * 1024
    # An op waiting on the database longer than this is answered `unavailable` (not acknowledged).
    op_deadline_seconds: float = Field(default=5.0, gt=0, le=60)
    # The server pings every socket this often and cuts one that has not answered within as
    # long again: a phone that lost its network greys in the chair's list within twice this.
    heartbeat_seconds: float = Field(default=15.0, ge=0.1, le=60)
    session_days: int = 14
    # A closed meeting's record is kept this many days, then purged (client data belongs in the
    # services' own client-information systems, not here).
    retention_days: int = 30
    # The reverse proxies whose X-Forwarded-For is believed (comma-separated addresses, or "*"
    # where only the proxy can reach the app, as in docker-compose.yml).
    trusted_proxies: str = "127.0.0.1"
    # Guessing limits: wrong codes and passwords per address a minute.
    failures_per_minute: int = Field(default=30, ge=1)
    # Lobby knocks per address and join code: a burst that lets a workshop of sixty behind one
    # Wi-Fi address knock at once, then one every ten seconds; and at most this many knocks of
    # one address waiting in a lobby (well under its cap of 200 people, so that one address
    # alone never fills it).
    knock_burst: int = Field(default=80, ge=1, le=150)
    knocks_per_minute: float = Field(default=6.0, gt=0)
    knocks_waiting: int = Field(default=80, ge=1, le=150)
    # Single sign-on (OpenID Connect) for professionals, on when an issuer and a client are set
    # (app/sso.py; README "Running it for an organisation"). The claim that names the user; the
    # groups (of the groups claim) that may use Avoin at all, that make a manager or an admin;
    # "group=Unit name" pairs that place a user in a unit. Local passwords can be switched off.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_username_claim: str = "preferred_username"
    oidc_groups_claim: str = "groups"
    oidc_user_groups: Annotated[list[str], NoDecode] = []
    oidc_manager_groups: Annotated[list[str], NoDecode] = []
    oidc_admin_groups: Annotated[list[str], NoDecode] = []
    oidc_unit_groups: Annotated[list[str], NoDecode] = []
    local_passwords: bool = True
    # E-mail (invitations and reminders; app/mail/): off while no SMTP host is set.
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_starttls: bool = True
    smtp_username: str = ""
    smtp_password: str = ""
    mail_from: str = "avoin@localhost"
    mail_every_seconds: float = Field(default=5.0, gt=0)
    # When set, /metrics answers only with "Authorization: Bearer <token>".
    metrics_token: str = ""
    # Where people send accessibility feedback (an e-mail address or a postal address); the
    # accessibility statement shows it, as the Act on the Provision of Digital Services requires.
    accessibility_contact: str = ""

    @field_validator(
        "allowed_origins",
        "oidc_user_groups",
        "oidc_manager_groups",
        "oidc_admin_groups",
        "oidc_unit_groups",
        mode="before",
    )
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("frames_dir", "glossary_dir", mode="before")
    @classmethod
    def _empty_frames_dir(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def sso(self) -> bool:
        """Whether professionals may log in with the organisation's identity."""
        return bool(self.oidc_issuer and self.oidc_client_id)

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        if not self.secret_key:
            if self.env == "prod":
                raise ValueError("AVOIN_SECRET_KEY must be set in production")
            self.secret_key = _stored_secret()
        if self.env == "prod":
            if len(self.secret_key) < 32:
                raise ValueError("AVOIN_SECRET_KEY must be at least 32 characters")
            if not self.public_url.startswith("https://"):
                raise ValueError("AVOIN_PUBLIC_URL must be https:// in production")
        return self

    @property
    def origins(self) -> frozenset[str]:
        """Origins allowed to open a live socket or post a form: the public URL's and the listed."""
        listed = {_origin(o) for o in self.allowed_origins if o}
        return frozenset({_origin(self.public_url), *listed})

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def base_url(self) -> str:
        return self.public_url.rstrip("/")


def _stored_secret() -> str:
    """A secret generated once and kept in ./var/, so that dev restarts keep sessions."""
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
