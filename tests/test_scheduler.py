"""The scheduled publish is recorded once with two `cms serve` processes on one database."""

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


async def test_two_processes_record_a_scheduled_publish_once(scratch_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    env.update({"CMS_DATABASE_URL": scratch_url, "CMS_SCHEDULER_INTERVAL": "0.1"})
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
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as client:
            for port in ports:
                await _wait_ready(client, port)
            url = f"http://127.0.0.1:{ports[0]}/graphql"
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
            await asyncio.sleep(2.5)
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
    finally:
        await conn.close()
    assert [r["action"] for r in rows] == ["article.schedule", "article.published"]
    assert rows[1]["at"] == datetime.fromisoformat(at)
    written = "".join((tmp_path / f"serve-{p}.log").read_text() for p in ports)
    assert "Traceback" not in written
    assert written.count("recorded 1 scheduled change(s)") == 1


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
