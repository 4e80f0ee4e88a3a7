"""Automatic persisted queries (the `persistedQuery` extension Apollo's clients send).

A client sends the sha256 of its document instead of the document; a server that does not know
the hash answers `PersistedQueryNotFound`, and the client sends both once, which registers the
document. Short GET URLs that a CDN can cache follow. Registered documents are kept in the
database (`persisted_queries`), so every server process knows what any of them was told, with
an LRU of them in each process in front.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cms.db import PersistedQuery
from cms.vocabulary import RequestErrorCode

# Apollo's clients look for this message (and this code) to send the document.
NOT_FOUND = "PersistedQueryNotFound"
CACHE_SIZE = 5000


class PersistedQueryError(Exception):
    """The persisted query extension asks for something the server cannot give: `code` says what."""

    def __init__(self, message: str, code: RequestErrorCode) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def requested_hash(extensions: Any) -> str | None:
    """The sha256 hash a request's `persistedQuery` extension names; None without the extension.
    Raises PersistedQueryError for one the server does not speak."""
    if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError("persistedQuery: only version 1 is supported", RequestErrorCode.BAD_REQUEST)
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest.lower()):
        raise PersistedQueryError("persistedQuery.sha256Hash must be a hex sha256", RequestErrorCode.BAD_REQUEST)
    return digest.lower()


class PersistedQueries:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker
        self._known: OrderedDict[str, str] = OrderedDict()

    async def resolve(self, query: str | None, digest: str) -> str:
        """The document the hash stands for: `query` itself when given (registered, after its hash
        is checked), else the one registered. Raises PersistedQueryError."""
        if query:
            if hashlib.sha256(query.encode()).hexdigest() != digest:
                raise PersistedQueryError("provided sha does not match query", RequestErrorCode.BAD_REQUEST)
            if digest not in self._known:
                await self._register(digest, query)
            self._remember(digest, query)
            return query
        known = self._known.get(digest)
        if known is None:
            async with self.sessionmaker() as session:
                known = await session.scalar(
                    select(PersistedQuery.query).where(PersistedQuery.hash == bytes.fromhex(digest))
                )
            if known is None:
                raise PersistedQueryError(NOT_FOUND, RequestErrorCode.PERSISTED_QUERY_NOT_FOUND)
        self._remember(digest, known)
        return known

    async def _register(self, digest: str, query: str) -> None:
        async with self.sessionmaker() as session:
            await session.execute(
                insert(PersistedQuery).values(hash=bytes.fromhex(digest), query=query).on_conflict_do_nothing()
            )
            await session.commit()

    def _remember(self, digest: str, query: str) -> None:
        self._known[digest] = query
        self._known.move_to_end(digest)
        while len(self._known) > CACHE_SIZE:
            self._known.popitem(last=False)
