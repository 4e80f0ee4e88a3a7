"""cached reads: persisted queries by hash, and a notification when what readers see changes

`persisted_queries` keeps the documents that automatic persisted queries registered, so that
every server process answers a request naming one by its hash.

`cms_content_changed()` runs once per statement that changes a table readers read and does
`NOTIFY cms_content`, which PostgreSQL delivers when (and only if) the transaction commits, once
per transaction however many statements ran. Every server process LISTENs and drops its cached
responses (graphql.response_cache). Being in the database, it covers every way of writing:
the API, the scheduler, a script in psql. Reads counted (article_views) are not content;
trending scores are, as lists show them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READ_TABLES = (
    "articles",
    "article_authors",
    "article_tags",
    "article_slugs",
    "authors",
    "media",
    "sections",
    "tags",
    "trending_lists",
    "trending_pins",
    "trending_scores",
)

NOTIFY = """
CREATE FUNCTION cms_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cms_content', '');
  RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "persisted_queries",
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_persisted_queries")),
    )
    op.execute(NOTIFY)
    for table in READ_TABLES:
        op.execute(
            f"CREATE TRIGGER cms_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION cms_content_changed()"
        )


def downgrade() -> None:
    for table in READ_TABLES:
        op.execute(f"DROP TRIGGER cms_content_changed ON {table}")
    op.execute("DROP FUNCTION cms_content_changed()")
    op.drop_table("persisted_queries")
