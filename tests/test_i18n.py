"""Every string of the UI is translated to Finnish and Swedish, placeholders intact."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from app.i18n import CATALOG_DIR, translate
from app.i18n_tools import extract, missing


def test_every_string_has_a_finnish_and_a_swedish_translation() -> None:
    assert missing() == {"fi": [], "sv": []}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_placeholders_survive_translation(lang: str) -> None:
    with (CATALOG_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in catalog:
        if message.id and message.string:
            wanted = sorted(re.findall(r"%\(\w+\)s", str(message.id)))
            assert sorted(re.findall(r"%\(\w+\)s", str(message.string))) == wanted, message.id


def test_the_extractor_sees_python_templates_and_browser_modules() -> None:
    ids = set(extract())
    assert {"Only the chair can do this.", "Start the meeting", "Not yet saved"} <= ids


def test_translate_falls_back_to_english() -> None:
    assert translate("Only the chair can do this.", "fi") != "Only the chair can do this."
    assert translate("Only the chair can do this.", "en") == "Only the chair can do this."
    assert translate("A message nobody wrote", "sv") == "A message nobody wrote"
