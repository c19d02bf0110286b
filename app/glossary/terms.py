"""Load and validate the glossary from TOML, like the frames: the built-in terms, then an
organisation's own (`AVOIN_GLOSSARY_DIR`), which add terms or replace one with the same key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

BUILTIN = Path(__file__).parent / "terms.toml"
Domain = Literal[
    "child_welfare", "school", "early_childhood", "health", "youth", "method", "law_process"
]


class GlossaryError(ValueError):
    """A glossary file that cannot be used, with the file and the field named."""


class Meaning(BaseModel):
    """A term in one language: the word, a short plain alternative and an explanation."""

    model_config = ConfigDict(extra="forbid")
    term: str = Field(min_length=1, max_length=80)
    plain: str = Field(min_length=1, max_length=120)
    explain: str = Field(min_length=1, max_length=600)


class FinnishMeaning(Meaning):
    """The Finnish term also names its other spellings, and sentences with it inflected: the
    matcher's recall is measured on them (bench/glossary_lemmas.py)."""

    also: list[str] = Field(default=[], max_length=10)
    examples: list[str] = Field(default=[], max_length=10)


class Term(BaseModel):
    """One entry of the glossary."""

    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")
    domain: Domain
    fi: FinnishMeaning
    sv: Meaning
    en: Meaning

    def meaning(self, lang: str) -> Meaning:
        """The term in this language (Finnish for one the glossary does not have)."""
        return self.sv if lang == "sv" else self.en if lang == "en" else self.fi

    def spellings(self, lang: str) -> list[str]:
        """The written forms to look for in a record in this language."""
        if lang == "fi":
            return [self.fi.term, *self.fi.also]
        return [self.meaning(lang).term]


class GlossaryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terms: list[Term] = Field(min_length=1)


def load_file(path: Path) -> list[Term]:
    """The terms of one file; GlossaryError names the file and the field at fault."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GlossaryError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise GlossaryError(f"{path}: not valid TOML: {exc}") from exc
    try:
        terms = GlossaryFile.model_validate(raw).terms
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise GlossaryError(f"{path}: {problems}") from exc
    seen: set[str] = set()
    for term in terms:
        if term.key in seen:
            raise GlossaryError(f"{path}: key {term.key!r} is there twice")
        seen.add(term.key)
    return terms


def load_glossary(extra_dir: Path | None = None) -> dict[str, Term]:
    """The built-in terms, then an organisation's own files in `extra_dir` (sorted by name)."""
    terms = {term.key: term for term in load_file(BUILTIN)}
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise GlossaryError(f"{extra_dir}: AVOIN_GLOSSARY_DIR is not a directory")
        for path in sorted(extra_dir.glob("*.toml")):
            terms.update((term.key, term) for term in load_file(path))
    return terms
