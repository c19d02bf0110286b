"""Structured logs: one JSON object a line. Log calls carry counts and kinds of failure, never
names, record text or tokens (the access log is off for the same reason)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

# Paths that carry a secret: a join code, a summary link's token, a password link's token.
# Query strings (the screen's link token, a resumed socket's) are dropped whole.
_SECRET_PATHS = re.compile(r"^(/join|/s|/reset)/[^/?]+")


class JsonFormatter(logging.Formatter):
    """A log record as a line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "at": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            body["error"] = record.exc_info[0].__name__
        return json.dumps(body, ensure_ascii=False)


class NoSocketLines(logging.Filter):
    """Drops uvicorn's line per live socket ("<client address> - "WebSocket <path>" [accepted]"):
    it is an access log, with the client's address and the query string, which for the shared
    screen holds its link's token. The access log is off for the same reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith('%s - "WebSocket ')


def redact_path(path: str) -> str:
    """A request path as a log may hold it: no query string, no join code or summary token."""
    return _SECRET_PATHS.sub(r"\1/…", path.split("?", 1)[0])


class RedactSecrets(logging.Filter):
    """uvicorn's access lines (on unless the server is `avoin serve`) and its lines per live
    socket with the path's secrets taken out: installed by the app itself, so that a plain
    `uvicorn app.main:app` writes no join code or token into its log either."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if not isinstance(args, tuple):
            return True
        if record.name == "uvicorn.access" and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_path(args[2]), *args[3:])
        elif str(record.msg).startswith('%s - "WebSocket '):
            record.args = tuple(redact_path(a) if isinstance(a, str) else a for a in args)
        return True


def install_redaction() -> None:
    """Put `RedactSecrets` on uvicorn's loggers (once)."""
    for name in ("uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())


def log_config(level: str = "INFO") -> dict[str, Any]:
    """A logging configuration for uvicorn and the app, in JSON."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "app.logs.JsonFormatter"}},
        "filters": {"no_socket_lines": {"()": "app.logs.NoSocketLines"}},
        "handlers": {"default": handler},
        "loggers": {
            "avoin": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level, "filters": ["no_socket_lines"]},
        },
    }
