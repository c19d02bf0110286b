"""Network meetings: the live core."""
