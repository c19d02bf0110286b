"""A family's process over a real server: create a case, prepare with the family, start its
meeting; bad input changes nothing; another professional does not even see that it exists.
Last, the preparation page in a real browser at phone and laptop size (docs/screenshots/)."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import select

from app.cases.models import Case
from app.i18n import gettext_for
from app.meetings.models import Meeting
from app.preparation.changes import add, set_core_question, set_share
from app.preparation.model import MESSAGES, empty, shared
from app.preparation.view import preparation_context
from tests.browser import LAPTOP, PHONE, PROJECTOR, new_page, shot
from tests.conftest import PASSWORD
from tests.helpers import RunningServer, login

LABEL = "Perhe K, koulu"
NO_MAIL = {"email": "", "consent": False, "language": "fi"}  # invited without e-mail


async def english(server: RunningServer, username: str) -> dict[str, str]:
    """A professional's cookies, with the pages in English (the msgids), whatever is translated."""
    return {**await login(server, username, PASSWORD), "avoin_lang": "en"}


def stored(server: RunningServer, case_id: str) -> Case:
    """The case as it is in the database now."""
    assert server.app is not None
    with server.app.state.session_factory() as session:
        case = session.get(Case, case_id)
        assert case is not None
        session.expunge(case)
        return case


def prep_of(server: RunningServer, case_id: str) -> dict[str, Any]:
    return json.loads(stored(server, case_id).preparation_json)


