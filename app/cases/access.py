"""The client's access log (the client-data act 703/2023: a client may ask who has handled their
data): for one case, every access to its meetings' records — who (the professional and their
unit, or the participant), when, and what — never the record's text. As rows for a page, CSV and
PDF; made from values, the caller reads the database."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.i18n import N_, translate
from app.records.model import LOCAL_TIME
from app.records.pdf import FAMILY, font_files
from app.spreadsheet import safe_cell

# What the log calls each kind of access, as the family reads it.
ACCESSES = {
    "record.view": N_("Viewed the closed record"),
    "record.export": N_("Exported the record"),
    "record.correct": N_("Corrected the record"),
    "summary.view": N_("Opened the family's summary"),
    "summary.share": N_("Shared the family's summary"),
    "meeting.join": N_("Joined the meeting"),
    "meeting.delete": N_("Deleted the meeting"),
    "meeting.purge": N_("The record was removed at the end of its keeping time"),
    "access.report": N_("Read this access log"),
}


@dataclass(frozen=True)
class Access:
    """One line of the log: when (Finnish time), who, in which unit, what, in which meeting."""

    at: dt.datetime
    who: str
    unit: str
    what: str
    meeting: str


@dataclass(frozen=True)
class Row:
    """An audit row as the report reads it (app/audit/models.py)."""

    at: dt.datetime
    actor: str
    action: str
    meeting_id: str | None
    detail: str


def accesses(
    rows: Iterable[Row],
    people: Mapping[str, tuple[str, str]],
    titles: Mapping[str, str],
    lang: str,
) -> list[Access]:
    """The report's lines, oldest first. `people`: actor → (name, unit); `titles`: meeting id →
    its title."""
    out = []
    for row in sorted(rows, key=lambda r: r.at):
        if row.action not in ACCESSES:
            continue
        name, unit = people.get(row.actor, ("", ""))
        if not name:
            name = translate(_anonymous(row.actor), lang)
        what = translate(ACCESSES[row.action], lang)
        if row.action == "record.export" and row.detail:
            what = f"{what} ({row.detail})"
        at = (row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)).astimezone(LOCAL_TIME)
        meeting = titles.get(row.meeting_id or "", "") if row.meeting_id else ""
        out.append(Access(at, name, unit, what, meeting))
    return out


def _anonymous(actor: str) -> str:
    if actor == "link":
        return N_("Someone with the family's summary link")
    if actor == "system":
        return N_("The system")
    return N_("A participant of a meeting since removed")


def as_csv(lines: list[Access], lang: str) -> bytes:
    """The log as CSV (cells that a spreadsheet would run as formulas are made plain)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([translate(h, lang) for h in HEADINGS])
    for a in lines:
        writer.writerow(
            [
                a.at.isoformat(timespec="seconds"),
                *(safe_cell(v) for v in (a.who, a.unit, a.what, a.meeting)),
            ]
        )
    return out.getvalue().encode("utf-8-sig")  # a BOM: Excel reads the ä and ö right


HEADINGS = (N_("When"), N_("Who"), N_("Unit"), N_("What"), N_("Meeting"))
COLUMNS = (0.17, 0.23, 0.18, 0.24, 0.18)


def as_pdf(lines: list[Access], case_label: str, made: dt.datetime, lang: str) -> bytes:
    """The log as an A4 PDF to hand to the family: a title, when it was made, one row a line."""
    regular, bold = font_files()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.add_font(FAMILY, "", str(regular))
    pdf.add_font(FAMILY, "B", str(bold))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    title = translate(N_("Who has handled the family's data"), lang)
    pdf.set_title(title)
    pdf.set_lang(lang)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 15)
    pdf.multi_cell(0, 7, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 10)
    made_at = made.astimezone(LOCAL_TIME).strftime("%d.%m.%Y %H:%M")
    made_label = translate(N_("Made"), lang)
    for line in (case_label, f"{made_label}: {made_at}"):
        pdf.multi_cell(0, 5.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    with pdf.table(
        col_widths=tuple(width * c for c in COLUMNS), text_align="LEFT", line_height=4.6
    ) as table:
        table.row([translate(h, lang) for h in HEADINGS])
        for a in lines:
            table.row([a.at.strftime("%d.%m.%Y %H:%M"), a.who, a.unit, a.what, a.meeting])
    if not lines:
        pdf.multi_cell(0, 6, translate(N_("No one has handled the data yet."), lang))
    return bytes(pdf.output())
