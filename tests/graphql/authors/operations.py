"""What the author operation tests share."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.db import Author


async def authors_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Author)) or 0)
