"""Automatic persisted queries: documents known by their hash to every server process."""

from datetime import datetime

from sqlalchemy import LargeBinary, Text
from sqlalchemy.orm import Mapped, mapped_column

from cms.db.base import Base, created_at


class PersistedQuery(Base):
    """A GraphQL document registered by its sha256 (automatic persisted queries), so that every
    server process can answer a request that names it by its hash alone."""

    __tablename__ = "persisted_queries"

    hash: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
