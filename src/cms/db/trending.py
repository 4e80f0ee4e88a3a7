from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cms.db.base import Base, created_at, pk, updated_at


class TrendingList(Base):
    """A curated list such as "Trending Now"."""

    __tablename__ = "trending_lists"

    id: Mapped[int] = pk()
    slug: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
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
