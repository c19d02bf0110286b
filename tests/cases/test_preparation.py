"""The preparation with the family as pure functions: shape, limits, clear errors, sharing."""

from __future__ import annotations

import json

import pytest

from app.preparation import model as prep_domain
from app.preparation.changes import add, move, remove, set_closeness, set_core_question, set_share
from app.preparation.model import (
    GONE,
    MESSAGES,
    PreparationError,
    case_details,
    empty,
    load,
    revision,
    shared,
)

NO_MAIL = {"email": "", "consent": False, "language": "fi"}  # invited without e-mail
SHAPE = {"core_question", "invitees", "telling", "network", "timeline", "houses", "share"}


def full() -> dict:
    """A preparation with something in every part, nothing shared yet."""
    prep = set_core_question(empty(), "Miksi poika ei halua mennä kouluun?")
    prep = add(prep, "invitees", {"name": "Liisa", "role": "opettaja", "family": False})
    prep = add(prep, "invitees", {"name": "Mummo", "role": "", "family": True})
    prep = add(prep, "telling", {"what": "Aamut ovat vaikeita", "who": "äiti"})
    prep = add(prep, "telling", {"what": "Poissaolot", "who": "opettaja"})
    prep = add(prep, "network", {"name": "Mummo", "relation": "isoäiti", "closeness": 1})
    prep = add(
        prep,
        "network",
        {"name": "Liisa", "relation": "opettaja", "closeness": "2", "side": "services"},
    )
    prep = add(prep, "timeline", {"when": "syksy 2024", "what": "Muutto Tampereelle"})
    prep = add(prep, "timeline", {"when": "tammikuu", "what": "Poissaolot alkoivat"})
    return add(prep, "houses", {"house": "worries", "text": "Koulumatka", "picture": "🚌"})


def test_an_empty_preparation_has_the_agreed_shape_and_shares_nothing() -> None:
    prep = empty()
    assert set(prep) == SHAPE
    assert prep["core_question"] == ""
    assert all(prep[s] == [] for s in prep_domain.SECTIONS)
    assert prep["share"] == {
        "core_question": False,
        "telling": False,
        "network": False,
        "timeline": False,
    }
    # It is plain JSON, as it is stored.
    assert json.loads(json.dumps(prep)) == prep


def test_items_keep_the_shape_and_the_order_they_were_entered_in() -> None:
    prep = full()
    assert prep["invitees"] == [
        {"name": "Liisa", "role": "opettaja", "family": False, **NO_MAIL},
        {"name": "Mummo", "role": "", "family": True, **NO_MAIL},
    ]
    assert prep["telling"][0] == {"what": "Aamut ovat vaikeita", "who": "äiti"}
    assert prep["network"] == [
        {"name": "Mummo", "relation": "isoäiti", "closeness": 1, "side": "family"},
        {"name": "Liisa", "relation": "opettaja", "closeness": 2, "side": "services"},
    ]
    assert [m["when"] for m in prep["timeline"]] == ["syksy 2024", "tammikuu"]


def test_edits_return_a_new_preparation_and_leave_the_old_one_alone() -> None:
    before = full()
    snapshot = json.dumps(before)
    after = add(before, "timeline", {"when": "nyt", "what": "Verkostotapaaminen"})
    remove(before, "network", 0)
    set_share(before, ["network"])
    assert json.dumps(before) == snapshot
    assert len(after["timeline"]) == 3


def test_text_is_tidied_single_lines_made_one_line_and_controls_dropped() -> None:
    prep = add(empty(), "network", {"name": "  Isä\t\n Matti\x00 ", "closeness": 2})
    assert prep["network"][0]["name"] == "Isä Matti"
    prep = set_core_question(empty(), "  Ensimmäinen rivi\r\n\r\n\r\n\r\nToinen\x07 rivi  ")
    assert prep["core_question"] == "Ensimmäinen rivi\n\nToinen rivi"


