"""media uploads: stored files, their checksum, blurhash and focal point

Media registered by URL keep their URL; an upload has a storage key instead, never both.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column("media", "url", existing_type=sa.Text(), nullable=True)
    op.add_column("media", sa.Column("storage_key", sa.Text(), nullable=True))
    op.add_column("media", sa.Column("sha256", sa.LargeBinary(), nullable=True))
    op.add_column("media", sa.Column("blurhash", sa.Text(), nullable=True))
    op.add_column("media", sa.Column("focal_x", sa.Float(), nullable=True))
    op.add_column("media", sa.Column("focal_y", sa.Float(), nullable=True))
    op.create_unique_constraint(op.f("uq_media_storage_key"), "media", ["storage_key"])
    op.create_unique_constraint(op.f("uq_media_sha256"), "media", ["sha256"])
    op.create_check_constraint(op.f("ck_media_stored_or_linked"), "media", "(url IS NULL) <> (storage_key IS NULL)")
    op.create_check_constraint(
        op.f("ck_media_focal_point_in_image"),
        "media",
        "(focal_x IS NULL AND focal_y IS NULL) OR (focal_x BETWEEN 0 AND 1 AND focal_y BETWEEN 0 AND 1)",
    )


def downgrade() -> None:
    op.execute("DELETE FROM media WHERE url IS NULL")
    op.drop_constraint(op.f("ck_media_focal_point_in_image"), "media", type_="check")
    op.drop_constraint(op.f("ck_media_stored_or_linked"), "media", type_="check")
    op.drop_constraint(op.f("uq_media_sha256"), "media", type_="unique")
    op.drop_constraint(op.f("uq_media_storage_key"), "media", type_="unique")
    for column in ("focal_y", "focal_x", "blurhash", "sha256", "storage_key"):
        op.drop_column("media", column)
    op.alter_column("media", "url", existing_type=sa.Text(), nullable=False)
