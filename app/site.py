"""Pages about the service itself: the accessibility statement (saavutettavuusseloste)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app import rendering

router = APIRouter(include_in_schema=False)

# The day the statement was written and the service last assessed; change it with the text.
STATEMENT_DATE = date(2026, 11, 25)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def written_on(day: date, lang: str) -> str:
    """The date as each language writes it in running text."""
    if lang == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"


def contact_link(contact: str) -> str | None:
    """A mailto: link when the contact is one e-mail address; a postal address is shown as text."""
    address = contact.strip().removeprefix("mailto:")
    if "@" in address and not any(c.isspace() for c in address):
        return f"mailto:{address}"
    return None


@router.get("/accessibility", response_class=HTMLResponse)
def accessibility(request: Request) -> Response:
    """The accessibility statement that Finnish law asks of a public digital service."""
    lang = rendering.page_language(request)
    contact = request.app.state.settings.accessibility_contact.strip()
    return rendering.render(
        request,
        "accessibility.html",
        lang,
        contact=contact.removeprefix("mailto:"),
        contact_href=contact_link(contact),
        written=written_on(STATEMENT_DATE, lang),
        written_iso=STATEMENT_DATE.isoformat(),
    )
