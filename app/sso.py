"""Single sign-on for professionals with the organisation's own identity (OpenID Connect: Entra
ID, AD FS, any OpenID Provider): the authorization code flow with PKCE, `state` and `nonce`
checked, the ID token's signature, issuer, audience and lifetime verified. Authlib makes the
request (PKCE, the authorization URL), joserfc verifies the token, httpx talks to the provider.

Who may use Avoin, and as what, is the provider's groups: an account is made at the first login
only for someone in an allowed group, and each login sets the roles and the unit anew — so
leaving the organisation (or its group) ends access. A local deactivation ends it too."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import generate_token  # type: ignore[import-untyped]
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri  # type: ignore[import-untyped]
from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlmodel import Session, select

from app.accounts import SSOLogin, Unit, User, token_hash
from app.clock import utcnow
from app.config import Settings
from app.errors import AppError
from app.i18n import N_

DISCOVERY_TTL = 3600.0  # seconds a provider's configuration and keys are kept
LOGIN_MINUTES = 10  # how long a login begun may take at the provider
LEEWAY = 60  # seconds of clock difference allowed with the provider
ALGORITHMS = ("RS256", "PS256", "ES256")
FAILED = N_("The login with your organisation's account did not succeed. Please try again.")
NOT_ALLOWED = N_("Your organisation's account is not in a group that may use Avoin.")
TAKEN = N_("A local account has this username; an administrator can help.")


@dataclass(frozen=True)
class ProviderInfo:
    """What the provider's discovery document says, and its signing keys."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    end_session_endpoint: str | None
    keys: KeySet
    fetched: float


_cache: dict[str, ProviderInfo] = {}
_cache_lock = threading.Lock()


def provider(settings: Settings, fresh: bool = False) -> ProviderInfo:
    """The provider's configuration and keys (fetched once an hour, or `fresh` when a token is
    signed with a key not yet known: the provider rotated its keys)."""
    with _cache_lock:
        known = _cache.get(settings.oidc_issuer)
        if known is not None and not fresh and time.monotonic() - known.fetched < DISCOVERY_TTL:
            return known
        issuer = settings.oidc_issuer.rstrip("/")
        try:
            config = httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=5).json()
            jwks = httpx.get(config["jwks_uri"], timeout=5).json()
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise AppError("unavailable", FAILED) from exc
        if config.get("issuer", "").rstrip("/") != issuer:
            raise AppError("unavailable", FAILED)
        info = ProviderInfo(
            issuer=config["issuer"],
            authorization_endpoint=config["authorization_endpoint"],
            token_endpoint=config["token_endpoint"],
            end_session_endpoint=config.get("end_session_endpoint"),
            keys=KeySet.import_key_set(jwks),
            fetched=time.monotonic(),
        )
        _cache[settings.oidc_issuer] = info
        return info


def redirect_uri(settings: Settings) -> str:
    return f"{settings.public_url.rstrip('/')}/login/sso/callback"


def begin(session: Session, settings: Settings, next_path: str) -> str:
    """Start a login: the provider's URL to send the browser to. The state, nonce and PKCE
    verifier are kept here (hashed state, single use, LOGIN_MINUTES), not in the browser."""
    info = provider(settings)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(48)
    expires = utcnow() + dt.timedelta(minutes=LOGIN_MINUTES)
    session.add(
        SSOLogin(
            state_hash=token_hash(state),
            nonce=nonce,
            verifier=verifier,
            next=next_path,
            expires_at=expires,
        )
    )
    url: str = prepare_grant_uri(
        info.authorization_endpoint,
        settings.oidc_client_id,
        "code",
        redirect_uri=redirect_uri(settings),
        scope="openid profile groups",
        state=state,
        nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
    )
    return url


