"""Requests counted per caller and minute, shared by every server process (services.rate_limits)."""

from datetime import datetime

from sqlalchemy import DateTime, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from cms.db.base import Base


class RateCount(Base):
    """How many requests of one kind one caller made in the minute starting at `window`. The
    table is UNLOGGED (migration 0010): counts are not worth a write-ahead log, and a crash that
    empties it only forgives a minute."""

    __tablename__ = "rate_counts"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    window: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
