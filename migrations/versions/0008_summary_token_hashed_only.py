"""The family's summary token out of the log and the tables: a shared summary keeps a link id
(its token is made from it with the secret key), `summarylink` the token's hash as before.

Links shared before this revision keep working (their hash is in `summarylink`) but are not
shown again: their token is removed from the event log and from the meeting's row.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 10:30:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    events = conn.execute(
        sa.text("SELECT id, data_json FROM event WHERE name = 'summary.shared'")
    ).all()
    for row in events:
        data = json.loads(row.data_json)
        data = {"link": None, "expires_at": data.get("expires_at")}
        conn.execute(
            sa.text("UPDATE event SET data_json = :d WHERE id = :i"),
            {"d": json.dumps(data), "i": row.id},
        )
    meetings = conn.execute(
        sa.text("SELECT id, next_json FROM meeting WHERE next_json IS NOT NULL")
    ).all()
    for row in meetings:
        nxt = json.loads(row.next_json)
        summary = nxt.get("summary")
        if summary and "url" in summary:
            nxt["summary"] = {"link": None, "expires_at": summary.get("expires_at")}
            conn.execute(
                sa.text("UPDATE meeting SET next_json = :n WHERE id = :i"),
                {"n": json.dumps(nxt, ensure_ascii=False), "i": row.id},
            )


def downgrade() -> None:
    pass  # the removed tokens are not brought back
