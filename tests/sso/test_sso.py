"""Single sign-on against a real OpenID Provider on loopback (tests/sso/provider.mjs), on SQLite
and on PostgreSQL with Redis: a member of an allowed group logs in and gets their roles and unit
from the provider's groups; someone outside them is refused and no account is made; a forged or
replayed state opens nothing; ID tokens the provider really issued are refused for a wrong
nonce, when expired, and for another audience; logout ends the provider's session too; local
passwords can be switched off."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urljoin, urlparse

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from sqlmodel import select

from app import sso as sso_module
from app.accounts import User
from app.audit.models import AuditEntry
from app.errors import AppError
from tests.sso.conftest import WithProvider

FORM = re.compile(r'<form[^>]*action="([^"]+)"', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


async def _to_callback(http: httpx.AsyncClient, url: str, who: str) -> str:
    """Through the provider's login pages as `who`: the URL it sends the browser back to."""
    answer = await http.get(url)
    for _ in range(12):
        if answer.is_redirect:
            target = urljoin(str(answer.url), answer.headers["location"])
            if "/login/sso/callback" in target:
                return target
            answer = await http.get(target)
        elif (form := FORM.search(answer.text)) and 'name="login"' in answer.text:
            action = urljoin(str(answer.url), unescape(form.group(1)))
            fields = {name: unescape(value) for name, value in HIDDEN.findall(answer.text)}
            answer = await http.post(action, data={**fields, "login": who, "password": "any"})
        else:
            raise AssertionError(f"stuck at the provider: {answer.status_code} {answer.url}")
    raise AssertionError("the provider never sent the browser back")


async def _log_in(sso: WithProvider, who: str) -> tuple[httpx.Response, httpx.AsyncClient]:
    http = httpx.AsyncClient(timeout=10)
    begun = await http.get(f"{sso.server.base}/login/sso?next=/cases")
    assert begun.status_code == 303
    back = await _to_callback(http, begun.headers["location"], who)
    return await http.get(back), http


async def test_a_member_logs_in_with_roles_and_unit_from_the_provider(sso: WithProvider) -> None:
    done, http = await _log_in(sso, "sanna")
    assert done.status_code == 303 and done.headers["location"] == "/cases"
    assert "avoin_session" in done.cookies
    home = await http.get(f"{sso.server.base}/")
    assert "Sanna Koski" in home.text
    assert sso.server.app is not None
    with sso.server.app.state.session_factory() as session:
        user = session.exec(select(User).where(User.username == "sanna")).one()
        assert (user.is_manager, user.is_admin, user.unit) == (True, False, "Perhekeskus Hervanta")
        assert user.sso_subject == f"{sso.issuer}#sanna"
        logins = session.exec(select(AuditEntry).where(AuditEntry.detail == "sso")).all()
        assert any(a.success and a.actor == f"user:{user.id}" for a in logins)
    # A second login is the same account.
    again, second = await _log_in(sso, "sanna")
    assert again.status_code == 303
    with sso.server.app.state.session_factory() as session:
        assert len(session.exec(select(User).where(User.username == "sanna")).all()) == 1
    # Logging out ends the provider's session too (RP-initiated logout).
    out = await http.post(f"{sso.server.base}/logout", headers={"Origin": sso.server.base})
    assert out.status_code == 303
    ending = urlparse(out.headers["location"])
    assert f"{ending.scheme}://{ending.netloc}" == sso.issuer and ending.path == "/session/end"
    assert parse_qs(ending.query)["post_logout_redirect_uri"] == [f"{sso.server.base}/"]
    assert (await http.get(f"{sso.server.base}/cases")).status_code == 303  # logged out here
    for client in (http, second):
        await client.aclose()


async def test_someone_outside_the_groups_is_refused_and_no_account_made(sso: WithProvider) -> None:
    refused, http = await _log_in(sso, "outsider")
    assert refused.status_code == 403
    assert "not in a group that may use Avoin" in refused.text or "ryhmässä" in refused.text
    assert "avoin_session" not in refused.cookies
    assert sso.server.app is not None
    with sso.server.app.state.session_factory() as session:
        assert session.exec(select(User).where(User.username == "outsider")).first() is None
    await http.aclose()


