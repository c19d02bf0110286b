"""The family's summary link. Its token is never stored: the log and the tables keep a random
`link` id, and the token is made from it with the server's secret key (HMAC-SHA256), so that
the database alone opens nothing; `summarylink` keeps the token's SHA-256 to look it up."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any


def summary_token(key: str, link: str) -> str:
    """The link's token (192 bits), made from its id with the secret key."""
    digest = hmac.new(key.encode(), f"summary:{link}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def with_url(summary: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    """The summary as the chair, the phones and the screen are shown it: its path and expiry.
    A link shared before tokens were made this way (revision 0008) is not shown again."""
    if not summary or not summary.get("link"):
        return None
    return {"url": f"/s/{summary_token(key, summary['link'])}", "expires_at": summary["expires_at"]}
