"""Names and labels people type carry no invisible characters: a knocker cannot turn a name
around with a bidi override or make a look-alike with a zero-width space."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD
from tests.helpers import LiveClient, RunningServer, login, new_meeting
from tests.meetings.test_live import _admitted, _room
from tests.security.addresses import client, knock, new_address

RLO, PDF, ZWSP, ZWJ, LRM, BOM = "\u202e", "\u202c", "\u200b", "\u200d", "\u200e", "\ufeff"
FAMILY_EMOJI = "\U0001f469" + ZWJ + "\U0001f466"  # a woman and a boy: one emoji


async def test_a_knock_over_json_drops_format_characters(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    async with client(server) as http:
        answer = await knock(http, meeting, new_address(), f"{RLO}itiÄ{PDF}{ZWSP}")
    assert answer.status_code == 200, answer.text
    joined = await chair.event("participant.joined")
    assert joined["data"]["participant"]["name"] == "itiÄ"
    assert answer.json()["participant"]["name"] == "itiÄ"
    await chair.close()


async def test_the_join_form_drops_them_from_name_and_role(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    async with client(server) as http:
        answer = await http.post(
            f"/join/{meeting['join_code']}",
            data={"name": f"{LRM}Äi{ZWSP}ti{BOM}", "role_label": f"{RLO}isä{PDF} {FAMILY_EMOJI}"},
        )
    assert answer.status_code == 303
    person = (await chair.event("participant.joined"))["data"]["participant"]
    assert person["name"] == "Äiti"
    # The joiner inside the emoji stays: without it the emoji falls apart into two.
    assert person["role_label"] == f"isä {FAMILY_EMOJI}"
    await chair.close()


async def test_a_name_of_only_format_characters_is_no_name(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    head = chair.seq
    async with client(server) as http:
        answer = await knock(http, meeting, new_address(), f"{RLO}{ZWSP}{ZWJ}{PDF}")
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid"
    # Nothing changed: the next event is the chair's own.
    ok = await chair.ok({"op": "phase.goto", "index": 1})
    assert ok["seq"] == head + 1
    await chair.close()


async def test_a_speaker_and_an_owner_drop_them_too(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    _p, scribe = await _admitted(server, meeting, chair, "Heidi", scribe=True)
    added = await scribe.ok(
        {
            "op": "entry.add",
            "phase": "opening",
            "text": "Kouluun on mukava mennä",
            "speaker": f"{RLO}ouniA{PDF}",
        }
    )
    assert added["data"]["entry"]["speaker"] == "ouniA"
    for client_ in (chair, scribe):
        await client_.close()


async def test_a_meeting_title_drops_them(server: RunningServer) -> None:
    cookies = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, cookies, title=f"{RLO}Verkostokokous{ZWSP}")
    chair = await LiveClient.open(server, meeting["id"], cookies)
    snapshot = await chair.next_of("snapshot")
    assert snapshot["state"]["meeting"]["title"] == "Verkostokokous"
    assert not re.search("[\u200b-\u200f\u202a-\u202e]", snapshot["state"]["meeting"]["title"])
    await chair.close()
