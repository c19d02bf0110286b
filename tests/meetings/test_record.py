"""The record out: Markdown by phase, whose voice, the plan as a table with the family's word.

The other formats, and the record's details, are tested in tests/records/.
"""

from __future__ import annotations

import datetime as dt

from app.records.export import record_markdown
from tests.helpers import RunningServer
from tests.meetings.test_live import _admitted, _room
from tests.meetings.test_state import AINO, EETU, FRAMES, make_state


def test_markdown_by_phase_with_voices_and_the_plan_table() -> None:
    state = make_state()
    state.frame = FRAMES["hypothesis"].model_dump()
    state.entries["e_plan"].agreements = {
        AINO: {"agreement": "agree", "comment": None},
        EETU: {"agreement": "dispute", "comment": "Liian | aikaisin"},
    }
    text = record_markdown(state, dt.datetime(2026, 11, 25, tzinfo=dt.UTC))
    assert text.startswith("# Koulunkäynnin tuki\n")
    assert "## Ydinkysymys" in text and text.index("## Ydinkysymys") < text.index("## Hypoteesit")
    assert "”Miten pääsisin aamuisin kouluun?” — Eetu (nuori, 14 v.)" in text
    assert "Poistettu ajatus." not in text  # deleted entries are not in the record
    assert "| Mummo käy aamuisin. | Pirjo | 15.12.2026 |" in text  # dates as Finns write them
    assert (
        "Sovittu: Aino (äiti)" in text
        and "Ei sovittu: Eetu (nuori, 14 v.) (Liian \\| aikaisin)" in text
    )
    solution = next(line for line in text.splitlines() if "Pysyvä pari" in line)
    assert solution.endswith("(→ 2)")  # the hypothesis it answers, by number


async def test_the_chair_and_scribe_download_the_record_others_do_not(
    server: RunningServer,
) -> None:
    meeting, cookies, chair = await _room(server)
    _p, phone = await _admitted(server, meeting, chair, "Aino", "äiti", family=True)
    await chair.ok({"op": "entry.add", "phase": "core", "text": "Aamut <script>"})
    async with server.http(cookies=cookies) as http:
        answer = await http.get(f"/api/meetings/{meeting['id']}/record.md")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/markdown")
    assert answer.headers["cache-control"] == "no-store"
    assert "Aamut \\<script\\>" in answer.text  # kept as words: no renderer takes it for HTML
    async with server.http(cookies=_p.cookies) as http:
        denied = await http.get(f"/api/meetings/{meeting['id']}/record.md")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    for client in (chair, phone):
        await client.close()
