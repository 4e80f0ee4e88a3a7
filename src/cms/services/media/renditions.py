"""Renditions, made on first request and kept in the storage beside the upload.

Two first requests for one rendition, in one process or in two, make it once: the maker holds
a PostgreSQL advisory lock named after the rendition while it renders and stores, and whoever
waited on the lock finds it stored. Stores are atomic, so a reader never sees half a file.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cms.services.images import render
from cms.services.media.links import Rendition
from cms.services.media.work import in_pool
from cms.storage import Storage


async def rendition_bytes(
    storage: Storage, sessionmaker: async_sessionmaker[AsyncSession], rendition: Rendition
) -> bytes | None:
    """The rendition's bytes, made now if it was never made; None when its upload is gone."""
    stored = await storage.get(rendition.key)
    if stored is not None:
        return stored
    async with sessionmaker() as session, session.begin():
        # Held until the transaction ends, released by the database if this process dies.
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(rendition.key, 0))))
        stored = await storage.get(rendition.key)
        if stored is not None:
            return stored  # made while this request waited
        source = await storage.get(rendition.source_key)
        if source is None:
            return None
        made = await in_pool(
            render, source, width=rendition.width, height=rendition.height, fmt=rendition.fmt, focal=rendition.focal
        )
        await storage.put(rendition.key, made, rendition.mime_type)
    return made
