"""audit events keep their actor's name

An event named its actor only by reference, which a deleted user or token clears; the name the
actor had when they acted now stays with the event. Events already written take their actor's
name as it stands.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("actor_name", sa.Text(), nullable=True))
    op.execute(
        """
        UPDATE audit_events e
           SET actor_name = coalesce(
                 (SELECT u.name FROM users u WHERE u.id = e.actor_id),
                 (SELECT t.name FROM api_tokens t WHERE t.id = e.actor_token_id))
        """
    )


def downgrade() -> None:
    op.drop_column("audit_events", "actor_name")
