"""The cost budget: estimated from the document before anything runs, refused over the caller's
budget, reported when asked."""

from __future__ import annotations

import pytest

from cms.graphql.cost import DEFAULT_LIST, DEFAULT_PAGE, operation_cost
from cms.graphql.schema import make_schema
from cms.vocabulary import Role
from graphql import parse

SCHEMA = make_schema()._schema

ATTACK = "{ articles(first: 100) { edges { node { authors { articles(first: 100) { edges { node { authors { articles(first: 100) { edges { node { title } } } } } } } } } } } }"


def cost(document: str, variables: dict | None = None, operation: str | None = None) -> int:
    return operation_cost(SCHEMA, parse(document), operation, variables)


def test_a_field_costs_one_and_a_list_multiplies_what_it_holds():
    assert cost('{ article(slug: "a") { title slug } }') == 3
    # articles + edges (x5) of (edge + node (+ title)) = 1 + 1 + 5 * (1 + 1)
    assert cost("{ articles(first: 5) { edges { node { title } } } }") == 1 + 1 + 5 * (1 + 1)
    assert cost("{ articles { edges { node { title } } } }") == 2 + DEFAULT_PAGE * 2
    assert cost('{ article(slug: "a") { tags { slug name } } }') == 2 + DEFAULT_LIST * 2


def test_first_from_variables():
    document = "query($n: Int) { articles(first: $n) { edges { node { title } } } }"
    assert cost(document, {"n": 50}) == 2 + 50 * 2
    assert cost(document, {}) == 2 + DEFAULT_PAGE * 2


def test_nested_connections_multiply():
    assert cost(ATTACK) > 100 * DEFAULT_LIST * 100 * DEFAULT_LIST * 100


def test_aliases_and_fragments_count_each_use():
    one = cost("{ articles(first: 10) { edges { node { title } } } }")
    assert (
        cost(
            "{ a: articles(first: 10) { edges { node { title } } } b: articles(first: 10) { edges { node { title } } } }"
        )
        == 2 * one
    )
    spread = """
    query { a: articles(first: 10) { ...Page } b: articles(first: 10) { ...Page } }
    fragment Page on ArticleConnection { edges { node { ... on Article { title } } } }
    """
    assert cost(spread) == 2 * one


def test_the_named_operation_is_the_one_counted():
    document = (
        'query Small { article(slug: "a") { title } } query Large { articles(first: 100) { edges { node { title } } } }'
    )
    assert cost(document, operation="Small") == 2
    assert cost(document, operation="Large") == 2 + 100 * 2


async def test_the_fan_out_attack_is_refused_before_any_sql(api, statements):
    statements.clear()
    body = await api(ATTACK)

    [error] = body["errors"]
    assert error["extensions"]["code"] == "COST_LIMIT_EXCEEDED"
    assert error["extensions"]["limit"] == 10_000
    assert error["extensions"]["cost"] > 10_000_000
    assert "over the limit of 10000 for anonymous callers" in error["message"]
    assert "data" not in body
    assert statements == []


async def test_signed_in_callers_have_a_larger_budget(api):
    document = "{ articles(first: 100) { edges { node { title related(first: 20) { title authors { name } } } } } }"
    assert 10_000 < cost(document) <= 100_000

    anonymous = await api(document)
    editor = await api(document, role=Role.EDITOR)

    assert anonymous["errors"][0]["extensions"]["code"] == "COST_LIMIT_EXCEEDED"
    assert editor == {"data": {"articles": {"edges": []}}}


@pytest.mark.parametrize(
    "document",
    [
        # The README's first query: a section page and a trending list.
        """{ articles(first: 10, filter: { sectionSlug: "world" }) {
             edges { node { title slug publishedAt authors { name } heroImage { url credit } } }
             pageInfo { hasNextPage endCursor } }
           trendingList(slug: "trending-now") { title entries { rank article { title slug } } } }""",
        # A homepage: 20 latest with bylines, photo, section and tags.
        """{ articles(first: 20) { edges { node { title slug standfirst publishedAt
             authors { name slug avatar { url } } heroImage { url alt credit } section { name slug } tags { slug name } } } } }""",
    ],
)
async def test_what_frontends_ask_fits_the_anonymous_budget(api, document):
    body = await api(document)
    assert "errors" not in body, body


async def test_the_cost_is_reported_when_asked(client):
    response = await client.post(
        "/graphql", json={"query": "{ articles(first: 5) { edges { node { title } } } }", "extensions": {"cost": True}}
    )
    plain = await client.post("/graphql", json={"query": "{ articles(first: 5) { edges { node { title } } } }"})

    assert response.json()["extensions"] == {"cost": {"estimated": 12, "limit": 10_000}}
    assert "extensions" not in plain.json()
