"""Account administration (issue 21): `user.active`, the service units (`unit`, filled from the
units the accounts already name), and one-time links to set a password (`passwordreset`).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.migrating import alter_table

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    alter_table(
        op,
        "user",
        lambda batch: batch.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        ),
    )
    op.create_table(
        "unit",
        sa.Column("name", sa.String(length=80), primary_key=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.execute(
        "INSERT INTO unit (name, created_at) SELECT DISTINCT unit, CURRENT_TIMESTAMP "
        "FROM \"user\" WHERE unit <> ''"
    )
    op.create_table(
        "passwordreset",
        sa.Column("token_hash", sa.String(length=64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_passwordreset_user_id", "passwordreset", ["user_id"])
    if op.get_bind().dialect.name == "postgresql":
        # 0009 made the screen keys' time without its zone, unlike every other time (found by
        # tests/test_models_match_migrations.py); the times were written in UTC.
        op.alter_column(
            "screenkey",
            "created_at",
            type_=sqlmodel.sql.sqltypes.UTCDateTime(),
            existing_type=sa.DateTime(),
            postgresql_using="created_at AT TIME ZONE 'UTC'",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "screenkey",
            "created_at",
            type_=sa.DateTime(),
            existing_type=sqlmodel.sql.sqltypes.UTCDateTime(),
            postgresql_using="created_at AT TIME ZONE 'UTC'",
        )
    op.drop_index("ix_passwordreset_user_id", table_name="passwordreset")
    op.drop_table("passwordreset")
    op.drop_table("unit")
    alter_table(op, "user", lambda batch: batch.drop_column("active"))
