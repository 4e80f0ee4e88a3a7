"""A `cms serve` process under load lives through a restart of its PostgreSQL: while the database
is away every request is answered at once with a retryable 503 (reads and writes alike), /readyz
says not ready and /healthz stays up; once it is back the same process serves again, and no write
was half applied.

The cluster is the test's own (initdb in a temporary folder), as it is stopped and started.
One test, as it takes seconds."""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from cms.graphql.ids import decode_id

ROOT = Path(__file__).parent.parent

READ = "{ articles { edges { node { title } } } }"
CREATE = "mutation($input: CreateArticleInput!) { createArticle(input: $input) { article { id } userErrors { code message } } }"
READERS, WRITERS = 3, 2
# Between one client's requests: light load, on a machine other work shares.
PAUSE = 0.02
# How long the database stays away, and how fast each answer must come meanwhile.
OUTAGE_SECONDS = 3.0
PROMPT_SECONDS = 2.0
RECOVERY_SECONDS = 10.0
# A client that waits this long for an answer took it for a hang.
HANG_SECONDS = 15.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _bindir() -> Path | None:
    """Where PostgreSQL's server programs are: pg_config's, a Debian package's, or pgserver's."""
    candidates: list[str] = []
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            candidates.append(
                subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10).stdout.strip()
            )
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    candidates += glob.glob(str(Path(sys.prefix) / "lib/python3.*/site-packages/pgserver/pginstall/bin"))
    for candidate in candidates:
        if candidate and all((Path(candidate) / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return Path(candidate)
    return None


def _system_user() -> str | None:
    """The account to run PostgreSQL as: initdb and postgres refuse to run as root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    pytest.skip("running as root with no unprivileged account to run PostgreSQL as")


@dataclass
class Cluster:
    """A PostgreSQL cluster of the test's own, with trust auth, on 127.0.0.1 only."""

    bindir: Path
    folder: Path
    port: int
    user: str | None
    database: str = "cms_outage"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [str(self.bindir / tool), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
            cwd=self.folder,
            user=self.user,
        )

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", self.database)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        # -l: the server's output goes to a file, not to the pipe this process would wait on.
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "postgres.log"), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    bindir = _bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server programs (initdb, pg_ctl) found")
    user = _system_user()
    # Not under pytest's tmp_path: its folders are private to this user, and the server's user
    # must reach its data and socket (a short path, too, for the socket's name).
    folder = Path(tempfile.mkdtemp(prefix="cms-outage-"))
    if user is not None:
        account = pwd.getpwnam(user)
        os.chown(folder, account.pw_uid, account.pw_gid)
    made = Cluster(bindir, folder, _free_port(), user)
    try:
        made.init()
        yield made
    finally:
        if (made.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                made._run("pg_ctl", "-D", str(made.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def run_cms(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cms", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=True
    )
    return done.stdout


@dataclass
class Call:
    """One request the load made, and how it was answered (status None: no answer at all)."""

    kind: str  # "read" or "write"
    started: float
    ended: float
    status: int | None
    retry_after: str | None = None
    body: Any = None
    error: str | None = None

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    @property
    def codes(self) -> list[str]:
        errors = self.body.get("errors") if isinstance(self.body, dict) else None
        return [str((e.get("extensions") or {}).get("code")) for e in errors or []]

    @property
    def article_id(self) -> int | None:
        """The article a write created, when it was answered with one."""
        if self.kind != "write" or self.status != 200 or not isinstance(self.body, dict) or self.body.get("errors"):
            return None
        payload = (self.body.get("data") or {}).get("createArticle") or {}
        if payload.get("userErrors") or not payload.get("article"):
            return None
        return decode_id(payload["article"]["id"], "Article")

    @property
    def ok(self) -> bool:
        if self.kind == "write":
            return self.article_id is not None
        return (
            self.status == 200
            and isinstance(self.body, dict)
            and not self.body.get("errors")
            and isinstance(self.body["data"]["articles"]["edges"], list)
        )

    @property
    def unavailable(self) -> bool:
        """Answered as the database being away: 503, Retry-After, every error SERVICE_UNAVAILABLE."""
        return (
            self.status == 503
            and self.retry_after is not None
            and bool(self.codes)
            and set(self.codes) == {"SERVICE_UNAVAILABLE"}
        )

    def __str__(self) -> str:
        answer = self.error or f"{self.status} Retry-After={self.retry_after} {self.body}"
        return f"{self.kind} at {self.started:.2f}+{self.seconds:.2f}s: {answer}"


async def _call(client: httpx.AsyncClient, kind: str, payload: dict[str, Any], headers: dict[str, str]) -> Call:
    started = time.monotonic()
    try:
        response = await client.post("/graphql", json=payload, headers=headers, timeout=HANG_SECONDS)
    except httpx.HTTPError as exc:
        return Call(kind, started, time.monotonic(), None, error=f"{type(exc).__name__}: {exc}")
    ended = time.monotonic()
    try:
        body = response.json()
    except ValueError:
        body = response.text
    return Call(kind, started, ended, response.status_code, response.headers.get("retry-after"), body)


def _read(client: httpx.AsyncClient) -> Any:
    return _call(client, "read", {"query": READ}, {})


def _write(client: httpx.AsyncClient, token: str, author: str, title: str) -> Any:
    variables = {"input": {"title": title, "authorIds": [author]}}
    return _call(client, "write", {"query": CREATE, "variables": variables}, {"Authorization": f"Bearer {token}"})


async def _load(stop: asyncio.Event, calls: list[Call], make: Any) -> None:
    n = 0
    while not stop.is_set():
        calls.append(await make(n))
        n += 1
        await asyncio.sleep(PAUSE)


async def _until(deadline: float, what: str, check: Any) -> float:
    """Polls `check()` until it holds; returns when it did."""
    while time.monotonic() < deadline:
        if await check():
            return time.monotonic()
        await asyncio.sleep(0.1)
    raise TimeoutError(what)


async def _status(client: httpx.AsyncClient, path: str) -> tuple[int | None, float]:
    started = time.monotonic()
    try:
        status: int | None = (await client.get(path, timeout=HANG_SECONDS)).status_code
    except httpx.HTTPError:
        status = None
    return status, time.monotonic() - started


def _wrong(calls: list[Call], expectation: str, holds: Any) -> list[str]:
    return [f"{expectation}: {c}" for c in calls if not holds(c)]


async def test_a_server_under_load_lives_through_a_postgresql_restart(cluster: Cluster, tmp_path: Path) -> None:
    # Given a server on the cluster, an author to write as, and one published article to read
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    env.update({"CMS_DATABASE_URL": cluster.url, "CMS_RATE_LIMITS": "off"})
    await asyncio.to_thread(run_cms, env, "migrate")
    token = (await asyncio.to_thread(run_cms, env, "create-token", "--name", "t", "--role", "EDITOR")).split()[-1]
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        server = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "cms", "serve", "--port", str(port),
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
    calls: list[Call] = []
    stop = asyncio.Event()
    load: list[asyncio.Task[None]] = []
    base = f"http://127.0.0.1:{port}"
    limits = httpx.Limits(max_connections=50)
    try:
        async with httpx.AsyncClient(base_url=base, limits=limits) as client, httpx.AsyncClient(base_url=base) as probe:

            async def ready() -> bool:
                return (await _status(probe, "/readyz"))[0] == 200

            await _until(time.monotonic() + 30, "cms serve did not get ready", ready)
            editor = {"Authorization": f"Bearer {token}"}
            made = await client.post(
                "/graphql",
                json={"query": 'mutation { createAuthor(input: {name: "Desk"}) { author { id } } }'},
                headers=editor,
            )
            author = made.json()["data"]["createAuthor"]["author"]["id"]
            front = await _write(client, token, author, "Front page")
            assert front.article_id is not None, str(front)
            published = await client.post(
                "/graphql",
                json={
                    "query": "mutation($id: ID!) { publishArticle(id: $id) { article { status } } }",
                    "variables": {"id": front.body["data"]["createArticle"]["article"]["id"]},
                },
                headers=editor,
            )
            assert published.json()["data"]["publishArticle"]["article"]["status"] == "PUBLISHED"

            # ... under load: anonymous readers, and an editor's desk creating articles
            for _ in range(READERS):
                load.append(asyncio.create_task(_load(stop, calls, lambda n: _read(client))))
            for w in range(WRITERS):
                load.append(
                    asyncio.create_task(
                        _load(stop, calls, lambda n, w=w: _write(client, token, author, f"Story {w}-{n}"))
                    )
                )

            async def writing() -> bool:
                return sum(c.ok for c in calls if c.kind == "write") >= 10 and sum(c.ok for c in calls) >= 30

            await _until(time.monotonic() + 30, "the load never got going", writing)

            # When PostgreSQL stops
            stopping = time.monotonic()
            await asyncio.to_thread(cluster.stop)
            stopped = time.monotonic()
            health_down = [await _status(probe, "/healthz")]
            ready_down = [await _status(probe, "/readyz")]
            await asyncio.sleep(OUTAGE_SECONDS)
            health_down.append(await _status(probe, "/healthz"))
            ready_down.append(await _status(probe, "/readyz"))

            # ... and starts again
            starting = time.monotonic()
            await asyncio.to_thread(cluster.start)
            started = time.monotonic()

            async def serving() -> bool:
                since = [c for c in calls if c.started > started]
                return (
                    any(c.ok for c in since if c.kind == "read")
                    and any(c.ok for c in since if c.kind == "write")
                    and (await _status(probe, "/readyz"))[0] == 200
                )

            recovered = await _until(started + RECOVERY_SECONDS, "the server did not serve again", serving)
            await asyncio.sleep(1.5)
            stop.set()
            await asyncio.gather(*load)
            ready_after = await _status(probe, "/readyz")
    finally:
        stop.set()
        for task in load:
            task.cancel()
        await asyncio.gather(*load, return_exceptions=True)
        if server.returncode is None:
            server.terminate()
            try:
                await asyncio.wait_for(server.wait(), 30)
            except TimeoutError:
                server.kill()
                await server.wait()
    written = log_path.read_text()

    # Then, before: everything was answered
    before = [c for c in calls if c.ended < stopping]
    problems = _wrong(before, "before the stop, not answered", lambda c: c.ok)
    # ... while it went down: answered, or refused as unavailable
    in_flight = [c for c in calls if c.started < stopped and c.ended >= stopping]
    problems += _wrong(in_flight, "as it stopped, neither answered nor unavailable", lambda c: c.ok or c.unavailable)
    # ... while it was away: refused at once as unavailable, reads and writes alike
    away = [c for c in calls if c.started >= stopped and c.ended < starting]
    problems += _wrong(away, "while away, not unavailable", lambda c: c.unavailable)
    problems += _wrong(away, "while away, slow", lambda c: c.seconds < PROMPT_SECONDS)
    # ... as it came back: answered, or refused as unavailable
    returning = [c for c in calls if c.started < recovered and c.ended >= starting]
    problems += _wrong(returning, "as it came back, neither answered nor unavailable", lambda c: c.ok or c.unavailable)
    # ... once back: everything answered again, by the same process
    after = [c for c in calls if c.started >= recovered]
    problems += _wrong(after, "once back, not answered", lambda c: c.ok)
    assert problems == [], (
        "\n".join(problems[:20]) + f"\n({len(problems)} in all)\n--- server log ---\n{written[-4000:]}"
    )
    assert {c.kind for c in away} == {"read", "write"}
    assert {c.kind for c in after} == {"read", "write"}
    assert all(status == 200 and seconds < 1 for status, seconds in health_down), health_down
    assert all(status == 503 and seconds < PROMPT_SECONDS for status, seconds in ready_down), ready_down
    assert ready_after[0] == 200
    assert recovered - started < RECOVERY_SECONDS
    assert server.returncode == 0, written[-4000:]

    # ... no write was half applied: every article answered is there, whole, and any other one was
    # a write in flight as the database stopped
    answered = {c.article_id for c in calls if c.article_id is not None} | {front.article_id}
    unanswered_in_flight = [c for c in in_flight if c.kind == "write" and c.article_id is None]
    conn = await asyncpg.connect(cluster.url)
    try:
        rows = await conn.fetch(
            """
            SELECT a.id, a.version,
                (SELECT count(*) FROM article_revisions r WHERE r.article_id = a.id) AS revisions,
                (SELECT count(*) FROM article_authors b WHERE b.article_id = a.id) AS bylines,
                (SELECT count(*) FROM audit_events e
                    WHERE e.action = 'article.create' AND e.subject_type = 'Article' AND e.subject_id = a.id) AS created
            FROM articles a ORDER BY a.id
            """
        )
    finally:
        await conn.close()
    stored = {r["id"] for r in rows}
    assert answered - stored == set()
    assert len(stored - answered) <= len(unanswered_in_flight)
    # Each article whole: a revision, its byline, its audit event; and the ones the load created
    # have exactly the one revision of their creation (publishing bumps the version, not content).
    broken = [r for r in rows if r["revisions"] < 1 or (r["bylines"], r["created"]) != (1, 1)]
    assert [dict(r) for r in broken] == []
    assert [dict(r) for r in rows if r["id"] != front.article_id and (r["version"], r["revisions"]) != (1, 1)] == []

    # ... and the outage was logged, never as a bug
    assert "Traceback" not in written, written[-4000:]
