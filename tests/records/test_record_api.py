"""The record out over a real server: a whole meeting recorded live, every format parsed back."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import docx
import jsonschema_rs
from pypdf import PdfReader
from sqlmodel import Session, select

from app.audit.models import AuditEntry
from app.i18n import translate
from tests.helpers import LiveClient, Person, RunningServer
from tests.meetings.test_live import _admitted, _room

SCHEMA = jsonschema_rs.validator_for(
    json.loads((Path(__file__).parents[2] / "docs" / "record.schema.json").read_text())
)
LONG_WORD = "perhekeskustoimintamallinkehittämistyöryhmä"
OWN_WORDS = "Aamulla vatsaan sattuu, enkä jaksa lähteä."
FORMATS = {
    "md": "text/markdown",
    "txt": "text/plain",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _fi(message: str) -> str:
    return translate(message, "fi")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _read_back(fmt: str, body: bytes) -> str:
    """The text a reader of the file sees, whatever its format."""
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if fmt == "docx":
        document = docx.Document(io.BytesIO(body))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return body.decode("utf-8")


async def _recorded_meeting(
    server: RunningServer,
) -> tuple[dict[str, Any], dict[str, str], Person, Person, list[LiveClient]]:
    """A meeting recorded live: own words, a hypothesis, the solution to it, a plan step that
    the mother agrees to. The chair's cookies, the scribe and the mother."""
    meeting, chair_cookies, chair = await _room(server)
    scribe_p, scribe = await _admitted(server, meeting, chair, "Heidi", "kirjaaja", scribe=True)
    aino_p, aino = await _admitted(server, meeting, chair, "Aino", "äiti", family=True)
    eetu_p, eetu = await _admitted(server, meeting, chair, "Eetu", "nuori, 14 v.", family=True)

    async def add(phase: str, text: str, **fields: Any) -> str:
        added = await scribe.ok({"op": "entry.add", "phase": phase, "text": text, **fields})
        return added["data"]["entry"]["id"]

    await add("core", OWN_WORDS, speaker=eetu_p.participant, own_words=True)
    hypothesis = await add("hypotheses", f"Voisiko {LONG_WORD} auttaa?", speaker="Opettaja")
    await add("solutions", "Tukioppilas aamuisin.", answers=hypothesis)
    step_id = await add("plan", "Mummo käy aamuisin.", owner="Pirjo (mummo)", due="2026-12-15")
    await aino.ok({"op": "plan.agree", "entry": step_id, "agreement": "agree"})
    return meeting, chair_cookies, scribe_p, aino_p, [chair, scribe, aino, eetu]


async def test_every_format_reads_back_whole(server: RunningServer) -> None:
    meeting, chair_cookies, scribe_p, _aino_p, clients = await _recorded_meeting(server)
    mid = meeting["id"]
    for fmt, media in FORMATS.items():
        # The record leaves with a professional's account, never with a code's cookie: the
        # scribe who joined with the code is refused.
        async with server.http(cookies=scribe_p.cookies) as http:
            refused = await http.get(f"/api/meetings/{mid}/record.{fmt}")
        assert refused.status_code == 403, fmt
        for who in (chair_cookies,):
            async with server.http(cookies=who) as http:
                answer = await http.get(f"/api/meetings/{mid}/record.{fmt}")
            assert answer.status_code == 200, (fmt, answer.text[:200])
            assert answer.headers["content-type"].startswith(media)
            assert answer.headers["cache-control"] == "no-store"
            assert (
                answer.headers["content-disposition"] == f'attachment; filename="avoin-{mid}.{fmt}"'
            )
        text = _read_back(fmt, answer.content)
        flat = _flat(text)
        assert "Koulunkäynnin tuki" in text, fmt
        assert f"”{OWN_WORDS}”" in flat, fmt  # the person's own words, in quotation marks
        assert "Eetu (nuori, 14 v.)" in flat, fmt  # a participant id as "Name (role label)"
        assert "Opettaja" in text and LONG_WORD in text, fmt  # a free label; a long word whole
        assert "Tukioppilas aamuisin. (→ 2)" in flat, fmt  # the solution names hypothesis 2
        assert "Mummo käy aamuisin." in text and "Pirjo (mummo)" in text, fmt
        assert "15.12.2026" in text, fmt
        assert f"{_fi('Agreed')}: Aino (äiti)" in flat, fmt
        headings = ["Ydinkysymys", "Hypoteesit", "Ratkaisuehdotukset", "Suunnitelma"]
        if fmt == "txt":
            headings = [h.upper() for h in headings]
        at = [text.index(f"{h}\n") for h in headings]
        assert at == sorted(at), fmt  # the frame's phases, in order
    assert server.app is not None
    with Session(server.app.state.engine) as session:
        logged = session.exec(select(AuditEntry).where(AuditEntry.meeting_id == mid)).all()
    exports = [(e.role, e.detail, e.actor) for e in logged if e.action == "record.export"]
    # Which account took the record out, not only a participant id.
    assert {actor.split(":")[0] for _r, _f, actor in exports} == {"user"}
    assert sorted((r, f) for r, f, _a in exports) == sorted(("chair", f) for f in FORMATS)
    for client in clients:
        await client.close()


