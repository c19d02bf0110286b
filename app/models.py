"""Every table of the app, for Alembic and for create_all in one place."""

from app.accounts import PasswordReset, SSOLogin, Unit, User, UserSession
from app.audit.models import AuditEntry
from app.cases.models import Case
from app.mail.outbox import Mail
from app.meetings.models import (
    Entry,
    Event,
    Feedback,
    FeedbackMark,
    Meeting,
    Participant,
    Private,
    ScreenKey,
    SilentItem,
    SummaryLink,
)

__all__ = [
    "AuditEntry",
    "Case",
    "Entry",
    "Event",
    "Feedback",
    "FeedbackMark",
    "Mail",
    "Meeting",
    "Participant",
    "PasswordReset",
    "Private",
    "SSOLogin",
    "ScreenKey",
    "SilentItem",
    "SummaryLink",
    "Unit",
    "User",
    "UserSession",
]
