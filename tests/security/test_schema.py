"""Schemathesis against the OpenAPI schema of a running test server: no request it generates,
logged in or not, for a real meeting or a made-up one, makes a 500.

Few examples per operation by default; AVOIN_LONG_TESTS=1 runs many more.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.conftest import PASSWORD
from tests.helpers import RunningServer

LONG = os.environ.get("AVOIN_LONG_TESTS") == "1"
pytestmark = pytest.mark.timeout(1800 if LONG else 180)
EXAMPLES = 150 if LONG else 8
FORMATS = ["md", "txt", "pdf", "docx"]


@dataclass
class Known:
    """Real things for the generated requests to hit now and then."""

    base: str
    chair: dict[str, str]
    phone: dict[str, str]
    meeting_id: str
    statuses: Counter[int] = field(default_factory=Counter)


@pytest.fixture(scope="module")
def api_schema(server: RunningServer) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{server.base}/openapi.json")


@pytest.fixture(scope="module")
def known(server: RunningServer) -> Known:
    with httpx.Client(base_url=server.base, timeout=10) as http:
        answer = http.post("/api/session", json={"username": "jari", "password": PASSWORD})
        chair = {"avoin_session": answer.cookies["avoin_session"]}
    with httpx.Client(base_url=server.base, timeout=10, cookies=chair) as http:
        meeting = http.post("/api/meetings", json={"title": "Skeema", "frame": "helpmap"}).json()
    with httpx.Client(base_url=server.base, timeout=10) as http:
        body = {"join_code": meeting["join_code"], "name": "Aino", "family": True}
        answer = http.post(f"/api/meetings/{meeting['id']}/join", json=body)
        cookie = f"avoin_p_{meeting['id']}"
        phone = {cookie: answer.cookies[cookie]}
    return Known(server.base, chair, phone, meeting["id"])


def call(case: schemathesis.Case, known: Known) -> None:
    """Send one generated request (now and then about the real meeting); no 500 may come back."""
    params = case.path_parameters or {}
    # Half of the requests name the real meeting (chosen by the generated value, so that a
    # failing case replays the same way), and these come with someone's credentials.
    real = "meeting_id" in params and len(str(params["meeting_id"])) % 2 == 0
    if real:
        params["meeting_id"] = known.meeting_id
        if "fmt" in params:
            params["fmt"] = FORMATS[len(str(params["fmt"])) % len(FORMATS)]
    cookies = known.phone if real and case.method == "GET" else known.chair
    if (case.method, case.path) == ("DELETE", "/api/session"):
        cookies = {}  # logging out the chair would stop the rest from going deep
    if (case.method, case.path) == ("DELETE", "/api/meetings/{meeting_id}"):
        params["meeting_id"] = f"x{params['meeting_id']}"  # keep the real meeting for the rest
    if isinstance(case.body, dict) and isinstance(case.body.get("join_code"), str):
        # A known crasher, kept out of the general run (its own xfail test is below).
        case.body["join_code"] = "".join(ch for ch in case.body["join_code"] if ch.isascii())
    response = case.call(base_url=known.base, headers={"Origin": known.base}, cookies=cookies)
    known.statuses[response.status_code] += 1
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    )


def test_no_generated_request_makes_a_server_error(
    api_schema: schemathesis.BaseSchema, known: Known
) -> None:
    # Schemathesis' pytest loader (`from_fixture`) does not run under pytest 9 (it reads the
    # removed `Function._nodeid`), so each operation's strategy is driven by Hypothesis here.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10, [op.label for op in operations]
    failures: list[str] = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=not LONG,
            database=None,
        )
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            call(case, known)

        try:
            check()
        except AssertionError as failure:
            failures.append(f"{operation.label}: {failure}")
    print(f"[schema] {len(operations)} operations, answers by status: {dict(known.statuses)}")
    assert sum(known.statuses.values()) >= len(operations)
    assert not failures, "\n".join(failures)


def test_a_join_code_of_non_ascii_digits_is_not_a_500(known: Known) -> None:
    with httpx.Client(base_url=known.base, timeout=10) as http:
        body = {"join_code": "１２３４５６７８", "name": "Aino"}
        answer = http.post(f"/api/meetings/{known.meeting_id}/join", json=body)
    assert answer.status_code in (404, 422), answer.text
