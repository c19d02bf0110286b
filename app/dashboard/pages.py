"""The follow-up dashboard for managers: GET /dashboard (charts and tables) and /dashboard.csv."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app import rendering
from app.accounts import User
from app.clock import utcnow
from app.dashboard import repository as repo
from app.dashboard.aggregates import (
    QUESTIONS,
    RESPONDENTS,
    SCORES,
    Cell,
    Dashboard,
    Month,
    MonthRow,
    build,
    months_from,
)
from app.dashboard.figures import (
    HIDDEN_NOTE,
    MEASURES,
    NONE_NOTE,
    QUESTION_TEXT,
    RESPONDENT_TEXT,
    SMALL_NOTE,
    Page,
    all_figures,
    key_figures,
    month_label,
)
from app.i18n import N_, translate
from app.spreadsheet import safe_cell
from app.web import professional

router = APIRouter(include_in_schema=False)

DEFAULT_MONTHS = 12
MAX_MONTHS = 36


@dataclass
class Filters:
    """The chosen unit (None: all), months and respondents, and what was wrong with the input."""

    unit: str | None
    first: Month
    last: Month
    who: str
    errors: list[str] = field(default_factory=list)

    def query(self, **change: str) -> str:
        """The filters as a query string (for the CSV link)."""
        params = {"unit": self.unit or "", "from": str(self.first), "to": str(self.last)}
        params |= {"who": self.who, **change}
        return urlencode(params)


def _filters(request: Request, units: list[str]) -> Filters:
    """The filters from the query, every bad value replaced by its default and reported."""
    params = request.query_params
    errors: list[str] = []
    now = Month.of(utcnow())
    last, first = now, now.minus(DEFAULT_MONTHS - 1)
    months: dict[str, Month] = {}
    for name in ("from", "to"):
        text = params.get(name, "").strip()
        if text:
            try:
                months[name] = Month.parse(text)
            except ValueError:
                errors.append(N_("Give the months as YYYY-MM, e.g. 2026-03."))
    if "to" in months:
        last = months["to"]
    first = months.get("from", last.minus(DEFAULT_MONTHS - 1) if "to" in months else first)
    if first > last:
        errors.append(N_("The first month was after the last one: they were swapped."))
        first, last = last, first
    if len(months_from(first, last)) > MAX_MONTHS:
        errors.append(N_("At most 36 months at a time: the period was shortened."))
        first = last.minus(MAX_MONTHS - 1)
    unit: str | None = params.get("unit", "").strip() or None
    if unit is not None and unit not in units:
        errors.append(N_("No such unit: every unit is shown."))
        unit = None
    who = params.get("who", "family")
    who = who if who in RESPONDENTS else "family"
    return Filters(unit, first, last, who, list(dict.fromkeys(errors)))


def _manager(request: Request, session: Session, lang: str) -> User | Response:
    """The logged-in manager, or the response for anyone else."""
    user = professional(request, session)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/?next={quote(target, safe='')}", status_code=303)
    if not user.is_manager:
        return rendering.render(
            request,
            "message.html",
            lang,
            status=403,
            title=translate("The follow-up dashboard is for managers", lang),
            message=translate(
                "It shows how network meetings are used and how families experience them, "
                "to managers and developers of the services. Ask your administrator for the "
                "manager permission if your work needs it.",
                lang,
            ),
        )
    return user


def _load(request: Request, session: Session, filters: Filters, units: list[str]) -> Dashboard:
    """The figures of the chosen filters (every unit's rows are read: see aggregates)."""
    meetings = repo.held_meetings(session, filters.first.start(), filters.last.next().start())
    feedback = repo.feedback_counts(session, filters.first, filters.last)
    return build(
        meetings,
        feedback,
        months_from(filters.first, filters.last),
        filters.unit,
        # Every meeting frame has its column (workshops are not counted: see held_meetings).
        frames=[k for k, f in request.app.state.frames.items() if f.kind == "meeting"],
        units=units,
    )


# Presentation: numbers and months in the page's language.


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request) -> Response:
    """Charts and tables of the meetings held and the feedback, for managers."""
    lang = rendering.page_language(request)
    with request.app.state.session_factory() as session:
        user = _manager(request, session, lang)
        if not isinstance(user, User):
            return user
        units = repo.units(session)
        filters = _filters(request, units)
        data = _load(request, session, filters, units)
        name = user.display_name
    page = Page(request, lang, data)
    return rendering.render(
        request,
        "dashboard.html",
        lang,
        user_name=name,
        units=units,
        filters=filters,
        errors=[translate(e, lang) for e in filters.errors],
        summary=key_figures(page),
        figures=all_figures(page, filters.who),
        period=(month_label(filters.first, lang, "LLLL"), month_label(filters.last, lang, "LLLL")),
        csv_href=f"/dashboard.csv?{filters.query(lang=lang)}",
        respondents=[(k, translate(v, lang)) for k, v in RESPONDENT_TEXT.items()],
    )


