from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from cms.db.base import Base, created_at, pk, updated_at


class Author(Base):
    """A byline: the person or desk an article is credited to."""

    __tablename__ = "authors"

    id: Mapped[int] = pk()
    slug: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)
    bio: Mapped[str | None] = mapped_column(Text)
    avatar_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("media.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
