"""Search latency: the CMS's `search` through `cms serve`, beside the best hand-written SQL.

    .venv/bin/python bench/search.py [--articles 20000] [--requests 200]

Makes a scratch database on CMS_BENCH_SERVER (default postgresql://postgres@127.0.0.1:5432/postgres),
migrates it and fills it with generated articles (`fill`: bulk SQL, words drawn from a few thousand
made-up ones with a Zipf law, so that queries are selective as in a real archive), serves it with
`cms serve` as an operator runs it, and prints the latency of one search at a time, anonymous:

- one word, a phrase (two words in a row from a title) and a misspelled title word (which finds
  no text and falls back to trigram similarity on titles), each a first page of 20 with
  totalCount, rank and headline;
- beside them, the best hand-written SQL for the one-word search run directly with asyncpg (one
  statement: the page, headlines and the total), and the EXPLAIN of both the CMS's statement and
  that one, showing the GIN index at work;
- related articles for a page of 20 articles (one batched statement).

`fill(url, n)` and `scratch_database(...)` are for other benchmarks to import. It asserts nothing:
the figures are the output.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
SEARCH = """
query Search($q: String!) {
  search(query: $q, first: 20) { totalCount edges { rank headline node { title slug publishedAt } } }
}
"""
RELATED = "query Related { articles(first: 20) { edges { node { slug related { slug } } } } }"

# The best one statement for a one-word search of English articles: the page with its headlines
# and the total, ranked as the CMS ranks (relevance times freshness at the current hour).
BASELINE_SQL = """
WITH found AS (
  SELECT a.id, ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', a.search_vector, q.q, 32)
         / (1 + greatest(extract(epoch FROM date_trunc('hour', now(), 'UTC') - a.published_at) / 86400, 0) / 90) AS rank,
         count(*) OVER () AS total
  FROM articles a, websearch_to_tsquery('english', $1) AS q(q)
  WHERE a.search_vector @@ q.q AND a.status = 'PUBLISHED' AND a.published_at <= now()
    AND (a.unpublish_at IS NULL OR a.unpublish_at > now())
  ORDER BY rank DESC, a.id DESC LIMIT 20
)
SELECT f.total, f.rank, a.title, a.slug, a.published_at,
       ts_headline('english', concat_ws(E'\\n', a.standfirst, body_text(a.body)), websearch_to_tsquery('english', $1),
                   'MaxFragments=2, MinWords=12, MaxWords=30') AS headline
