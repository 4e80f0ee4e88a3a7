"""Two `cms serve` processes on one database, as two replicas: a scheduled publish is recorded
once, reads sent to both are counted exactly (the last of them flushed on shutdown), and one
process's cached answers change when the content does, whichever process changed it and when a
scheduled article goes live.

One test, as starting servers takes seconds."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def run_cms(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cms", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=True
    )
    return done.stdout


BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 reader-{}"
READERS = 150


async def test_two_processes_record_a_scheduled_publish_once_and_count_reads_exactly(scratch_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    # The second server never flushes on its own: what it counted reaches the database on shutdown.
    env.update({"CMS_DATABASE_URL": scratch_url, "CMS_SCHEDULER_INTERVAL": "0.1", "CMS_VIEW_FLUSH_SECONDS": "0.2"})
    envs = [env, {**env, "CMS_VIEW_FLUSH_SECONDS": "3600"}]
    run_cms(env, "migrate")
    token = run_cms(env, "create-token", "--name", "desk", "--role", "EDITOR").strip().splitlines()[-1]
    ports = [_free_port(), _free_port()]
    logs = [(tmp_path / f"serve-{port}.log").open("w") for port in ports]
    servers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "cms",
            "serve",
            "--port",
            str(port),
            env=server_env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        for port, log, server_env in zip(ports, logs, envs, strict=True)
    ]
    try:
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as client:
            for port in ports:
                await _wait_ready(client, port)
            url = f"http://127.0.0.1:{ports[0]}/graphql"
            assert await _cached_titles(url) == []
            created = await client.post(
                url, json={"query": 'mutation { createArticle(input: {title: "Soon"}) { article { id } } }'}
            )
            article_id = created.json()["data"]["createArticle"]["article"]["id"]
            at = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
            published = await client.post(
                url,
                json={
                    "query": "mutation($id: ID!, $at: DateTime) { publishArticle(id: $id, publishAt: $at) { article { status } } }",
                    "variables": {"id": article_id, "at": at},
                },
            )
            assert published.json()["data"]["publishArticle"]["article"]["status"] == "SCHEDULED"
            assert await _cached_titles(url) == []
            await asyncio.sleep(2.5)
            # Gone live by the clock: the first process's cache did not keep the page past it.
            assert await _cached_titles(url) == ["Soon"]
            retitled = await client.post(
                f"http://127.0.0.1:{ports[1]}/graphql",
                json={
                    "query": 'mutation($id: ID!) { updateArticle(id: $id, input: {title: "Now"}) { userErrors { code } } }',
                    "variables": {"id": article_id},
                },
            )
            assert retitled.json()["data"]["updateArticle"]["userErrors"] == []
            # Changed through the second process: the first one heard of it.
            assert await _cached_titles(url) == ["Now"]
            # Each reader reads twice on one server (a reload), a third of them on the other one as
            # well: counted once each, those of the second server only once it shuts down.
            beacons = [
                client.post(
                    f"http://127.0.0.1:{port}/views", content=article_id, headers={"User-Agent": BROWSER.format(i)}
                )
                for i in range(READERS)
                for port in (ports[i % 2], ports[i % 2], *([ports[1 - i % 2]] if i % 3 == 0 else []))
            ]
            answers = await asyncio.gather(*beacons)
            assert {a.status_code for a in answers} == {204}
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            await asyncio.wait_for(server.wait(), 30)
        for log in logs:
            log.close()

    conn = await asyncpg.connect(scratch_url)
    try:
        rows = await conn.fetch(
            "SELECT action, at FROM audit_events WHERE action IN ('article.schedule', 'article.published') ORDER BY id"
        )
        reads = await conn.fetchval("SELECT sum(count) FROM article_views")
    finally:
        await conn.close()
    assert [r["action"] for r in rows] == ["article.schedule", "article.published"]
    assert rows[1]["at"] == datetime.fromisoformat(at)
    written = "".join((tmp_path / f"serve-{p}.log").read_text() for p in ports)
    assert "Traceback" not in written
    assert written.count("recorded 1 scheduled change(s)") == 1
    assert reads == READERS


async def _cached_titles(url: str) -> list[str]:
    """The titles an anonymous reader gets, once this process's response cache answers."""
    deadline = time.monotonic() + 5
    async with httpx.AsyncClient() as reader:
        while time.monotonic() < deadline:
            response = await reader.get(url, params={"query": "{ articles { edges { node { title } } } }"})
            if response.headers.get("x-cache") == "HIT":
                return [e["node"]["title"] for e in response.json()["data"]["articles"]["edges"]]
            await asyncio.sleep(0.05)
    raise TimeoutError("the response cache never answered")


async def _wait_ready(client: httpx.AsyncClient, port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise TimeoutError(f"cms serve on port {port} did not get ready")
