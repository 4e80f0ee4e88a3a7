"""Keyset pagination: pages that neither skip nor repeat rows when rows are inserted meanwhile.

A cursor is opaque to clients: base64 of the ordering it belongs to and the sort key of the
last row seen. A cursor from another ordering is refused rather than silently misread.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

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


def decode_cursor(ordering: str, cursor: str, arity: int) -> list[Any]:
    """The sort key in a cursor; raises InputError when it is malformed or of another ordering."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError):
        value = None
    if not isinstance(value, list) or len(value) != arity + 1 or value[0] != ordering:
        raise InputError([Problem(("after",), "after is not a cursor of this list")])
    return value[1:]


@dataclass
class Page(Generic[T]):
    """One page of a list; `count` runs the total count only when a client asks for it."""

    items: list[T]
    cursors: list[str]
    has_next: bool
    count: Callable[[], Awaitable[int]]
