"""Service units for accounts and meetings; the manager permission for the dashboard.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.add_column(
            sa.Column("is_manager", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("unit", sa.String(length=80), nullable=False, server_default=""))
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("unit", sa.String(length=80), nullable=False, server_default=""))
        batch.create_index("ix_meeting_unit", ["unit"])


def downgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.drop_index("ix_meeting_unit")
        batch.drop_column("unit")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("unit")
        batch.drop_column("is_manager")
