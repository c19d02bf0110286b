"""Writing the audit log: one row per sensitive action, in the same transaction as the action."""

from __future__ import annotations

from sqlmodel import Session

from app.audit.models import AuditEntry

# Events of the live log that are also sensitive actions on people's data.
AUDITED_EVENTS = {
    "participant.admitted": "participant.admit",
    "participant.removed": "participant.remove",
    "participant.role_changed": "participant.role",
    "meeting.closed": "meeting.close",
    "entry.corrected": "record.correct",
    "summary.shared": "summary.share",
    "summary.revoked": "summary.revoke",
}


def record(
    session: Session,
    action: str,
    *,
    actor: str = "system",
    role: str = "",
    meeting_id: str | None = None,
    success: bool = True,
    detail: str = "",
) -> None:
    """Add one row; the caller's commit makes it true (a failed action is logged by its own)."""
    session.add(
        AuditEntry(
            action=action,
            actor=actor[:40],
            role=role[:20],
            meeting_id=meeting_id,
            success=success,
            detail=detail[:200],
        )
    )
