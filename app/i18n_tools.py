"""Keep the catalogues in step with the code: `python -m app.i18n_tools update|check`.

Babel extracts from Python and the templates; the browser modules' t("…") strings are found the
same way the pages find them, since Babel's JavaScript lexer misses strings in template literals.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from app.i18n import CATALOG_DIR

ROOT = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "N_": None, "AppError": (2,), "translate": (1,)}
TRANSLATED = ("fi", "sv")


def extract() -> list[str]:
    """Every msgid of the app, sorted."""
    from app.rendering import JS_STRINGS

    found: set[str] = set(JS_STRINGS)
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), method_map, keywords=KEYWORDS
    ):
        if isinstance(message, str) and message:
            found.add(message)
    return sorted(found)


def _load(lang: str) -> Catalog:
    path = CATALOG_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return Catalog(locale=lang)
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def update() -> None:
    """Add new msgids to the fi and sv catalogues (untranslated) and drop the unused ones."""
    ids = extract()
    for lang in TRANSLATED:
        old = _load(lang)
        new = Catalog(locale=lang, project="Avoin", fuzzy=False)
        for msgid in ids:
            existing = old.get(msgid)
            new.add(msgid, existing.string if existing else "")
        path = CATALOG_DIR / lang / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, new, width=100, omit_header=False, sort_output=True)


def missing() -> dict[str, list[str]]:
    """Per language, the msgids with no translation."""
    ids = extract()
    out: dict[str, list[str]] = {}
    for lang in TRANSLATED:
        catalog = _load(lang)
        out[lang] = [
            m
            for m in ids
            if catalog.get(m) is None or not catalog.get(m).string  # type: ignore[union-attr]
        ]
    return out


if __name__ == "__main__":
    if sys.argv[1:] == ["update"]:
        update()
    gaps = missing()
    for lang, ids in gaps.items():
        print(f"{lang}: {len(ids)} untranslated")
        for msgid in ids:
            print(f"  {msgid}")
    sys.exit(1 if any(gaps.values()) and sys.argv[1:] == ["check"] else 0)
