"""Frames as data: the built-in ones, an organisation's own, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.frames.loader import FrameError, load_frames

WORKSHOPS = {"workshop1", "workshop2", "workshop3"}

PHASES = {
    "hypothesis": ["opening", "core", "hypotheses", "reflection", "solutions", "plan", "closing"],
    "helpmap": ["opening", "goal", "challenges", "supports", "solutions", "plan", "closing"],
}

OWN = """
key = "pikapalaveri"
[title]
fi = "Pikapalaveri"
sv = "Snabbmöte"
en = "Quick meeting"

[[phases]]
key = "kuulumiset"
kind = "note"
minutes = 5
[phases.title]
fi = "Kuulumiset"
sv = "Nytt"
en = "News"
[phases.question]
fi = "Miten on mennyt?"
sv = "Hur har det gått?"
en = "How has it gone?"
"""


@pytest.mark.parametrize("key", ["hypothesis", "helpmap"])
def test_builtin_frames_have_the_phases_of_the_brief_in_three_languages(key: str) -> None:
    frame = load_frames()[key]
    assert [p.key for p in frame.phases] == PHASES[key]
    kinds = {p.key: p.kind for p in frame.phases}
    assert kinds["solutions"] == "solution" and kinds["plan"] == "plan"
    for lang in ("fi", "sv", "en"):
        localized = frame.localized(lang)
        for phase in localized["phases"]:
            assert phase["title"] and phase["question"] and phase["prompts"]
    assert (
        frame.localized("fi")["phases"][2]["title"] != frame.localized("sv")["phases"][2]["title"]
    )


def test_an_organisations_own_frames_are_loaded(tmp_path: Path) -> None:
    (tmp_path / "pikapalaveri.toml").write_text(OWN, encoding="utf-8")
    frames = load_frames(tmp_path)
    assert set(frames) == {"hypothesis", "helpmap", "pikapalaveri", *WORKSHOPS}
    assert frames["pikapalaveri"].localized("sv")["phases"][0]["question"] == "Hur har det gått?"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda s: s.replace("minutes = 5", 'minutes = "viisi"'), "phases.0.minutes"),
        (lambda s: s.replace('sv = "Hur har det gått?"\n', ""), "phases.0.question.sv"),
        (lambda s: s.replace('kind = "note"', 'kind = "poem"'), "phases.0.kind"),
        (lambda s: s.replace('key = "pikapalaveri"', 'key = "toinen"'), "key"),
        (lambda s: s + "\n[oops", "not valid TOML"),
        (
            lambda s: s.replace("minutes = 5", 'minutes = 5\nanswers_from = "missing"'),
            "answers_from",
        ),
    ],
)
def test_a_broken_frame_is_refused_naming_the_file_and_field(
    tmp_path: Path, change: object, named: str
) -> None:
    path = tmp_path / "pikapalaveri.toml"
    path.write_text(change(OWN), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(FrameError) as refused:
        load_frames(tmp_path)
    assert str(path) in str(refused.value) and named in str(refused.value)


def test_a_missing_frames_dir_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FrameError, match="AVOIN_FRAMES_DIR"):
        load_frames(tmp_path / "nowhere")
