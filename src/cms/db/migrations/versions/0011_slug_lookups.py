"""slug lookups: an article by its slug in any language, and by a slug it held before

A reader's URL carries the slug and seldom the language, and the unique (locale, slug) index
cannot serve `slug = $1` alone: PostgreSQL read every article to find one. An article's old
slugs are looked up the same way.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 16:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_articles_slug", "articles", ["slug"])
    op.execute("CREATE INDEX ix_article_slugs_slug ON article_slugs (slug, created_at DESC)")


def downgrade() -> None:
    op.drop_index("ix_article_slugs_slug", "article_slugs")
    op.drop_index("ix_articles_slug", "articles")
