"""Reads and trending: beacons counted per second, exactly, and the cost of reading a trending list.

    .venv/bin/python bench/views.py [--articles 20000] [--seconds 10] [--connections 32]

Makes a scratch database on CMS_BENCH_SERVER (default postgresql://postgres@127.0.0.1:5432/postgres),
fills it with generated articles (bench/search.py's `fill`), serves it with `cms serve` as an
operator runs it, and prints:

- reads recorded per second through the beacon (`POST /views`), driven by wrk (2 threads,
  `--connections` connections), every request a different reader (user agent) of one of 2,000
  articles; then, after a clean shutdown flushed what the server held, the reads counted in the
  database beside the beacons wrk saw answered: they must be equal;
- the latency of reading a computed trending list (DAY window: 10 entries with their articles,
  authors and photos), one request at a time with the response cache off, and the statement that
  reads the precomputed scores, with its plan.

wrk comes from the operating system's packages (`apt install wrk`, `brew install wrk`). It
asserts nothing: the figures are the output.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).parent))
from search import fill, percentiles, scratch_database, timed

TRENDING = """
query Trending { trendingList(slug: "trending-now") { title entries(first: 10) {
  rank pinned score article { title slug publishedAt authors { name } heroImage { url credit } } } } }
"""
CREATE_LIST = 'mutation { createTrendingList(input: {title: "Trending Now", window: DAY}) { userErrors { code } } }'
LUA = """
local ids = {%s}
function init(args)
  math.randomseed(os.time() * 1000 + tonumber(args[1] or 0) + math.floor(os.clock() * 1e6))
end
local n = 0
function setup(thread)
  n = n + 1
  thread:set("id", n)
end
request = function()
  local ua = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 r" ..
    id .. "-" .. math.random(1, 2147483647) .. "-" .. math.random(1, 2147483647)
  return wrk.format("POST", "/views", {["User-Agent"] = ua, ["Content-Type"] = "text/plain"}, ids[math.random(#ids)])
end
"""


def serve(url: str, port: int, **settings: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CMS_DATABASE_URL": url, "CMS_LOG_LEVEL": "WARNING", **settings}
    return subprocess.Popen([sys.executable, "-m", "cms", "serve", "--port", str(port)], env=env)


async def ready(base: str) -> None:
    for _ in range(300):
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"{base}/readyz").raise_for_status()
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("cms serve did not get ready")


def stop(child: subprocess.Popen[bytes]) -> None:
    child.terminate()  # SIGTERM: the server flushes the reads it holds, then exits
    child.wait(60)


def cms(url: str, *args: str) -> str:
    env = {**os.environ, "CMS_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "cms", *args], env=env, capture_output=True, text=True, check=True
    ).stdout


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--port", type=int, default=8769)
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is needed: apt install wrk (Debian, Ubuntu) or brew install wrk (macOS)")
    from cms.graphql.ids import to_global_id

    async with scratch_database(prefix="cms_bench_views") as url:
        started = time.perf_counter()
        filled = await fill(url, args.articles)
        print(f"filled {filled.articles} articles in {time.perf_counter() - started:.1f} s")
        conn = await asyncpg.connect(url)
        ids = [r["id"] for r in await conn.fetch("SELECT id FROM articles ORDER BY id DESC LIMIT 2000")]
        await conn.close()
        base = f"http://127.0.0.1:{args.port}"

        child = serve(url, args.port)
        try:
            await ready(base)
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write(LUA % ", ".join(f'"{to_global_id("Article", i)}"' for i in ids))
            load = await asyncio.create_subprocess_exec(
                wrk,
                "-t2",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--latency",
                "-s",
                script.name,
                base,
                stdout=subprocess.PIPE,
            )
            out = (await load.communicate())[0].decode()
            os.unlink(script.name)
        finally:
            stop(child)
        sent = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
        failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)  # type: ignore[union-attr]
        p50 = re.search(r"50%\s+(\S+)", out).group(1)  # type: ignore[union-attr]
        p99 = re.search(r"99%\s+(\S+)", out).group(1)  # type: ignore[union-attr]
        conn = await asyncpg.connect(url)
        counted = await conn.fetchval("SELECT coalesce(sum(count), 0) FROM article_views")
        await conn.close()
        print(
            f"beacon: {rate} reads/s recorded ({args.connections} connections, {args.seconds} s; "
            f"p50 {p50}, p99 {p99}); {sent} answered, {failed.group(1) if failed else 0} not 204; "
            f"{counted} counted in the database after shutdown"
        )

        token = cms(url, "create-token", "--name", "bench", "--role", "EDITOR").strip().splitlines()[-1]
        child = serve(url, args.port, CMS_RESPONSE_CACHE="off")
        try:
            await ready(base)
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                made = await client.post(
                    "/graphql", json={"query": CREATE_LIST}, headers={"Authorization": f"Bearer {token}"}
                )
                assert made.json()["data"]["createTrendingList"]["userErrors"] == [], made.text
                from cms.db.engine import make_engine, make_sessionmaker
                from cms.services import trending_scores

                engine = make_engine(url)
                async with make_sessionmaker(engine)() as session:
                    await trending_scores.refresh(session)
                    await session.commit()
                await engine.dispose()

                async def read(_: str) -> Any:
                    response = await client.post("/graphql", json={"query": TRENDING})
                    body = response.json()
                    assert "errors" not in body, body
                    return body["data"]["trendingList"]["entries"]

                latencies, answers = await timed(["-"], args.requests, read)
                print(
                    f"trending list, 10 computed entries with articles: {percentiles(latencies)} "
                    f"({len(answers[-1])} entries; response cache off)"
                )
        finally:
            stop(child)
        conn = await asyncpg.connect(url)
        plan = await conn.fetch(
            "EXPLAIN (ANALYZE, COSTS OFF) SELECT article_id, score FROM trending_scores "
            "WHERE read_window = 'DAY' ORDER BY score DESC, article_id DESC LIMIT 10"
        )
        await conn.close()
        print("the scores' read, as the list's computed entries use it:")
        print("\n".join("  " + r[0] for r in plan))


if __name__ == "__main__":
    asyncio.run(main())
