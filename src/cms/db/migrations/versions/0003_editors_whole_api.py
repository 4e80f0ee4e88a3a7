"""descriptions for sections, tags and trending lists; disabled users; login throttling

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("sections", "tags", "trending_lists"):
        op.add_column(table, sa.Column("description", sa.Text(), nullable=True))
    op.add_column("users", sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
    # Tags made before this revision were named after their slugs ("city hall"): name them
    # the way they are shown ("City Hall").
    op.execute("UPDATE tags SET name = initcap(name) WHERE name = replace(slug, '-', ' ')")
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_login_throttle_failures_nonnegative")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_index("ix_login_throttle_window_started_at", "login_throttle", ["window_started_at"], unique=False)


def downgrade() -> None:
    op.drop_table("login_throttle")
    op.drop_column("users", "disabled_at")
    for table in ("sections", "tags", "trending_lists"):
        op.drop_column(table, "description")
