"""The meeting's head seq is the log's own (its highest seq), no longer a counter in the meeting's
row; and the event log's index on `(meeting_id, seq)` is dropped: the unique constraint on the
same columns is an index already.

Every op took the next seq from the counter. In the meeting's row, which carries the frame (about
12 KB), that rewrote the row's overflow pages on every op; in a row of its own it would still be
one page more per op than reading the unique index (issue 19).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.migrating import alter_table

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_event_meeting_seq", table_name="event")
    alter_table(op, "meeting", lambda batch: batch.drop_column("last_seq"))


def downgrade() -> None:
    alter_table(
        op,
        "meeting",
        lambda batch: batch.add_column(
            sa.Column("last_seq", sa.Integer(), nullable=False, server_default="0")
        ),
    )
    op.execute(
        "UPDATE meeting SET last_seq = "
        "(SELECT coalesce(max(seq), 0) FROM event WHERE event.meeting_id = meeting.id)"
    )
    op.create_index("ix_event_meeting_seq", "event", ["meeting_id", "seq"], unique=False)
