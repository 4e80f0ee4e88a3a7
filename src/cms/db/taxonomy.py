from datetime import datetime

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from cms.db.base import Base, created_at, pk


class Section(Base):
    """A part of the paper an article belongs to, e.g. World or Business."""

    __tablename__ = "sections"

    id: Mapped[int] = pk()
    slug: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()


class Tag(Base):
    """A free label, e.g. "City Hall"; created by an editor or the first time an article uses it."""

    __tablename__ = "tags"

    id: Mapped[int] = pk()
    slug: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