def text_of(page: str) -> str:
    """The page's text with its markup and entities gone, for checking what a person reads."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def rev_of(page: str) -> str:
    found = re.search(r'name="rev" value="([0-9a-f]+)"', page)
    assert found, "no revision in the page"
    return found.group(1)


async def new_case(http: httpx.AsyncClient, label: str = LABEL) -> str:
    answer = await http.post("/cases", data={"label": label, "responsible_role": "named_worker"})
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert re.fullmatch(r"/cases/c_[\w-]+", location)
    return location.rsplit("/", 1)[1]


async def test_anonymous_visitors_are_sent_to_log_in(server: RunningServer) -> None:
    async with server.http(cookies={"avoin_lang": "en"}) as http:
        answer = await http.get("/cases")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/?next=%2Fcases"
        answer = await http.get("/cases/c_whatever")
        assert answer.headers["location"] == "/?next=%2Fcases%2Fc_whatever"
        answer = await http.post("/cases/c_whatever/core-question", data={"core_question": "x"})
        assert answer.status_code == 303 and answer.headers["location"].startswith("/?next=")


async def test_a_new_case_under_a_pseudonymous_label(server: RunningServer) -> None:
    kalle = await english(server, "kalle")
    async with server.http(cookies=kalle) as http:
        page = (await http.get("/cases")).text
        assert "No family name or personal identity code is needed" in text_of(page)
        case_id = await new_case(http)
        case = stored(server, case_id)
        assert case.label == LABEL and case.responsible_role == "named_worker"
        assert json.loads(case.preparation_json) == empty()
        listing = await http.get("/cases")
        assert f'href="/cases/{case_id}"' in listing.text and LABEL in listing.text
        page = (await http.get(f"/cases/{case_id}")).text
        for heading in (
            "The core question, in the family's own words",
            "Whom to invite",
            "Who tells what",
            "Network map of close relationships",
            "Timeline",
            "What to bring to the meeting",
            "Start the first meeting of this process",
        ):
            assert heading in text_of(page)
        assert 'role="img"' in page


@pytest.mark.parametrize("label", ["", "   ", "x" * 81])
async def test_a_bad_label_gets_a_clear_error_and_makes_no_case(
    server: RunningServer, label: str
) -> None:
    kalle = await english(server, "kalle")
    with server.app.state.session_factory() as session:  # type: ignore[union-attr]
        before = len(session.exec(select(Case)).all())
    async with server.http(cookies=kalle) as http:
        answer = await http.post("/cases", data={"label": label})
    assert answer.status_code == 422
    assert MESSAGES[("case", "label")] in text_of(answer.text)
    assert 'href="#new-label"' in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert 'aria-describedby="new-label-help new-label-error"' in answer.text
    with server.app.state.session_factory() as session:  # type: ignore[union-attr]
        assert len(session.exec(select(Case)).all()) == before


async def test_each_part_of_the_preparation_is_edited_with_forms(server: RunningServer) -> None:
    kalle = await english(server, "kalle")
    async with server.http(cookies=kalle) as http:
        case_id = await new_case(http)
        base = f"/cases/{case_id}"

        async def post(path: str, data: dict[str, Any], part: str, anchor: str) -> None:
            answer = await http.post(base + path, data=data)
            assert answer.status_code == 303, text_of(answer.text)
            assert answer.headers["location"] == f"{base}?saved={part}#{anchor}"

        await post(
            "/core-question",
            {"core_question": "Miksi poika ei halua mennä kouluun?"},
            "core_question",
            "core-question",
        )
        await post("/invitees", {"name": "Liisa", "role": "opettaja"}, "invitees", "invitees")
        await post("/invitees", {"name": "Mummo", "family": "true"}, "invitees", "invitees")
        await post("/telling", {"what": "Aamut", "who": "äiti"}, "telling", "telling")
        await post("/telling", {"what": "Poissaolot", "who": "opettaja"}, "telling", "telling")
        await post(
            "/network",
            {"name": "Mummo", "relation": "isoäiti", "closeness": "2", "side": "family"},
            "network",
            "network",
        )
        await post(
            "/network",
            {"name": "Liisa", "relation": "opettaja", "closeness": "3", "side": "services"},
            "network",
            "network",
        )
        await post("/timeline", {"when": "syksy 2024", "what": "Muutto"}, "timeline", "timeline")
        await post("/timeline", {"when": "tammikuu", "what": "Poissaolot"}, "timeline", "timeline")
        prep = prep_of(server, case_id)
        assert prep["core_question"] == "Miksi poika ei halua mennä kouluun?"
        assert prep["invitees"] == [
            {"name": "Liisa", "role": "opettaja", "family": False, **NO_MAIL},
            {"name": "Mummo", "role": "", "family": True, **NO_MAIL},
        ]
        assert [t["who"] for t in prep["telling"]] == ["äiti", "opettaja"]
        assert prep["network"][1] == {
            "name": "Liisa",
            "relation": "opettaja",
            "closeness": 3,
            "side": "services",
        }

        # Changes by place in a list carry the page's revision.
        rev = rev_of((await http.get(base)).text)
        await post("/network/0/closeness", {"closeness": "1", "rev": rev}, "network", "network")
        assert prep_of(server, case_id)["network"][0]["closeness"] == 1
        rev = rev_of((await http.get(base)).text)
        await post("/timeline/1/move", {"direction": "up", "rev": rev}, "timeline", "timeline")
        assert [m["when"] for m in prep_of(server, case_id)["timeline"]] == [
            "tammikuu",
            "syksy 2024",
        ]
        rev = rev_of((await http.get(base)).text)
        await post("/telling/0/move", {"direction": "down", "rev": rev}, "telling", "telling")
        assert [t["who"] for t in prep_of(server, case_id)["telling"]] == ["opettaja", "äiti"]
        rev = rev_of((await http.get(base)).text)
        await post("/invitees/0/remove", {"rev": rev}, "invitees", "invitees")
        assert [p["name"] for p in prep_of(server, case_id)["invitees"]] == ["Mummo"]
        await post("/share", {"share": ["core_question", "network"]}, "share", "share")
        assert prep_of(server, case_id)["share"] == {
            "core_question": True,
            "telling": False,
            "network": True,
            "timeline": False,
        }
        await post(
            "/details",
            {"label": "Perhe K", "responsible_role": "coordinator"},
            "details",
            "details",
        )
        case = stored(server, case_id)
        assert (case.label, case.responsible_role) == ("Perhe K", "coordinator")

        page = (await http.get(f"{base}?saved=network")).text
        shown = text_of(page)
        assert "Saved." in shown
        assert "Mummo" in shown and "Ring 1: closest" in shown
        # The map and the list beside it name the same people.
        svg = page[page.index("<svg") : page.index("</svg>")]
        assert "Mummo (isoäiti, closest)" in unescape(svg)
        assert "Liisa (opettaja, further away)" in unescape(svg)


@pytest.mark.parametrize(
    ("path", "data", "field", "message"),
    [
        ("/core-question", {"core_question": "k" * 1001}, "core_question", ("core_question", "")),
        ("/invitees", {"name": ""}, "invitees-name", ("invitees", "name")),
        ("/telling", {"what": "Aamut", "who": ""}, "telling-who", ("telling", "who")),
        ("/telling", {"what": "w" * 501, "who": "äiti"}, "telling-what", ("telling", "what")),
        (
            "/network",
            {"name": "Mummo", "closeness": "", "side": "family"},
            "network-closeness",
            ("network", "closeness"),
        ),
        (
            "/network",
            {"name": "Mummo", "closeness": "1", "side": "naapuri"},
            "network-side",
            ("network", "side"),
        ),
        ("/network", {"name": "n" * 61, "closeness": "1"}, "network-name", ("network", "name")),
        ("/timeline", {"when": "", "what": "Muutto"}, "timeline-when", ("timeline", "when")),
        ("/timeline", {"when": "eilen", "what": ""}, "timeline-what", ("timeline", "what")),
        ("/details", {"label": "", "responsible_role": "named_worker"}, "details-label", None),
    ],
)
async def test_bad_input_gets_a_clear_error_linked_to_its_field_and_changes_nothing(
    server: RunningServer,
    path: str,
    data: dict[str, str],
    field: str,
    message: tuple[str, str] | None,
) -> None:
    kalle = await english(server, "kalle")
    async with server.http(cookies=kalle) as http:
        case_id = await new_case(http)
        before = stored(server, case_id)
        answer = await http.post(f"/cases/{case_id}{path}", data=data)
    assert answer.status_code == 422
    page = answer.text
    expected = MESSAGES[message] if message else MESSAGES[("case", "label")]
    assert expected in text_of(page)
    # The summary links to the field; the field is marked and points at its message.
    assert f'<a href="#{field}">' in page
    assert f'id="{field}-error"' in page or f'id="{field}"' in page
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', page) or (
        f'aria-describedby="{field}-error"' in page
    )
    # What was typed is kept in the form, so nothing has to be written again.
    for key, value in data.items():
        if value and len(value) < 60 and key not in ("closeness", "side", "responsible_role"):
            assert value in unescape(page)
    after = stored(server, case_id)
    assert after.preparation_json == before.preparation_json
    assert after.label == before.label and after.updated_at == before.updated_at


async def test_a_change_made_on_a_stale_page_changes_nothing(server: RunningServer) -> None:
    kalle = await english(server, "kalle")
    async with server.http(cookies=kalle) as http:
        case_id = await new_case(http)
        base = f"/cases/{case_id}"
        for when in ("syksy", "talvi"):
            await http.post(base + "/timeline", data={"when": when, "what": "x"})
        stale = rev_of((await http.get(base)).text)
        await http.post(base + "/timeline", data={"when": "kevät", "what": "y"})
        before = prep_of(server, case_id)
        answer = await http.post(base + "/timeline/0/remove", data={"rev": stale})
        assert answer.status_code == 422
        assert "changed in another window" in text_of(answer.text)
        assert 'href="#timeline-problem"' in answer.text
        answer = await http.post(base + "/timeline/7/remove", data={"rev": rev_of(answer.text)})
        assert answer.status_code == 422 and "not there any more" in text_of(answer.text)
        assert prep_of(server, case_id) == before


async def test_another_professional_gets_not_found_and_not_the_label(
    server: RunningServer,
) -> None:
    kalle = await english(server, "kalle")
    jari = await english(server, "jari")
    async with server.http(cookies=kalle) as http:
        case_id = await new_case(http, "Salainen tunniste")
        await http.post(f"/cases/{case_id}/timeline", data={"when": "syksy", "what": "x"})
    before = stored(server, case_id)
    async with server.http(cookies=jari) as http:
        listing = await http.get("/cases")
        assert "Salainen tunniste" not in listing.text
        for method, path, data in [
            ("GET", "", None),
            ("POST", "/core-question", {"core_question": "x"}),
            ("POST", "/network", {"name": "x", "closeness": "1", "side": "family"}),
            ("POST", "/timeline/0/remove", {"rev": ""}),
            ("POST", "/share", {"share": "timeline"}),
            ("POST", "/details", {"label": "Vallattu", "responsible_role": "coordinator"}),
            ("POST", "/meetings", {"frame": "hypothesis"}),
        ]:
            answer = await http.request(method, f"/cases/{case_id}{path}", data=data)
            assert answer.status_code == 404, (method, path)
            assert "Salainen tunniste" not in answer.text
        assert (await http.get("/cases/c_nonexistent")).status_code == 404
    after = stored(server, case_id)
    assert after.preparation_json == before.preparation_json and after.label == before.label
    with server.app.state.session_factory() as session:  # type: ignore[union-attr]
        assert session.exec(select(Meeting).where(Meeting.case_id == case_id)).all() == []


async def test_a_post_from_another_site_is_refused(server: RunningServer) -> None:
    kalle = await english(server, "kalle")
    async with server.http(cookies=kalle) as http:
        case_id = await new_case(http)
        answer = await http.post(
            f"/cases/{case_id}/core-question",
            data={"core_question": "x"},
            headers={"Sec-Fetch-Site": "cross-site"},
        )
    assert answer.status_code == 403
    assert prep_of(server, case_id)["core_question"] == ""


async def test_starting_a_meeting_of_the_case_brings_only_the_shared_parts(
    server: RunningServer,
) -> None:
    kalle = await english(server, "kalle")
    async with server.http(cookies=kalle) as http:
        case_id = await new_case(http)
        base = f"/cases/{case_id}"
        await http.post(base + "/core-question", data={"core_question": "Koulunkäynti"})
        await http.post(base + "/invitees", data={"name": "Liisa", "role": "opettaja"})
        await http.post(base + "/telling", data={"what": "Salainen asia", "who": "äiti"})
        await http.post(
            base + "/network",
            data={"name": "Mummo", "relation": "isoäiti", "closeness": "1", "side": "family"},
        )
        await http.post(base + "/timeline", data={"when": "syksy", "what": "Muutto"})
        await http.post(base + "/share", data={"share": ["core_question", "network"]})

        answer = await http.post(base + "/meetings", data={"frame": "helpmap", "language": "fi"})
        assert answer.status_code == 303
        meeting_id = answer.headers["location"].removeprefix("/m/")
        assert answer.headers["location"] == f"/m/{meeting_id}"

        # The meeting exists, its chair is the professional, and its title is the case's label.
        state = (await http.get(f"/api/meetings/{meeting_id}")).json()["state"]
        assert state["meeting"]["id"] == meeting_id
        assert state["meeting"]["title"] == LABEL
        assert state["meeting"]["frame"] == "helpmap"
        assert any(p["kind"] == "chair" for p in state["participants"])

        with server.app.state.session_factory() as session:  # type: ignore[union-attr]
            meeting = session.get(Meeting, meeting_id)
            assert meeting is not None
            assert meeting.case_id == case_id
            brought = json.loads(meeting.preparation_json or "{}")
        assert brought["core_question"] == "Koulunkäynti"
        assert brought["network"] == [
            {"name": "Mummo", "relation": "isoäiti", "closeness": 1, "side": "family"}
        ]
        assert brought["telling"] == [] and brought["timeline"] == []
        assert brought["invitees"] == []
        assert "Salainen asia" not in (meeting.preparation_json or "")

        # The case lists its meeting, and the next one is offered.
        page = (await http.get(base)).text
        assert f'href="/m/{meeting_id}"' in page
        assert "Start the next meeting of this process" in text_of(page)

        # A title of one's own, and a bad frame that is refused clearly.
        answer = await http.post(base + "/meetings", data={"title": "Toinen", "frame": "nope"})
        assert answer.status_code == 422 and 'href="#meeting-frame-first"' in answer.text
        answer = await http.post(base + "/meetings", data={"title": "t" * 121})
        assert answer.status_code == 422 and "A title is 1–120 characters." in text_of(answer.text)
        answer = await http.post(base + "/meetings", data={"title": "Toinen tapaaminen"})
        assert answer.status_code == 303
    with server.app.state.session_factory() as session:  # type: ignore[union-attr]
        titles = [m.title for m in session.exec(select(Meeting).where(Meeting.case_id == case_id))]
    assert sorted(titles) == sorted([LABEL, "Toinen tapaaminen"])


# The page in a real browser: log in through the form, prepare, look at it at two sizes.


def test_the_preparation_page_at_phone_and_laptop_size(
    server: RunningServer, browser: Browser
) -> None:
    page = new_page(browser, LAPTOP)
    page.goto(server.base + "/cases")
    page.get_by_label("Käyttäjätunnus").fill("kalle")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_url("**/cases")
    page.locator("#new-label").fill("Perhe K, koulunkäynti")
    page.locator("#new-role-named_worker").check()
    page.locator("form[action='/cases'] button[type=submit]").click()
    page.wait_for_url("**/cases/c_*")
    case_url = page.url.split("?")[0].split("#")[0]

    page.locator("#core_question").fill("Miksi Eetu ei halua aamuisin lähteä kouluun?")
    page.locator("#core-question button[type=submit]").click()
    page.wait_for_url("**saved=core_question*")
    for name, role, family in [
        ("Äiti ja isä", "vanhemmat", True),
        ("Liisa", "luokanopettaja", False),
        ("Mummo", "isoäiti", True),
    ]:
        page.locator("#invitees-name").fill(name)
        page.locator("#invitees-role").fill(role)
        page.locator("#invitees-family").set_checked(family)
        page.locator("#invitees form.case-add button").click()
        page.wait_for_url("**saved=invitees*")
    for what, who in [
        ("Miltä aamut tuntuvat kotona", "Äiti"),
        ("Mitä koulussa on huomattu", "Liisa"),
    ]:
        page.locator("#telling-what").fill(what)
        page.locator("#telling-who").fill(who)
        page.locator("#telling form.case-add button").click()
        page.wait_for_url("**saved=telling*")
    for name, relation, ring, side in [
        ("Äiti", "äiti", 1, "family"),
        ("Isä", "isä", 1, "family"),
        ("Mummo", "isoäiti", 2, "family"),
        ("Valmentaja Pekka", "jalkapallo", 3, "family"),
        ("Liisa", "luokanopettaja", 2, "services"),
        ("Terveydenhoitaja", "koulu", 3, "services"),
        ("Kuraattori", "koulu", 3, "services"),
    ]:
        page.locator("#network-name").fill(name)
        page.locator("#network-relation").fill(relation)
        page.locator(f"#network-closeness{'' if ring == 1 else f'-{ring}'}").check()
        page.locator("#network-side" if side == "family" else "#network-side-services").check()
        page.locator("#network form.case-add button").click()
        page.wait_for_url("**saved=network*")
    for when, what in [
        ("syksy 2024", "Muutto uudelle paikkakunnalle"),
        ("tammikuu", "Poissaoloja alkoi kertyä"),
        ("maaliskuu", "Opettaja otti yhteyttä kotiin"),
    ]:
        page.locator("#timeline-when").fill(when)
        page.locator("#timeline-what").fill(what)
        page.locator("#timeline form.case-add button").click()
        page.wait_for_url("**saved=timeline*")
    for part in ("core_question", "network", "timeline"):
        page.locator(f"#share-{part}").check()
    page.locator("#share form button[type=submit]").click()
    page.wait_for_url("**saved=share*")

    # An error is shown at its field, and the summary's link takes the keyboard there.
    page.locator("#timeline-when").fill("")
    page.locator("#timeline-what").fill("Jotain")
    page.locator("#timeline form.case-add button").click()
    expect(page.locator(".case-errors")).to_be_focused()
    page.locator(".case-errors a").first.click()
    expect(page.locator("#timeline-when")).to_be_focused()
    expect(page.locator("#timeline-when")).to_have_attribute("aria-invalid", "true")

    page.goto(case_url)
    svg = page.locator("#netmap")
    expect(svg).to_have_attribute("role", "img")
    expect(page.locator("#netmap desc")).to_contain_text("Valmentaja Pekka")
    # On a laptop the list of the parts stays in view beside the map.
    page.goto(case_url + "#network")
    expect(page.locator(".case-toc")).to_be_in_viewport()
    shot(page, "case-preparation-laptop")
    page.set_viewport_size(PROJECTOR)
    shot(page, "case-preparation-projector")
    page.set_viewport_size(LAPTOP)

    phone = new_page(browser, PHONE, mobile=True)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(case_url + "#network")
    expect(phone.locator("#netmap")).to_be_visible()
    shot(phone, "case-preparation-phone")
    # Nothing is wider than the phone: no sideways scrolling at 320 px either.
    phone.set_viewport_size({"width": 320, "height": 700})
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    phone.context.close()
    page.context.close()


def test_the_meeting_partial_shows_only_what_is_there(server: RunningServer) -> None:
    assert server.app is not None
    template = server.app.state.templates.env.get_template("_preparation.html")
    gettext = gettext_for("en")
    assert template.render(_=gettext, **preparation_context(None, "en")).strip() == ""
    assert template.render(_=gettext, **preparation_context(empty(), "en")).strip() == ""
    prep = set_share(
        add(
            add(set_core_question(empty(), "<b>Miksi?</b>"), "invitees", {"name": "Liisa"}),
            "network",
            {"name": "Mummo", "relation": "isoäiti", "closeness": 1},
        ),
        ["core_question", "network"],
    )
    html = template.render(_=gettext, **preparation_context(shared(prep), "en"))
    assert "&lt;b&gt;Miksi?&lt;/b&gt;" in html and "<b>Miksi?" not in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="prep-map"' in html
    assert "Mummo" in html and "Liisa" not in html
    assert "Who tells what" not in html and "Timeline" not in html
    assert 'href="/static/css/preparation.css"' in html and "cases.css" not in html
    assert "<h2" in html and "<h3" in html
    html = template.render(
        _=gettext, prep_heading=3, prep_no_css=True, **preparation_context(json.dumps(prep), "en")
    )
    assert ".css" not in html and "<h3" in html and "<h4" in html and "<h2" not in html
