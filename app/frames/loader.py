"""Load and validate conversation frames from TOML, with errors that name the file and field."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.config import LANGUAGES

BUILTIN_DIR = Path(__file__).parent
PhaseKind = Literal["note", "hypothesis", "solution", "plan"]
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


class Phase(BaseModel):
    """One phase of a frame: what the chair reads out and what the scribe collects."""

    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=KEY_PATTERN)
    kind: PhaseKind = "note"
    minutes: int = Field(default=10, ge=1, le=180)
    answers_from: str | None = None
    title: Texts
    question: Texts
    prompts: TextLists = TextLists()


class Frame(BaseModel):
    """A conversation frame: an ordered list of phases."""

    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=KEY_PATTERN)
    version: int = 1
    title: Texts
    description: Texts | None = None
    phases: list[Phase] = Field(min_length=1, max_length=40)

    @model_validator(mode="after")
    def _check_phases(self) -> Frame:
        keys = [p.key for p in self.phases]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"phase keys must be unique, repeated: {', '.join(dupes)}")
        for phase in self.phases:
            if phase.answers_from is not None and phase.answers_from not in keys:
                raise ValueError(
                    f"phase {phase.key!r}: answers_from names no phase: {phase.answers_from!r}"
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
            }
            for p in frame["phases"]
        ],
    }


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
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise FrameError(f"{extra_dir}: AVOIN_FRAMES_DIR is not a directory")
        for path in sorted(extra_dir.glob("*.toml")):
            frames[path.stem] = load_frame(path)
    return frames
