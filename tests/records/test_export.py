"""The record out, without a server: each format parsed back and read like a reader would."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from app.i18n import translate
from app.meetings.domain import Entry, MeetingState
from app.records.export import (
    WIDTH,
    build_record,
    record_docx,
    record_markdown,
    record_pdf,
    record_text,
)
from app.records.model import local_date
from app.records.pdf import FontMissingError, render_pdf
from tests.meetings.test_state import AINO, EETU, FRAMES, SCRIBE, make_state

HELD = dt.datetime(2026, 11, 25, 8, 30)  # naive UTC, as SQLite gives created_at back
LONG_WORD = "lastensuojeluilmoitusmenettelyohjeistuksen"
PHASES_FI = ["Aloitus", "Ydinkysymys", "Hypoteesit", "Perheen pohdinta"]


def _fi(message: str) -> str:
    return translate(message, "fi")


@pytest.fixture
def state() -> MeetingState:
    """The school-absence case with the family's word on the plan and a correction after close."""
    state = make_state()
    state.frame = FRAMES["hypothesis"].model_dump()
    state.entries["e_h2"].text = f"Voisiko {LONG_WORD} viivästyä?\nIltaisin pelataan pitkään."
    state.entries["e_plan"].agreements = {
        AINO: {"agreement": "agree", "comment": None},
        EETU: {"agreement": "dispute", "comment": "Liian aikaisin"},
    }
    # Set as an attribute: the same test holds whether Entry declares `corrections` or not.
    state.entries["e_h1"].corrections = [  # type: ignore[misc]
        {
            "text": "Voisiko ryhmätyö jännittää?",
            "previous": "Voisiko ryhmätyö pelottaa?",
            "reason": "Eetu tarkensi sanaa",
            "at": "2026-11-26T09:00:00Z",
            "by": SCRIBE,
        }
    ]
    return state


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    """Text with its line wrapping undone, to find phrases that a layout may have broken."""
    return re.sub(r"\s+", " ", text)


# -- what every format agrees on ---------------------------------------------------------------


def test_the_record_is_numbered_in_reading_order_and_resolves_voices(state: MeetingState) -> None:
    record = build_record(state, HELD)
    assert record.title == "Koulunkäynnin tuki" and record.date == "25.11.2026"
    titles = [s.title for s in record.sections]
    assert titles[:4] == PHASES_FI and len(titles) == 7
    items = [i for s in record.sections for i in s.items]
    assert [i.number for i in items] == [1, 2, 3, 4]
    assert items[0].text == "”Miten pääsisin aamuisin kouluun?”"  # own words are quoted
    assert items[0].voice == "Eetu (nuori, 14 v.)"  # an id becomes "Name (role label)"
    assert items[3].answers == 2  # the solution names the hypothesis it answers
    plan = next(s for s in record.sections if s.plan)
    assert plan.steps[0].who == "Pirjo" and plan.steps[0].due == "15.12.2026"  # a free label
    # Chair and scribe are named as such, the family as family; the screen, the removed and
    # those still in the lobby are not participants of the record.
    assert record.participants == (
        f"Jari (perheohjaaja) — {_fi('chair')}",
        f"Heidi (kirjaaja) — {_fi('scribe')}",
        f"Aino (äiti) — {_fi('family')}",
        f"Eetu (nuori, 14 v.) — {_fi('family')}",
    )


def test_entries_of_a_phase_the_frame_lacks_are_still_in_the_record(state: MeetingState) -> None:
    state.entries["e_odd"] = Entry("e_odd", "vanha_vaihe", "Jäänyt talteen.")
    record = build_record(state, HELD)
    assert record.sections[-1].title == _fi("Other entries")
    assert record.sections[-1].items[0].text == "Jäänyt talteen."


def test_dates_are_finnish_local_days() -> None:
    late = "2026-11-26T23:30:00Z"  # already 27 November in Helsinki
    assert local_date(late, "fi") == "27.11.2026" and local_date(late, "en") == "2026-11-27"
    assert local_date(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC), "sv") == "5.1.2026"
    assert local_date("2026-12-15", "fi") == "15.12.2026"
    assert local_date(None, "fi") == "" and local_date("pian", "fi") == "pian"


def test_the_record_is_in_the_meetings_language(state: MeetingState) -> None:
    state.language = "en"
    text = record_text(state, HELD)
    assert "Date: 2026-11-25" in text and "CORE QUESTION" in text


# -- Markdown ----------------------------------------------------------------------------------


