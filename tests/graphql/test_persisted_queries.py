"""Automatic persisted queries: a hash alone, PersistedQueryNotFound, then the document once."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests import factories

QUERY = "query Latest { articles(first: 2) { edges { node { slug } } } }"
DIGEST = hashlib.sha256(QUERY.encode()).hexdigest()


def extensions(digest: str = DIGEST, version: int = 1) -> str:
    return json.dumps({"persistedQuery": {"version": version, "sha256Hash": digest}})


async def test_an_unknown_hash_is_not_found_then_registered_by_the_document(api, client):
    await factories.published_article(api, title="Live")

    unknown = await client.get("/graphql", params={"extensions": extensions()})
    registered = await client.post("/graphql", json={"query": QUERY, "extensions": json.loads(extensions())})
    by_hash = await client.get("/graphql", params={"extensions": extensions(), "operationName": "Latest"})

    assert unknown.status_code == 200
    assert unknown.headers["cache-control"] == "no-store"
    assert unknown.json() == {
        "errors": [{"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]
    }
    assert registered.json() == {"data": {"articles": {"edges": [{"node": {"slug": "live"}}]}}}
    assert by_hash.status_code == 200
    assert by_hash.json() == registered.json()
    assert by_hash.headers["cache-control"].startswith("public")


async def test_a_hash_known_to_another_process_is_found(api, client, sessionmaker):
    from cms.graphql.persisted import PersistedQueries

    await PersistedQueries(sessionmaker).resolve(QUERY, DIGEST)  # as another server would have

    response = await client.get("/graphql", params={"extensions": extensions()})

    assert response.json() == {"data": {"articles": {"edges": []}}}


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"query": "{ __typename }", "extensions": extensions()}, 400, "BAD_REQUEST"),
        ({"extensions": extensions(version=2)}, 400, "BAD_REQUEST"),
        ({"extensions": extensions(digest="abc")}, 400, "BAD_REQUEST"),
    ],
    ids=["hash-mismatch", "version", "not-a-hash"],
)
async def test_what_the_extension_cannot_mean_is_a_request_error(client, params, status, code):
    response = await client.get("/graphql", params=params)

    assert response.status_code == status
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == [code]


async def test_a_persisted_mutation_is_refused_over_get(api, client):
    mutation = 'mutation { createSection(input: {name: "X"}) { section { slug } } }'
    digest = hashlib.sha256(mutation.encode()).hexdigest()
    await client.post("/graphql", json={"query": mutation, "extensions": json.loads(extensions(digest))})

    response = await client.get("/graphql", params={"extensions": extensions(digest)})

    assert response.status_code == 405
