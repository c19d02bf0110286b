"""Human-entered names and labels: no invisible characters that could disguise them.

A knocker named "\u202eatiÄ" would show in the chair's lobby as "Äita…" turned around, and a
zero-width space makes two names that look the same. Every name and label people type (a
participant's name and role, the speaker and owner of an entry, the people of a preparation)
passes `visible` once, where it enters: format characters (Unicode category Cf: bidi controls,
zero-width spaces, soft hyphens, word joiners, BOMs) are dropped. Only the zero-width joiner and
non-joiner stay, between two visible characters: emoji sequences and Persian or Indic writing
need them there, and they cannot reorder text.
"""

from __future__ import annotations

import unicodedata

JOINERS = frozenset("\u200c\u200d")


def _visible_char(ch: str) -> bool:
    return not ch.isspace() and unicodedata.category(ch) != "Cf"


def visible(text: str) -> str:
    """`text` without format characters (a joiner kept only between two visible characters)."""
    if text.isascii():
        return text  # the common case, and ASCII has no format characters
    kept: list[str] = []
    for i, ch in enumerate(text):
        if unicodedata.category(ch) != "Cf" or (
            ch in JOINERS
            and kept
            and _visible_char(kept[-1])
            and i + 1 < len(text)
            and _visible_char(text[i + 1])
        ):
            kept.append(ch)
    return "".join(kept)


def visible_label(text: str) -> str:
    """A one-line name or label: visible, without white space at either end."""
    return visible(text).strip()
