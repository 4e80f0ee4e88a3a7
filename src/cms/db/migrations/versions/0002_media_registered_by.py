"""media remembers who registered it

An AUTHOR may change only the media they registered; media registered before this revision
belongs to no one, so only editors change it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("media", sa.Column("created_by_id", sa.BigInteger(), nullable=True))
    op.create_index(op.f("ix_media_created_by_id"), "media", ["created_by_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_media_created_by_id_users"), "media", "users", ["created_by_id"], ["id"], ondelete="SET NULL"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_media_created_by_id_users"), "media", type_="foreignkey")
    op.drop_index(op.f("ix_media_created_by_id"), table_name="media")
    op.drop_column("media", "created_by_id")
