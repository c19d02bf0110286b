"""Who did what: an accountable log of sensitive actions, never the record's text."""
