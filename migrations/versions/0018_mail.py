"""E-mail invitations and reminders (issue 21): the outbox (`mail`) and a meeting's invitation
(`meeting.invite_json`).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.migrating import alter_table

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    alter_table(
        op,
        "meeting",
        lambda batch: batch.add_column(sa.Column("invite_json", sa.Text(), nullable=True)),
    )
    op.create_table(
        "mail",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(length=200), nullable=False, unique=True),
        sa.Column("to", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("ics", sa.Text(), nullable=True),
        sa.Column("ics_method", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("next_try_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_mail_status", "mail", ["status"])
    op.create_index("ix_mail_next_try_at", "mail", ["next_try_at"])


def downgrade() -> None:
    op.drop_index("ix_mail_next_try_at", table_name="mail")
    op.drop_index("ix_mail_status", table_name="mail")
    op.drop_table("mail")
    alter_table(op, "meeting", lambda batch: batch.drop_column("invite_json"))
