"""With CMS_REDIS_URL, server processes share rate counts and anonymous responses through Redis
(the local one on 127.0.0.1:6379, or CMS_TEST_REDIS_URL); each test keeps to keys of its own.

Two `cms serve` processes show the shared responses end to end: one process finds what the other
computed, and neither serves it once the content has changed."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from redis.asyncio import Redis

from cms.graphql.response_cache import CacheKeeper, ResponseCache, SharedResponses
from cms.services.rate_limits import WINDOW_SECONDS, RateLimiter, RedisCounts
from tests.test_replicas import ROOT, _free_port, _wait_ready, run_cms

REDIS_URL = os.environ.get("CMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
async def redis() -> AsyncIterator[tuple[Redis, str]]:
    """A client and a key prefix of this test's own, whose keys are deleted afterwards."""
    client = Redis.from_url(REDIS_URL)
    prefix = f"cms-test-{secrets.token_hex(4)}:"
    yield client, prefix
    keys = [k async for k in client.scan_iter(f"{prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


def serving(cache: ResponseCache, next_change: datetime | None = None) -> ResponseCache:
    cache.listen(True)
    cache.next_change(next_change, cache.generation)
    return cache


async def test_a_response_one_process_computed_is_found_by_another(redis):
    client, prefix = redis
    one, two = SharedResponses(client, prefix), SharedResponses(client, prefix)
    assert await one.get("k") == (None, None)  # not used before it has moved on once
    await one.invalidate()
    await two.invalidate()

    generation, entry = await one.get("k")
    assert generation is not None
    assert entry is None
    await one.put(generation, "k", b'{"data":{"x":1}}', '"e"', "cms article-1", 60)

    _, found = await two.get("k")
    assert found is not None
    assert (found.body, found.etag, found.surrogate) == (b'{"data":{"x":1}}', '"e"', "cms article-1")


async def test_a_change_heard_by_any_process_hides_what_was_computed_before(redis):
    client, prefix = redis
    one, two = SharedResponses(client, prefix), SharedResponses(client, prefix)
    await one.invalidate()
    await two.invalidate()
    before, _ = await one.get("k")  # read before computing
    await two.invalidate()  # a change, heard by the other process first
    assert before is not None
    await one.put(before, "k", b"{}", '"e"', "cms", 60)  # computed before the change, stored after

    assert (await one.get("k"))[1] is None
    assert (await two.get("k"))[1] is None


async def test_a_stopping_process_leaves_the_shared_store_alone(redis, database_url, sessionmaker):
    client, prefix = redis
    cache, shared = ResponseCache(), SharedResponses(client, prefix)
    keeper = CacheKeeper(cache, sessionmaker, database_url, shared)
    stop = asyncio.Event()
    running = asyncio.create_task(keeper.run(stop))
    for _ in range(500):  # listening, the store moved on, and the next scheduled instant known
        if cache.keep_seconds() is not None:
            break
        await asyncio.sleep(0.01)
    assert shared.usable
    generation = await client.get(f"{prefix}generation")

    stop.set()
    await running
    await asyncio.sleep(0.2)  # what a stopping process might still have started

    # Its last word ("not listening") drops its own cache, not what the other processes share:
    # Redis and the engine are closed right after.
    assert not cache.listening
    assert await client.get(f"{prefix}generation") == generation


async def test_entries_expire_when_the_process_cache_would(redis):
    client, prefix = redis
    cache = serving(ResponseCache(max_age=300), datetime.now(UTC) + timedelta(seconds=2))
    seconds = cache.keep_seconds()
    assert seconds is not None
    assert 1 < seconds <= 2  # the next scheduled instant, not max_age
    shared = SharedResponses(client, prefix)
    await shared.invalidate()
    generation, _ = await shared.get("k")
    assert generation is not None
    await shared.put(generation, "k", b"{}", '"e"', "cms", seconds)
    ttl = await client.pttl(f"{prefix}{generation.decode()}:k")
    assert 1000 < ttl <= 2000
    assert ResponseCache().keep_seconds() is None  # not listening: kept nowhere


async def test_redis_away_is_a_miss_and_the_store_waits_for_a_fresh_start(redis, caplog):
    _, prefix = redis
    away = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    shared = SharedResponses(away, prefix)
    await shared.invalidate()
    assert not shared.usable
    assert await shared.get("k") == (None, None)
    await shared.put(b"1", "k", b"{}", '"e"', "cms", 60)  # no error either
    assert caplog.text.count("shared response store unavailable") == 1  # once, not per call
    await away.aclose()


async def test_two_processes_share_one_limit_through_redis(redis):
    client, prefix = redis
    now = [3000 * WINDOW_SECONDS + 1.0]
    one = RateLimiter(None, clock=lambda: now[0], counts=RedisCounts(client, prefix))  # type: ignore[arg-type]
    two = RateLimiter(None, clock=lambda: now[0], counts=RedisCounts(client, prefix))  # type: ignore[arg-type]
    key = "address:203.0.113.9"

    admitted = sum(one.check(key, 10).allowed for _ in range(6))
    await one.sync()
    await two.sync()
    admitted += sum(two.check(key, 10).allowed for _ in range(3))
    await two.sync()  # adds its 3, reads 9
    admitted += sum(two.check(key, 10).allowed for _ in range(5))

    assert admitted == 10
    await two.sync()
    await one.sync()
    assert not one.check(key, 10).allowed
    assert int(await client.get(f"{prefix}3000:{key}")) == 10
    assert 0 < await client.ttl(f"{prefix}3000:{key}") <= 2 * WINDOW_SECONDS


async def test_two_servers_share_their_anonymous_answers(scratch_url, tmp_path, redis):
    _, prefix = redis
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    env.update({"CMS_DATABASE_URL": scratch_url, "CMS_REDIS_URL": REDIS_URL})
    run_cms(env, "migrate")
    token = run_cms(env, "create-token", "--name", "desk", "--role", "EDITOR").strip().splitlines()[-1]
    ports = [_free_port(), _free_port()]
    logs = [(tmp_path / f"serve-{port}.log").open("w") for port in ports]
    servers = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "cms", "serve", "--port", str(port),
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log,
        )
        for port, log in zip(ports, logs, strict=True)
    ]  # fmt: skip
    query = {"query": "{ articles { edges { node { title } } } }", "variables": f'{{"probe": "{prefix}"}}'}
    try:
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as editor:
            for port in ports:
                await _wait_ready(editor, port)
            one, two = (f"http://127.0.0.1:{port}/graphql" for port in ports)
            await _until_caching(one, two)
            first = await _get(one, query)
            assert first.headers["x-cache"] == "MISS"
            # The second process never computed it: Redis answers.
            shared = await _get(two, query)
            assert (shared.headers["x-cache"], shared.content) == ("HIT", first.content)

            created = await editor.post(
                one, json={"query": 'mutation { createArticle(input: {title: "Fresh"}) { article { id } } }'}
            )
            article_id = created.json()["data"]["createArticle"]["article"]["id"]
            published = await editor.post(
                one,
                json={
                    "query": "mutation($id: ID!) { publishArticle(id: $id) { userErrors { code } } }",
                    "variables": {"id": article_id},
                },
            )
            assert published.json()["data"]["publishArticle"]["userErrors"] == []
            # Each process, once it has heard of the change, finds no answer computed before it.
            for url in (two, one):
                assert await _titles_until_fresh(url, query) == ["Fresh"]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            await asyncio.wait_for(server.wait(), 30)
        for log in logs:
            log.close()
    written = "".join((tmp_path / f"serve-{p}.log").read_text() for p in ports)
    assert "Traceback" not in written
    # Redis slower than its quarter-second timeout (a loaded machine) is a miss by design; any
    # other failure to reach it is a fault.
    assert [line for line in written.splitlines() if "unavailable" in line and "TimeoutError" not in line] == []


async def _get(url: str, params: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient() as reader:
        return await reader.get(url, params=params)


async def _until_caching(*urls: str) -> None:
    """Until both processes listen for changes (their caches keep nothing before)."""
    deadline = time.monotonic() + 10
    for url in urls:
        probe = {"query": "{ __typename }", "variables": f'{{"n": "{secrets.token_hex(4)}"}}'}
        while (await _get(url, probe)).headers.get("x-cache") != "HIT":
            if time.monotonic() > deadline:
                raise TimeoutError("the response cache never answered")
            await asyncio.sleep(0.05)


async def _titles_until_fresh(url: str, query: dict[str, str]) -> list[str]:
    """What a reader is answered, once the change reached this process (within a second)."""
    deadline = time.monotonic() + 1
    while True:
        response = await _get(url, query)
        titles = [e["node"]["title"] for e in response.json()["data"]["articles"]["edges"]]
        if titles or time.monotonic() > deadline:
            return titles
        await asyncio.sleep(0.02)
