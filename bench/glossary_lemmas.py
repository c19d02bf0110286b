"""Which Finnish lemmatizer finds the glossary's terms: Voikko, simplemma, or none.

Each Finnish term of the glossary comes with sentences that use it inflected (its `examples`);
recall is the share of those sentences in which the matcher finds that term. Also measured: the
time per word not seen before, the memory the lemmatizer takes, and how long it takes to load.
`make bench-glossary` (installs simplemma into .venv first; Voikko comes from Debian:
libvoikko1 voikko-fi). The figures are written into docs/glossary.md by hand.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable

from app.glossary.matcher import WORD, Lemmas, Matcher, voikko_lemmas
from app.glossary.terms import Term, load_glossary


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def simplemma_lemmas() -> Lemmas | None:
    try:
        import simplemma  # type: ignore[import-not-found]
    except ImportError:
        return None

    def lemmas(word: str) -> list[str]:
        return [simplemma.lemmatize(word, lang="fi")]

    return lemmas


def measure(name: str, make: Callable[[], Lemmas | None], terms: list[Term]) -> None:
    before, started = rss_mb(), time.perf_counter()
    lemmas = make()
    if lemmas is not None:
        lemmas("lastensuojeluilmoituksen")  # simplemma loads its dictionary on first use
    loaded = time.perf_counter() - started
    if lemmas is None and name != "none":
        print(f"{name:10} not installed")
        return
    matcher = Matcher(terms, "fi", lemmas)
    sentences = [(t.key, s) for t in terms for s in t.fi.examples]
    words = {w.group() for _k, s in sentences for w in WORD.finditer(s)}
    started = time.perf_counter()
    for word in words:
        if lemmas is not None:
            matcher.forms(word)
    per_word = (time.perf_counter() - started) / len(words) * 1e6
    hits, missed = 0, []
    for key, sentence in sentences:
        if any(f.key == key for f in matcher.find(sentence)):
            hits += 1
        else:
            missed.append(f"{key}: {sentence}")
    print(
        f"{name:10} recall {hits}/{len(sentences)} = {hits / len(sentences):.1%}"
        f"  {per_word:6.1f} µs/new word  {rss_mb() - before:6.1f} MB  loaded in {loaded:.2f} s"
    )
    for line in missed[:40]:
        print("   missed", line)


def main() -> None:
    terms = list(load_glossary().values())
    per_lang = {lang: len({t.meaning(lang).term for t in terms}) for lang in ("fi", "sv", "en")}
    print(f"{len(terms)} terms; distinct words per language: {per_lang}")
    # Voikko first: its memory is measured before simplemma's dictionary is in the process.
    measure("voikko", voikko_lemmas, terms)
    measure("simplemma", simplemma_lemmas, terms)
    measure("none", lambda: None, terms)


if __name__ == "__main__":
    main()
