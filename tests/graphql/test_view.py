"""The /graphql endpoint as HTTP clients meet it (GraphQL over HTTP)."""

from __future__ import annotations

import logging

import httpx
import pytest
from sqlalchemy import func, select

from cms.app import create_app
from cms.config import Settings
from cms.db import Section
from cms.services import taxonomy
from cms.vocabulary import Role
from tests import factories

GRAPHQL_RESPONSE = "application/graphql-response+json"


async def test_get_runs_queries_and_is_cacheable_for_anonymous(client, api):
    await factories.published_article(api, title="Cached")
    response = await client.get("/graphql", params={"query": "{ articles { edges { node { slug } } } }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"articles": {"edges": [{"node": {"slug": "cached"}}]}}}
    # Surrogate keys name the objects shown by ID, for a CDN to purge; none here.
    assert response.headers["surrogate-key"] == "cms"
    assert response.headers["cache-control"] == "public, max-age=30, s-maxage=60, stale-while-revalidate=30"
    assert response.headers["content-type"] == "application/json"


async def test_get_with_variables_and_a_token_is_private(client, api):
    response = await client.get(
        "/graphql",
        params={"query": "query($s: String!) { article(slug: $s) { id } }", "variables": '{"s": "x"}'},
        headers={"Authorization": f"Bearer {api.tokens[Role.EDITOR]}"},
    )
    assert response.json() == {"data": {"article": None}}
    assert response.headers["cache-control"] == "no-store"


async def test_get_refuses_mutations(client, session):
    response = await client.get(
        "/graphql", params={"query": 'mutation { createSection(input: {name: "X"}) { userErrors { code } } }'}
    )
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_graphql_response_media_type_gives_400_on_invalid_documents(client):
    response = await client.post("/graphql", json={"query": "{ nope }"}, headers={"Accept": GRAPHQL_RESPONSE})
    assert response.status_code == 400
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_json_media_type_gives_200_on_invalid_documents(client):
    response = await client.post("/graphql", json={"query": "{ articles { "}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_field_errors_still_answer_200_with_data(client):
    response = await client.post(
        "/graphql",
        json={"query": 'mutation { createSection(input: {name: "X"}) { userErrors { code } } }'},
        headers={"Accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400, "BAD_REQUEST"),
        ({"content": b"query=1", "headers": {"Content-Type": "text/plain"}}, 415, "UNSUPPORTED_MEDIA_TYPE"),
        ({"json": ["not", "an", "object"]}, 400, "BAD_REQUEST"),
        ({"json": {"query": 42}}, 400, "BAD_REQUEST"),
        ({"json": {"query": "{ tags { slug } }", "variables": [1]}}, 400, "BAD_REQUEST"),
        ({"json": {"query": "{ tags { slug } }"}, "headers": {"Accept": "text/html"}}, 406, "NOT_ACCEPTABLE"),
    ],
    ids=["bad-json", "content-type", "not-object", "query-type", "variables-type", "accept"],
)
async def test_malformed_requests(client, kwargs, status, code):
    response = await client.post("/graphql", **kwargs)
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == code


@pytest.mark.parametrize(
    "raw",
    [
        b'{"query": "mutation($n: String!) { createSection(input: {name: $n}) { userErrors { code } } }", "variables": {"n": "a\\u0000b"}}',
        b'{"query": "mutation($n: String!) { createSection(input: {name: $n}) { userErrors { code } } }", "variables": {"n": "a\\ud800b"}}',
        b'{"query": "mutation { createSection(input: {name: \\"a\\\\u0000b\\"}) { userErrors { code } } }"}',
    ],
    ids=["nul-variable", "lone-surrogate", "nul-literal"],
)
async def test_unstorable_strings_are_invalid_and_write_nothing(api, client, session, raw):
    response = await client.post(
        "/graphql",
        content=raw,
        headers={
            "Content-Type": "application/json",
            "Accept": GRAPHQL_RESPONSE,
            "Authorization": f"Bearer {api.tokens[Role.EDITOR]}",
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert (await api("{ sections { slug } }"))["data"]["sections"] == []


async def test_body_size_is_limited(api, client):
    response = await client.post("/graphql", json={"query": "{ tags { slug } }", "pad": "x" * 1_100_000})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        (
            "{ articles { edges { node { authors { articles { edges { node { authors { articles { edges { node "
            "{ authors { articles { edges { node { id } } } } } } } } } } } } } } } }",
            "exceeds maximum operation depth",
        ),
        ("{ " + " ".join(f"a{i}: tags {{ slug }}" for i in range(40)) + " }", "aliases"),
        ("{ tags { " + "slug " * 4000 + "} }", "token"),
    ],
    ids=["depth", "aliases", "tokens"],
)
async def test_expensive_documents_are_refused(client, query, fragment):
    response = await client.post("/graphql", json={"query": query})
    body = response.json()
    assert body.get("data") is None
    assert fragment in body["errors"][0]["message"].lower()
    assert body["errors"][0]["extensions"]["code"] in {"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"}


async def test_unexpected_errors_are_masked_and_logged_with_the_request_id(client, monkeypatch, caplog):
    async def broken(session):
        raise RuntimeError("secret internals: SELECT password FROM users")

    monkeypatch.setattr(taxonomy, "list_tags", broken)
    with caplog.at_level(logging.ERROR, logger="cms.graphql"):
        response = await client.post(
            "/graphql", json={"query": "{ tags { slug } }"}, headers={"X-Request-ID": "req-123"}
        )

    error = response.json()["errors"][0]
    assert response.headers["x-request-id"] == "req-123"
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-123"}
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert any("req-123" in r.getMessage() and r.exc_info for r in caplog.records)


async def test_bad_or_malformed_credentials_are_refused_not_ignored(client):
    for header in ("Bearer cms_made_up", "Basic dXNlcjpwYXNz", "Bearer "):
        response = await client.post("/graphql", json={"query": "{ tags { slug } }"}, headers={"Authorization": header})
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_tokens_in_the_query_string_are_ignored(api, client):
    response = await client.get(
        "/graphql",
        params={
            "query": "{ viewer { role } }",
            "access_token": api.tokens[Role.ADMIN],
            "token": api.tokens[Role.ADMIN],
        },
    )
    assert response.json() == {"data": {"viewer": {"role": None}}}


async def test_one_log_line_per_request_without_secrets(api, client, caplog):
    with caplog.at_level(logging.INFO, logger="cms.request"):
        await client.post(
            "/graphql",
            json={"query": "query Home { tags { slug } }", "operationName": "Home"},
            headers={"Authorization": f"Bearer {api.tokens[Role.EDITOR]}", "X-Request-ID": "abc"},
        )
    lines = [r.getMessage() for r in caplog.records if r.name == "cms.request"]
    assert len(lines) == 1
    assert lines[0].startswith("POST /graphql op=Home status=200 duration_ms=")
    assert lines[0].endswith("request_id=abc")
    assert api.tokens[Role.EDITOR] not in caplog.text


async def test_a_failed_operation_rolls_back_everything(api, session):
    # The first mutation succeeds; the second is refused outright, so the whole operation's
    # transaction is undone, the first mutation's section included.
    body = await api(
        'mutation { a: createSection(input: {name: "Kept?"}) { section { slug } userErrors { code } } '
        'b: createUser(input: {email: "x@example.com", name: "X", role: ADMIN, password: "long enough pw"}) { userErrors { code } } }',
        role=Role.EDITOR,
    )
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert await session.scalar(select(func.count()).select_from(Section)) == 0
    alone = await api('mutation { createSection(input: {name: "Kept?"}) { section { slug } } }', role=Role.EDITOR)
    assert alone["data"]["createSection"]["section"] == {"slug": "kept"}
    assert await session.scalar(select(func.count()).select_from(Section)) == 1


async def test_graphiql_only_in_debug(sessionmaker, engine, client):
    assert (await client.get("/graphql", headers={"Accept": "text/html"})).status_code != 200
    app = create_app(Settings(database_url="postgresql://unused", debug=True), sessionmaker=sessionmaker, engine=engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cms.test") as debug_client:
        page = await debug_client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


async def test_other_methods_get_a_coded_405(client):
    response = await client.put("/graphql", json={"query": "{ tags { slug } }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_anonymous_get_revalidates_with_etag(client, api):
    await factories.published_article(api, title="Stable")
    params = {"query": "{ articles { edges { node { slug } } } }"}
    first = await client.get("/graphql", params=params)
    etag = first.headers["etag"]

    unchanged = await client.get("/graphql", params=params, headers={"If-None-Match": etag})
    await factories.published_article(api, title="Newer")
    changed = await client.get("/graphql", params=params, headers={"If-None-Match": etag})

    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"content": b"{not json"}, "BAD_REQUEST"),
        ({"json": {"variables": {}}}, "BAD_REQUEST"),
        (
            {"json": {"query": "query($n: Int!) { articles(first: $n) { totalCount } }", "variables": {"n": "ten"}}},
            "BAD_REQUEST",
        ),
        ({"json": {"query": "query($n: Int!) { articles(first: $n) { totalCount } }"}}, "BAD_REQUEST"),
        (
            {"json": {"query": "query($s: String!) { article(slug: $s) { id } }", "variables": {"s": "a\u0000"}}},
            "BAD_REQUEST",
        ),
        ({"json": {"query": '{ article(slug: "a\\u0000") { id } }'}}, "BAD_REQUEST"),
        ({"json": {"query": "{ viewer { role } }", "operationName": "Other"}}, "BAD_REQUEST"),
        ({"json": {"query": "query A { viewer { role } }", "operationName": ""}}, "BAD_REQUEST"),
        ({"json": {"query": "query A { viewer { role } }", "operationName": 0}}, "BAD_REQUEST"),
        ({"json": {"query": "query A { viewer { role } }", "operationName": False}}, "BAD_REQUEST"),
        ({"json": {"query": "query A { viewer { role } } query B { viewer { role } }"}}, "BAD_REQUEST"),
        ({"json": {"query": "{ viewer { role "}}, "GRAPHQL_PARSE_FAILED"),
        ({"json": {"query": "{ viewer { nope } }"}}, "GRAPHQL_VALIDATION_FAILED"),
    ],
    ids=[
        "bad-json",
        "missing-query",
        "variable-of-the-wrong-type",
        "missing-variable",
        "nul-in-a-variable",
        "nul-in-a-literal",
        "unknown-operation",
        "empty-operation-name",
        "zero-operation-name",
        "false-operation-name",
        "several-operations-none-named",
        "syntax",
        "unknown-field",
    ],
)
async def test_the_same_kind_of_mistake_gets_the_same_code(client, kwargs, code):
    headers = {"Content-Type": "application/json", "Accept": GRAPHQL_RESPONSE}
    response = await client.post("/graphql", headers=headers, **kwargs)

    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]


async def test_without_accept_the_answer_is_graphql_response_json(client):
    # httpx sends `Accept: */*` unless told otherwise; a request with no Accept at all:
    response = await client.post("/graphql", json={"query": "{ nope }"}, headers={"Accept": ""})
    legacy = await client.post("/graphql", json={"query": "{ nope }"}, headers={"Accept": "application/json"})

    assert response.status_code == 400
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    assert legacy.status_code == 200
    assert legacy.headers["content-type"] == "application/json"
