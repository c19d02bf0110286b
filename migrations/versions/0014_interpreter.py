"""An interpreter in the meeting (issue 20): `participant.interpreter`, the pause they ask for
(`pause`, `pause_at`), and `entry.interpreted_from`.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.migrating import alter_table

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("interpreter", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("pause", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("pause_at", sa.String(length=32), nullable=True))
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("interpreted_from", sa.String(length=40), nullable=True))


def downgrade() -> None:
    alter_table(op, "entry", lambda batch: batch.drop_column("interpreted_from"))
    alter_table(
        op,
        "participant",
        lambda batch: (
            batch.drop_column("pause_at"),
            batch.drop_column("pause"),
            batch.drop_column("interpreter"),
        ),
    )