# The CSV: the same figures, one per line; a hidden figure is empty and says why.


def _csv_value(cell: Cell, digits: int, scale: float = 1.0) -> tuple[str, str]:
    """The CSV's value and note: a figure not shown is empty, and the note says why."""
    if cell.status == "ok" and cell.value is not None:
        return f"{cell.value * scale:.{digits}f}", ""
    return "", {"small": SMALL_NOTE, "hidden": HIDDEN_NOTE, "none": NONE_NOTE}[cell.status]


def csv_text(data: Dashboard, filters: Filters, lang: str) -> str:
    """The dashboard as CSV (comma-separated, UTF-8 with a BOM so spreadsheets read ä and ö)."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(["figure", "label", "month", "unit", "respondents", "series", "value", "note"])
    unit = safe_cell(filters.unit) if filters.unit else translate("All units", lang)
    held = translate("Meetings held", lang)

    def row(figure: str, label: str, month: str, series: str, value: str, note: str = "") -> None:
        who = series.partition(":")[0] if figure.startswith("feedback_") else ""
        series = series.partition(":")[2] if who else series
        note = translate(note, lang) if note else ""
        out.writerow([figure, label, month, unit, who, series, value, note])

    # Each month, then the whole period (an ISO 8601 interval) for what may be summed up.
    periods: list[tuple[str, dict[str, int], int, MonthRow | Dashboard]]
    periods = [(str(r.month), r.by_frame, r.held, r) for r in data.rows]
    periods.append((f"{filters.first}/{filters.last}", data.by_frame, data.held, data))
    for month, by_frame, total, figures in periods:
        for key, count in by_frame.items():
            row("meetings_held", held, month, key, str(count))
        row("meetings_held", held, month, "total", str(total))
        for m in MEASURES:
            cell = getattr(figures, m.key)
            row(m.csv, translate(m.label, lang), month, "", *_csv_value(cell, m.digits, m.scale))
    for who in RESPONDENTS:
        for q in QUESTIONS:
            label = translate(QUESTION_TEXT[q], lang)
            for r in data.feedback[who][q]:
                month = str(r.month)
                row(f"feedback_{q}", label, month, f"{who}:answers", *_csv_value(r.answers, 0))
                for n, cell in zip(SCORES, r.scores, strict=True):
                    row(f"feedback_{q}", label, month, f"{who}:{n}", *_csv_value(cell, 0))
    return "\ufeff" + buffer.getvalue()


@router.get("/dashboard.csv")
def dashboard_csv(request: Request) -> Response:
    """The dashboard's figures as a CSV download, with the same filters."""
    lang = rendering.page_language(request)
    with request.app.state.session_factory() as session:
        user = _manager(request, session, lang)
        if not isinstance(user, User):
            return user
        units = repo.units(session)
        filters = _filters(request, units)
        data = _load(request, session, filters, units)
    name = f"avoin-dashboard-{filters.first}-{filters.last}.csv"
    return Response(
        csv_text(data, filters, lang),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
