"""One error type for the whole app, rendered in one place for HTTP and for the live socket."""

from __future__ import annotations

from typing import Any, Literal

ErrorCode = Literal[
    "invalid",
    "forbidden",
    "not_found",
    "conflict",
    "too_large",
    "rate_limited",
    "closed",
    "unavailable",
]

HTTP_STATUS: dict[str, int] = {
    "invalid": 422,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "too_large": 413,
    "rate_limited": 429,
    "closed": 409,
    "unavailable": 503,
}


class AppError(Exception):
    """An error a client can act on: a code from the protocol, a message, optional details."""

    def __init__(
        self, code: ErrorCode, message: str, *, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}

    @property
    def status(self) -> int:
        return HTTP_STATUS[self.code]

    def frame(self, op_id: str | None = None) -> dict[str, Any]:
        """The live `error` frame for this error."""
        body: dict[str, Any] = {
            "type": "error",
            "id": op_id,
            "code": self.code,
            "message": self.message,
        }
        body.update(self.details)
        return body

    def __repr__(self) -> str:
        return f"AppError({self.code!r}, {self.message!r})"
