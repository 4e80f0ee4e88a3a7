"""Developer mode (what `make run` runs) opens the schema to everyone and serves GraphiQL;
production (CMS_DATABASE_URL set) opens it to signed-in callers only."""

from __future__ import annotations

import httpx
import pytest

from cms.app import create_app
from cms.config import Settings
from cms.graphql.ide import EXAMPLE
from cms.vocabulary import Role
from tests import factories

INTROSPECTION = "{ __schema { queryType { name } } }"
TYPO = "{ articels { totalCount } }"


@pytest.fixture
def connect(sessionmaker, engine):
    def make(**settings: object) -> httpx.AsyncClient:
        app = create_app(
            Settings(database_url="postgresql://unused", **settings), sessionmaker=sessionmaker, engine=engine
        )
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cms.test")

    return make


async def test_graphiql_opens_on_a_newsroom_query_that_runs(connect, api):
    await factories.published_article(api, title="Front page")
    async with connect(developer_mode=True, graphiql=True) as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        example = await client.post("/graphql", json={"query": EXAMPLE})

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<title>Newsroom CMS · GraphiQL</title>" in page.text
    assert "query Homepage {" in page.text
    assert "Welcome to GraphiQL" not in page.text
    assert "errors" not in example.json()
    assert example.json()["data"]["articles"]["edges"][0]["node"]["title"] == "Front page"


async def test_production_serves_no_graphiql(client):
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code != 200
    assert "GraphiQL" not in page.text


@pytest.mark.parametrize(
    ("mode", "role", "open_"),
    [
        ({}, None, False),
        ({}, Role.PREVIEW, True),
        ({"developer_mode": True}, None, True),
        ({"public_introspection": True}, None, True),
    ],
    ids=["production-anonymous", "production-signed-in", "developer-mode", "enabled"],
)
async def test_introspection_and_suggestions(connect, api, mode, role, open_):
    headers = {"Authorization": f"Bearer {api.tokens[role]}"} if role else {}
    async with connect(**mode) as client:
        schema = await client.post("/graphql", json={"query": INTROSPECTION}, headers=headers)
        typo = await client.post("/graphql", json={"query": TYPO}, headers=headers)
        typename = await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)

    assert typename.json() == {"data": {"__typename": "Query"}}
    [typo_error] = typo.json()["errors"]
    assert typo_error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    if open_:
        assert schema.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
        assert typo_error["message"].endswith("Did you mean 'articles' or 'article'?")
    else:
        assert schema.json()["errors"] == [
            {
                "message": "introspection is for signed-in callers here: send a bearer token",
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ]
        assert typo_error["message"] == "Cannot query field 'articels' on type 'Query'."
