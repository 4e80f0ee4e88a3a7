from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, LargeBinary, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from cms.db.base import Base, created_at, pk, updated_at
from cms.vocabulary import Role, TokenKind, sql_in

_ROLE_CHECK = sql_in("role", Role)


class User(Base):
    """A person who signs in: an editor, an author, an administrator."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_ROLE_CHECK, name="role_valid"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = pk()
    email: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)
    # The byline an AUTHOR writes as: the articles they may edit.
    author_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("authors.id", ondelete="SET NULL"), index=True)
    # A disabled user cannot sign in, and their tokens stop working at once.
    disabled_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class ApiToken(Base):
    """A bearer credential: an API token, or the session a login hands out.

    Only a SHA-256 digest of the secret is kept; the secret is shown once.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint(_ROLE_CHECK, name="role_valid"),
        CheckConstraint(sql_in("kind", sorted(TokenKind)), name="kind_valid"),
    )

    id: Mapped[int] = pk()
    kind: Mapped[str] = mapped_column(Text, server_default="api")
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    secret_hash: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    # Login sessions act as their user; API tokens made by an admin act as the role alone.
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = created_at()
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class LoginThrottle(Base):
    """Failed sign-ins counted per key ("account:<email>" or "address:<ip>"), shared by every
    server process: too many within a window slow further attempts, then lock the key."""

    __tablename__ = "login_throttle"
    __table_args__ = (
        CheckConstraint("failures >= 0", name="failures_nonnegative"),
        # Finds the stale rows to prune.
        Index("ix_login_throttle_window_started_at", "window_started_at"),
    )

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, server_default="0")
    window_started_at: Mapped[datetime] = mapped_column(server_default=func.now())
    locked_until: Mapped[datetime | None] = mapped_column()
