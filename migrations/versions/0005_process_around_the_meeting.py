"""The process around the meeting: cases, review, next meeting, summary links, retention,
audit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 14:44:39.024356
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auditentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("meeting_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditentry_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditentry_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditentry_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "case",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("responsible_id", sa.Integer(), nullable=False),
        sa.Column("responsible_role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("preparation_json", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["responsible_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_responsible_id"), ["responsible_id"], unique=False
        )

    op.create_table(
        "private",
        sa.Column("meeting_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("participant_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("meeting_id", "participant_id", "kind"),
    )
    op.create_table(
        "summarylink",
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("meeting_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("summarylink", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_summarylink_meeting_id"), ["meeting_id"], unique=False)

    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("corrections_json", sa.Text(), nullable=False, server_default="[]")
        )

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(sa.Column("preparation_json", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("review_json", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("next_json", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("retain_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_meeting_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_retain_until"), ["retain_until"], unique=False)
        batch_op.create_foreign_key("fk_meeting_case_id_case", "case", ["case_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_constraint("fk_meeting_case_id_case", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_meeting_retain_until"))
        batch_op.drop_index(batch_op.f("ix_meeting_case_id"))
        batch_op.drop_column("retain_until")
        batch_op.drop_column("next_json")
        batch_op.drop_column("review_json")
        batch_op.drop_column("preparation_json")
        batch_op.drop_column("case_id")

    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_column("corrections_json")

    with op.batch_alter_table("summarylink", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_summarylink_meeting_id"))

    op.drop_table("summarylink")
    op.drop_table("private")
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_responsible_id"))

    op.drop_table("case")
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditentry_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_auditentry_at"))
        batch_op.drop_index(batch_op.f("ix_auditentry_action"))

    op.drop_table("auditentry")
