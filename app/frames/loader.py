"""Load and validate conversation frames from TOML, with errors that name the file and field."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.config import LANGUAGES

BUILTIN_DIR = Path(__file__).parent
PhaseKind = Literal[
    "note", "hypothesis", "solution", "plan", "break", "groups", "share", "fishbowl", "round"
]
WORKSHOP_DIR = BUILTIN_DIR / "workshops"
KEY_PATTERN = r"^[a-z][a-z0-9_-]{0,39}$"


class Texts(BaseModel):
    """One text in each UI language."""

    model_config = ConfigDict(extra="forbid")
    fi: str = Field(min_length=1, max_length=2000)
    sv: str = Field(min_length=1, max_length=2000)
    en: str = Field(min_length=1, max_length=2000)


class TextLists(BaseModel):
    """A list of texts in each UI language."""

    model_config = ConfigDict(extra="forbid")
    fi: list[str] = []
    sv: list[str] = []
    en: list[str] = []


class Material(BaseModel):
    """What a workshop step shows: a link, a note, or both."""

    model_config = ConfigDict(extra="forbid")
    url: str | None = Field(default=None, pattern=r"^https?://\S{1,500}$")
    note: Texts | None = None


class Group(BaseModel):
    """One small group's board in a workshop step, with the structure prepared for it."""

    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=KEY_PATTERN)
    title: Texts
    prompts: TextLists = TextLists()


class Phase(BaseModel):
    """One phase of a frame: what the chair reads out and what the scribe collects."""

    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=KEY_PATTERN)
    kind: PhaseKind = "note"
    minutes: int = Field(default=10, ge=1, le=180)
    answers_from: str | None = None
    experts: bool = False  # the experts by experience speak first in this step
    continues: bool = False  # each group goes on from where the previous one left off
    title: Texts
    question: Texts
    purpose: Texts | None = None
    prompts: TextLists = TextLists()
    material: Material | None = None
    groups: list[Group] = Field(default=[], max_length=8)

    @model_validator(mode="after")
    def _check_groups(self) -> Phase:
        if self.kind == "groups":
            if len(self.groups) < 2:
                raise ValueError(f"phase {self.key!r}: a groups step needs 2 to 8 groups")
            keys = [g.key for g in self.groups]
            if len(set(keys)) != len(keys):
                raise ValueError(f"phase {self.key!r}: group keys must be unique")
        elif self.groups or self.continues:
            raise ValueError(f"phase {self.key!r}: groups belong to a step of kind 'groups'")
        return self


class Frame(BaseModel):
    """A conversation frame: an ordered list of phases."""

    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=KEY_PATTERN)
    version: int = 1
    kind: Literal["meeting", "workshop"] = "meeting"
    title: Texts
    description: Texts | None = None
    phases: list[Phase] = Field(min_length=1, max_length=40)

    @model_validator(mode="after")
    def _check_phases(self) -> Frame:
        keys = [p.key for p in self.phases]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"phase keys must be unique, repeated: {', '.join(dupes)}")
        for index, phase in enumerate(self.phases):
            if phase.answers_from is not None and phase.answers_from not in keys:
                raise ValueError(
                    f"phase {phase.key!r}: answers_from names no phase: {phase.answers_from!r}"
                )
            if phase.kind == "share":
                earlier = {p.key: p for p in self.phases[:index]}
                source = earlier.get(phase.answers_from or "")
                if source is None or source.kind != "groups":
                    raise ValueError(
                        f"phase {phase.key!r}: a share step names an earlier groups step "
                        "in answers_from"
                    )
        return self

    def localized(self, language: str) -> dict[str, Any]:
        """The frame in one language, as clients get it."""
        return localize(self.model_dump(), language)


def _pick(texts: Any, lang: str) -> Any:
    if isinstance(texts, dict):
        return texts.get(lang) or texts.get("fi") or next(iter(texts.values()), "")
    return texts  # already one language


def localize(frame: dict[str, Any], language: str) -> dict[str, Any]:
    """A frame as stored in a meeting (all languages), in one viewer's language."""
    lang = language if language in LANGUAGES else "fi"
    return {
        "key": frame["key"],
        "version": frame.get("version", 1),
        "title": _pick(frame["title"], lang),
        "phases": [
            {
                "key": p["key"],
                "kind": p["kind"],
                "minutes": p["minutes"],
                "answers_from": p.get("answers_from"),
                "title": _pick(p["title"], lang),
                "question": _pick(p["question"], lang),
                "prompts": list(_pick(p.get("prompts") or {}, lang) or []),
                "experts": bool(p.get("experts")),
                "continues": bool(p.get("continues")),
                "purpose": _pick(p["purpose"], lang) if p.get("purpose") else None,
                "material": _material(p.get("material"), lang),
                "groups": [
                    {
                        "key": g["key"],
                        "title": _pick(g["title"], lang),
                        "prompts": list(_pick(g.get("prompts") or {}, lang) or []),
                    }
                    for g in p.get("groups") or []
                ],
            }
            for p in frame["phases"]
        ],
        "kind": frame.get("kind", "meeting"),
    }


def _material(material: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    if not material:
        return None
    note = material.get("note")
    return {"url": material.get("url"), "note": _pick(note, lang) if note else None}


class FrameError(ValueError):
    """A frame file that cannot be used, with the file and the field named."""


def load_frame(path: Path) -> Frame:
    """Read one frame file, or raise FrameError naming the file and the field."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise FrameError(f"{path}: not valid TOML: {exc}") from exc
    try:
        frame = Frame.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(file)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise FrameError(f"{path}: {problems}") from exc
    if frame.key != path.stem:
        raise FrameError(f"{path}: key: must match the file name ({path.stem!r}), is {frame.key!r}")
    return frame


def load_frames(extra_dir: Path | None = None) -> dict[str, Frame]:
    """The built-in frames, then an organisation's own (which may replace a built-in one)."""
    frames: dict[str, Frame] = {}
    # The hypothesis frame first: it is what most meetings use, and the form's default.
    builtins = sorted(BUILTIN_DIR.glob("*.toml"), key=lambda p: (p.stem != "hypothesis", p.stem))
    for path in builtins:
        frames[path.stem] = load_frame(path)
    # The seeds' workshop series: agendas in the same format, stepped through like a frame.
    for path in sorted(WORKSHOP_DIR.glob("*.toml")):
        frames[path.stem] = load_frame(path)
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise FrameError(f"{extra_dir}: AVOIN_FRAMES_DIR is not a directory")
        for path in sorted(extra_dir.glob("*.toml")):
            frames[path.stem] = load_frame(path)
    return frames
