"""editorial workflow: revisions, slug history, translations, embargoes, audit log, scheduled changes

Every article present gets a first revision holding its content as it stands, so its history
starts here and nothing of it is lost.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("now()")


def upgrade() -> None:
    op.create_table(
        "server_secrets",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_server_secrets")),
    )
    op.add_column("articles", sa.Column("locale", sa.Text(), server_default="en", nullable=False))
    op.add_column("articles", sa.Column("translation_group_id", sa.BigInteger(), nullable=True))
    op.add_column("articles", sa.Column("unpublish_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("articles", sa.Column("review_note", sa.Text(), nullable=True))
    op.add_column("articles", sa.Column("last_edited_by_id", sa.BigInteger(), nullable=True))
    op.add_column("articles", sa.Column("preview_epoch", sa.Integer(), server_default="0", nullable=False))
    op.drop_constraint(op.f("uq_articles_slug"), "articles", type_="unique")
    op.create_unique_constraint(op.f("uq_articles_locale_slug"), "articles", ["locale", "slug"])
    op.create_index(op.f("ix_articles_last_edited_by_id"), "articles", ["last_edited_by_id"], unique=False)
    op.create_index(op.f("ix_articles_translation_group_id"), "articles", ["translation_group_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_articles_last_edited_by_id_users"),
        "articles",
        "users",
        ["last_edited_by_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_check_constraint(
        op.f("ck_articles_unpublish_after_publish"), "articles", "unpublish_at IS NULL OR unpublish_at > published_at"
    )
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("created_by_id", sa.BigInteger(), nullable=True),
        sa.Column("snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "changed_fields", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False
        ),
        sa.CheckConstraint("version > 0", name=op.f("ck_article_revisions_version_positive")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_revisions_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_article_revisions_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_revisions")),
        sa.UniqueConstraint("article_id", "version", name=op.f("uq_article_revisions_article_id_version")),
    )
    op.create_index(op.f("ix_article_revisions_created_by_id"), "article_revisions", ["created_by_id"], unique=False)
    # The content of every article as it stands, in the shape services.articles.revisions writes.
    op.execute(
        """
        INSERT INTO article_revisions (article_id, version, created_at, snapshot, changed_fields)
        SELECT a.id, a.version, a.updated_at,
               jsonb_build_object(
                 'title', a.title, 'slug', a.slug, 'locale', a.locale, 'standfirst', a.standfirst,
                 'body', a.body, 'word_count', a.word_count, 'hero_image_id', a.hero_image_id,
                 'section_id', a.section_id, 'sources', a.sources, 'seo_title', a.seo_title,
                 'seo_description', a.seo_description, 'canonical_url', a.canonical_url,
                 'author_ids', coalesce((SELECT jsonb_agg(aa.author_id ORDER BY aa.position)
                                         FROM article_authors aa WHERE aa.article_id = a.id), '[]'::jsonb),
                 'tag_ids', coalesce((SELECT jsonb_agg(at.tag_id ORDER BY at.position)
                                      FROM article_tags at WHERE at.article_id = a.id), '[]'::jsonb)),
               '{}'::text[]
        FROM articles a
        """
    )
    op.create_table(
        "article_slugs",
        sa.Column("locale", sa.Text(), nullable=False),
        sa.Column("slug", sa.Text(), nullable=False),
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_article_slugs_article_id_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("locale", "slug", name=op.f("pk_article_slugs")),
    )
    op.create_index(op.f("ix_article_slugs_article_id"), "article_slugs", ["article_id"], unique=False)
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("statement_timestamp()"), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("actor_token_id", sa.BigInteger(), nullable=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("subject_type", sa.Text(), nullable=True),
        sa.Column("subject_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "changed_fields", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False
        ),
        sa.Column(
            "detail", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["actor_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_audit_events_actor_token_id_api_tokens"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index("ix_audit_events_action", "audit_events", ["action", sa.literal_column("at DESC")], unique=False)
    op.create_index(op.f("ix_audit_events_actor_id"), "audit_events", ["actor_id"], unique=False)
    op.create_index(op.f("ix_audit_events_actor_token_id"), "audit_events", ["actor_token_id"], unique=False)
    op.create_index(
        "ix_audit_events_at", "audit_events", [sa.literal_column("at DESC"), sa.literal_column("id DESC")], unique=False
    )
    op.create_index("ix_audit_events_subject", "audit_events", ["subject_type", "subject_id"], unique=False)
    op.create_table(
        "scheduled_changes",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('publish', 'unpublish')", name=op.f("ck_scheduled_changes_kind_valid")),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_scheduled_changes_article_id_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_changes")),
        sa.UniqueConstraint("article_id", "kind", "due_at", name=op.f("uq_scheduled_changes_article_id_kind_due_at")),
    )
    op.create_index(op.f("ix_scheduled_changes_article_id"), "scheduled_changes", ["article_id"], unique=False)
    op.create_index(
        "ix_scheduled_changes_due",
        "scheduled_changes",
        ["due_at"],
        unique=False,
        postgresql_where=sa.text("done_at IS NULL"),
    )
    # Scheduled articles already waiting for their instant: recorded when it comes.
    op.execute(
        "INSERT INTO scheduled_changes (article_id, kind, due_at) "
        "SELECT id, 'publish', published_at FROM articles WHERE status = 'PUBLISHED' AND published_at > now()"
    )


def downgrade() -> None:
    op.drop_table("scheduled_changes")
    op.drop_table("audit_events")
    op.drop_table("article_slugs")
    op.drop_table("article_revisions")
    op.drop_constraint(op.f("ck_articles_unpublish_after_publish"), "articles", type_="check")
    op.drop_constraint(op.f("fk_articles_last_edited_by_id_users"), "articles", type_="foreignkey")
    op.drop_index(op.f("ix_articles_translation_group_id"), table_name="articles")
    op.drop_index(op.f("ix_articles_last_edited_by_id"), table_name="articles")
    op.drop_constraint(op.f("uq_articles_locale_slug"), "articles", type_="unique")
    op.create_unique_constraint(op.f("uq_articles_slug"), "articles", ["slug"])
    for column in (
        "preview_epoch",
        "last_edited_by_id",
        "review_note",
        "unpublish_at",
        "translation_group_id",
        "locale",
    ):
        op.drop_column("articles", column)
    op.drop_table("server_secrets")
