"""The record out: Markdown, plain text for a client-information system, PDF and DOCX.

Pure: a meeting's state (and the day it was held) in, a document's text or bytes out. The
Markdown and plain-text layouts live here; the PDF and DOCX ones in `pdf.py` and `word.py`.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from app.meetings.domain import MeetingState
from app.records.model import Record, build_record, item_line, step_what, trail

__all__ = [
    "FORMATS",
    "Format",
    "build_record",
    "record_docx",
    "record_markdown",
    "record_pdf",
    "record_text",
    "render",
    "render_markdown",
    "render_text",
]

WIDTH = 78  # what a client-information system's free-text field shows without wrapping
NO_VALUE = "–"

# Markdown: the recorded words are data, never markup. Escape what would format text or pass
# through as HTML, and what would start a block at the beginning of a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_MD_MARKER = re.compile(r"^([#>+\-=])")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])")


def md(text: str, joiner: str = "\\\n  ") -> str:
    """Recorded text made inert for Markdown; its line breaks joined with `joiner`.

    The default joiner is a hard line break that stays inside a list item.
    """
    lines = []
    for line in text.split("\n"):
        # Leading spaces would make an indented code block; they carry no meaning in a record.
        line = _MD_INLINE.sub(r"\\\1", line.lstrip())
        line = _MD_NUMBERED.sub(r"\1\\\2", _MD_MARKER.sub(r"\\\1", line))
        lines.append(line)
    return joiner.join(lines)


def _md_cell(text: str) -> str:
    return md(text, "<br>")  # a table row is one line


def _md_nested(text: str) -> str:
    return md(text, "\\\n    ")  # a hard break inside a second-level list item


def render_markdown(record: Record) -> str:
    """The record as Markdown: headings per phase, entries as a list, the plan as a table."""
    labels = record.labels
    lines = [
        f"# {md(record.title, ' ')}",
        "",
        f"{labels.heading}\\",
        f"{labels.frame}: {md(record.frame, ' ')}\\",
        f"{labels.date}: {record.date}",
        "",
        f"## {labels.participants}",
        "",
    ]
    lines += [f"- {md(person)}" for person in record.participants]
    for section in record.sections:
        lines += ["", f"## {md(section.title, ' ')}", ""]
        if section.empty:
            lines.append(f"_{labels.nothing}_")
        elif section.plan:
            lines += [
                "| " + " | ".join(labels.plan) + " |",
                "| --- | --- | --- | --- |",
            ]
            for step in section.steps:
                # A table row is one line: line breaks and corrections become <br>.
                what = "<br>".join([step_what(step, _md_cell), *trail(step, labels, _md_cell)])
                cells = (what, md(step.who, " "), step.due, md("; ".join(step.family), " "))
                lines.append("| " + " | ".join(cells) + " |")
        else:
            for item in section.items:
                lines.append(f"- {item_line(item, md)}")
                lines += [f"  - {line}" for line in trail(item, labels, _md_nested)]
    return "\n".join(lines) + "\n"


def _wrap(text: str, first: str, rest: str) -> list[str]:
    """Lines of at most WIDTH characters; each recorded line break starts a new paragraph.

    Long words are never split (a split Finnish compound or a link would no longer be the
    same word); such a word gets a line of its own, longer than WIDTH.
    """
    out: list[str] = []
    for paragraph in (p for p in text.split("\n") if p.strip()):
        out += textwrap.wrap(
            paragraph,
            WIDTH,
            initial_indent=first if not out else rest,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        )
    return out or [first.rstrip()]


def render_text(record: Record) -> str:
    """Plain text to paste into a client-information system's free-text field.

    No Markdown: phases as UPPERCASE headings after a blank line, lines of at most 78
    characters, the plan as "- what / who / by when / family" lines under a legend.
    """
    labels = record.labels
    lines = _wrap(record.title, "", "")
    lines += _wrap(labels.heading, "", "")
    lines += _wrap(f"{labels.frame}: {record.frame}", "", "  ")
    lines += [f"{labels.date}: {record.date}", "", labels.participants.upper()]
    for person in record.participants:
        lines += _wrap(person, "- ", "  ")
    for section in record.sections:
        lines += ["", *_wrap(section.title.upper(), "", "")]
        if section.empty:
            lines.append(labels.nothing)
        elif section.plan:
            lines.append("(" + " / ".join(labels.plan) + ")")
            for step in section.steps:
                fields = (step.who, step.due, "; ".join(step.family))
                line = " / ".join([step_what(step)] + [f or NO_VALUE for f in fields])
                lines += _wrap(line, "- ", "  ")
                for line in trail(step, labels):
                    lines += _wrap(line, "    ", "      ")
        else:
            for item in section.items:
                lines += _wrap(item_line(item), "", "    ")
                for line in trail(item, labels):
                    lines += _wrap(line, "    ", "      ")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Format:
    """One way out: its media type and how the record becomes its bytes."""

    media_type: str
    render: Callable[[Record], bytes]


FORMATS: dict[str, Format] = {
    "md": Format("text/markdown; charset=utf-8", lambda r: render_markdown(r).encode()),
    "txt": Format("text/plain; charset=utf-8", lambda r: render_text(r).encode()),
    "pdf": Format("application/pdf", lambda r: render_pdf(r)),
    "docx": Format(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda r: render_docx(r),
    ),
}


def render_pdf(record: Record) -> bytes:
    """The record as an A4 PDF."""
    # The PDF and Word writers are imported when first used: they are a fifth of the server's
    # start-up, and most servers never export.
    from app.records.pdf import render_pdf as pdf

    return pdf(record)


def render_docx(record: Record) -> bytes:
    """The record as a Word document."""
    from app.records.word import render_docx as docx

    return docx(record)


def render(record: Record, fmt: str) -> bytes:
    """The record in one of FORMATS (KeyError for another)."""
    return FORMATS[fmt].render(record)


def record_markdown(state: MeetingState, held: dt.datetime) -> str:
    """The record as Markdown, in the language of the meeting."""
    return render_markdown(build_record(state, held))


def record_text(state: MeetingState, held: dt.datetime) -> str:
    """The record as plain text for a client-information system."""
    return render_text(build_record(state, held))


def record_pdf(state: MeetingState, held: dt.datetime) -> bytes:
    """The record as an A4 PDF."""
    return render_pdf(build_record(state, held))


def record_docx(state: MeetingState, held: dt.datetime) -> bytes:
    """The record as a Word document."""
    return render_docx(build_record(state, held))
