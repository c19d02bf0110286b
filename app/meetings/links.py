"""The links of a meeting that people open or are sent, and the join QR code."""

from __future__ import annotations

import io

import segno

from app.config import Settings
from app.meetings.models import Meeting


def links(settings: Settings, meeting: Meeting, screen_token: str | None = None) -> dict[str, str]:
    """Absolute links for the chair, the scribe, joining, and (given a fresh token from
    `screen_keys.new_link`) the shared screen."""
    base = settings.base_url
    join = f"{base}/join/{meeting.join_code}"
    found = {"chair": f"{base}/m/{meeting.id}", "scribe": f"{join}?as=scribe", "join": join}
    if screen_token:
        found["screen"] = f"{base}/m/{meeting.id}/screen?token={screen_token}"
    return found


def format_code(code: str) -> str:
    """An 8-digit code as people read it aloud: 4829 1735."""
    return f"{code[:4]} {code[4:]}" if len(code) == 8 else code


def qr_svg(url: str) -> str:
    """An inline SVG QR code (drawn here: no image from another host)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=8, border=2, xmldecl=False, svgns=True, title="QR", dark="#000"
    )
    return out.getvalue().decode()
