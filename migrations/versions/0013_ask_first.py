"""Ask first (issue 20): `entry.ask_first`, the participant an entry is asked of before the room
sees it, and `entry.approved`, whether they have let it into the shared record.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.migrating import alter_table

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ask_first", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("approved", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    alter_table(
        op, "entry", lambda batch: (batch.drop_column("approved"), batch.drop_column("ask_first"))
    )
