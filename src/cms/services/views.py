"""Counting reads of published articles, exactly across server processes, without keeping
anything that identifies a reader.

A read is first kept in this process's memory (`ViewRecorder.record`, no I/O) and added to the
database within `flush_seconds` by one statement per batch: the reads of articles anonymous
readers can see are deduplicated against `view_dedupe` and added to `article_views` with an
upsert, so that two processes add up instead of overwriting each other. A clean shutdown flushes
what is left.

Dedupe: a reader is a keyed hash (HMAC-SHA256 under the day's random salt, `view_salts`) of the
article, the client address and the user agent; the salt of a day is deleted after it, so no key
can be traced back to a client. Reloads within `dedupe_minutes` count once. Known bots and
clients without a user agent are not counted.

`maintain` (one process at a time) rolls minute buckets older than two hours up into hour
buckets and deletes what is older than the retention period, expired dedupe keys and old salts.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, LargeBinary, bindparam, cast, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cms.auth import ANONYMOUS
from cms.db import Article, ArticleViews, ViewDedupe, ViewSalt
from cms.db.faults import describe
from cms.services.articles.visibility import visible_to

log = logging.getLogger("cms.views")

# Crawlers, link previews, monitors and HTTP libraries: none of them is a reader.
_BOTS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|quora link preview|"
    r"bingpreview|pinterest|whatsapp|skypeuripreview|headlesschrome|phantomjs|lighthouse|pingdom|"
    r"uptimerobot|statuscake|python-requests|python-httpx|python-urllib|aiohttp|curl/|wget/|"
    r"go-http-client|java/|libwww|httpclient|node-fetch|axios/|postmanruntime",
    re.IGNORECASE,
)
# One batch is one statement; a process holds at most this many reads before it drops some.
MAX_BATCH = 20_000
MAX_PENDING = 200_000
# Advisory lock keys (pg_try_advisory_xact_lock): one process maintains at a time.
MAINTENANCE_LOCK = 7_001


def is_bot(user_agent: str | None) -> bool:
    return not user_agent or bool(_BOTS.search(user_agent))


@dataclass(frozen=True)
class Read:
    article_id: int
    client: str  # the address, as uvicorn gives it after trusted proxies
    user_agent: str


class ViewRecorder:
    """This process's reads not yet added to the database."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], *, dedupe_minutes: int) -> None:
        self.sessionmaker, self.dedupe_seconds = sessionmaker, dedupe_minutes * 60
        self.pending: list[Read] = []
        self.dropped = 0
        self._salt: tuple[date, bytes] | None = None
        self._lock = asyncio.Lock()

    def record(self, article_id: int, client: str | None, user_agent: str | None) -> None:
        """Count one read, unless a bot's; whether the article may be read is decided at flush,
        so that a caller learns nothing of articles it cannot see."""
        if is_bot(user_agent) or article_id <= 0:
            return
        if len(self.pending) >= MAX_PENDING:  # the database is away: shed load, keep the process
            self.dropped += 1
            return
        self.pending.append(Read(article_id, client or "", user_agent or ""))

    async def flush(self) -> int:
        """Add the pending reads to the database; returns how many counted (after dedupe).
        A failed batch is put back, to be tried again with the next."""
        counted = 0
        async with self._lock:  # one flush at a time in a process: the loop, shutdown, a test
            while self.pending:
                batch, self.pending = self.pending[:MAX_BATCH], self.pending[MAX_BATCH:]
                try:
                    counted += await self._add(batch)
                except Exception:
                    self.pending = batch + self.pending
                    raise
        return counted

    async def run(self, interval: float, stop: asyncio.Event) -> None:
        """Flush every `interval` seconds until `stop` is set, then once more."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
            try:
                await self.flush()
            except Exception as exc:  # the database is away: keep the reads, try again
                log.warning("reads not flushed, kept for the next try: %s", describe(exc))
        if self.dropped:
            log.warning("%d reads were dropped while the database was away", self.dropped)

    async def _add(self, batch: list[Read]) -> int:
        async with self.sessionmaker() as session, session.begin():
            salt = await self._salt_of_today(session)
            keys = [_key(salt, r) for r in batch]
            return await add_reads(session, [r.article_id for r in batch], keys, self.dedupe_seconds)

    async def _salt_of_today(self, session: AsyncSession) -> bytes:
        today: date = (await session.execute(select(cast(func.timezone("UTC", func.now()), Date)))).scalar_one()
        if self._salt is None or self._salt[0] != today:
            await session.execute(
                insert(ViewSalt).values(day=today, salt=secrets.token_bytes(32)).on_conflict_do_nothing()
            )
            salt = (await session.scalars(select(ViewSalt.salt).where(ViewSalt.day == today))).one()
            self._salt = (today, salt)
        return self._salt[1]


def _key(salt: bytes, read: Read) -> bytes:
    message = f"{read.article_id}\x00{read.client}\x00{read.user_agent}".encode("utf-8", "replace")
    return hmac.new(salt, message, hashlib.sha256).digest()[:16]


async def add_reads(session: AsyncSession, article_ids: list[int], keys: list[bytes], dedupe_seconds: int) -> int:
    """One statement: the reads of articles anonymous readers may see whose key is not fresh in
    `view_dedupe` are counted in the current minute's bucket. Returns how many counted."""
    incoming = (
        select(
            func.unnest(bindparam("ids", type_=ARRAY(BigInteger))).label("article_id"),
            func.unnest(bindparam("keys", type_=ARRAY(LargeBinary))).label("key"),
        )
    ).subquery("incoming")
    readable = (
        select(incoming.c.article_id, incoming.c.key)
        .ext(distinct_on(incoming.c.key))
        .join(Article, Article.id == incoming.c.article_id)
        .where(visible_to(ANONYMOUS))
        .order_by(incoming.c.key)
    ).cte("readable")
    now = func.statement_timestamp()
    dedupe = insert(ViewDedupe).from_select(
        ["key", "expires_at"],
        select(readable.c.key, now + func.make_interval(0, 0, 0, 0, 0, 0, bindparam("window"))),
    )
    fresh = (
        dedupe.on_conflict_do_update(
            index_elements=[ViewDedupe.key],
            set_={"expires_at": dedupe.excluded.expires_at},
            where=ViewDedupe.expires_at < now,
        )
        .returning(ViewDedupe.key)
        .cte("fresh")
    )
    counted = (
        select(readable.c.article_id, func.date_trunc("minute", now).label("bucket"), func.count().label("count"))
        .join(fresh, fresh.c.key == readable.c.key)
        .group_by(readable.c.article_id)
        .order_by(readable.c.article_id)
    ).cte("counted")
    upsert = insert(ArticleViews).from_select(["article_id", "bucket", "count"], select(counted))
    upsert = upsert.on_conflict_do_update(
        index_elements=[ArticleViews.article_id, ArticleViews.bucket],
        set_={"count": ArticleViews.count + upsert.excluded.count},
    )
    # A data-modifying WITH runs to completion whether or not the query reads it.
    total = select(func.coalesce(func.sum(counted.c.count), 0)).add_cte(upsert.cte("added"))
    added: int = (
        await session.execute(total, {"ids": article_ids, "keys": keys, "window": dedupe_seconds})
    ).scalar_one()
    return added


