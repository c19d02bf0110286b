"""The child's three houses in a meeting (issue 20): `meeting.houses_json` (from the
preparation), `houses_child` (whom the chair asked) and `houses_status`.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.migrating import alter_table

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("houses_json", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("houses_child", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("houses_status", sa.String(length=12), nullable=False, server_default="ready")
        )


def downgrade() -> None:
    alter_table(
        op,
        "meeting",
        lambda batch: (
            batch.drop_column("houses_status"),
            batch.drop_column("houses_child"),
            batch.drop_column("houses_json"),
        ),
    )
