"""Single sign-on (issue 21): `user.sso_subject` (the organisation's identity of an account) and
`ssologin` (a login begun at the provider: its hashed state, nonce and PKCE verifier).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 05:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.migrating import alter_table

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    alter_table(
        op,
        "user",
        lambda batch: (
            batch.add_column(sa.Column("sso_subject", sa.String(length=300), nullable=True)),
            batch.create_unique_constraint("uq_user_sso_subject", ["sso_subject"]),
        ),
    )
    op.create_table(
        "ssologin",
        sa.Column("state_hash", sa.String(length=64), primary_key=True),
        sa.Column("nonce", sa.String(length=100), nullable=False),
        sa.Column("verifier", sa.String(length=100), nullable=False),
        sa.Column("next", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ssologin")
    alter_table(
        op,
        "user",
        lambda batch: (
            batch.drop_constraint("uq_user_sso_subject", type_="unique"),
            batch.drop_column("sso_subject"),
        ),
    )
