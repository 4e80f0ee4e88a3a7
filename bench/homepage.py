"""Homepage read throughput: the CMS's GraphQL endpoint against a hand-written asyncpg baseline.

    .venv/bin/python bench/homepage.py [--seconds 10] [--concurrency 32] [--articles 200]

Makes a scratch database on CMS_BENCH_SERVER (default postgresql://postgres@127.0.0.1:5432/postgres),
fills it, serves both endpoints with uvicorn in a child process, drives them from this one and
prints requests per second and latency percentiles. It asserts nothing: the figures are the output.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

HOMEPAGE = """
query Homepage {
  articles(first: 20) { edges { node {
    title slug standfirst publishedAt readingTimeMinutes
    authors { name slug } heroImage { url alt credit } section { name slug } tags { slug }
  } } }
}
"""

# One statement that builds the same JSON, as a hand-written endpoint would.
BASELINE_SQL = """
SELECT json_build_object('data', json_build_object('articles', json_build_object('edges', coalesce(json_agg(
  json_build_object('node', json_build_object(
    'title', a.title, 'slug', a.slug, 'standfirst', a.standfirst, 'publishedAt', a.published_at,
    'readingTimeMinutes', ceil(a.word_count / 230.0)::int,
    'authors', (SELECT coalesce(json_agg(json_build_object('name', au.name, 'slug', au.slug) ORDER BY aa.position), '[]')
                FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id),
    'heroImage', (SELECT json_build_object('url', coalesce(m.url, 'http://127.0.0.1/media/' || m.storage_key), 'alt', m.alt, 'credit', m.credit) FROM media m WHERE m.id = a.hero_image_id),
    'section', (SELECT json_build_object('name', s.name, 'slug', s.slug) FROM sections s WHERE s.id = a.section_id),
    'tags', (SELECT coalesce(json_agg(json_build_object('slug', t.slug) ORDER BY at.position), '[]')
             FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id)
  )) ORDER BY a.published_at DESC, a.id DESC), '[]'))))
FROM (SELECT * FROM articles WHERE status = 'PUBLISHED' AND published_at <= statement_timestamp()
      ORDER BY published_at DESC, id DESC LIMIT 20) a
"""

SERVER = """
import asyncpg, os, uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Mount, Route
from cms.app import create_app
from cms.config import Settings

url = os.environ["CMS_DATABASE_URL"]
pool = None

async def baseline(request):
    global pool
    if pool is None:
        pool = await asyncpg.create_pool(url, min_size=5, max_size=5)
    async with pool.acquire() as conn:
        return Response(await conn.fetchval(BASELINE_SQL), media_type="application/json")

cms = create_app(Settings.from_env())
app = Starlette(routes=[Route("/baseline", baseline, methods=["POST"]), Mount("/", cms)], lifespan=lambda app: cms.router.lifespan_context(cms))
uvicorn.run(app, host="127.0.0.1", port=int(os.environ["BENCH_PORT"]), log_level="warning")
"""


async def fill(url: str, articles: int) -> None:
    from cms.auth import Role, Viewer
    from cms.config import Settings
    from cms.db.engine import make_engine, make_sessionmaker
    from cms.db.migrate import upgrade
    from cms.demo import load_demo
    from cms.services import articles as service
    from cms.services.errors import Problems
    from cms.storage import make_storage

    engine = make_engine(url)
    await upgrade(engine)
    editor = Viewer(role=Role.EDITOR)
    async with make_sessionmaker(engine)() as session, session.begin():
        settings = Settings.from_env()
        await load_demo(session, make_storage(settings), settings)
        demo = await service.get_article(session, editor, slug="eu-agrees-grid-deal-after-all-night-talks")
        assert demo is not None
        for i in range(articles):
            fields = service.ArticleFields(
                title=f"Bench story {i}",
                author_ids=[1, 2],
                hero_image_id=demo.hero_image_id,
                section_id=demo.section_id,
                tag_slugs=["energy", f"t{i % 7}"],
                body_markdown="Words " * 300,
            )
            article = await service.create_article(session, Problems(), editor, fields)
            await service.publish_article(session, editor, article.id, None)
    await engine.dispose()


async def drive(port: int, path: str, body: dict[str, object], seconds: float, concurrency: int) -> list[float]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30) as client:

        async def worker() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.post(path, json=body)
                response.raise_for_status()
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def normalised(body: dict[str, Any]) -> str:
    """The response with publish times as instants (PostgreSQL trims trailing zeros in them)."""
    for edge in body["data"]["articles"]["edges"]:
        edge["node"]["publishedAt"] = datetime.fromisoformat(edge["node"]["publishedAt"]).timestamp()
    return json.dumps(body, sort_keys=True)


def report(name: str, latencies: list[float], seconds: float) -> float:
    rate = len(latencies) / seconds
    q = statistics.quantiles(latencies, n=100)
    print(
        f"{name:>9}: {rate:8.1f} req/s   p50 {q[49] * 1000:6.1f} ms   p95 {q[94] * 1000:6.1f} ms   p99 {q[98] * 1000:6.1f} ms"
    )
    return rate


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    server = os.environ.get("CMS_BENCH_SERVER", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"cms_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    port = 8765
    child = None
    try:
        await fill(url, args.articles)
        env = {**os.environ, "CMS_DATABASE_URL": url, "BENCH_PORT": str(port)}
        code = f"BASELINE_SQL = {BASELINE_SQL!r}\n{SERVER}"
        child = subprocess.Popen([sys.executable, "-c", code], env=env)
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz").raise_for_status()
                break
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
        cms_body = {"query": HOMEPAGE, "operationName": "Homepage"}
        same = httpx.post(f"http://127.0.0.1:{port}/graphql", json=cms_body).json()
        base = httpx.post(f"http://127.0.0.1:{port}/baseline", json={}).json()
        print(f"same content from both: {normalised(same) == normalised(base)}")
        await drive(port, "/graphql", cms_body, 1, 4)  # warm up caches and the pool
        cms = report("cms", await drive(port, "/graphql", cms_body, args.seconds, args.concurrency), args.seconds)
        baseline = report("baseline", await drive(port, "/baseline", {}, args.seconds, args.concurrency), args.seconds)
        print(f"cms reaches {cms / baseline:.1%} of the baseline")
    finally:
        if child is not None:
            child.terminate()
            child.wait()
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
