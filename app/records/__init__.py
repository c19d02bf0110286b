"""The record out: a meeting's record as Markdown, plain text, PDF and DOCX."""
