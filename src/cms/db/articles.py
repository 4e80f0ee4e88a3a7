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
from sqlalchemy.dialects.postgresql import JSONB
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
        # The public list: newest first, keyset-paginated on the same sort key the service uses
        # (drafts, with no publish time, sort as the oldest).
        Index("ix_articles_published", text("coalesce(published_at, '-infinity'::timestamptz) DESC"), text("id DESC")),
        Index("ix_articles_updated", text("updated_at DESC"), text("id DESC")),
    )

    id: Mapped[int] = pk()
    slug: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(Text)
    standfirst: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, server_default="DRAFT")
    published_at: Mapped[datetime | None] = mapped_column()
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
    # The status clients see, computed by the database in the statement that reads the row, with
    # the same clock as the visibility rules: SCHEDULED until the publish time, then PUBLISHED.
    shown_status: Mapped[str] = column_property(
        case(
            (
                and_(status == ArticleStatus.PUBLISHED.value, published_at > db_now()),
                ArticleStatus.SCHEDULED.value,
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
    )

    article_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("articles.id", ondelete="CASCADE"))
    tag_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("tags.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
