"""create_app(): the lifespan starts and stops the engine, the fan-out and the hub."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app import gcpolicy, site, sso_routes
from app import models as _models  # noqa: F401 - every table known before the first query
from app.accounts import dummy_hash
from app.admin import audit_page as audit_pages
from app.admin import people as admin_people
from app.audit.denied import DeniedLog
from app.auth import same_origin_request
from app.cases import access_pages as case_access
from app.cases import edits as case_edits
from app.cases import invite_pages as case_invites
from app.cases import pages as case_pages
from app.config import Settings, get_settings
from app.dashboard import pages as dashboard_pages
from app.db import checkpoint, make_engine, make_loop_engine
from app.errors import AppError
from app.frames.loader import load_frames
from app.glossary import routes as glossary_routes
from app.glossary.matcher import Glossary, voikko_lemmas
from app.glossary.terms import load_glossary
from app.i18n import translate
from app.logs import install_redaction
from app.meetings import api, live, pages, process_routes
from app.meetings.effects import effect_of
from app.meetings.retention import purge_expired
from app.meetings.service import MeetingService
from app.metrics import Metrics
from app.ratelimit import Limits
from app.realtime.connection import LiveRoute
from app.realtime.fanout import make_fanout
from app.realtime.hub import Hub
from app.records import api as records_api

HERE = Path(__file__).parent
log = logging.getLogger("avoin")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def create_app(settings: Settings | None = None) -> FastAPI:
    """The Avoin application for these settings."""
    settings = settings or get_settings()
    # Whatever server runs the app, its request lines hold no join code or token.
    install_redaction()
    dummy_hash()  # an unknown username's first login takes as long as any other
    engine = make_engine(settings.database_url, settings.sqlite_synchronous)
    fanout = make_fanout(settings.fanout_url)
    loop_engine = make_loop_engine(settings.database_url, settings.sqlite_synchronous)
    service = MeetingService(
        engine,
        retention_days=settings.retention_days,
        op_deadline=settings.op_deadline_seconds,
        loop_engine=loop_engine,
        link_key=settings.secret_key,
    )
    hub = Hub(fanout, secrets.token_hex(6), service.events_since, service.snapshot_frame, effect_of)
    service.hub = hub

    app = FastAPI(
        title="Avoin",
        version="0.1.0",
        lifespan=_lifespan(engine, loop_engine, fanout, service, settings),
    )
    app.state.settings = settings
    app.state.frames = load_frames(settings.frames_dir)
    app.state.glossary = Glossary(load_glossary(settings.glossary_dir), voikko_lemmas())
    app.state.engine = engine
    app.state.session_factory = lambda: Session(engine)
    app.state.service = service
    app.state.hub = hub
    app.state.fanout = fanout
    app.state.metrics = Metrics(hub)
    app.state.limits = Limits(
        settings.failures_per_minute,
        settings.knock_burst,
        settings.knocks_per_minute,
        settings.knocks_waiting,
    )
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.state.denied = DeniedLog(engine)
    _answer_errors(app, settings)
    _guard_origins(app, settings)
    _route(app)
    _report_health(app, settings)
    return app


def _lifespan(
    engine: Any, loop_engine: Any, fanout: Any, service: MeetingService, settings: Settings
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Start the fan-out and the background jobs with the app; stop all of it with it."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await fanout.start()
        # What exists once started (modules, frames, templates, mappers) lives as long as the
        # process: frozen, the collector's full passes no longer walk it while sockets wait.
        gcpolicy.install()
        jobs = [
            asyncio.create_task(_purge_forever(engine), name="purge"),
            asyncio.create_task(gcpolicy.sweep_forever(), name="collector"),
        ]
        if settings.smtp_host:
            jobs.append(asyncio.create_task(_mail_forever(engine, settings), name="mail"))
        if loop_engine is not None:
            jobs.append(asyncio.create_task(_checkpoint_forever(engine), name="checkpoint"))
        try:
            yield
        finally:
            for job in jobs:
                job.cancel()
            gcpolicy.uninstall()
            if service.hub is not None:
                await service.hub.close()
            await service.close()
            await fanout.stop()
            engine.dispose()
            if loop_engine is not None:
                loop_engine.dispose()

    return lifespan


def _answer_errors(app: FastAPI, settings: Settings) -> None:
    """Every refusal in one shape, in the asker's language; never a 500 for a known cause."""
    denied: DeniedLog = app.state.denied

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # The same error shape as every other refusal, naming the first field that was wrong.
        lang = request.query_params.get("lang") or settings.language
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        body = {
            "error": {
                "code": "invalid",
                "message": translate("Malformed request.", lang),
                "field": where,
                "detail": str(first.get("msg", "")),
            }
        }
        return JSONResponse(body, status_code=422, headers={"Cache-Control": "no-store"})

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        if exc.code == "forbidden" and (meeting_id := denied.meeting_of(request)):
            await denied.note(request, meeting_id)
        lang = request.query_params.get("lang") or settings.language
        body = {"error": {"code": exc.code, "message": translate(exc.message, lang), **exc.details}}
        return JSONResponse(body, status_code=exc.status, headers={"Cache-Control": "no-store"})

    @app.exception_handler(DBAPIError)
    async def _database_down(request: Request, exc: DBAPIError) -> JSONResponse:
        # The database is the truth: without it nothing is answered, but plainly, not as a 500.
        log.error("database unavailable: %s", type(exc.orig).__name__)
        lang = request.query_params.get("lang") or settings.language
        message = translate("The service is unavailable for a moment. Try again soon.", lang)
        body = {"error": {"code": "unavailable", "message": message}}
        return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})


