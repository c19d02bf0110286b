"""Moved to app.records.export; kept so that old imports keep working."""

from app.records.export import record_markdown as record_markdown
