"""The newsroom's rules: reads, batch loads and commands over a session.

Nothing here knows of GraphQL or HTTP. Functions `flush()`, never `commit()`: the caller
owns the transaction.
"""

from datetime import datetime

from sqlalchemy import DateTime, func, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.functions import Function


def db_now() -> Function[datetime]:
    """The database clock at the statement, not at the transaction's start.

    Visibility and expiry are decided by this one clock, shared by every replica; a scheduled
    article goes live at its instant even inside a long transaction.
    """
    return func.statement_timestamp(type_=DateTime(timezone=True))


async def save(session: AsyncSession, row: object) -> None:
    """Flush, then read back what the database computed (clock values, version + 1).

    An expired attribute cannot be lazy-loaded under asyncio, so they are fetched here.
    """
    await session.flush()
    expired = inspect(row).expired_attributes
    if expired:
        await session.refresh(row, attribute_names=list(expired))
