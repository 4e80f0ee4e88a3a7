from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Text,
    UniqueConstraint,
    and_,
    case,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, column_property, mapped_column

from cms.db.base import Base, created_at, db_now, pk, updated_at
from cms.vocabulary import STORED_STATUSES, ArticleStatus, sql_in


class Article(Base):
    """A news article: its text, metadata, and where it stands in publishing."""

    __tablename__ = "articles"
    __table_args__ = (
        CheckConstraint(sql_in("status", STORED_STATUSES), name="status_valid"),
        CheckConstraint(
            f"status <> '{ArticleStatus.PUBLISHED}' OR published_at IS NOT NULL", name="published_has_time"
        ),
        CheckConstraint("version > 0", name="version_positive"),
        CheckConstraint("word_count >= 0", name="word_count_nonnegative"),
        CheckConstraint("unpublish_at IS NULL OR unpublish_at > published_at", name="unpublish_after_publish"),
        # Slugs are unique per language: the English and Korean editions may share one.
        UniqueConstraint("locale", "slug"),
        # A reader's URL seldom says the language: by slug alone.
        Index("ix_articles_slug", "slug"),
        # The public list: newest first, keyset-paginated on the same sort key the service uses
        # (drafts, with no publish time, sort as the oldest).
        Index("ix_articles_published", text("coalesce(published_at, '-infinity'::timestamptz) DESC"), text("id DESC")),
        Index("ix_articles_updated", text("updated_at DESC"), text("id DESC")),
        # Search (services.search): the text vector, and titles by trigram for the fallback.
        Index("ix_articles_search_vector", "search_vector", postgresql_using="gin"),
        Index("ix_articles_title_trgm", "title", postgresql_using="gin", postgresql_ops={"title": "gin_trgm_ops"}),
        # Related articles (services.search.related): titles sharing words.
        Index("ix_articles_title_vector", text("title_vector(locale, title)"), postgresql_using="gin"),
    )

    id: Mapped[int] = pk()
    slug: Mapped[str] = mapped_column(Text)
    # BCP 47, normalised (en, ko, pt-BR).
    locale: Mapped[str] = mapped_column(Text, server_default="en")
    # The same story in other languages: every member holds the id of the group's first article.
    translation_group_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    title: Mapped[str] = mapped_column(Text)
    standfirst: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, server_default="DRAFT")
    published_at: Mapped[datetime | None] = mapped_column()
    # The end of the embargo: hidden again from this instant, with no job running.
    unpublish_at: Mapped[datetime | None] = mapped_column()
    # What an editor said when returning the article to its author from review.
    review_note: Mapped[str | None] = mapped_column(Text)
    last_edited_by_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Bumped to revoke every preview link of the article at once.
    preview_epoch: Mapped[int] = mapped_column(Integer, server_default="0")
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    # Bodies are loaded only by the fields that return them, never by list views.
    body: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"), deferred=True)
    word_count: Mapped[int] = mapped_column(Integer, server_default="0")
    hero_image_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("media.id", ondelete="SET NULL"), index=True
    )
    section_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("sections.id", ondelete="SET NULL"), index=True
    )
    # Ordered [{"name": ..., "url": ...}]: small, always read with the article.
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    seo_title: Mapped[str | None] = mapped_column(Text)
    seo_description: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    # What search matches: title, standfirst, tags, bylines and body, stemmed by the locale's
    # language. Kept by the database's triggers (migration 0008), never written from Python.
    search_vector: Mapped[str] = mapped_column(TSVECTOR, server_default=text("''::tsvector"), deferred=True)
    # The status clients see, computed by the database in the statement that reads the row, with
    # the same clock as the visibility rules: SCHEDULED until the publish time, then PUBLISHED,
    # then DRAFT again once the embargo ends (unpublished, as unpublishArticle would).
    shown_status: Mapped[str] = column_property(
        case(
            (
                and_(status == ArticleStatus.PUBLISHED.value, published_at > db_now()),
                ArticleStatus.SCHEDULED.value,
            ),
            (
                and_(status == ArticleStatus.PUBLISHED.value, unpublish_at <= db_now()),
                ArticleStatus.DRAFT.value,
            ),
            else_=status,
        )
    )


class ArticleAuthor(Base):
    """One byline of an article, in the order it is shown."""

    __tablename__ = "article_authors"
    __table_args__ = (
        PrimaryKeyConstraint("article_id", "author_id"),
        UniqueConstraint("article_id", "position"),
        CheckConstraint("position >= 0", name="position_nonnegative"),
    )

    article_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("articles.id", ondelete="CASCADE"))
    # An author with bylines cannot be deleted out from under the articles.
    author_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("authors.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer)


class ArticleTag(Base):
    """A tag on an article, in the order the editor gave them."""

    __tablename__ = "article_tags"
    __table_args__ = (
        PrimaryKeyConstraint("article_id", "tag_id"),
        CheckConstraint("position >= 0", name="position_nonnegative"),
        # A tag's articles, newest first (related articles read a bounded number per tag).
        Index("ix_article_tags_tag_id_article_id", "tag_id", "article_id"),
    )

    article_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("articles.id", ondelete="CASCADE"))
    tag_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("tags.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)


class ArticleRevision(Base):
    """A saved version of an article's content: written with every change, never rewritten."""

    __tablename__ = "article_revisions"
    __table_args__ = (
        UniqueConstraint("article_id", "version"),
        CheckConstraint("version > 0", name="version_positive"),
    )

    id: Mapped[int] = pk()
    article_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("articles.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = created_at()
    created_by_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The content as it was: see services.articles.revisions for the fields.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    changed_fields: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'::text[]"))


class ArticleSlug(Base):
    """A slug an article was published under before; it keeps resolving to the article until
    another article in that language takes it."""

    __tablename__ = "article_slugs"
    __table_args__ = (
        PrimaryKeyConstraint("locale", "slug"),
        Index("ix_article_slugs_slug", "slug", text("created_at DESC")),
    )

    locale: Mapped[str] = mapped_column(Text)
    slug: Mapped[str] = mapped_column(Text)
    article_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = created_at()


class ScheduledChange(Base):
    """A change of visibility that happens by the clock alone (a scheduled publish, an embargo's
    end), so that one server process records it once when its instant has passed."""

    __tablename__ = "scheduled_changes"
    __table_args__ = (
        CheckConstraint(sql_in("kind", ("publish", "unpublish")), name="kind_valid"),
        UniqueConstraint("article_id", "kind", "due_at"),
        Index("ix_scheduled_changes_due", "due_at", postgresql_where=text("done_at IS NULL")),
    )

    id: Mapped[int] = pk()
    article_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column()
    done_at: Mapped[datetime | None] = mapped_column()
