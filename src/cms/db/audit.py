from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from cms.db.base import Base, created_at, pk


class AuditEvent(Base):
    """One change of state: who did what to what, when, and which fields it touched. Written in
    the transaction of the change; never holds a password, a token or a secret."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_at", text("at DESC"), text("id DESC")),
        Index("ix_audit_events_action", "action", text("at DESC")),
        Index("ix_audit_events_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = pk()
    at: Mapped[datetime] = mapped_column(server_default=text("statement_timestamp()"))
    actor_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The token the actor used; for tokens that act as a role alone, the only actor there is.
    actor_token_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("api_tokens.id", ondelete="SET NULL"), index=True
    )
    # The actor's name when they acted (the user's, else the token's): kept when either is deleted.
    actor_name: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    # What was acted on, as the GraphQL type name and database id (its global ID is derived).
    subject_type: Mapped[str | None] = mapped_column(Text)
    subject_id: Mapped[int | None] = mapped_column(BigInteger)
    changed_fields: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'::text[]"))
    # Non-secret particulars, e.g. the publish time of a schedule or the address of a sign-in.
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))


class ServerSecret(Base):
    """A secret every server process shares, made once on first use (e.g. the key that signs
    preview links), unless the operator sets one (CMS_SECRET_KEY)."""

    __tablename__ = "server_secrets"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = created_at()