def take_login(session: Session, state: str) -> SSOLogin:
    """The login begun with this state, spent now; a forged, replayed or late one is refused."""
    row = session.get(SSOLogin, token_hash(state)) if state else None
    if row is None:
        raise AppError("forbidden", FAILED)
    session.delete(row)
    if row.expires_at < utcnow():
        raise AppError("forbidden", FAILED)
    return row


def exchange(settings: Settings, code: str, verifier: str) -> str:
    """The authorization code for the ID token, at the provider's token endpoint."""
    info = provider(settings)
    try:
        answer = httpx.post(
            info.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri(settings),
                "code_verifier": verifier,
            },
            auth=(settings.oidc_client_id, settings.oidc_client_secret),
            timeout=10,
        )
        token = answer.json()["id_token"] if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise AppError("forbidden", FAILED) from exc
    if not isinstance(token, str):
        raise AppError("forbidden", FAILED)
    return token


def verify(
    settings: Settings, id_token: str, nonce: str, now: float | None = None
) -> dict[str, Any]:
    """The ID token's claims, once its signature (the provider's keys), issuer, audience, lifetime
    and nonce are right; `forbidden` otherwise."""
    info = provider(settings)
    try:
        try:
            token = jwt.decode(id_token, info.keys, algorithms=list(ALGORITHMS))
        except JoseError:
            token = jwt.decode(
                id_token, provider(settings, fresh=True).keys, algorithms=list(ALGORITHMS)
            )
        claims = token.claims
        jwt.JWTClaimsRegistry(
            now=int(now if now is not None else time.time()),
            leeway=LEEWAY,
            iss={"essential": True, "value": info.issuer},
            aud={"essential": True, "value": settings.oidc_client_id},
            exp={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(claims)
    except (JoseError, ValueError) as exc:
        raise AppError("forbidden", FAILED) from exc
    audience = claims["aud"]
    if (
        isinstance(audience, list)
        and len(audience) > 1
        and claims.get("azp") != settings.oidc_client_id
    ):
        raise AppError("forbidden", FAILED)
    return dict(claims)


@dataclass(frozen=True)
class Roles:
    allowed: bool
    manager: bool
    admin: bool
    unit: str


def roles_of(settings: Settings, claims: dict[str, Any]) -> Roles:
    """What the provider's groups make of this person."""
    raw = claims.get(settings.oidc_groups_claim) or []
    groups = {str(g) for g in raw} if isinstance(raw, list) else {str(raw)}
    admin = bool(groups & set(settings.oidc_admin_groups))
    manager = bool(groups & set(settings.oidc_manager_groups))
    allowed = admin or manager or bool(groups & set(settings.oidc_user_groups))
    unit = ""
    for pair in settings.oidc_unit_groups:
        group, _, name = pair.partition("=")
        if group.strip() in groups and name.strip():
            unit = name.strip()[:80]
            break
    return Roles(allowed, manager, admin, unit)


def account(session: Session, settings: Settings, claims: dict[str, Any]) -> User:
    """The account of this person: made at the first login, its roles and unit set anew at
    every login from the provider's groups; refused outside the allowed groups, or deactivated."""
    roles = roles_of(settings, claims)
    subject = f"{settings.oidc_issuer}#{claims['sub']}"
    user = session.exec(select(User).where(User.sso_subject == subject)).first()
    if not roles.allowed:
        raise AppError("forbidden", NOT_ALLOWED)
    if user is None:
        username = str(claims.get(settings.oidc_username_claim) or claims["sub"])[:80]
        if session.exec(select(User).where(User.username == username)).first() is not None:
            raise AppError("conflict", TAKEN)
        user = User(username=username, password_hash="!sso", sso_subject=subject)
    if not user.active:
        raise AppError("forbidden", FAILED)
    user.display_name = str(claims.get("name") or user.display_name or user.username)[:80]
    user.is_admin, user.is_manager, user.unit = roles.admin, roles.manager, roles.unit
    if roles.unit and session.get(Unit, roles.unit) is None:
        session.add(Unit(name=roles.unit))
    session.add(user)
    session.flush()
    return user
