"""What one server holds against what the internet sends: the fan-out attack and a flood.

    .venv/bin/python bench/attack.py [--articles 100] [--seconds 10] [--connections 64]

Makes a scratch database on CMS_BENCH_SERVER (default postgresql://postgres@127.0.0.1:5432/postgres)
with `--articles` published articles (bench/search.py's `fill`), serves it with `cms serve` as an
operator runs it (rate limits on, defaults), and prints:

- the fan-out attack, `articles(first:100) { authors { articles(first:100) { authors {
  articles(first:100) { title } } } } }` (as connections), sent 50 times: how it was answered,
  how long it took, the server's RSS before and after;
- three of the heaviest reads the anonymous cost budget accepts, at once: how long they took, and
  /healthz latency meanwhile;
- one of the heaviest reads the signed-in budget accepts (an editor's token, 1,600 articles
  with their bodies as HTML, text and blocks: cost 96,032 of 100,000), and /healthz latency
  meanwhile;
- a flood of anonymous queries from one address with wrk (`--connections`, `--seconds`): requests
  answered, how many were refused 429 by the rate limit, errors, p50/p99, RSS after; and /healthz
  latency measured during the flood from another client.

wrk comes from the operating system's packages (`apt install wrk`). It asserts nothing: the
figures are the output.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
import contextlib

from search import fill, scratch_database
from views import ready, serve, stop

ATTACK = (
    "{ articles(first: 100) { edges { node { authors { articles(first: 100) { edges { node { "
    "authors { articles(first: 100) { edges { node { title } } } } } } } } } } } }"
)
FLOOD = "{ articles(first: 20) { edges { node { title slug authors { name } tags { slug } } } } }"
# The heaviest kind of anonymous read the cost budget still accepts (8,004 of 10,000): every
# article's body as HTML, twice, with its relations.
PAGE = "articles(first: 100) { edges { node { title bodyHtml authors { name bio } tags { name } section { name } } } }"
HEAVY = "{ " + " ".join(f"p{i}: {PAGE}" for i in range(2)) + " }"
# The same for a signed-in caller (96,032 of 100,000).
SIGNED_IN_PAGE = (
    "articles(first: 100) { edges { node { title standfirst bodyHtml bodyText "
    "body { __typename ... on ParagraphBlock { html } } authors { name bio } tags { name slug } section { name } } } }"
)
SIGNED_IN_HEAVY = "{ " + " ".join(f"p{i}: {SIGNED_IN_PAGE}" for i in range(16)) + " }"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def token(url: str) -> str:
    """A new editor's API token on the database at `url`, as an operator makes one."""
    made = subprocess.run(
        [sys.executable, "-m", "cms", "create-token", "--name", "bench", "--role", "EDITOR"],
        env={**os.environ, "CMS_DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    )
    return made.stdout.strip().splitlines()[-1]


async def meanwhile(client: httpx.AsyncClient, what: str, requests: list[Awaitable[httpx.Response]]) -> None:
    """Send `requests` at once and time /healthz, one after another, until they are answered."""
    health: list[float] = []
    started_all = time.perf_counter()
    pending = asyncio.ensure_future(asyncio.gather(*requests))
    while not pending.done():
        started = time.perf_counter()
        await client.get("/healthz")
        health.append(time.perf_counter() - started)
        await asyncio.sleep(0.005)
    took = time.perf_counter() - started_all
    responses = pending.result()
    print(
        f"{what} ({len(responses[0].content) / 1e6:.1f} MB each, statuses "
        f"{sorted({r.status_code for r in responses})}): {took * 1000:.0f} ms; /healthz meanwhile "
        f"p50 {statistics.median(health) * 1000:.1f} ms, max {max(health) * 1000:.1f} ms (n={len(health)})"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--port", type=int, default=8771)
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is needed: apt install wrk (Debian, Ubuntu) or brew install wrk (macOS)")
    async with scratch_database(prefix="cms_bench_attack") as url:
        await fill(url, args.articles)
        base = f"http://127.0.0.1:{args.port}"
        child = serve(url, args.port)
        try:
            await ready(base)
            before = rss_mb(child.pid)
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                took, answers = [], []
                for _ in range(50):
                    started = time.perf_counter()
                    response = await client.post("/graphql", json={"query": ATTACK})
                    took.append(time.perf_counter() - started)
                    answers.append((response.status_code, response.json()["errors"][0]["extensions"]["code"]))
                print(
                    f"fan-out attack x50: answered {sorted(set(answers))}, "
                    f"p50 {statistics.median(took) * 1000:.1f} ms, max {max(took) * 1000:.1f} ms; "
                    f"RSS {before:.0f} MB before, {rss_mb(child.pid):.0f} MB after"
                )

                # Three at once, each its own text (spaces), so that no response cache answers.
                heavy = [client.post("/graphql", json={"query": HEAVY + " " * i}) for i in range(1, 4)]
                await meanwhile(client, "3 of the heaviest accepted anonymous reads at once", heavy)
                editor = {"Authorization": f"Bearer {token(url)}"}
                signed_in = [client.post("/graphql", json={"query": SIGNED_IN_HEAVY}, headers=editor)]
                await meanwhile(client, "the heaviest accepted signed-in read", signed_in)

                with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                    body = json.dumps({"query": FLOOD})
                    script.write(
                        f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\n'
                        'wrk.headers["Content-Type"] = "application/json"\n'
                    )
                load = await asyncio.create_subprocess_exec(
                    wrk,
                    "-t2",
                    f"-c{args.connections}",
                    f"-d{args.seconds}s",
                    "--latency",
                    "-s",
                    script.name,
                    f"{base}/graphql",
                    stdout=subprocess.PIPE,
                )
                health: list[float] = []
                while load.returncode is None:
                    started = time.perf_counter()
                    await client.get("/healthz")
                    health.append(time.perf_counter() - started)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(load.wait(), 0.2)
                out = (await load.communicate())[0].decode()
                os.unlink(script.name)
        finally:
            after = rss_mb(child.pid)
            stop(child)
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    errors = re.search(r"Socket errors: (.*)", out)
    print(
        f"flood ({args.connections} connections, {args.seconds} s, one address): {total} answered ({rate}/s), "
        f"{refused.group(1) if refused else 0} of them not 2xx (429 past the anonymous read limit); "
        f"p50 {p50}, p99 {p99}; socket errors: {errors.group(1) if errors else 'none'}; RSS after {after:.0f} MB"
    )
    print(
        f"/healthz during the flood: p50 {statistics.median(health) * 1000:.1f} ms, "
        f"max {max(health) * 1000:.1f} ms (n={len(health)})"
    )


if __name__ == "__main__":
    asyncio.run(main())
