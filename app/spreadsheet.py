"""Text that people typed, made safe for a CSV cell that a spreadsheet opens."""

from __future__ import annotations


def safe_cell(text: str) -> str:
    """A spreadsheet runs a cell that starts like a formula: such text is quoted as text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
