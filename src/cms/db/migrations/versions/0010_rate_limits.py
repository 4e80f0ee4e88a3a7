"""rate limits: requests counted per caller and minute, for every server process to see

UNLOGGED: no write-ahead log for counters; after a crash the table is empty, which forgives at
most a minute.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 15:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE UNLOGGED TABLE rate_counts (
          key text NOT NULL,
          "window" timestamptz NOT NULL,
          count integer NOT NULL,
          CONSTRAINT pk_rate_counts PRIMARY KEY (key, "window")
        )
        """
    )


def downgrade() -> None:
    op.drop_table("rate_counts")
