"""What an administrator reads: the audit log, with the people in it named. It sits above the
packages whose actions it shows (the log itself, app.audit, sits below them)."""
