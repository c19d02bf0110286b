"""Feedback that cannot be linked to its giver: answers under random ids (in no order), the
'already answered' marks apart from them, and no actor on the count's event.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("meeting_id", "heard", "next", "together", "comment", "family", "given_on")


def _feedback_table(id_type: sa.types.TypeEngine) -> None:
    op.create_table(
        "feedback",
        sa.Column("id", id_type, nullable=False),
        sa.Column("meeting_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("heard", sa.Integer(), nullable=False),
        sa.Column("next", sa.Integer(), nullable=False),
        sa.Column("together", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("family", sa.Boolean(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
        # Kept in the order of the random ids, not of the answers (SQLite; ignored elsewhere).
        sqlite_with_rowid=isinstance(id_type, sa.Integer),
    )
    op.create_index("ix_feedback_meeting_id", "feedback", ["meeting_id"], unique=False)


def _rewrite(id_type: sa.types.TypeEngine, new_id: object) -> None:
    conn = op.get_bind()
    rows = [
        dict(r._mapping)
        for r in conn.execute(sa.text(f"SELECT {', '.join(COLUMNS)} FROM feedback"))
    ]
    # Written back in a random order: the rows' order on disk no longer follows the answers'.
    secrets.SystemRandom().shuffle(rows)
    op.drop_index("ix_feedback_meeting_id", table_name="feedback")
    op.drop_table("feedback")
    _feedback_table(id_type)
    table = sa.table("feedback", sa.column("id"), *(sa.column(c) for c in COLUMNS))
    for n, row in enumerate(rows, start=1):
        conn.execute(table.insert().values(id=new_id(n), **row))  # type: ignore[operator]


def upgrade() -> None:
    _rewrite(sqlmodel.sql.sqltypes.AutoString(length=32), lambda _n: secrets.token_hex(16))
    op.create_table(
        "feedbackmark",
        sa.Column("meeting_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("mark", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("meeting_id", "mark"),
    )
    op.execute("UPDATE event SET actor = NULL WHERE name = 'feedback.received'")


def downgrade() -> None:
    op.drop_table("feedbackmark")
    _rewrite(sa.Integer(), lambda n: n)
