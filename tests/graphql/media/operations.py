"""What the media operation tests share."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.db import Media


async def media_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Media)) or 0)
