"""views and trending: reads counted per bucket, dedupe keys and their daily salts, trending
lists with a window and a section, precomputed trending scores

Every trending list present gets the DAY window: its pins stay first, computed entries follow.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WINDOWS = "read_window IN ('HOUR', 'DAY', 'WEEK')"


def upgrade() -> None:
    op.create_table(
        "view_dedupe",
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_view_dedupe")),
    )
    op.create_index(op.f("ix_view_dedupe_expires_at"), "view_dedupe", ["expires_at"], unique=False)
    op.create_table(
        "view_salts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_view_salts")),
    )
    op.create_table(
        "article_views",
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("count > 0", name=op.f("ck_article_views_count_positive")),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_article_views_article_id_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("article_id", "bucket", name=op.f("pk_article_views")),
    )
    op.create_index("ix_article_views_bucket", "article_views", ["bucket"], unique=False)
    op.create_table(
        "trending_scores",
        sa.Column("read_window", sa.Text(), nullable=False),
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.CheckConstraint(WINDOWS, name=op.f("ck_trending_scores_read_window_valid")),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_trending_scores_article_id_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("read_window", "article_id", name=op.f("pk_trending_scores")),
    )
    op.create_index(
        "ix_trending_scores_read_window_score",
        "trending_scores",
        ["read_window", sa.literal_column("score DESC")],
        unique=False,
    )
    op.add_column("trending_lists", sa.Column("read_window", sa.Text(), server_default="DAY", nullable=False))
    op.create_check_constraint(op.f("ck_trending_lists_read_window_valid"), "trending_lists", WINDOWS)
    op.add_column("trending_lists", sa.Column("section_id", sa.BigInteger(), nullable=True))
    op.create_index(op.f("ix_trending_lists_section_id"), "trending_lists", ["section_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_trending_lists_section_id_sections"),
        "trending_lists",
        "sections",
        ["section_id"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_trending_lists_section_id_sections"), "trending_lists", type_="foreignkey")
    op.drop_index(op.f("ix_trending_lists_section_id"), table_name="trending_lists")
    op.drop_column("trending_lists", "section_id")
    op.drop_constraint(op.f("ck_trending_lists_read_window_valid"), "trending_lists", type_="check")
    op.drop_column("trending_lists", "read_window")
    op.drop_index("ix_trending_scores_read_window_score", table_name="trending_scores")
    op.drop_table("trending_scores")
    op.drop_index("ix_article_views_bucket", table_name="article_views")
    op.drop_table("article_views")
    op.drop_table("view_salts")
    op.drop_index(op.f("ix_view_dedupe_expires_at"), table_name="view_dedupe")
    op.drop_table("view_dedupe")