async def add_counts(session: AsyncSession, counts: Sequence[tuple[int, datetime, int]]) -> None:
    """Add reads counted elsewhere (an import, the demo): (article id, bucket, count), the bucket
    a whole minute or hour."""
    if not counts:
        return
    stmt = insert(ArticleViews).values(
        [{"article_id": a, "bucket": bucket, "count": n} for a, bucket, n in sorted(counts) if n > 0]
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[ArticleViews.article_id, ArticleViews.bucket],
            set_={"count": ArticleViews.count + stmt.excluded.count},
        )
    )


ROLL_UP_AFTER = "2 hours"


async def maintain(session: AsyncSession, *, retention_days: int) -> bool:
    """Roll minute buckets older than two hours up into hour buckets, delete buckets older than
    the retention period, expired dedupe keys and the salts of days gone by. Skipped (False)
    while another process does it."""
    if not await session.scalar(select(func.pg_try_advisory_xact_lock(MAINTENANCE_LOCK))):
        return False
    await session.execute(
        text(
            f"""
            WITH moved AS (
              DELETE FROM article_views
               WHERE bucket < date_trunc('hour', statement_timestamp() - interval '{ROLL_UP_AFTER}')
                 AND bucket <> date_trunc('hour', bucket)
              RETURNING article_id, bucket, count
            )
            INSERT INTO article_views (article_id, bucket, count)
            SELECT article_id, date_trunc('hour', bucket), sum(count) FROM moved GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (article_id, bucket) DO UPDATE SET count = article_views.count + EXCLUDED.count
            """  # noqa: S608 - a constant, not input
        )
    )
    await session.execute(
        text("DELETE FROM article_views WHERE bucket < statement_timestamp() - make_interval(days => :days)"),
        {"days": retention_days},
    )
    await session.execute(text("DELETE FROM view_dedupe WHERE expires_at < statement_timestamp()"))
    # Only today's salt is ever used: the others go, and with them any way back to a client.
    await session.execute(text("DELETE FROM view_salts WHERE day < (now() AT TIME ZONE 'UTC')::date"))
    return True