@pytest.mark.parametrize(
    ("section", "fields", "field"),
    [
        ("invitees", {"name": ""}, "name"),
        ("invitees", {"name": "x" * 81}, "name"),
        ("invitees", {"name": "Liisa", "role": "r" * 81}, "role"),
        ("telling", {"what": "", "who": "äiti"}, "what"),
        ("telling", {"what": "w" * 501, "who": "äiti"}, "what"),
        ("telling", {"what": "Aamut", "who": "   "}, "who"),
        ("network", {"name": "n" * 61, "closeness": 1}, "name"),
        ("network", {"name": "Mummo", "relation": "r" * 61, "closeness": 1}, "relation"),
        ("network", {"name": "Mummo", "closeness": 4}, "closeness"),
        ("network", {"name": "Mummo", "closeness": "lähin"}, "closeness"),
        ("network", {"name": "Mummo", "closeness": True}, "closeness"),
        ("network", {"name": "Mummo", "closeness": 1, "side": "school"}, "side"),
        ("timeline", {"when": "", "what": "Muutto"}, "when"),
        ("timeline", {"when": "w" * 41, "what": "Muutto"}, "when"),
        ("timeline", {"when": "syksy", "what": "m" * 301}, "what"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_for_its_field(
    section: str, fields: dict, field: str
) -> None:
    with pytest.raises(PreparationError) as caught:
        add(empty(), section, fields)
    assert caught.value.errors == [(field, MESSAGES[(section, field)])]


def test_every_wrong_field_is_named_once() -> None:
    with pytest.raises(PreparationError) as caught:
        add(empty(), "network", {"name": "", "closeness": "", "side": ""})
    assert [f for f, _m in caught.value.errors] == ["name", "closeness", "side"]


def test_the_core_question_has_a_length_limit() -> None:
    set_core_question(empty(), "k" * prep_domain.CORE_MAX)
    with pytest.raises(PreparationError) as caught:
        set_core_question(empty(), "k" * (prep_domain.CORE_MAX + 1))
    assert caught.value.errors == [("core_question", MESSAGES[("core_question", "")])]


def test_a_list_cannot_grow_past_its_limit() -> None:
    prep = empty()
    for i in range(prep_domain.MAX_ITEMS["network"]):
        prep = add(prep, "network", {"name": f"P{i}", "closeness": 3})
    with pytest.raises(PreparationError) as caught:
        add(prep, "network", {"name": "One too many", "closeness": 3})
    assert caught.value.errors == [("", prep_domain.FULL["network"])]


def test_unknown_fields_and_sections_are_refused() -> None:
    with pytest.raises(PreparationError):
        add(empty(), "invitees", {"name": "Liisa", "henkilötunnus": "010101-123A"})
    with pytest.raises(PreparationError):
        add(empty(), "share", {"name": "x"})


def test_remove_move_and_closeness_by_place_in_the_list() -> None:
    prep = full()
    assert [m["when"] for m in move(prep, "timeline", 1, -1)["timeline"]] == [
        "tammikuu",
        "syksy 2024",
    ]
    assert [m["when"] for m in move(prep, "timeline", 0, +1)["timeline"]] == [
        "tammikuu",
        "syksy 2024",
    ]
    # At either end an item stays where it is.
    assert move(prep, "timeline", 0, -1) == prep
    assert move(prep, "timeline", 1, +1) == prep
    assert [p["name"] for p in remove(prep, "network", 0)["network"]] == ["Liisa"]
    assert set_closeness(prep, 1, 3)["network"][1]["closeness"] == 3
    assert set_closeness(prep, 1, "1")["network"][1]["closeness"] == 1


@pytest.mark.parametrize("index", [-1, 2, 99, "0", True, None])
def test_an_item_that_is_not_there_changes_nothing(index: object) -> None:
    with pytest.raises(PreparationError) as caught:
        remove(full(), "timeline", index)
    assert caught.value.errors == [("", GONE)]


def test_a_closeness_outside_the_rings_is_refused() -> None:
    with pytest.raises(PreparationError) as caught:
        set_closeness(full(), 0, 0)
    assert caught.value.errors == [("closeness", MESSAGES[("network", "closeness")])]


def test_shared_gives_only_what_the_family_chose_in_the_same_shape() -> None:
    prep = set_share(full(), ["core_question", "network"])
    out = shared(prep)
    assert set(out) == SHAPE
    assert out["core_question"] == prep["core_question"]
    assert out["network"] == prep["network"]
    assert out["telling"] == [] and out["timeline"] == []
    # Whom to invite is never brought to the meeting, nor the child's houses with the shared
    # parts (the meeting holds them apart, until the child agrees: app/meetings/houses.py).
    assert out["invitees"] == [] and out["houses"] == []
    assert out["share"] == {
        "core_question": True,
        "telling": False,
        "network": True,
        "timeline": False,
    }


def test_nothing_chosen_nothing_shared() -> None:
    out = shared(full())
    assert prep_domain.is_empty(out)
    everything = shared(set_share(full(), ["core_question", "telling", "network", "timeline"]))
    assert everything["timeline"] == full()["timeline"]
    assert everything["telling"] == full()["telling"]


def test_set_share_takes_exactly_the_named_parts() -> None:
    prep = set_share(full(), ["telling", "timeline", "invitees", "anything"])
    assert prep["share"] == {
        "core_question": False,
        "telling": True,
        "network": False,
        "timeline": True,
    }
    assert set_share(prep, [])["share"] == empty()["share"]


def test_load_reads_broken_storage_leniently() -> None:
    assert load(None) == empty()
    assert load("") == empty()
    assert load("not json") == empty()
    assert load("[1, 2]") == empty()
    stored = {
        "core_question": "Kysymys",
        "network": [
            {"name": "Mummo", "relation": "", "closeness": 1, "side": "family"},
            {"name": "", "closeness": 9},
            "nonsense",
        ],
        "timeline": "not a list",
        "share": {"network": True},
        "extra": "dropped",
    }
    prep = load(json.dumps(stored))
    assert prep["core_question"] == "Kysymys"
    assert [p["name"] for p in prep["network"]] == ["Mummo"]
    assert prep["timeline"] == []
    assert prep["share"]["network"] is True
    assert "extra" not in prep
    # shared() is as forgiving, since it copies stored data into a meeting.
    assert shared(stored)["network"] == prep["network"]


def test_the_revision_changes_with_the_content_only() -> None:
    prep = full()
    assert revision(prep) == revision(json.loads(json.dumps(prep)))
    assert revision(prep) != revision(remove(prep, "timeline", 0))


def test_case_details_check_the_label_and_the_role() -> None:
    assert case_details("  Perhe K,  koulu ", "coordinator") == ("Perhe K, koulu", "coordinator")
    with pytest.raises(PreparationError) as caught:
        case_details("", "boss")
    assert [f for f, _m in caught.value.errors] == ["label", "responsible_role"]
    with pytest.raises(PreparationError):
        case_details("x" * 81, "named_worker")
