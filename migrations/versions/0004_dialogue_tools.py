"""Dialogue tools: the order of raised hands, rounds, silent writing, agreement to the plan.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participant") as batch:
        batch.add_column(sa.Column("hand_at", sa.String(length=32), nullable=True))
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("round_json", sa.Text(), nullable=True))
        batch.add_column(sa.Column("silent_phase", sa.String(length=40), nullable=True))
    with op.batch_alter_table("entry") as batch:
        batch.add_column(
            sa.Column("agreements_json", sa.Text(), nullable=False, server_default="{}")
        )
    op.create_table(
        "silentitem",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("meeting_id", sa.String(length=32), nullable=False),
        sa.Column("phase", sa.String(length=40), nullable=False),
        sa.Column("writer", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("silentitem") as batch:
        batch.create_index("ix_silentitem_meeting_id", ["meeting_id"])


def downgrade() -> None:
    op.drop_table("silentitem")
    with op.batch_alter_table("entry") as batch:
        batch.drop_column("agreements_json")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("silent_phase")
        batch.drop_column("round_json")
    with op.batch_alter_table("participant") as batch:
        batch.drop_column("hand_at")