async def test_a_forged_or_replayed_state_opens_nothing(sso: WithProvider) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        forged = await http.get(f"{sso.server.base}/login/sso/callback?code=x&state=forged")
        assert forged.status_code == 403 and "avoin_session" not in forged.cookies
        begun = await http.get(f"{sso.server.base}/login/sso")
        back = await _to_callback(http, begun.headers["location"], "sanna")
        assert (await http.get(back)).status_code == 303
        replayed = await http.get(back)
        assert replayed.status_code == 403 and "avoin_session" not in replayed.cookies
        # The provider's own refusal (the user cancelled) is a refusal here too.
        begun = await http.get(f"{sso.server.base}/login/sso")
        state = parse_qs(urlparse(begun.headers["location"]).query)["state"][0]
        cancelled = await http.get(
            f"{sso.server.base}/login/sso/callback?error=access_denied&state={state}"
        )
        assert cancelled.status_code == 403


async def _real_token(sso: WithProvider, client_id: str, nonce: str) -> str:
    """An ID token the provider really issues to this client, after a login as sanna."""
    info = sso_module.provider(_settings(sso))
    verifier = generate_token(48)
    url = prepare_grant_uri(
        info.authorization_endpoint,
        client_id,
        "code",
        redirect_uri=f"{sso.server.base}/login/sso/callback",
        scope="openid profile groups",
        state="s",
        nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
    )
    async with httpx.AsyncClient(timeout=10) as http:
        back = await _to_callback(http, url, "sanna")
        code = parse_qs(urlparse(back).query)["code"][0]
        answer = await http.post(
            info.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": f"{sso.server.base}/login/sso/callback",
                "code_verifier": verifier,
            },
            auth=(client_id, f"{client_id}-secret"),
        )
    token: str = answer.json()["id_token"]
    return token


def _settings(sso: WithProvider):  # type: ignore[no-untyped-def]
    assert sso.server.app is not None
    return sso.server.app.state.settings


async def test_real_tokens_with_a_wrong_nonce_expired_or_for_another_audience_are_refused(
    sso: WithProvider,
) -> None:
    settings = _settings(sso)
    ours = await _real_token(sso, "avoin", "n-1")
    claims = sso_module.verify(settings, ours, "n-1")  # the control: it is a good token
    assert claims["sub"] == "sanna"
    for nonce, now in (("n-2", None), ("n-1", claims["exp"] + 3600)):
        try:
            sso_module.verify(settings, ours, nonce, now=now)
        except AppError as err:
            assert err.code == "forbidden"
        else:
            raise AssertionError(f"accepted with nonce {nonce} at {now}")
    theirs = await _real_token(sso, "another-app", "n-3")
    try:
        sso_module.verify(settings, theirs, "n-3")
    except AppError as err:
        assert err.code == "forbidden"
    else:
        raise AssertionError("a token for another audience was accepted")
    tampered = ours[:-4] + ("AAAA" if not ours.endswith("AAAA") else "BBBB")
    try:
        sso_module.verify(settings, tampered, "n-1")
    except AppError as err:
        assert err.code == "forbidden"
    else:
        raise AssertionError("a token with a broken signature was accepted")


async def test_local_passwords_can_be_switched_off(sso: WithProvider) -> None:
    settings = _settings(sso)
    settings.local_passwords = False
    try:
        async with httpx.AsyncClient(base_url=sso.server.base, timeout=10) as http:
            page = await http.get("/")
            assert 'href="/login/sso"' in page.text and 'name="password"' not in page.text
            refused = await http.post("/api/session", json={"username": "kalle", "password": "x"})
            assert refused.status_code == 403
    finally:
        settings.local_passwords = True


async def test_a_deactivated_account_is_refused_though_the_provider_says_yes(
    sso: WithProvider,
) -> None:
    done, http = await _log_in(sso, "sanna")
    assert done.status_code == 303
    assert sso.server.app is not None
    with sso.server.app.state.session_factory() as session:
        user = session.exec(select(User).where(User.username == "sanna")).one()
        user.active = False
        session.add(user)
        session.commit()
    try:
        refused, second = await _log_in(sso, "sanna")
        assert refused.status_code == 403
        assert (await http.get(f"{sso.server.base}/cases")).status_code == 303  # session ended
    finally:
        with sso.server.app.state.session_factory() as session:
            user = session.exec(select(User).where(User.username == "sanna")).one()
            user.active = True
            session.add(user)
            session.commit()
    for client in (http, second):
        await client.aclose()
