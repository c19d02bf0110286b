"""The seed's three workshops as agendas: steps with purpose, minutes, questions, material and
breaks in three languages, small groups with prepared boards, and the same file format for an
organisation's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.frames.loader import FrameError, load_frame, load_frames

WORKSHOPS = ("workshop1", "workshop2", "workshop3")


@pytest.mark.parametrize("key", WORKSHOPS)
def test_each_workshop_is_about_three_hours_and_opens_with_the_families_view(key: str) -> None:
    frame = load_frames()[key]
    assert frame.kind == "workshop"
    assert 170 <= sum(p.minutes for p in frame.phases) <= 185
    kinds = [p.kind for p in frame.phases]
    assert "break" in kinds and kinds[-1] == "round"  # the closing reflection is a round
    first_experts = next(i for i, p in enumerate(frame.phases) if p.experts)
    assert first_experts <= 2  # after the opening and the introductions
    for lang in ("fi", "sv", "en"):
        shown = frame.localized(lang)
        for phase in shown["phases"]:
            assert phase["title"] and phase["question"]
        assert any(p["purpose"] for p in shown["phases"])
        assert any(p["material"] and p["material"]["note"] for p in shown["phases"])


def test_the_groups_have_prepared_boards_and_workshop_three_continues_group_to_group() -> None:
    frames = load_frames()
    one = next(p for p in frames["workshop1"].phases if p.kind == "groups")
    assert len(one.groups) == 4 and all(g.prompts.fi for g in one.groups)
    three = next(p for p in frames["workshop3"].phases if p.kind == "groups")
    assert three.continues
    titles = [g.title.en.lower() for g in three.groups]
    assert "core question" in titles[0] and "plan" in titles[-1]
    share = next(p for p in frames["workshop3"].phases if p.kind == "share")
    assert share.answers_from == three.key
    assert any(p.kind == "fishbowl" for p in frames["workshop2"].phases)


OWN = """
key = "oma"
kind = "workshop"
[title]
fi = "Oma työpaja"
sv = "Egen workshop"
en = "Own workshop"
[[phases]]
key = "ryhmat"
kind = "groups"
minutes = 30
[phases.title]
fi = "Ryhmät"
sv = "Grupper"
en = "Groups"
[phases.question]
fi = "Mitä?"
sv = "Vad?"
en = "What?"
{groups}
"""

GROUP = """
[[phases.groups]]
key = "{key}"
[phases.groups.title]
fi = "Ryhmä"
sv = "Grupp"
en = "Group"
"""


def test_an_organisation_writes_its_own_workshop_in_the_same_format(tmp_path: Path) -> None:
    groups = GROUP.format(key="a") + GROUP.format(key="b")
    (tmp_path / "oma.toml").write_text(OWN.format(groups=groups), encoding="utf-8")
    frame = load_frames(tmp_path)["oma"]
    assert [g.key for g in frame.phases[0].groups] == ["a", "b"]


@pytest.mark.parametrize(
    ("groups", "named"),
    [
        (GROUP.format(key="a"), "2 to 8 groups"),
        (GROUP.format(key="a") + GROUP.format(key="a"), "unique"),
        (GROUP.format(key="a") + GROUP.format(key="B!"), "groups"),
    ],
)
def test_a_broken_workshop_is_refused_naming_the_file_and_field(
    tmp_path: Path, groups: str, named: str
) -> None:
    path = tmp_path / "oma.toml"
    path.write_text(OWN.format(groups=groups), encoding="utf-8")
    with pytest.raises(FrameError) as caught:
        load_frame(path)
    assert str(path) in str(caught.value) and named in str(caught.value)