def _guard_origins(app: FastAPI, settings: Settings) -> None:
    """A changing request from another origin is refused; every answer gets the secure headers."""

    @app.middleware("http")
    async def _guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.method in UNSAFE_METHODS and not same_origin_request(settings, request):
            return JSONResponse(
                {"error": {"code": "forbidden", "message": "Origin not allowed."}},
                status_code=403,
            )
        response = await call_next(request)
        _secure_headers(response, settings)
        return response


def _route(app: FastAPI) -> None:
    """The live socket, the static files and every package's routes."""
    app.add_middleware(LiveRoute, path=r"/ws/meetings/([^/]+)", handler=live.live_asgi)
    # Scripts and styles, most of a phone's first load, go compressed on a slow connection.
    # Pages never do: the chair's page holds the screen's link and the join code beside text the
    # address puts there (the language links), and a compressed page's length is then an oracle
    # for guessing them (BREACH).
    static = StaticFiles(directory=HERE / "static")
    app.mount("/static", GZipMiddleware(static, minimum_size=1000), name="static")
    for router in (
        api.router,
        glossary_routes.router,
        pages.router,
        live.router,
        site.router,
        dashboard_pages.router,
        records_api.router,
        process_routes.router,
        audit_pages.router,
        admin_people.router,
        sso_routes.router,
        case_pages.router,
        case_edits.router,
        case_access.router,
        case_invites.router,
    ):
        app.include_router(router)


def _database_answers(engine: Any) -> bool:
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return True
    except Exception:
        return False


def _report_health(app: FastAPI, settings: Settings) -> None:
    """Alive, ready and the metrics, for the proxy and the monitoring."""
    engine, fanout = app.state.engine, app.state.fanout

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, Any]:
        """Alive: the process answers."""
        return {"ok": True}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        """Ready: the database and the fan-out are reachable (a proxy sends traffic only then)."""
        try:
            db_ok = await asyncio.wait_for(to_thread.run_sync(_database_answers, engine), 3)
        except TimeoutError:
            db_ok = False
        try:
            fan_ok = await asyncio.wait_for(fanout.ping(), 3)
        except TimeoutError:
            fan_ok = False
        checks = {"database": db_ok, "fanout": fan_ok}
        return JSONResponse(
            {"ready": all(checks.values()), **checks},
            status_code=200 if all(checks.values()) else 503,
        )

    @app.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> Response:
        """Prometheus metrics (counts only, nothing about people); a token when one is set."""
        token = settings.metrics_token
        if token and request.headers.get("authorization") != f"Bearer {token}":
            return JSONResponse({"error": {"code": "forbidden", "message": "Token needed."}}, 403)
        return Response(app.state.metrics.render(), media_type="text/plain; version=0.0.4")


PURGE_EVERY = 3600.0
CHECKPOINT_EVERY = 5.0


async def _purge_forever(engine: Any) -> None:
    """Supervised: purge expired meetings every hour; a failure is logged, not fatal."""
    while True:
        try:
            await to_thread.run_sync(purge_expired, engine)
        except Exception:
            log.exception("the purge job failed; it tries again in an hour")
        await asyncio.sleep(PURGE_EVERY)


def _mail_once(engine: Any, settings: Settings) -> None:
    from app.cases.reminders import queue_reminders
    from app.clock import utcnow
    from app.db import transaction
    from app.mail.sender import deliver_due

    with transaction(engine) as session:
        queue_reminders(session, settings, utcnow())
    deliver_due(engine, settings)


async def _mail_forever(engine: Any, settings: Settings) -> None:
    """Supervised: queue the day-before reminders and send the outbox, in a thread, every few
    seconds (only with an SMTP host set); a failure is logged, not fatal."""
    while True:
        try:
            await to_thread.run_sync(_mail_once, engine, settings)
        except Exception:
            log.exception("the mail job failed; it tries again shortly")
        await asyncio.sleep(settings.mail_every_seconds)


async def _checkpoint_forever(engine: Any) -> None:
    """SQLite: move the write-ahead log into the database every few seconds, in a thread. The
    ops written on the event loop never checkpoint themselves: a checkpoint syncs the file to
    disk, and the loop must not wait for a disk."""
    while True:
        await asyncio.sleep(CHECKPOINT_EVERY)
        try:
            await to_thread.run_sync(checkpoint, engine)
        except Exception:
            log.exception("a checkpoint of the write-ahead log failed; it is tried again")


def _secure_headers(response: Response, settings: Settings) -> None:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    if headers.get("content-type", "").startswith(("text/html", "application/json")):
        headers.setdefault("Cache-Control", "no-store")
    if settings.secure_cookies:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")


def __getattr__(name: str) -> FastAPI:
    # `uvicorn app.main:app` builds the app on first use, not at import (tests import this module).
    if name == "app":
        application = create_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)
