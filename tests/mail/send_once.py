"""Run the outbox's sender once, as its own process (the kill test of tests/mail/test_mail.py):
`python -m tests.mail.send_once <database url> <smtp port>`."""

from __future__ import annotations

import sys

from app.config import Settings
from app.db import make_engine
from app.mail.sender import deliver_due

if __name__ == "__main__":
    url, port = sys.argv[1], int(sys.argv[2])
    settings = Settings(
        env="test",
        database_url=url,
        secret_key="t" * 40,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
    )
    deliver_due(make_engine(url), settings)
