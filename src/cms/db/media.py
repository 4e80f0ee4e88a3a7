from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Float, ForeignKey, Integer, LargeBinary, Text
from sqlalchemy.orm import Mapped, mapped_column

from cms.db.base import Base, created_at, pk, updated_at


class Media(Base):
    """An image: uploaded and kept in the CMS's storage (`storage_key`), or registered by the
    URL of a file hosted elsewhere (`url`); exactly one of the two."""

    __tablename__ = "media"
    __table_args__ = (
        CheckConstraint("width IS NULL OR width > 0", name="width_positive"),
        CheckConstraint("height IS NULL OR height > 0", name="height_positive"),
        CheckConstraint("(url IS NULL) <> (storage_key IS NULL)", name="stored_or_linked"),
        CheckConstraint(
            "(focal_x IS NULL AND focal_y IS NULL) OR (focal_x BETWEEN 0 AND 1 AND focal_y BETWEEN 0 AND 1)",
            name="focal_point_in_image",
        ),
    )

    id: Mapped[int] = pk()
    # Where a file hosted elsewhere lives; None for an upload, whose URL follows from its key.
    url: Mapped[str | None] = mapped_column(Text)
    # An upload's file in the storage, e.g. originals/3f2a....jpg; its renditions live under
    # renditions/<the key's name without extension>/.
    storage_key: Mapped[str | None] = mapped_column(Text, unique=True)
    # Of the bytes uploaded: the same file uploaded again is found, not stored twice.
    sha256: Mapped[bytes | None] = mapped_column(LargeBinary, unique=True)
    mime_type: Mapped[str] = mapped_column(Text)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    alt: Mapped[str | None] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)
    credit: Mapped[str | None] = mapped_column(Text)
    blurhash: Mapped[str | None] = mapped_column(Text)
    # The point crops keep in view, 0..1 from the left and from the top; None: the centre.
    focal_x: Mapped[float | None] = mapped_column(Float)
    focal_y: Mapped[float | None] = mapped_column(Float)
    # Who registered it: an AUTHOR may change only the media they registered. Users link to
    # authors, whose avatars are media: use_alter lets tables be created around that cycle.
    created_by_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL", use_alter=True), index=True
    )
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
