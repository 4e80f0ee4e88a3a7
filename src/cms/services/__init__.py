"""The newsroom's rules: reads, batch loads and commands over a session.

Nothing here knows of GraphQL or HTTP. Functions `flush()`, never `commit()`: the caller
owns the transaction.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import DateTime, func, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.functions import Function

K = TypeVar("K")
V = TypeVar("V")


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


def grouped(rows: Iterable[tuple[K, V]], keys: Sequence[K]) -> list[list[V]]:
    """(key, value) rows as one list of values per key, in key order: a batch load's answer."""
    out: dict[K, list[V]] = {k: [] for k in keys}
    for key, value in rows:
        out[key].append(value)
    return [out[k] for k in keys]
