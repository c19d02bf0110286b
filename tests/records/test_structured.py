"""The structured record without a server: valid against docs/record.schema.json whatever the
meeting holds (corrections, free labels, a phase the frame lost), and only the shared record."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema_rs

from app.meetings.domain import Entry
from app.records.structured import structured_record
from tests.meetings.test_state import AINO, CHAIR, EETU, make_state

SCHEMA = jsonschema_rs.validator_for(
    json.loads((Path(__file__).parents[2] / "docs" / "record.schema.json").read_text())
)
HELD = dt.datetime(2026, 11, 25, 22, 30)  # naive UTC: the next day in Finland


def test_a_closed_and_corrected_meeting_is_valid_and_only_the_shared_record() -> None:
    state = make_state()
    state.status = "closed"
    fix = {"text": "Uusi", "previous": "Vanha", "reason": "Typo", "at": "2026-11-26T08:00:00Z"}
    state.entries["e_h2"].corrections = [fix | {"by": CHAIR}]
    state.entries["e_secret"] = Entry("e_secret", "core", "Salaisuus", ask_first=AINO)
    state.entries["e_lost"] = Entry("e_lost", "vanha", "Vaiheesta, jota ei enää ole")
    state.entries["e_plan"].agreements = {
        AINO: {"agreement": "dispute", "comment": "Liian aikaisin"}
    }
    record = structured_record(state, HELD)
    SCHEMA.validate(record)
    text = json.dumps(record, ensure_ascii=False)
    assert "Salaisuus" not in text and "Poistettu ajatus" not in text
    assert record["meeting"]["held"] == "2026-11-26"
    sections = {s["key"]: s for s in record["sections"]}
    assert [e["id"] for e in sections["other"]["entries"]] == ["e_lost"]
    [h2] = [e for e in sections["hypotheses"]["entries"] if e["id"] == "e_h2"]
    assert (
        h2["corrections"][0]["by"]["name"] == "Jari" and h2["corrections"][0]["previous"] == "Vanha"
    )
    [step] = sections["plan"]["entries"]
    assert step["agreements"] == [
        {
            "participant": {"participant": AINO, "name": "Aino"},
            "agreement": "dispute",
            "comment": "Liian aikaisin",
        }
    ]
    # Approved, the entry is part of it; the schema still holds.
    state.entries["e_secret"].approved = True
    record = structured_record(state, HELD)
    SCHEMA.validate(record)
    assert "Salaisuus" in json.dumps(record, ensure_ascii=False)
    assert {p["id"] for p in record["participants"]} >= {AINO, EETU}
