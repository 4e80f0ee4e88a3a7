"""Every mutation, as each of the five roles: who gets through, who is refused, and that a
refusal writes nothing. A mutation without a row here fails the first test."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from cms.graphql.schema import make_schema
from cms.vocabulary import Role
from tests import factories
from tests.graphql.roles import ROLES, Setup, check_roles

EVERYONE = set(ROLES)
WRITERS = {Role.AUTHOR, Role.EDITOR, Role.ADMIN}
EDITORS = {Role.EDITOR, Role.ADMIN}
ADMINS = {Role.ADMIN}
PAYLOAD = "userErrors { code }"


def unique() -> str:
    return secrets.token_hex(4)


async def nothing(api: Any) -> dict[str, Any]:
    return {}


async def an_author(api: Any) -> dict[str, Any]:
    return {"id": (await factories.author(api, f"Author {unique()}"))["id"]}


async def editors_media(api: Any) -> dict[str, Any]:
    return {"id": (await factories.media(api))["id"]}


async def own_draft(api: Any) -> dict[str, Any]:
    # The AUTHOR's own byline is on it: only the role decides.
    return {"id": (await factories.create_article(api, role=Role.AUTHOR, title=f"Own {unique()}"))["id"]}


async def a_draft(api: Any) -> dict[str, Any]:
    return {"id": (await factories.create_article(api, title=f"Draft {unique()}"))["id"]}


async def a_live_article(api: Any) -> dict[str, Any]:
    return {"id": (await factories.published_article(api, title=f"Live {unique()}"))["id"]}


async def a_token(api: Any) -> dict[str, Any]:
    body = await api(
        'mutation { createApiToken(input: {name: "t", role: PREVIEW}) { apiToken { id } } }', role=Role.ADMIN
    )
    return {"id": body["data"]["createApiToken"]["apiToken"]["id"]}


async def a_trending_list(api: Any) -> dict[str, Any]:
    slug = f"list-{unique()}"
    await api(
        f'mutation {{ createTrendingList(input: {{title: "L", slug: "{slug}"}}) {{ {PAYLOAD} }} }}', role=Role.EDITOR
    )
    return {"slug": slug, "ids": [(await a_live_article(api))["id"]]}


async def new_user(api: Any) -> dict[str, Any]:
    return {"email": f"u{unique()}@example.com"}


async def new_slug(api: Any) -> dict[str, Any]:
    return {"name": f"Name {unique()}"}


CASES: dict[str, tuple[str, Setup, set[Role | None]]] = {
    "login": (
        f'mutation {{ login(email: "nobody@example.com", password: "not the password") {{ token {PAYLOAD} }} }}',
        nothing,
        EVERYONE,
    ),
    "createUser": (
        'mutation($email: String!) { createUser(input: {email: $email, name: "U", role: EDITOR, '
        f'password: "long enough password"}}) {{ {PAYLOAD} }} }}',
        new_user,
        ADMINS,
    ),
    "createApiToken": (
        f'mutation {{ createApiToken(input: {{name: "t", role: EDITOR}}) {{ token {PAYLOAD} }} }}',
        nothing,
        ADMINS,
    ),
    "revokeApiToken": (f"mutation($id: ID!) {{ revokeApiToken(id: $id) {{ {PAYLOAD} }} }}", a_token, ADMINS),
    "createAuthor": (
        f"mutation($name: String!) {{ createAuthor(input: {{name: $name}}) {{ {PAYLOAD} }} }}",
        new_slug,
        EDITORS,
    ),
    "updateAuthor": (
        f'mutation($id: ID!) {{ updateAuthor(id: $id, input: {{bio: "b"}}) {{ {PAYLOAD} }} }}',
        an_author,
        EDITORS,
    ),
    "deleteAuthor": (f"mutation($id: ID!) {{ deleteAuthor(id: $id) {{ {PAYLOAD} }} }}", an_author, EDITORS),
    "createMedia": (
        f'mutation {{ createMedia(input: {{url: "https://img.example.com/m.jpg"}}) {{ {PAYLOAD} }} }}',
        nothing,
        WRITERS,
    ),
    # Media an editor registered: an AUTHOR may change only their own (see test_update_media).
    "updateMedia": (
        f'mutation($id: ID!) {{ updateMedia(id: $id, input: {{alt: "a"}}) {{ {PAYLOAD} }} }}',
        editors_media,
        EDITORS,
    ),
    "deleteMedia": (f"mutation($id: ID!) {{ deleteMedia(id: $id) {{ {PAYLOAD} }} }}", editors_media, EDITORS),
    "createSection": (
        f"mutation($name: String!) {{ createSection(input: {{name: $name}}) {{ {PAYLOAD} }} }}",
        new_slug,
        EDITORS,
    ),
    "createArticle": (
        f'mutation {{ createArticle(input: {{title: "T"}}) {{ {PAYLOAD} }} }}',
        nothing,
        WRITERS,
    ),
    "updateArticle": (
        f'mutation($id: ID!) {{ updateArticle(id: $id, input: {{title: "New"}}) {{ {PAYLOAD} }} }}',
        own_draft,
        WRITERS,
    ),
    "publishArticle": (f"mutation($id: ID!) {{ publishArticle(id: $id) {{ {PAYLOAD} }} }}", a_draft, EDITORS),
    "unpublishArticle": (
        f"mutation($id: ID!) {{ unpublishArticle(id: $id) {{ {PAYLOAD} }} }}",
        a_live_article,
        EDITORS,
    ),
    "deleteArticle": (f"mutation($id: ID!) {{ deleteArticle(id: $id) {{ {PAYLOAD} }} }}", own_draft, WRITERS),
    "createTrendingList": (
        f'mutation {{ createTrendingList(input: {{title: "Hot"}}) {{ {PAYLOAD} }} }}',
        nothing,
        EDITORS,
    ),
    "setTrendingPins": (
        f"mutation($slug: String!, $ids: [ID!]!) {{ setTrendingPins(slug: $slug, articleIds: $ids) {{ {PAYLOAD} }} }}",
        a_trending_list,
        EDITORS,
    ),
}


def test_every_mutation_has_a_matrix():
    assert set(CASES) == set(make_schema()._schema.mutation_type.fields)


@pytest.mark.parametrize("mutation", sorted(CASES))
async def test_roles(api, session, mutation):
    document, setup, allowed = CASES[mutation]
    await check_roles(api, session, document, setup, allowed)