FROM found f JOIN articles a ON a.id = f.id ORDER BY f.rank DESC, f.id DESC
"""


@dataclass(frozen=True)
class Filled:
    """What `fill` made, and words to ask for: mid-frequency words, phrases from titles,
    misspellings of title words that match no text."""

    articles: int
    words: list[str]
    phrases: list[str]
    misspellings: list[str]


@contextlib.asynccontextmanager
async def scratch_database(server: str | None = None, prefix: str = "cms_bench_search") -> AsyncIterator[str]:
    """A new, empty database on the bench server (CMS_BENCH_SERVER), dropped afterwards."""
    server = server or os.environ.get("CMS_BENCH_SERVER", DEFAULT_SERVER)
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """`size` distinct made-up words of two to four syllables, most common first."""
    onsets = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "pl", "r", "s", "st", "t"]
    onsets += ["tr", "v", "w", "z", "sh", "th"]
    vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
    codas = ["", "", "n", "r", "s", "l", "t", "m", "nd", "st"]
    words: dict[str, None] = {}
    while len(words) < size:
        syllables = rng.choice((2, 2, 3, 3, 4))
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables)) + rng.choice(codas)
        words[word] = None
    return list(words)


class Writer:
    """Sentences from a vocabulary under a Zipf law (the 100th word a hundredth as common as the first)."""

    def __init__(self, rng: random.Random, words: list[str]) -> None:
        self.rng = rng
        self.words = words
        self.weights = [1 / (rank + 1) for rank in range(len(words))]

    def words_(self, n: int) -> list[str]:
        return self.rng.choices(self.words, self.weights, k=n)

    def sentence(self, low: int, high: int) -> str:
        words = self.words_(self.rng.randint(low, high))
        return " ".join(words).capitalize()

    def paragraph(self) -> str:
        sentences = [self.sentence(6, 14) for _ in range(self.rng.randint(2, 5))]
        html = ". ".join(sentences) + "."
        emphasised = self.rng.choice(html.split())
        return html.replace(f" {emphasised} ", f" <em>{emphasised}</em> ", 1)


async def fill(url: str, n: int, *, seed: int = 7) -> Filled:
    """Migrate the database at `url` and add `n` published articles (over the past 180 days),
    with 40 authors, 8 sections and 120 tags, in bulk; about 10% French and 5% German."""
    from cms.db.engine import make_engine
    from cms.db.migrate import upgrade

    engine = make_engine(url)
    await upgrade(engine)
    await engine.dispose()
    rng = random.Random(seed)  # noqa: S311 - generated text, not secrets
    words = vocabulary(rng, 4000)
    writer = Writer(rng, words)
    now = datetime.now(UTC)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("ALTER TABLE articles DISABLE TRIGGER USER")
        await conn.execute("ALTER TABLE article_authors DISABLE TRIGGER USER")
        await conn.execute("ALTER TABLE article_tags DISABLE TRIGGER USER")
        authors = await conn.fetch(
            "INSERT INTO authors (slug, name) SELECT 'author-' || i, n FROM unnest($1::text[]) WITH ORDINALITY AS t(n, i) RETURNING id",
            [f"{w.capitalize()} {v.capitalize()}" for w, v in zip(words[900:940], words[1900:1940], strict=True)],
        )
        sections = await conn.fetch(
            "INSERT INTO sections (slug, name) SELECT 'section-' || i, n FROM unnest($1::text[]) WITH ORDINALITY AS t(n, i) RETURNING id",
            [w.capitalize() for w in words[200:208]],
        )
        tags = await conn.fetch(
            "INSERT INTO tags (slug, name) SELECT 'tag-' || i, n FROM unnest($1::text[]) WITH ORDINALITY AS t(n, i) RETURNING id",
            [w.capitalize() for w in words[300:420]],
        )
        titles: list[str] = []
        for start in range(0, n, 2000):
            rows = []
            for i in range(start, min(n, start + 2000)):
                title = writer.sentence(5, 10)
                titles.append(title)
                body = [{"type": "paragraph", "html": writer.paragraph()} for _ in range(rng.randint(3, 8))]
                published = now - timedelta(seconds=rng.uniform(0, 180 * 86400))
                locale = rng.choices(("en", "fr", "de"), (85, 10, 5))[0]
                rows.append(
                    (f"story-{i}", title, writer.sentence(12, 24) + ".", json.dumps(body), published, locale, i % 8)
                )
            await conn.execute(
                """
                INSERT INTO articles (slug, title, standfirst, body, published_at, locale, section_id, status, word_count)
                SELECT s, t, f, b::jsonb, p, l, ($8::bigint[])[x + 1], 'PUBLISHED', 300
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::int[])
                     AS r(s, t, f, b, p, l, x)
                """,
                *map(list, zip(*rows, strict=True)),
                [s["id"] for s in sections],
            )
        ids = [r["id"] for r in await conn.fetch("SELECT id FROM articles ORDER BY id")]
        bylines = [(a, authors[rng.randrange(40)]["id"]) for a in ids]
        bylines += [(a, authors[(k + 7) % 40]["id"]) for k, a in enumerate(ids) if rng.random() < 0.3]
        await conn.copy_records_to_table(
            "article_authors",
            records=[(a, u, k) for k, (a, u) in enumerate(dict.fromkeys(bylines))],
            columns=["article_id", "author_id", "position"],
        )
        tag_ids = [t["id"] for t in tags]
        tag_weights = [1 / (r + 1) for r in range(len(tag_ids))]
        links = {(a, t) for a in ids for t in rng.choices(tag_ids, tag_weights, k=rng.randint(2, 4))}
        await conn.copy_records_to_table(
            "article_tags",
            records=[(a, t, k) for k, (a, t) in enumerate(sorted(links))],
            columns=["article_id", "tag_id", "position"],
        )
        # The triggers' work for the whole table in one statement, with the same function.
        await conn.execute(
            "UPDATE articles SET search_vector = article_search_vector(id, locale, title, standfirst, body)"
        )
        for table in ("articles", "article_authors", "article_tags"):
            await conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            await conn.execute(f"VACUUM ANALYZE {table}")
        misspellings = []
        for title in titles[:400]:
            word = max(title.split(), key=len).lower()
            wrong = word[:2] + word[3] + word[2] + word[4:] if len(word) > 5 else word + word[-1]
            found = await conn.fetchval("SELECT count(*) FROM articles WHERE search_vector @@ search_query($1)", wrong)
            if not found:
                misspellings.append(wrong)
    finally:
        await conn.close()
    phrases = []
    for title in titles[:200]:
        parts = title.lower().split()
        k = rng.randrange(len(parts) - 1)
        phrases.append(f'"{parts[k]} {parts[k + 1]}"')
    return Filled(n, words[1000:1100], phrases, misspellings[:100])


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"p50 {p50 * 1000:7.2f} ms   p99 {p99 * 1000:7.2f} ms   (n={len(ordered)})"


async def timed(queries: list[str], requests: int, ask: Any) -> tuple[list[float], list[Any]]:
    """Seconds of each of `requests` calls of `ask`, one at a time, cycling through `queries`."""
    for q in queries[:5]:
        await ask(q)  # warm up caches and the pool
    latencies, answers = [], []
    for i in range(requests):
        started = time.perf_counter()
        answers.append(await ask(queries[i % len(queries)]))
        latencies.append(time.perf_counter() - started)
    return latencies, answers


async def cms_plan(url: str, query: str) -> str:
    """EXPLAIN ANALYZE of the statement the CMS's search service sends for `query`."""
    from sqlalchemy import event

    from cms.auth import ANONYMOUS
    from cms.db.engine import make_engine, make_sessionmaker
    from cms.services import search

    engine = make_engine(url)
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        sent.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async with make_sessionmaker(engine)() as session:
            await search.search(session, ANONYMOUS, query, first=20, after=None)
            statement, parameters = sent[-1]
            result = await session.connection()
            rows = await result.exec_driver_sql(f"EXPLAIN (ANALYZE, COSTS OFF) {statement}", parameters)
            return "\n".join(r[0] for r in rows)
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--port", type=int, default=8768)
    args = parser.parse_args()
    async with scratch_database() as url:
        started = time.perf_counter()
        filled = await fill(url, args.articles)
        print(f"filled {filled.articles} articles in {time.perf_counter() - started:.1f} s")
        # What the search costs, not what the response cache saves: every request reaches the database.
        env = {**os.environ, "CMS_DATABASE_URL": url, "CMS_LOG_LEVEL": "WARNING", "CMS_RESPONSE_CACHE": "off"}
        child = subprocess.Popen([sys.executable, "-m", "cms", "serve", "--port", str(args.port)], env=env)
        try:
            base = f"http://127.0.0.1:{args.port}"
            for _ in range(200):
                with contextlib.suppress(httpx.HTTPError):
                    httpx.get(f"{base}/readyz").raise_for_status()
                    break
                await asyncio.sleep(0.1)
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:

                async def ask(q: str) -> dict[str, Any]:
                    response = await client.post("/graphql", json={"query": SEARCH, "variables": {"q": q}})
                    response.raise_for_status()
                    body: dict[str, Any] = response.json()
                    assert "errors" not in body, body
                    return body["data"]["search"]

                print(f"search, first page of 20 with totalCount, one at a time ({args.requests} requests each)")
                for name, queries in (
                    ("one word", filled.words),
                    ("phrase", filled.phrases),
                    ("misspelled", filled.misspellings),
                ):
                    latencies, answers = await timed(queries, args.requests, ask)
                    hits = statistics.median(a["totalCount"] for a in answers)
                    print(f"  cms {name:<12} {percentiles(latencies)}   median totalCount {hits:.0f}")

                pool = await asyncpg.create_pool(url, min_size=1, max_size=1)
                async with pool.acquire() as conn:

                    async def baseline(q: str) -> list[Any]:
                        return await conn.fetch(BASELINE_SQL, q)

                    latencies, _ = await timed(filled.words, args.requests, baseline)
                    print(f"  sql one word     {percentiles(latencies)}   (asyncpg, one statement, English only)")
                    plan = await conn.fetch(f"EXPLAIN (ANALYZE, COSTS OFF) {BASELINE_SQL}", filled.words[0])
                await pool.close()

                async def related(_: str) -> dict[str, Any]:
                    response = await client.post("/graphql", json={"query": RELATED})
                    body: dict[str, Any] = response.json()
                    assert "errors" not in body, body
                    return body

                latencies, _ = await timed(["-"], max(20, args.requests // 4), related)
                print(f"  related x 20     {percentiles(latencies)}   (articles(first: 20) {{ related {{ slug }} }})")
        finally:
            child.terminate()
            child.wait()
        print(f"\nEXPLAIN of the CMS's search statement for {filled.words[0]!r}:")
        print(await cms_plan(url, filled.words[0]))
        print(f"\nEXPLAIN of the hand-written statement for {filled.words[0]!r}:")
        print("\n".join(r[0] for r in plan))


if __name__ == "__main__":
    asyncio.run(main())
