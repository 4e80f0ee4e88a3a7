"""The newsroom's rules: reads, batch loads and commands over a session.

Nothing here knows of GraphQL or HTTP. Functions `flush()`, never `commit()`: the caller
owns the transaction.
"""

import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cms.services.errors import InputError, Problem
from cms.vocabulary import ErrorCode

_SLUG_CONSTRAINT = re.compile(r'"uq_\w+_slug"')


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


# An input field the caller left out, as against one given as null (which clears it).
UNSET: Any = _Unset()
K = TypeVar("K")
V = TypeVar("V")


async def save(session: AsyncSession, row: object) -> None:
    """Flush, then read back what the database computed (clock values, version + 1).

    An expired attribute cannot be lazy-loaded under asyncio, so they are fetched here. Two
    writers may pick the same free slug at once: the unique constraint decides, and the loser
    gets ALREADY_EXISTS rather than a driver error. Raises InputError.
    """
    try:
        await session.flush()
    except IntegrityError as exc:
        if _SLUG_CONSTRAINT.search(str(exc.orig)):
            raise InputError(
                [Problem(("input", "slug"), "the slug is already taken", ErrorCode.ALREADY_EXISTS)]
            ) from None
        raise
    expired = inspect(row).expired_attributes
    if expired:
        await session.refresh(row, attribute_names=list(expired))


def grouped(rows: Iterable[tuple[K, V]], keys: Sequence[K]) -> list[list[V]]:
    """(key, value) rows as one list of values per key, in key order: a batch load's answer."""
    out: dict[K, list[V]] = {k: [] for k in keys}
    for key, value in rows:
        out[key].append(value)
    return [out[k] for k in keys]
