"""Find the glossary's terms in a text, inflected as Finnish inflects them.

Finnish says "lastensuojeluilmoituksen", "lastensuojeluilmoitusta" and "lastensuojeluilmoitus-
ten jälkeen" for one word: strings do not match, base forms (lemmas) do. Each word of the text
and of every term is reduced to its possible base forms (Voikko's morphology, when the system
has it: bench/glossary_lemmas.py measured it against simplemma, docs/glossary.md), and a term is
found where the base forms of its words follow each other. A compound made with a term ("sijoitus-
perheessä", "koulukuraattorille") counts as the term. Without a morphology (Swedish, English, or
a machine without Voikko) a word matches a term's word it starts with, less the last letters
inflection changes: fewer hits, and still no invented ones in the common cases.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from app.glossary.terms import Term

Lemmas = Callable[[str], Iterable[str]]
WORD = re.compile(r"\w+(?:[-:]\w+)*")
# A compound counts when the term is at least this long: "tuki" inside "kotituki" would be noise.
SHORTEST_PART = 6
# Without a morphology, a word matches a term's word it begins with, less this many letters.
INFLECTED_END = 2
# The endings Finnish writes straight onto an abbreviation or a short name ("TUVAssa", "Soten",
# "Lenessä"), where Voikko knows neither.
ENDINGS = frozenset(
    [
        "n",
        "a",
        "ä",
        "ta",
        "tä",
        "ssa",
        "ssä",
        "sta",
        "stä",
        "lla",
        "llä",
        "lta",
        "ltä",
        "lle",
        "ksi",
        "na",
        "nä",
        "an",
        "än",
        "en",
        "in",
        "on",
        "un",
        "yn",
        "ön",
        "hin",
        "seen",
        "t",
        "ja",
        "jä",
        "ihin",
        "issa",
        "issä",
        "ista",
        "istä",
        "illa",
        "illä",
        "ille",
        "iksi",
        "ineen",
    ]
)
SHORT = 6  # an abbreviation or a short name, as long as this at most


@dataclass(frozen=True)
class Found:
    """A term found in a text: where (character offsets) and which."""

    start: int
    end: int
    key: str


def voikko_lemmas() -> Lemmas | None:
    """Voikko's Finnish base forms, or None where the system has no Voikko (libvoikko1 and
    voikko-fi from Debian; the `libvoikko` package is only its binding)."""
    try:
        import libvoikko  # type: ignore[import-untyped]
    except ImportError:
        return None
    try:
        voikko = libvoikko.Voikko("fi")
    except (OSError, libvoikko.VoikkoException):  # no library, or no Finnish dictionary
        return None
    lock = threading.Lock()  # one Voikko handle is not safe to share between threads

    def lemmas(word: str) -> list[str]:
        with lock:
            analyses = voikko.analyze(word)
        return [a["BASEFORM"] for a in analyses if "BASEFORM" in a]

    return lemmas


class Matcher:
    """The terms of one language, ready to be found in texts of that language."""

    def __init__(self, terms: Iterable[Term], lang: str, lemmas: Lemmas | None) -> None:
        self._lemmas = lemmas
        self.forms = lru_cache(maxsize=50_000)(self._forms)
        # A term's words as the sets of their base forms, indexed by each form of the first.
        self._by_first: dict[str, list[tuple[tuple[frozenset[str], ...], str]]] = {}
        self._parts: dict[str, str] = {}  # one-word terms found inside compounds
        self._stems: list[tuple[tuple[str, ...], str]] = []  # without a morphology
        # Term words Voikko does not know ("genogrammi", "puheeksiotto"): the beginning that
        # inflection leaves alone, for the words of a text Voikko does not know either.
        self._unknown: set[str] = set()
        self._short: set[str] = set()  # abbreviations and short names, which take endings bare
        spelled = [
            (term.key, spelling, words)
            for term in terms
            for spelling in term.spellings(lang)
            if (words := [m.group() for m in WORD.finditer(spelling)])
        ]
        if lemmas is None:
            self._stems = [(tuple(_stem(w) for w in words), key) for key, _s, words in spelled]
            self._stems.sort(key=lambda c: -len(c[0]))  # the longest term first
            return
        self._index(spelled, lemmas)

    def _index(self, spelled: list[tuple[str, str, list[str]]], lemmas: Lemmas) -> None:
        # What the words' forms depend on is known first, so that no form is cached before.
        for _key, spelling, words in spelled:
            for w in words:
                if not lemmas(w) and "-" not in w and ":" not in w:
                    self._unknown.add(_stem(w))
            if len(words) == 1 and len(spelling) <= SHORT:
                self._short.add(spelling.casefold())
        for key, _spelling, words in spelled:
            sets = tuple(self._forms(w, in_text=False) for w in words)
            for form in sets[0]:
                self._by_first.setdefault(form, []).append((sets, key))
            if len(words) == 1:
                for form in sets[0]:
                    if len(form) >= SHORTEST_PART and "-" not in form:
                        self._parts.setdefault(form, key)

    def _forms(self, word: str, in_text: bool = True) -> frozenset[str]:
        """The word's possible base forms, lower case (and the word itself); a word of a text
        also stands for the abbreviation that begins it ("ADHD-diagnoosi")."""
        assert self._lemmas is not None
        forms = {word.casefold()}
        base, colon, _ending = word.partition(":")
        if colon:  # an abbreviation's ending: "HOJKS:n", "ADHD:ta"
            forms.add(base.casefold())
            word = base
        known = [f.casefold() for f in self._lemmas(word)]
        forms.update(known)
        lowered = word.casefold()
        if not known:
            forms.update(f"~{stem}" for stem in self._unknown if lowered.startswith(stem))
        for cut in range(max(1, len(lowered) - 4), len(lowered)):
            if lowered[:cut] in self._short and lowered[cut:] in ENDINGS:
                forms.add(lowered[:cut])  # "TUVAssa", "Soten"
        head, dash, tail = word.rpartition("-")
        if dash and head:  # Voikko does not know "SAP-palaverissa"; it knows "palaverissa"
            tails = {tail.casefold(), *(f.casefold() for f in self._lemmas(tail))}
            forms.update(f"{head.casefold()}-{t}" for t in tails)
            if in_text:  # a compound led by an abbreviation: "ADHD-diagnoosi", "TUVA-koulun"
                first = word.partition("-")[0]
                forms.update({first.casefold(), *(f.casefold() for f in self._lemmas(first))})
        return frozenset(forms)

    def find(self, text: str) -> list[Found]:
        """The terms in the text, left to right, the longest where two begin at one word."""
        words = list(WORD.finditer(text))
        if self._lemmas is None:
            return self._find_stems(words)
        found: list[Found] = []
        i = 0
        while i < len(words):
            hit = self._at(words, i)
            if hit is None:
                i += 1
                continue
            length, key = hit
            found.append(Found(words[i].start(), words[i + length - 1].end(), key))
            i += length
        return found

    def _at(self, words: list[re.Match[str]], i: int) -> tuple[int, str] | None:
        forms = self.forms(words[i].group())
        # Of the terms that begin here, the one of most words, then the one named most fully
        # ("sote-keskus" before "sote" in "Sote-keskuksessa"); the same whatever the set order.
        best: tuple[int, int, str] | None = None
        for form in forms:
            for sets, key in self._by_first.get(form, ()):
                n = len(sets)
                if i + n <= len(words) and all(
                    sets[k] & self.forms(words[i + k].group()) for k in range(1, n)
                ):
                    hit = (n, len(form), key)
                    best = hit if best is None or hit > best else best
        if best is not None:
            return best[0], best[2]
        for form in sorted(forms, key=lambda f: (-len(f), f)):
            # A compound: the term first ("sijoitusperhe") or last ("koulukuraattori").
            for cut in range(SHORTEST_PART, len(form) - 1):
                part = self._parts.get(form[:cut]) or self._parts.get(form[-cut:])
                if part is not None:
                    return 1, part
        return None

    def _find_stems(self, words: list[re.Match[str]]) -> list[Found]:
        found: list[Found] = []
        lowered = [w.group().casefold() for w in words]
        i = 0
        while i < len(words):
            for stems, key in self._stems:
                n = len(stems)
                if i + n <= len(words) and all(
                    lowered[i + k].startswith(stems[k]) for k in range(n)
                ):
                    found.append(Found(words[i].start(), words[i + n - 1].end(), key))
                    i += n
                    break
            else:
                i += 1
        return found


def _stem(word: str) -> str:
    lowered = word.casefold()
    return lowered if len(lowered) <= 4 else lowered[: max(4, len(lowered) - INFLECTED_END)]


class Glossary:
    """The terms, with one matcher per record language (made when first asked for)."""

    def __init__(self, terms: dict[str, Term], lemmas: Lemmas | None) -> None:
        self.terms = terms
        self.lemmas = lemmas
        self._matchers: dict[str, Matcher] = {}

    def matcher(self, lang: str) -> Matcher:
        """The matcher for texts in this language (Voikko's base forms only for Finnish)."""
        if lang not in self._matchers:
            lemmas = self.lemmas if lang == "fi" else None
            self._matchers[lang] = Matcher(self.terms.values(), lang, lemmas)
        return self._matchers[lang]

    def view(self, lang: str) -> dict[str, dict[str, str]]:
        """Every term's word, plain alternative and explanation in one language."""
        shown = {"term", "plain", "explain"}
        return {key: t.meaning(lang).model_dump(include=shown) for key, t in self.terms.items()}
