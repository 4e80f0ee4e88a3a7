"""Keyset pagination: pages that neither skip nor repeat rows when rows are inserted meanwhile.

A cursor is opaque to clients: base64 of the ordering it belongs to and the sort key of the
last row seen. A cursor from another ordering is refused rather than silently misread. Every
list of the CMS pages through a `Keyset`, so cursors, seeks and page sizes behave alike.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from cms.services.errors import InputError, Problem

T = TypeVar("T")

DEFAULT_PAGE = 20
MAX_PAGE = 100


def page_size(first: int | None) -> int:
    """The page size asked for; raises InputError when it is out of range."""
    if first is None:
        return DEFAULT_PAGE
    if first < 0 or first > MAX_PAGE:
        raise InputError([Problem(("first",), f"first must be between 0 and {MAX_PAGE}")])
    return first


def encode_cursor(ordering: str, key: Sequence[Any]) -> str:
    raw = json.dumps([ordering, *key], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _not_a_cursor() -> InputError:
    return InputError([Problem(("after",), "after is not a cursor of this list")])


def decode_cursor(ordering: str, cursor: str, arity: int) -> list[Any]:
    """The sort key in a cursor; raises InputError when it is malformed or of another ordering."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError):
        value = None
    if not isinstance(value, list) or len(value) != arity + 1 or value[0] != ordering:
        raise _not_a_cursor()
    return value[1:]


@dataclass
class Page(Generic[T]):
    """One page of a list; `count` runs the total count only when a client asks for it."""

    items: list[T]
    cursors: list[str]
    has_next: bool
    count: Callable[[], Awaitable[int]]


@dataclass(frozen=True)
class Keyset(Generic[T]):
    """An ordering to page through: a sort key, ties broken by id, in one direction.

    `read` takes a row's sort key as JSON for its cursor; `parse` turns it back into a SQL
    value and raises ValueError (or TypeError) for anything it did not write.
    """

    name: str
    key: Any
    id: Any
    descending: bool
    read: Callable[[T], Any]
    parse: Callable[[Any], Any]

    def order_by(self) -> tuple[Any, Any]:
        return (self.key.desc(), self.id.desc()) if self.descending else (self.key, self.id)

    def seek(self, after: str | None) -> list[ColumnElement[bool]]:
        """The condition for rows after the cursor. Raises InputError (not a cursor of this list)."""
        if after is None:
            return []
        raw_key, raw_id = decode_cursor(self.name, after, 2)
        try:
            if not isinstance(raw_id, int) or isinstance(raw_id, bool):
                raise ValueError
            value = self.parse(raw_key)
        except (TypeError, ValueError):
            raise _not_a_cursor() from None
        seek = tuple_(self.key, self.id)
        return [seek < tuple_(value, raw_id) if self.descending else seek > tuple_(value, raw_id)]

    def cursor(self, row: T) -> str:
        return encode_cursor(self.name, [self.read(row), row.id])  # type: ignore[attr-defined]

    def page(self, rows: list[T], size: int, count: Callable[[], Awaitable[int]]) -> Page[T]:
        """A page from up to `size + 1` rows fetched in this order."""
        items = rows[:size]
        return Page(items, [self.cursor(r) for r in items], len(rows) > size, count)


async def paginate(
    session: AsyncSession,
    model: type[T],
    where: Sequence[ColumnElement[bool]],
    keyset: Keyset[T],
    *,
    first: int | None,
    after: str | None,
) -> Page[T]:
    """A page of `model` rows meeting `where`, in the keyset's order.

    Raises InputError (page size, cursor)."""
    size = page_size(first)
    stmt = select(model).where(*where, *keyset.seek(after)).order_by(*keyset.order_by()).limit(size + 1)
    rows = list((await session.scalars(stmt)).all())

    async def count() -> int:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    return keyset.page(rows, size, count)


def text_key(raw: Any) -> str:
    """Parses a cursor's text sort key."""
    if not isinstance(raw, str):
        raise ValueError
    return raw
