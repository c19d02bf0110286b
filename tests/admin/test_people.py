"""Account administration over a real server, on SQLite and PostgreSQL with Redis: an admin adds
a professional, who sets their own password with a one-time link; edits their unit and roles;
deactivates them, which ends their logins and their live socket at once. Anyone else is refused,
a spent or forged link opens nothing, and every change is in the audit log."""

from __future__ import annotations

import re

import pytest
import websockets
from sqlmodel import select

from app.accounts import User, add_user
from app.audit.models import AuditEntry
from app.db import transaction
from tests.conftest import PASSWORD
from tests.helpers import LiveClient, RunningServer, login, new_meeting


@pytest.fixture(scope="module")
def server(any_server: RunningServer) -> RunningServer:
    return any_server


@pytest.fixture(scope="module")
def admin(server: RunningServer) -> None:
    assert server.app is not None
    with transaction(server.app.state.engine) as session:
        if session.exec(select(User).where(User.username == "admin")).first() is None:
            add_user(session, "admin", PASSWORD, admin=True)


def _link(page: str) -> str:
    found = re.search(r'<code class="admin-reset">([^<]+)</code>', page)
    assert found, "no link on the page"
    return found.group(1)


async def test_a_professional_added_sets_their_password_and_is_ended(
    server: RunningServer, admin: None
) -> None:
    cookies = {**await login(server, "admin", PASSWORD), "avoin_lang": "en"}
    async with server.http(cookies=cookies) as http:
        made = await http.post("/admin/units", data={"name": "Perhekeskus Hervanta"})
        assert made.status_code == 303
        again = await http.post("/admin/units", data={"name": "Perhekeskus Hervanta"})
        assert again.status_code == 422 and "That unit is there already." in again.text
        page = await http.post(
            "/admin/users",
            data={
                "username": "sanna",
                "display_name": "Sanna Koski",
                "unit": "Perhekeskus Hervanta",
                "roles": ["manager"],
            },
        )
        assert page.status_code == 200
        link = _link(page.text).removeprefix(server.base)
        taken = await http.post("/admin/users", data={"username": "sanna"})
        assert taken.status_code == 422 and "That username is taken." in taken.text
        unknown_unit = await http.post("/admin/users", data={"username": "x1", "unit": "Nope"})
        assert unknown_unit.status_code == 422
    assert server.app is not None
    with server.app.state.session_factory() as session:
        sanna = session.exec(select(User).where(User.username == "sanna")).one()
        assert (sanna.unit, sanna.is_manager, sanna.is_admin) == (
            "Perhekeskus Hervanta",
            True,
            False,
        )
        assert session.exec(select(User).where(User.username == "x1")).first() is None

    # The link: shown, set once, then spent; a forged one opens nothing.
    async with server.http() as http:
        assert (await http.get(link)).status_code == 200
        differ = await http.post(link, data={"password": "salasana1", "again": "salasana2"})
        assert differ.status_code == 422
        short = await http.post(link, data={"password": "lyhyt", "again": "lyhyt"})
        assert short.status_code == 422
        done = await http.post(link, data={"password": "hyvä salasana", "again": "hyvä salasana"})
        assert done.status_code == 303
        spent = await http.post(
            link, data={"password": "toinen salasana", "again": "toinen salasana"}
        )
        assert spent.status_code == 410
        assert (await http.get("/reset/forged-token")).status_code == 410
    sanna_cookies = await login(server, "sanna", "hyvä salasana")

    # Sanna chairs a meeting; the admin deactivates her: her login and her socket end at once.
    meeting = await new_meeting(server, sanna_cookies)
    socket = await LiveClient.open(server, meeting["id"], sanna_cookies)
    await socket.next_of("snapshot")
    async with server.http(cookies=cookies) as http:
        ended = await http.post(f"/admin/users/{sanna.id}/active", data={"active": "0"})
        assert ended.status_code == 303
    assert await socket.closed() == 4003
    async with server.http(cookies=sanna_cookies) as http:
        assert (await http.get(f"/api/meetings/{meeting['id']}")).status_code == 403
        relogin = await http.post(
            "/api/session", json={"username": "sanna", "password": "hyvä salasana"}
        )
        assert relogin.status_code == 403
    with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
        await LiveClient.open(server, meeting["id"], sanna_cookies, since=None)
    assert refused.value.response.status_code == 403
    async with server.http(cookies=cookies) as http:
        assert (
            await http.post(f"/admin/users/{sanna.id}/active", data={"active": "1"})
        ).status_code == 303
    await login(server, "sanna", "hyvä salasana")

    with server.app.state.session_factory() as session:
        actions = [
            a.action for a in session.exec(select(AuditEntry).where(AuditEntry.role == "admin"))
        ]
    for action in (
        "admin.unit.create",
        "admin.user.create",
        "admin.user.deactivate",
        "admin.user.activate",
    ):
        assert action in actions, action


async def test_only_an_admin_manages_accounts(server: RunningServer, admin: None) -> None:
    kalle = await login(server, "kalle", PASSWORD)
    attempts = [
        ("GET", "/admin", None),
        ("POST", "/admin/users", {"username": "mallory"}),
        ("POST", "/admin/units", {"name": "Mallory"}),
        ("POST", "/admin/users/1/active", {"active": "0"}),
        ("POST", "/admin/users/1/reset", None),
    ]
    for method, path, data in attempts:
        async with server.http(cookies=kalle) as http:
            assert (await http.request(method, path, data=data)).status_code == 403, path
        async with server.http() as http:
            assert (await http.request(method, path, data=data)).status_code == 303, path
    # A post from another site is refused even with an admin's cookie.
    cookies = await login(server, "admin", PASSWORD)
    async with server.http(cookies=cookies, headers={"Origin": "https://evil.example"}) as http:
        assert (await http.post("/admin/units", data={"name": "Evil"})).status_code == 403
    # An admin does not end their own account or drop their own admin role.
    with server.app.state.session_factory() as session:  # type: ignore[union-attr]
        me = session.exec(select(User).where(User.username == "admin")).one()
    async with server.http(cookies=cookies) as http:
        assert (
            await http.post(f"/admin/users/{me.id}/active", data={"active": "0"})
        ).status_code == 422
        assert (
            await http.post(f"/admin/users/{me.id}", data={"display_name": "A"})
        ).status_code == 422
        assert (await http.post("/admin/users/999999/reset")).status_code == 404
