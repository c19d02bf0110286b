"""Structured logs: one JSON object a line. Log calls carry counts and kinds of failure, never
names, record text or tokens (the access log is off for the same reason)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any


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
