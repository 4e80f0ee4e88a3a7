"""Large operations take turns on the event loop (cms.graphql.turns): the loop polls its sockets
between stretches of their work, the answer is the same, and small operations never wait.

The loop's turns are observed, not timed: a ticker task writes "t" into a log each time the
loop runs it, and the operation's resolvers write their own letter. The longest run of resolver
letters with no "t" between them is the most work the loop did before it could answer anyone.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import strawberry
from sqlalchemy import insert
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info

from cms.db import Article
from cms.graphql import turns
from cms.graphql.schema import make_schema
from cms.vocabulary import Role
from tests.graphql.articles.test_statement_count import PAGE as STATEMENT_PAGE
from tests.graphql.articles.test_statement_count import newsroom, sql


def spin(n: int) -> int:
    """Some work for the CPU (tens of microseconds)."""
    return sum(i * i for i in range(n))


@strawberry.type
class Item:
    n: int

    @strawberry.field
    async def work(self, info: Info) -> int:
        info.context["log"].append("r")
        if self.n == 200 and "begun" in info.context:
            info.context["begun"].set()
        return spin(300) + self.n

    @strawberry.field
    def label(self, info: Info) -> str:
        info.context["log"].append("s")
        return f"item {self.n}"

    @strawberry.field
    async def strict(self, info: Info) -> int:
        if self.n == info.context.get("failing"):
            raise ValueError(f"item {self.n} failed")
        return self.n

    @strawberry.field
    async def lenient(self, info: Info) -> int | None:
        return await self.strict(info)


@strawberry.type
class Query:
    @strawberry.field
    def items(self, n: int) -> list[Item]:
        return [Item(n=i) for i in range(n)]


def schema(taking_turns: bool) -> strawberry.Schema:
    executor = turns.TakingTurns if taking_turns else StrawberryGraphQLCoreExecutionContext
    return strawberry.Schema(query=Query, execution_context_class=executor)


@contextlib.asynccontextmanager
async def ticking(log: list[str]) -> AsyncIterator[None]:
    async def tick() -> None:
        while True:
            log.append("t")
            await asyncio.sleep(0)

    ticker = asyncio.ensure_future(tick())
    await asyncio.sleep(0)
    try:
        yield
    finally:
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker


def longest_run(log: list[str]) -> int:
    """The most resolver entries in the log with no tick between them."""
    return max(len(run) for run in "".join(log).split("t"))


async def run(query: str, *, cost: int, taking_turns: bool = True, **context: Any) -> tuple[Any, list[str]]:
    log: list[str] = []
    async with ticking(log):
        turns.estimated(cost)  # as CachedDocuments does once the cost is known
        result = await schema(taking_turns).execute(query, context_value={"log": log, **context})
    assert result.errors is None
    return result.data, log


async def test_a_large_operation_lets_the_loop_run_between_stretches_of_resolvers():
    n = 2000
    data, log = await run(f"{{ items(n: {n}) {{ n work }} }}", cost=turns.HEAVY)
    plain, plain_log = await run(f"{{ items(n: {n}) {{ n work }} }}", cost=turns.HEAVY, taking_turns=False)

    assert data == plain
    assert log.count("r") == n
    # Without turns, every resolver starts in one pass of the loop.
    assert longest_run(plain_log) == n
    assert longest_run(log) < n // 4
    assert log.count("t") > 8


async def test_a_long_list_is_completed_in_stretches():
    n = 20_000
    data, log = await run(f"{{ items(n: {n}) {{ label }} }}", cost=turns.HEAVY)
    _, plain_log = await run(f"{{ items(n: {n}) {{ label }} }}", cost=turns.HEAVY, taking_turns=False)

    assert data == {"items": [{"label": f"item {i}"} for i in range(n)]}
    assert longest_run(plain_log) == n
    assert longest_run(log) < n // 4


async def test_a_small_operation_never_waits():
    line = turns.loop_line()
    assert line is not None
    before = line.waited

    data, log = await run("{ items(n: 2000) { work } }", cost=turns.HEAVY - 1)

    assert line.waited == before
    assert longest_run(log) == 2000
    assert len(data["items"]) == 2000


@pytest.mark.parametrize("failing", [0, 1500, 2999])
@pytest.mark.parametrize("field", ["strict", "lenient"])
async def test_an_error_in_a_list_is_the_same_as_without_turns(field, failing):
    query = f"{{ items(n: 3000) {{ n {field} }} }}"
    results = []
    for taking_turns in (True, False):
        turns.estimated(turns.HEAVY)
        result = await schema(taking_turns).execute(query, context_value={"log": [], "failing": failing})
        results.append((result.data, [(e.message, e.path) for e in result.errors or []]))

    assert results[0] == results[1]
    data, errors = results[0]
    assert errors == [(f"item {failing} failed", ["items", failing, field])]
    if field == "strict":  # a non-null field: the whole list is null, and so is the data
        assert data is None
    else:
        assert data["items"][failing] == {"n": failing, field: None}
        assert len(data["items"]) == 3000


async def test_an_operation_cancelled_while_waiting_leaves_the_line_working():
    log: list[str] = []
    begun = asyncio.Event()

    async def heavy() -> Any:
        turns.estimated(turns.HEAVY)
        context = {"log": log, "begun": begun}
        return await schema(True).execute("{ items(n: 5000) { n work label } }", context_value=context)

    async with ticking(log):
        task = asyncio.ensure_future(heavy())
        await begun.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        begun = log.count("r")

        data, _ = await run("{ items(n: 3000) { n work } }", cost=turns.HEAVY)

    assert begun < 5000
    assert [item["n"] for item in data["items"]] == list(range(3000))


def test_the_schema_executes_taking_turns():
    assert make_schema().execution_context_class is turns.TakingTurns


PAST = datetime(2026, 1, 1, tzinfo=UTC)
PAGE = "articles(first: 100) { edges { node { title bodyHtml bodyText authors { name } tags { name } } } }"
HEAVY_READ = "{ " + " ".join(f"p{i}: {PAGE}" for i in range(16)) + " }"


async def test_healthz_is_answered_while_a_signed_in_read_of_1600_bodies_runs(api, client, session):
    paragraphs = [
        {"type": "paragraph", "html": f"Paragraph {p} with <em>emphasis</em> and more words."} for p in range(8)
    ]
    await session.execute(
        insert(Article),
        [
            {
                "slug": f"story-{i}",
                "title": f"Story {i}",
                "status": "PUBLISHED",
                "body": paragraphs,
                "published_at": PAST,
            }
            for i in range(100)
        ],
    )
    await session.commit()
    line = turns.loop_line()
    assert line is not None
    before = line.waited

    heavy = asyncio.ensure_future(
        api.client.post(
            "/graphql",
            json={"query": HEAVY_READ, "extensions": {"cost": True}},
            headers={"Authorization": f"Bearer {api.tokens[Role.EDITOR]}"},
        )
    )
    answered = 0
    while not heavy.done():
        assert (await client.get("/healthz")).text == "ok"
        answered += 1
        await asyncio.sleep(0.001)  # in process, a health check never waits for the loop: a client does
    response = heavy.result()

    body = response.json()
    assert response.status_code == 200, body.get("errors")
    assert 10_000 < body["extensions"]["cost"]["estimated"] <= 100_000  # over the anonymous budget
    assert all(len(body["data"][f"p{i}"]["edges"]) == 100 for i in range(16))
    assert line.waited > before
    assert answered > 1


@pytest.mark.parametrize("stretch", [0.0, turns.SLICE], ids=["every-step-waits", "default"])
async def test_a_page_still_takes_one_statement_per_relation(resolver_api, session, statements, monkeypatch, stretch):
    # A stretch of no time at all: every resolver waits in line, and every list item.
    monkeypatch.setattr(turns, "SLICE", stretch)
    await newsroom(session, 100)
    statements.clear()

    body = await resolver_api(STATEMENT_PAGE, {"first": 100})

    assert len(body["data"]["articles"]["edges"]) == 100
    # articles, bylines, media (hero images and avatars together), sections, tags
    assert len(sql(statements)) == 5, sql(statements)