def test_markdown_shows_corrections_as_corrections(state: MeetingState) -> None:
    text = record_markdown(state, HELD)
    correction = (
        f"  - {_fi('Corrected')} 26.11.2026: Voisiko ryhmätyö jännittää? "
        f"({_fi('previously')}: Voisiko ryhmätyö pelottaa?) — {_fi('reason')}: "
        "Eetu tarkensi sanaa — Heidi (kirjaaja)"
    )
    lines = text.splitlines()
    assert lines[lines.index("- (2) Voisiko ryhmätyö jännittää?") + 1] == correction
    assert f"- (3) Voisiko {LONG_WORD} viivästyä?\\\n  Iltaisin pelataan pitkään." in text
    assert "| Mummo käy aamuisin. | Pirjo | 15.12.2026 |" in text


def test_markdown_keeps_recorded_words_as_words(state: MeetingState) -> None:
    state.title = "# Otsikko <b>"
    core = state.entries["e_core"]
    core.text = "**Tärkeä** <img src=x>\n# ei otsikko\n1. ei lista\n    ei koodia"
    state.entries["e_plan"].text = "Soitto | viesti\nperjantaina"
    text = record_markdown(state, HELD)
    assert text.startswith("# \\# Otsikko \\<b\\>\n")
    # Each recorded line stays inside the list item, as words: no bold, no tag, no heading.
    escaped = [
        "”\\*\\*Tärkeä\\*\\* \\<img src=x\\>",
        "\\# ei otsikko",
        "1\\. ei lista",
        "ei koodia”",
    ]
    assert "\\\n  ".join(escaped) in text
    assert "| Soitto \\| viesti<br>perjantaina | Pirjo |" in text


# -- plain text --------------------------------------------------------------------------------


def test_plain_text_pastes_into_a_client_information_system(state: MeetingState) -> None:
    state.entries["e_sol"].text = "Pysyvä pari matematiikkaan ja " + "ryhmätöihin " * 12
    text = record_text(state, HELD)
    lines = text.splitlines()
    assert all(len(line) <= WIDTH for line in lines)
    assert not any(line.startswith(("#", "|", "**", "```")) for line in lines)  # no Markdown
    for phase in PHASES_FI:  # UPPERCASE headings, each after a blank line
        assert lines[lines.index(phase.upper()) - 1] == ""
    assert lines[lines.index("HYPOTEESIT") + 1] == "(2) Voisiko ryhmätyö jännittää?"
    plan = lines[lines.index("SUUNNITELMA") + 2 :]
    assert _flat(" ".join(plan)).startswith(
        f"- Mummo käy aamuisin. / Pirjo / 15.12.2026 / {_fi('Agreed')}: Aino (äiti); "
        f"{_fi('Not agreed')}: Eetu (nuori, 14 v.) (Liian aikaisin)"
    )
    assert LONG_WORD in text  # a long Finnish word is never cut
    assert _flat(text).count("(→ 2)") == 1
    # A correction, wrapped and indented under its entry, reads whole once unwrapped.
    assert (
        f"{_fi('Corrected')} 26.11.2026: Voisiko ryhmätyö jännittää? "
        f"({_fi('previously')}: Voisiko ryhmätyö pelottaa?) — {_fi('reason')}: Eetu tarkensi sanaa"
    ) in _flat(text)


def test_plain_text_leaves_an_unbreakable_word_whole_on_its_own_line(state: MeetingState) -> None:
    word = "x" * 90
    state.entries["e_core"].text = f"Linkki {word} tässä"
    lines = record_text(state, HELD).splitlines()
    assert f"    {word}" in lines  # longer than 78, but the same word


# -- PDF ---------------------------------------------------------------------------------------


def test_pdf_reads_back_with_phases_voices_plan_and_corrections(state: MeetingState) -> None:
    data = record_pdf(state, HELD)
    assert data.startswith(b"%PDF-")
    text = _pdf_text(data)
    flat = _flat(text)
    assert text.startswith("Koulunkäynnin tuki")
    lines = text.splitlines()
    assert [lines.index(p) for p in PHASES_FI] == sorted(lines.index(p) for p in PHASES_FI)
    assert "(1) ”Miten pääsisin aamuisin kouluun?” — Eetu (nuori, 14 v.)" in flat
    assert LONG_WORD in text and "Pysyvä pari matematiikkaan. (→ 2)" in flat
    assert "Mummo käy aamuisin." in text and "15.12.2026" in text
    assert f"{_fi('Who')}: Pirjo" not in flat  # a table, not the blocks of an overlong plan
    assert f"{_fi('Not agreed')}: Eetu (nuori, 14 v.)" in flat
    assert (
        f"{_fi('Corrected')} 26.11.2026: Voisiko ryhmätyö jännittää? "
        f"({_fi('previously')}: Voisiko ryhmätyö pelottaa?)"
    ) in flat
    assert "Poistettu ajatus." not in text


