"""A real PostgreSQL for the whole run: a fresh database, migrated with the real migrations.

The server is CMS_TEST_DATABASE_URL when set, else the one on 127.0.0.1:5432 when it answers,
else an embedded one started for the run. Each test runs inside an outer transaction that is
rolled back at its end; the app's own commits become savepoints inside it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from cms.app import create_app
from cms.config import Settings
from cms.db import ApiToken, Author, User
from cms.db.engine import make_engine
from cms.db.migrate import upgrade
from cms.services import users
from cms.services.tokens import digest as _digest
from cms.services.views import ViewRecorder
from cms.storage import Storage
from cms.storage.local import LocalStorage
from cms.vocabulary import Role

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


async def _reachable(url: str) -> bool:
    try:
        conn = await asyncpg.connect(url, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await conn.close()
    return True


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[PasswordHasher]:
    """Argon2 at the server's cost takes a sixth of a second a hash on these machines, on purpose;
    the tests check what is hashed and when, not how hard, and sign in hundreds of times. A
    stored hash of the server's cost still verifies (the hash names its parameters), and is
    rehashed on sign-in, as test_login checks."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_hasher", cheap)
        patch.setattr(users, "_DUMMY_HASH", cheap.hash("not a real password, only for timing"))
        yield cheap


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    configured = os.environ.get("CMS_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    if asyncio.run(_reachable(LOCAL_SERVER)):
        yield LOCAL_SERVER
        return
    # As `make run` starts it, so that pgserver is imported without a warning.
    from cms.db.engine import start_embedded

    with tempfile.TemporaryDirectory() as data:
        embedded = start_embedded(Path(data))
        try:
            yield embedded.url
        finally:
            embedded.release()


@contextlib.asynccontextmanager
async def scratch_database(server_url: str, prefix: str = "cms_scratch") -> AsyncIterator[str]:
    """A new, empty database on the test server, dropped afterwards; yields its URL."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(server_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(server_url, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
async def database_url(server_url: str) -> AsyncIterator[str]:
    async with scratch_database(server_url, "cms_test") as url:
        yield url


@pytest.fixture
async def scratch_url(server_url: str) -> AsyncIterator[str]:
    """An empty database of the test's own, for a migration or a `cms` process to start from."""
    async with scratch_database(server_url) as url:
        yield url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as conn:
        outer = await conn.begin()
        yield conn
        await outer.rollback()


@pytest.fixture
def sessionmaker(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(
        bind=connection, expire_on_commit=False, autoflush=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
async def session(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as session:
        yield session


@pytest.fixture
def settings() -> Settings:
    return Settings(database_url="postgresql://unused")


@pytest.fixture
def media_storage(tmp_path: Path) -> LocalStorage:
    """A media folder of the test's own."""
    return LocalStorage(tmp_path / "media")


@pytest.fixture
def views(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> ViewRecorder:
    """The app's reads not yet counted: a test flushes them when it wants them counted."""
    return ViewRecorder(sessionmaker, dedupe_minutes=settings.view_dedupe_minutes)


@pytest.fixture
def app(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    engine: AsyncEngine,
    media_storage: Storage,
    views: ViewRecorder,
) -> Starlette:
    return create_app(settings, sessionmaker=sessionmaker, engine=engine, storage=media_storage, views=views)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as client:
        yield client


@dataclass
class Api:
    """Posts GraphQL operations as a frontend would, as anonymous or with a role's token."""

    client: httpx.AsyncClient
    tokens: dict[Role, str]

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, *, role: Role | None = None, token: str | None = None
    ) -> dict[str, Any]:
        response = await self.post(query, variables, role=role, token=token)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, *, role: Role | None = None, token: str | None = None
    ) -> httpx.Response:
        headers = {}
        secret = token or (self.tokens[role] if role else None)
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
        return await self.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


@pytest.fixture
async def api(client: httpx.AsyncClient, session: AsyncSession) -> Api:
    """A token for each role; the AUTHOR's belongs to a user who writes as `own_author`."""
    author = (
        await session.execute(insert(Author).values(name="Own Author", slug="own-author").returning(Author.id))
    ).scalar_one()
    tokens: dict[Role, str] = {}
    for role in Role:
        user_id = None
        if role is Role.AUTHOR:
            user_id = (
                await session.execute(
                    insert(User)
                    .values(
                        email="author@example.com", name="An Author", role="AUTHOR", password_hash="x", author_id=author
                    )
                    .returning(User.id)
                )
            ).scalar_one()
        secret = f"cms_test_{role.value.lower()}_{secrets.token_hex(8)}"
        await session.execute(
            insert(ApiToken).values(
                name=role.value,
                role=role.value,
                secret_hash=_digest(secret),
                user_id=user_id,
                kind="login" if user_id else "api",
            )
        )
        tokens[role] = secret
    await session.commit()
    return Api(client, tokens)


@pytest.fixture
async def resolver_api(
    api: Api,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    engine: AsyncEngine,
    media_storage: Storage,
    views: ViewRecorder,
) -> AsyncIterator[Api]:
    """`api` with the compiled read path off: every query goes through the resolvers."""
    resolvers = dataclasses.replace(settings, compiled_reads=False)
    app = create_app(resolvers, sessionmaker=sessionmaker, engine=engine, storage=media_storage, views=views)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cms.test") as client:
        yield Api(client, api.tokens)


@pytest.fixture
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every SQL statement sent while the test runs, in order."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine.sync_engine, "before_cursor_execute", record)


@pytest.fixture
async def committed_api(engine: AsyncEngine, settings: Settings) -> AsyncIterator[Api]:
    """An API whose requests each run on their own pooled connection and really commit, for
    tests of concurrent requests; every table is emptied afterwards."""
    from cms.db import Base
    from cms.db.engine import make_sessionmaker

    makers = make_sessionmaker(engine)
    tokens: dict[Role, str] = {}
    async with makers() as session, session.begin():
        for role in Role:
            secret = f"cms_test_{role.value.lower()}_{secrets.token_hex(8)}"
            await session.execute(
                insert(ApiToken).values(name=role.value, role=role.value, secret_hash=_digest(secret))
            )
            tokens[role] = secret
    app = create_app(settings, sessionmaker=makers, engine=engine)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cms.test") as client:
            yield Api(client, tokens)
    finally:
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        async with engine.begin() as conn:
            await conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


# Files whose tests run `cms` processes or load the demo: seconds each, where others take a
# fraction of one. Run first, so that the workers share them out while the short ones fill in.
SLOW_FILES = (
    "test_serve.py",
    "test_cli.py",
    "test_replicas.py",
    "test_demo.py",
    "test_role_matrix.py",
    "test_redis.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in SLOW_FILES)
