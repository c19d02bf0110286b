"""The shared screen's token out of the meeting's row: `screenkey` keeps only hashes, a link's
key (opened once, traded for a device's key in a cookie) and the devices' keys.

The link a chair was shown before this revision opens the screen once more (its hash becomes a
link's key), and only while the meeting is open.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:00:00
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.migrating import alter_table

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "screenkey",
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("meeting_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("link", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_screenkey_meeting_id", "screenkey", ["meeting_id"], unique=False)
    conn = op.get_bind()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = conn.execute(sa.text("SELECT id, screen_token FROM meeting WHERE status = 'open'")).all()
    for row in rows:
        conn.execute(
            sa.text(
                "INSERT INTO screenkey (token_hash, meeting_id, link, created_at) "
                "VALUES (:h, :m, :l, :c)"
            ),
            {
                "h": hashlib.sha256(row.screen_token.encode()).hexdigest(),
                "m": row.id,
                "l": True,
                "c": now,
            },
        )
    _drop_screen_token()


def _drop_screen_token() -> None:
    # SQLite drops the column by copying the table: the keys are off meanwhile (app/migrating.py).
    alter_table(op, "meeting", lambda batch: batch.drop_column("screen_token"))


def downgrade() -> None:
    # The tokens are not brought back: each meeting gets a new one nobody knows.
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("screen_token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    conn = op.get_bind()
    for row in conn.execute(sa.text("SELECT id FROM meeting")).all():
        conn.execute(
            sa.text("UPDATE meeting SET screen_token = :t WHERE id = :i"),
            {"t": secrets.token_urlsafe(24), "i": row.id},
        )
    op.drop_index("ix_screenkey_meeting_id", table_name="screenkey")
    op.drop_table("screenkey")
