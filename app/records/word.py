"""The record as a Word document (python-docx): real headings, paragraphs and a plan table.

Named `word` rather than `docx` so that it can never be mistaken for the python-docx package.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from app.records.model import Correction, Item, Labels, Record, Section, Step, correction_line

# Word's spelling and hyphenation follow the document language; Swedish here is Finland's.
LANGUAGE_TAGS = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
GREY = RGBColor(0x55, 0x55, 0x55)


def render_docx(record: Record) -> bytes:
    """The record as .docx bytes."""
    labels = record.labels
    doc = Document()
    _language(doc, LANGUAGE_TAGS.get(record.lang, "fi-FI"))
    props = doc.core_properties
    props.title, props.subject, props.language = record.title, labels.heading, record.lang
    props.author = props.last_modified_by = "Avoin"
    # The blank template says it was made in 2013; this file is made now.
    props.created = props.modified = dt.datetime.now(dt.UTC)
    props.comments = props.keywords = ""

    doc.add_heading(record.title, level=0)
    intro = doc.add_paragraph(labels.heading)
    for label, value in ((labels.frame, record.frame), (labels.date, record.date)):
        intro.add_run().add_break()
        intro.add_run(f"{label}: ").bold = True
        intro.add_run(value)

    doc.add_heading(labels.participants, level=1)
    for person in record.participants:
        doc.add_paragraph(person, style="List Bullet")

    for section in record.sections:
        doc.add_heading(section.title, level=1)
        if section.empty:
            doc.add_paragraph().add_run(labels.nothing).italic = True
        elif section.plan:
            _plan(doc, section, labels)
        else:
            for item in section.items:
                line = doc.add_paragraph()
                line.add_run(f"({item.number}) ").bold = True
                line.add_run(item.text)
                if item.voice:
                    line.add_run(f" — {item.voice}").italic = True
                if item.answers is not None:
                    line.add_run(f" (→ {item.answers})")
                _trail(doc, item, labels)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _language(doc: DocxDocument, tag: str) -> None:
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    rpr.append(lang)


def _correction(paragraph: Paragraph, c: Correction, labels: Labels) -> None:
    paragraph.paragraph_format.left_indent = Cm(1)
    run = paragraph.add_run(correction_line(c, labels))
    run.italic = True
    run.font.size = Pt(9.5)
    run.font.color.rgb = GREY


def _plan(doc: DocxDocument, section: Section, labels: Labels) -> None:
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    head = table.rows[0]
    # The heading row repeats on every page the table runs over.
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    head._tr.get_or_add_trPr().append(flag)
    for cell, text in zip(head.cells, labels.plan, strict=True):
        _text(cell, text).runs[0].bold = True
    for step in section.steps:
        what, who, due, family = table.add_row().cells
        first = _text(what, step.what)
        if step.voice:
            first.add_run(f" — {step.voice}").italic = True
        _trail(what, step, labels)
        _text(who, step.who)
        _text(due, step.due)
        _text(family, "\n".join(step.family))
    widths = (Cm(6.4), Cm(3.4), Cm(2.6), Cm(4.6))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _text(cell: _Cell, text: str) -> Paragraph:
    """Write into a cell's first (empty) paragraph; a new cell has one already."""
    paragraph: Paragraph = cell.paragraphs[0]
    paragraph.add_run(text)
    return paragraph


def _trail(parent: Any, entry: Item | Step, labels: Labels) -> None:
    """An entry's corrections and correction requests, a paragraph each, under it."""
    for c in entry.corrections:
        _correction(parent.add_paragraph(), c, labels)
    for r in entry.requests:
        parent.add_paragraph().add_run(r).italic = True
