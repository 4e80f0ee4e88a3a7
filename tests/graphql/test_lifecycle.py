"""The life of an operation, shared by every transport: one transaction with after-commit
callbacks, documents parsed and validated once, errors coded and masked."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from threading import get_ident

import pytest
import strawberry
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cms.config import Settings
from cms.db import Section
from cms.graphql import limits
from cms.graphql.context import Context, Info
from cms.graphql.lifecycle import ErrorPolicy, OperationTransaction
from cms.vocabulary import Role
from graphql import GraphQLError

GRAPHQL_RESPONSE = "application/graphql-response+json"


def recording_sessionmaker(connection, events: list[str], *, failing_commit: bool = False):
    class Recording(AsyncSession):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            events.append("open")

        async def commit(self) -> None:
            if failing_commit:
                raise OperationalError("COMMIT", {}, Exception("server closed the connection"))
            await super().commit()
            events.append("commit")

        async def rollback(self) -> None:
            await super().rollback()
            events.append("rollback")

    return async_sessionmaker(
        bind=connection, class_=Recording, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@strawberry.type
class Query:
    @strawberry.field
    async def write(self, info: Info, slug: str, refuse: bool = False) -> bool:
        async with info.context.db() as session:
            session.add(Section(name=slug, slug=slug))
            await session.flush()

        async def after() -> None:
            info.context.events.append("callback")  # type: ignore[attr-defined]

        info.context.on_commit(after)
        if refuse:
            raise GraphQLError("refused", extensions={"code": "FORBIDDEN"})
        return True


@dataclass
class RecordingContext(Context):
    events: list[str] = field(default_factory=list)


SCHEMA = strawberry.Schema(query=Query, extensions=[ErrorPolicy, OperationTransaction])


async def run(connection, query: str, *, failing_commit: bool = False) -> tuple[object, list[str]]:
    events: list[str] = []
    maker = recording_sessionmaker(connection, events, failing_commit=failing_commit)
    context = RecordingContext(Settings(database_url="postgresql://unused"), maker, events=events)
    return await SCHEMA.execute(query, context_value=context), events


async def sections(session, slug: str) -> int:
    return int(await session.scalar(select(func.count()).select_from(Section).where(Section.slug == slug)))


async def test_an_operation_commits_and_then_runs_its_callbacks(connection, session):
    result, events = await run(connection, '{ write(slug: "kept") }')

    assert result.errors is None
    assert events == ["open", "commit", "callback"]
    assert await sections(session, "kept") == 1


async def test_an_operation_with_errors_rolls_back_and_runs_no_callback(connection, session):
    result, events = await run(connection, '{ write(slug: "gone", refuse: true) }')

    assert [e.extensions["code"] for e in result.errors] == ["FORBIDDEN"]
    assert events == ["open", "rollback"]
    assert await sections(session, "gone") == 0


async def test_a_failed_commit_is_a_masked_error_and_runs_no_callback(connection, session):
    result, events = await run(connection, '{ write(slug: "lost") }', failing_commit=True)

    assert result.data is None
    [error] = result.errors
    assert (error.message, error.extensions["code"]) == (
        "Unexpected error; the request id tells the operator where to look.",
        "INTERNAL_SERVER_ERROR",
    )
    assert "callback" not in events
    assert await sections(session, "lost") == 0


@pytest.mark.parametrize("query", ["{ write(slug: ", "{ nope }"], ids=["parse", "validation"])
async def test_a_document_that_cannot_run_takes_no_connection(connection, query):
    result, events = await run(connection, query)
    assert result.errors
    assert events == []


async def test_a_document_is_parsed_and_validated_once(api, monkeypatch):
    parsed, validated = [], []
    real_parse, real_validate = limits.parse, limits.validate_document
    monkeypatch.setattr(limits, "parse", lambda *args, **kw: parsed.append(1) or real_parse(*args, **kw))
    monkeypatch.setattr(limits, "validate_document", lambda *args: validated.append(1) or real_validate(*args))
    query = f"query Home_{secrets.token_hex(4)} {{ articles(first: 5) {{ edges {{ node {{ title }} }} }} }}"

    first = await api(query)
    second = await api(query)
    third = await api(query, role=Role.EDITOR)

    assert first == second == third == {"data": {"articles": {"edges": []}}}
    assert (len(parsed), len(validated)) == (1, 1)


@pytest.mark.parametrize("role", [None, Role.EDITOR], ids=["anonymous", "signed-in"])
async def test_a_new_document_is_parsed_and_validated_off_the_event_loop(api, monkeypatch, role):
    threads = []
    real_validate = limits.validate_document
    monkeypatch.setattr(limits, "validate_document", lambda *args: threads.append(get_ident()) or real_validate(*args))
    query = f"query Home_{secrets.token_hex(4)} {{ articles(first: 5) {{ edges {{ node {{ title }} }} }} }}"

    assert await api(query, role=role) == {"data": {"articles": {"edges": []}}}

    assert len(threads) == 1
    assert threads[0] != get_ident()


async def test_variables_are_checked_on_every_request(api):
    query = "query($n: String!) { article(slug: $n) { id } }"
    fine = await api.post(query, {"n": "fine"})
    unstorable = await api.post(query, {"n": "a\u0000b"})
    assert fine.json() == {"data": {"article": None}}
    assert unstorable.status_code == 200  # application/json: request errors keep 200
    assert unstorable.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("payload", "status", "expected"),
    [
        ({"query": "query A { viewer { role } } query B { sections { slug } }"}, 400, "BAD_REQUEST"),
        ({"query": "query A { viewer { role } }", "operationName": "Nope"}, 400, "BAD_REQUEST"),
        ({"query": "query A { viewer { role } }", "operationName": ""}, 400, "BAD_REQUEST"),
        ({"query": "query A { viewer { role } }", "operationName": False}, 400, "BAD_REQUEST"),
        ({"query": "query A { viewer { role } }", "operationName": 0}, 400, "BAD_REQUEST"),
        ({"query": "query A { viewer { role } } query B { sections { slug } }", "operationName": "B"}, 200, None),
    ],
    ids=["several-unnamed", "unknown", "empty", "false", "zero", "named"],
)
async def test_the_operation_to_run_must_be_clear(client, caplog, payload, status, expected):
    response = await client.post("/graphql", json=payload, headers={"Accept": GRAPHQL_RESPONSE})

    assert response.status_code == status
    if expected is None:
        assert response.json() == {"data": {"sections": []}}
    else:
        assert [e["extensions"]["code"] for e in response.json()["errors"]] == [expected]
        assert "data" not in response.json()
    assert "Traceback" not in caplog.text
