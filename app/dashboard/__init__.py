"""The follow-up dashboard: aggregates of held meetings and feedback for managers (no content)."""