async def test_only_a_professional_with_an_account_exports(server: RunningServer) -> None:
    meeting, chair_cookies, _scribe_p, aino_p, clients = await _recorded_meeting(server)
    mid = meeting["id"]
    for fmt in FORMATS:
        async with server.http(cookies=aino_p.cookies) as http:
            denied = await http.get(f"/api/meetings/{mid}/record.{fmt}")
        assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
        async with server.http() as http:  # nobody at all
            assert (await http.get(f"/api/meetings/{mid}/record.{fmt}")).status_code == 403
    async with server.http(cookies=chair_cookies) as http:
        unknown = await http.get(f"/api/meetings/{mid}/record.rtf")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    for client in clients:
        await client.close()


async def test_a_correction_after_closing_is_exported_as_a_correction(
    server: RunningServer,
) -> None:
    meeting, chair_cookies, _scribe_p, _aino_p, clients = await _recorded_meeting(server)
    chair, scribe = clients[0], clients[1]
    core = next(
        f["data"]["entry"]
        for f in scribe.events()
        if f["name"] == "entry.added" and f["data"]["entry"]["phase"] == "core"
    )
    await chair.ok({"op": "meeting.close"})
    assert await scribe.closed() == 4001  # only account holders keep a live view after the close
    fixed = "Aamulla vatsaan sattuu, enkä aina jaksa lähteä."
    outcome = await chair.op(
        {"op": "entry.correct", "entry": core["id"], "text": fixed, "reason": "Eetu tarkensi"}
    )
    assert outcome["type"] == "event", outcome
    for fmt in FORMATS:
        async with server.http(cookies=chair_cookies) as http:
            answer = await http.get(f"/api/meetings/{meeting['id']}/record.{fmt}")
        flat = _flat(_read_back(fmt, answer.content))
        assert f"(1) ”{fixed}”" in flat, fmt  # the record reads as corrected …
        assert (  # … and says that it was, from what, and why
            f"{_fi('Corrected')} " in flat
            and f"({_fi('previously')}: ”{OWN_WORDS}”) — {_fi('reason')}: Eetu tarkensi" in flat
        ), fmt
    for client in clients:
        await client.close()


async def test_the_structured_record_follows_its_published_schema(server: RunningServer) -> None:
    meeting, chair_cookies, scribe_p, _aino_p, clients = await _recorded_meeting(server)
    mid = meeting["id"]
    async with server.http(cookies=scribe_p.cookies) as http:
        assert (await http.get(f"/api/meetings/{mid}/record.json")).status_code == 403
    async with server.http(cookies=chair_cookies) as http:
        answer = await http.get(f"/api/meetings/{mid}/record.json")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    record = answer.json()
    SCHEMA.validate(record)
    sections = {s["key"]: s for s in record["sections"]}
    assert list(sections)[:3] == ["opening", "core", "hypotheses"]
    [own] = sections["core"]["entries"]
    assert own["own_words"] and own["text"] == OWN_WORDS and own["voice"]["name"] == "Eetu"
    [hypothesis] = sections["hypotheses"]["entries"]
    assert hypothesis["voice"] == {"participant": None, "name": "Opettaja"}
    [solution] = sections["solutions"]["entries"]
    assert solution["answers"] == hypothesis["id"]
    [step] = sections["plan"]["entries"]
    assert (step["owner"]["name"], step["due"]) == ("Pirjo (mummo)", "2026-12-15")
    assert [(a["participant"]["name"], a["agreement"]) for a in step["agreements"]] == [
        ("Aino", "agree")
    ]
    roles = {p["name"]: (p["role"], p["family"]) for p in record["participants"]}
    assert roles["Heidi"] == ("scribe", False) and roles["Aino"] == ("participant", True)
    for client in clients:
        await client.close()