def test_a_plan_step_too_long_for_one_page_is_laid_out_as_a_block(state: MeetingState) -> None:
    state.entries["e_plan"].text = " ".join(["Pitkä suunnitelman kohta."] * 180)
    flat = _flat(_pdf_text(record_pdf(state, HELD)))
    assert f"{_fi('Who')}: Pirjo" in flat and f"{_fi('By when')}: 15.12.2026" in flat


def test_pdf_without_the_font_says_what_to_install(state: MeetingState, tmp_path: Path) -> None:
    with pytest.raises(FontMissingError, match="fonts-dejavu-core"):
        render_pdf(build_record(state, HELD), font_dir=tmp_path)


# -- DOCX --------------------------------------------------------------------------------------


def test_docx_has_headings_paragraphs_and_a_real_plan_table(state: MeetingState) -> None:
    document = docx.Document(io.BytesIO(record_docx(state, HELD)))
    styled = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    headings = [text for style, text in styled if style.startswith(("Heading", "Title"))]
    assert headings[0] == "Koulunkäynnin tuki"
    assert headings[1:] == [_fi("Participants"), *PHASES_FI, "Ratkaisuehdotukset",
                            "Suunnitelma", "Lopetus"]  # fmt: skip
    paragraphs = [p.text for p in document.paragraphs]
    assert "(1) ”Miten pääsisin aamuisin kouluun?” — Eetu (nuori, 14 v.)" in paragraphs
    assert "(4) Pysyvä pari matematiikkaan. (→ 2)" in paragraphs
    assert f"(3) Voisiko {LONG_WORD} viivästyä?\nIltaisin pelataan pitkään." in paragraphs
    after = paragraphs[paragraphs.index("(2) Voisiko ryhmätyö jännittää?") + 1]
    assert after.startswith(f"{_fi('Corrected')} 26.11.2026: Voisiko ryhmätyö jännittää?")
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == [_fi("What"), _fi("Who"), _fi("By when"), _fi("The family")]
    assert rows[1] == [
        "Mummo käy aamuisin.",
        "Pirjo",
        "15.12.2026",
        f"{_fi('Agreed')}: Aino (äiti)\n{_fi('Not agreed')}: Eetu (nuori, 14 v.) (Liian aikaisin)",
    ]
    assert document.core_properties.title == "Koulunkäynnin tuki"


def test_control_characters_do_not_break_the_documents(state: MeetingState) -> None:
    state.entries["e_core"].text = "Kello\x07 soi\r\nkahdesti"
    document = docx.Document(io.BytesIO(record_docx(state, HELD)))
    assert any(p.text.startswith("(1) ”Kello soi\nkahdesti”") for p in document.paragraphs)
    assert "Kello soi" in _pdf_text(record_pdf(state, HELD))


def test_every_format_keeps_the_trail_of_correction_requests(state: MeetingState) -> None:
    """A request and what became of it stays in the record, whichever way the record leaves."""
    requests = [
        {
            "id": "r1",
            "by": AINO,
            "at": "2026-11-25T10:00:00Z",
            "wording": "Ryhmätyö jännittää joskus.",
            "note": "Sanoin 'joskus'",
            "status": "edited",
            "answer": "Ryhmätyö jännittää välillä.",
            "answered_by": SCRIBE,
        },
        {
            "id": "r2",
            "by": EETU,
            "at": "2026-11-25T10:05:00Z",
            "wording": None,
            "note": "Mitä ryhmätyö tarkoittaa?",
            "status": "answered",
            "answer": "Tehtävä, jota tehdään yhdessä.",
            "answered_by": SCRIBE,
        },
    ]
    state.entries["e_h1"].requests = requests
    state.entries["e_plan"].requests = [
        {**requests[1], "id": "r3", "status": "open", "answer": None}
    ]
    asked = _fi("%(name)s asked for a change") % {"name": "Aino (äiti)"}
    edited = f"{asked}: ”Ryhmätyö jännittää joskus.” — Sanoin 'joskus' — "
    edited += f"{_fi('taken into the record as')} ”Ryhmätyö jännittää välillä.”"
    answered = f"{_fi('answered')}: ”Tehtävä, jota tehdään yhdessä.”"
    markdown = record_markdown(state, HELD)
    assert f"  - {edited}" in markdown and answered in markdown
    assert _fi("waiting for an answer") in markdown  # the plan step's, in its table cell
    assert _flat(edited) in _flat(record_text(state, HELD))
    assert _flat(edited) in _flat(_pdf_text(record_pdf(state, HELD)))
    words = docx.Document(io.BytesIO(record_docx(state, HELD)))
    paragraphs = [p.text for p in words.paragraphs] + [
        p.text for t in words.tables for row in t.rows for c in row.cells for p in c.paragraphs
    ]
    assert edited in paragraphs and any(answered in p for p in paragraphs)
