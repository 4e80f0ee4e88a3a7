"""Files the database no longer names, found and removed (`cms media gc`).

Uploads are stored before their row is committed, and deleted after their row's deletion is
committed: a crash in between leaves a file that nothing names. A file younger than `grace` is
left alone, as it may belong to an upload whose row is about to be committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.db import Media
from cms.services.media.links import ORIGINALS, RENDITIONS, original_key
from cms.storage import Storage, StoredFile


@dataclass(frozen=True)
class Collected:
    kept: int
    removed: list[StoredFile]


async def collect(
    session: AsyncSession, storage: Storage, *, grace: timedelta = timedelta(hours=1), dry_run: bool = False
) -> Collected:
    """Remove (or, dry, only list) every stored file no media row names, older than `grace`:
    originals without a row, renditions of such originals, and anything else in the storage."""
    named = set((await session.scalars(select(Media.storage_key).where(Media.storage_key.is_not(None)))).all())
    cutoff = datetime.now(UTC) - grace
    kept, orphans = 0, []
    async for stored in storage.files():
        if _named(stored.key, named) or stored.modified > cutoff:
            kept += 1
        else:
            orphans.append(stored)
    if orphans and not dry_run:
        await storage.delete([f.key for f in orphans])
    return Collected(kept=kept, removed=orphans)


def _named(key: str, named: set[str | None]) -> bool:
    top, _, rest = key.partition("/")
    if top == ORIGINALS:
        return key in named
    if top == RENDITIONS:
        stem = rest.partition("/")[0]
        return original_key(stem) in named
    return False
