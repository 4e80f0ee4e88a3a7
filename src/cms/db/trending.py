from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from cms.db.base import Base, created_at, pk, updated_at
from cms.vocabulary import TrendingWindow, sql_in


class TrendingList(Base):
    """A list such as "Trending Now": the editors' pins, then the most read articles of its
    window (in its section, when it has one)."""

    __tablename__ = "trending_lists"
    __table_args__ = (CheckConstraint(sql_in("read_window", list(TrendingWindow)), name="read_window_valid"),)

    id: Mapped[int] = pk()
    slug: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    # WINDOW is an SQL keyword: the column is read_window, the API's field `window`.
    read_window: Mapped[str] = mapped_column(Text, server_default=TrendingWindow.DAY.value)
    section_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("sections.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class TrendingPin(Base):
    """An article an editor pinned to a trending list, at a rank."""

    __tablename__ = "trending_pins"
    __table_args__ = (
        PrimaryKeyConstraint("list_id", "position"),
        UniqueConstraint("list_id", "article_id"),
        CheckConstraint("position >= 0", name="position_nonnegative"),
    )

    list_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("trending_lists.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)


class ArticleViews(Base):
    """Reads of an article counted per time bucket: a minute while recent, an hour once rolled
    up; added to with upserts, so that every server process's counts add up."""

    __tablename__ = "article_views"
    __table_args__ = (
        PrimaryKeyConstraint("article_id", "bucket"),
        Index("ix_article_views_bucket", "bucket"),
        CheckConstraint("count > 0", name="count_positive"),
    )

    article_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("articles.id", ondelete="CASCADE"))
    bucket: Mapped[datetime] = mapped_column()
    count: Mapped[int] = mapped_column(BigInteger)


class ViewDedupe(Base):
    """A reader seen reading an article lately, by a keyed hash of their client under the
    day's salt (never an address or user agent): their reloads are not counted again before
    `expires_at`."""

    __tablename__ = "view_dedupe"

    key: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ViewSalt(Base):
    """The random salt of one day's dedupe keys; deleted after the day, so that no key can be
    linked back to a client afterwards."""

    __tablename__ = "view_salts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[bytes] = mapped_column(LargeBinary)


class TrendingScore(Base):
    """An article's time-decayed read score over a window, as last computed; what computed
    trending entries are read from, so that reading a list costs the same however many reads
    were counted."""

    __tablename__ = "trending_scores"
    __table_args__ = (
        PrimaryKeyConstraint("read_window", "article_id"),
        Index("ix_trending_scores_read_window_score", "read_window", text("score DESC")),
        CheckConstraint(sql_in("read_window", list(TrendingWindow)), name="read_window_valid"),
    )

    read_window: Mapped[str] = mapped_column(Text)
    article_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("articles.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
