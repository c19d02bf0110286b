"""Who said they do not understand an entry (issue 20): `entry.unclear_json`, private; only
the count is shown.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.migrating import alter_table

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unclear_json", sa.Text(), nullable=False, server_default="{}")
        )


def downgrade() -> None:
    alter_table(op, "entry", lambda batch: batch.drop_column("unclear_json"))
