"""The client's access log of a case, over a real server: a meeting of the case is joined, its
closed record viewed and exported, the family's summary opened; the case's worker reads who did
what as a page, CSV and PDF — never the record's text — and each reading shows in the log.
Another professional and an anonymous visitor get nothing."""

from __future__ import annotations

import csv
import io
import re

import pytest
from pypdf import PdfReader

from app.meetings.models import Meeting
from tests.cases.test_case_pages import english, new_case, text_of
from tests.helpers import LiveClient, RunningServer, join

SECRET = "Isän juominen huolestuttaa"


@pytest.fixture(scope="module")
def server(any_server: RunningServer) -> RunningServer:
    return any_server


async def test_who_handled_the_familys_data(server: RunningServer) -> None:
    kalle = await english(server, "kalle")
    async with server.http(cookies=kalle) as http:
        case_id = await new_case(http, "Perhe L")
        answer = await http.post(f"/cases/{case_id}/meetings", data={"frame": "hypothesis"})
        meeting_id = answer.headers["location"].removeprefix("/m/")
    assert server.app is not None
    with server.app.state.session_factory() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        code = meeting.join_code
    chair = await LiveClient.open(server, meeting_id, kalle)
    await chair.next_of("snapshot")
    aino = await join(server, {"id": meeting_id, "join_code": code}, "Aino", "äiti", family=True)
    await chair.ok({"op": "participant.admit", "participant": aino.participant})
    await chair.ok({"op": "entry.add", "phase": "opening", "text": SECRET})
    await chair.ok({"op": "meeting.close"})
    shared = await chair.ok({"op": "summary.share", "days": 7})
    await chair.close()
    async with server.http(cookies=kalle) as http:
        assert (await http.get(f"/api/meetings/{meeting_id}")).status_code == 200
        assert (await http.get(f"/api/meetings/{meeting_id}/record.pdf")).status_code == 200
    async with server.http() as http:
        assert (await http.get(shared["data"]["url"].removeprefix(server.base))).status_code == 200

    async with server.http(cookies=kalle) as http:
        page = await http.get(f"/cases/{case_id}/access")
        assert page.status_code == 200
        text = text_of(page.text)
        for line in (
            "Joined the meeting",
            "Viewed the closed record",
            "Exported the record (pdf)",
            "Shared the family's summary",
            "Opened the family's summary",
            "Read this access log",
        ):
            assert line in text, line
        assert "Aino (äiti)" in text and "Kalle" in text
        assert SECRET not in page.text
        table = (await http.get(f"/cases/{case_id}/access.csv")).content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(table)))
        assert rows[0] == ["When", "Who", "Unit", "What", "Meeting"]
        # The page was read, and now the CSV: both readings are in the log.
        assert sum(r[3] == "Read this access log" for r in rows) == 2
        assert all(re.match(r"\d{4}-\d\d-\d\dT", r[0]) for r in rows[1:])
        pdf = await http.get(f"/cases/{case_id}/access.pdf")
        assert pdf.headers["content-type"] == "application/pdf"
        read = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "Who has handled the family's data" in read and "Exported the record" in read
        assert SECRET not in read and SECRET not in table
        assert (await http.get(f"/cases/{case_id}/access.xml")).status_code == 404


async def test_only_the_cases_worker_reads_it(server: RunningServer) -> None:
    kalle = await english(server, "kalle")
    jari = await english(server, "jari")
    async with server.http(cookies=kalle) as http:
        case_id = await new_case(http, "Perhe M")
    for fmt in ("", ".csv", ".pdf"):
        async with server.http(cookies=jari) as http:
            other = await http.get(f"/cases/{case_id}/access{fmt}")
        assert other.status_code == 404 and "Perhe M" not in other.text
        async with server.http() as http:
            anonymous = await http.get(f"/cases/{case_id}/access{fmt}")
        assert anonymous.status_code == 303
    async with server.http(cookies=kalle) as http:
        rows = list(csv.reader(io.StringIO((await http.get(f"/cases/{case_id}/access.csv")).text)))
    # Nobody else's attempt is a reading of the log: only Kalle's own.
    assert [r[1] for r in rows[1:]] == ["Kalle"]
