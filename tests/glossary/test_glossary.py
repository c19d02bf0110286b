"""The glossary as data, and the matcher that finds its terms in inflected Finnish (no server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.glossary.matcher import Glossary, Matcher, voikko_lemmas
from app.glossary.terms import GlossaryError, load_file, load_glossary

OWN = Path(__file__).parent / "own_terms.toml"
VOIKKO = voikko_lemmas()


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(text[f.start : f.end], f.key) for f in matcher.find(text)]


def test_the_shipped_glossary_has_150_terms_in_three_languages() -> None:
    terms = load_glossary()
    assert len(terms) >= 150
    for lang in ("fi", "sv", "en"):
        words = {t.meaning(lang).term.casefold() for t in terms.values()}
        assert len(words) >= 150, lang
    for term in terms.values():
        assert len(term.fi.examples) >= 2, term.key


def test_voikko_is_there() -> None:
    """`make test` installs it (scripts/system-deps.sh); without it only base forms match."""
    assert VOIKKO is not None
    assert "lastensuojeluilmoitus" in VOIKKO("lastensuojeluilmoituksen")


def test_each_term_is_found_in_its_own_inflected_examples() -> None:
    """The recall bench/glossary_lemmas.py measures, kept: at least 95 % of the examples."""
    terms = load_glossary()
    matcher = Matcher(terms.values(), "fi", VOIKKO)
    examples = [(t.key, s) for t in terms.values() for s in t.fi.examples]
    missed = [(k, s) for k, s in examples if k not in {f.key for f in matcher.find(s)}]
    assert len(missed) <= len(examples) * 0.05, missed


def test_inflected_words_compounds_phrases_and_abbreviations_are_found() -> None:
    matcher = Matcher(load_file(OWN), "fi", VOIKKO)
    assert found(matcher, "SAP-palaverissa sovittiin tukitunneista.") == [
        ("SAP-palaverissa", "sap-palaveri")
    ]
    assert found(matcher, "Hän siirtyi tehostettuun tukeen; perhekuntoutusjakso alkoi.") == [
        ("tehostettuun tukeen", "tehostettu-tuki"),
        ("perhekuntoutusjakso", "perhekuntoutus"),
    ]
    assert found(matcher, "Asiasta puhutaan SAP:ssa.") == [("SAP:ssa", "sap-palaveri")]
    # The words of a phrase apart, or in another order, are not the phrase.
    assert found(matcher, "Tuki on tehostettu.") == []
    assert found(matcher, "Aamut sujuvat paremmin.") == []


def test_without_a_morphology_a_word_matches_the_term_it_begins_with() -> None:
    matcher = Matcher(load_file(OWN), "sv", None)
    assert found(matcher, "Vi talade om familjerehabiliteringen.") == [
        ("familjerehabiliteringen", "perhekuntoutus")
    ]
    assert found(matcher, "Ett SAP-möte i maj.") == [("SAP-möte", "sap-palaveri")]


def test_an_organisation_adds_terms_and_replaces_a_built_in_one(tmp_path: Path) -> None:
    shipped = load_glossary()
    key = next(iter(shipped))
    own = OWN.read_text(encoding="utf-8").replace('key = "perhekuntoutus"', f'key = "{key}"', 1)
    (tmp_path / "own.toml").write_text(own, encoding="utf-8")
    terms = load_glossary(tmp_path)
    assert terms[key].fi.term == "perhekuntoutus"
    assert {"sap-palaveri", "tehostettu-tuki"} <= terms.keys()
    glossary = Glossary(terms, VOIKKO)
    assert glossary.view("sv")[key] == {
        "term": "familjerehabilitering",
        "plain": "en stödperiod för familjen",
        "explain": "Familjen bor en tid på ett ställe där arbetare hjälper till med vardagen.",
    }


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[[terms]\n", "not valid TOML"),
        ('[[terms]]\nkey = "x"\ndomain = "school"\n', "terms.0.fi: Field required"),
        (
            OWN.read_text(encoding="utf-8").replace('domain = "school"', 'domain = "zoo"', 1),
            "domain",
        ),
        (OWN.read_text(encoding="utf-8").replace("sap-palaveri", "perhekuntoutus"), "twice"),
        ("terms = []\n", "terms"),
    ],
)
def test_a_broken_file_is_refused_with_the_file_and_field_named(
    tmp_path: Path, text: str, says: str
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as err:
        load_glossary(tmp_path)
    assert str(path) in str(err.value) and says in str(err.value)


def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="AVOIN_GLOSSARY_DIR"):
        load_glossary(tmp_path / "nothing")
