"""Server secrets: keys every server process shares, for signing what the server hands out.

The master key is the operator's CMS_SECRET_KEY when set; otherwise one made on first use and
kept in the database (`server_secrets`), so that every replica signs and checks with the same
key without configuration. Each use (preview links, ...) signs with a key of its own, derived
from the master key and the use's name, so that one use's tokens are never valid for another.

A stored key is made in a transaction of its own and committed before it is used: it must not
depend on the fate of the operation that first needed it, or a rolled-back operation would
leave this process signing with a key no other process knows.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from weakref import WeakKeyDictionary

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cms.config import Settings
from cms.db import ServerSecret

# The row that stands in for CMS_SECRET_KEY when the operator sets none.
MASTER = "master_key"

# A stored key never changes once made, so each process reads it once. Kept per sessionmaker,
# that is per database a process talks to: a server has one; tests make one per test, each on a
# transaction of its own that is rolled back with the key in it.
_stored: WeakKeyDictionary[async_sessionmaker[AsyncSession], bytes] = WeakKeyDictionary()


async def master_key(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> bytes:
    """CMS_SECRET_KEY, or the key kept in the database, made there on first use.

    Two processes making it at once agree: the first insert wins and both read the winner."""
    if settings.secret_key is not None:
        return settings.secret_key.encode()
    key = _stored.get(sessionmaker)
    if key is None:
        async with sessionmaker() as session:
            await session.execute(
                insert(ServerSecret)
                .values(name=MASTER, value=secrets.token_bytes(32))
                .on_conflict_do_nothing(index_elements=[ServerSecret.name])
            )
            key = (await session.scalars(select(ServerSecret.value).where(ServerSecret.name == MASTER))).one()
            await session.commit()
        _stored[sessionmaker] = key
    return key


async def key_for(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], use: str) -> bytes:
    """The signing key of one use, e.g. "preview-links": HMAC-SHA256 of its name under the master key."""
    master = await master_key(settings, sessionmaker)
    return hmac.new(master, f"cms:{use}".encode(), hashlib.sha256).digest()
