from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from cms.app import create_app
from cms.db import Article as ArticleRow
from cms.db.engine import make_sessionmaker
from cms.graphql.ids import parse_global_id
from cms.services import preview
from cms.services.preview import Link
from cms.vocabulary import Role
from tests import factories

CREATE = "mutation($id: ID!) { createPreviewLink(id: $id) { previewToken userErrors { code } } }"
REVOKE = "mutation($id: ID!) { revokePreviewLinks(id: $id) { userErrors { code } } }"
PREVIEW = "query($token: String!) { articlePreview(token: $token) { id title status } }"
MESSAGE = "the preview link is invalid, expired or revoked"


async def link(api, article_id: str, role: Role = Role.EDITOR) -> str:
    payload = (await api(CREATE, {"id": article_id}, role=role))["data"]["createPreviewLink"]
    assert payload["userErrors"] == [], payload
    token: str = payload["previewToken"]
    return token


def refused(body: dict[str, Any]) -> list[tuple[str, list[str], dict[str, Any]]]:
    return [(e["message"], e["path"], e["extensions"]) for e in body.get("errors", [])]


INVALID = [(MESSAGE, ["articlePreview"], {"code": "INVALID"})]


async def test_anyone_with_the_token_reads_the_draft_as_it_is_now(api):
    draft = await factories.create_article(api, title="First take")
    token = await link(api, draft["id"])
    await api(
        'mutation($id: ID!) { updateArticle(id: $id, input: {title: "Second take"}) { userErrors { code } } }',
        {"id": draft["id"]},
        role=Role.EDITOR,
    )

    body = await api(PREVIEW, {"token": token})

    assert body == {"data": {"articlePreview": {"id": draft["id"], "title": "Second take", "status": "DRAFT"}}}


async def test_its_relations_show_and_nothing_else_does(api):
    # A section, a tag, a byline and photos that only this draft uses: hidden from anonymous
    # callers everywhere else.
    section = await factories.section(api, name="Inquiries")
    writer = await factories.author(api, name="Ines Investigator")
    hero = await factories.media(api, url="https://img.example.com/hero.jpg")
    inline = await factories.media(api, url="https://img.example.com/inline.jpg")
    draft = await factories.create_article(
        api,
        title="The scoop",
        sectionId=section["id"],
        heroImageId=hero["id"],
        authorIds=[writer["id"]],
        tagNames=["Secret Project"],
        body=[{"paragraph": {"html": "It begins."}}, {"image": {"mediaId": inline["id"], "caption": "Proof"}}],
    )
    token = await link(api, draft["id"])

    body = await api(
        """query($token: String!, $id: ID!, $writer: ID!) {
          articlePreview(token: $token) {
            title authors { name } heroImage { url } section { slug name } tags { slug name }
            body { ... on ImageBlock { caption media { url } } } bodyText
          }
          article(id: $id) { id }
          node(id: $id) { id }
          articles { totalCount }
          sections { slug }
          tags { slug }
          author(id: $writer) { articles { totalCount } }
        }""",
        {"token": token, "id": draft["id"], "writer": writer["id"]},
    )

    assert body == {
        "data": {
            "articlePreview": {
                "title": "The scoop",
                "authors": [{"name": "Ines Investigator"}],
                "heroImage": {"url": "https://img.example.com/hero.jpg"},
                "section": {"slug": "inquiries", "name": "Inquiries"},
                "tags": [{"slug": "secret-project", "name": "Secret Project"}],
                "body": [{}, {"caption": "Proof", "media": {"url": "https://img.example.com/inline.jpg"}}],
                "bodyText": "It begins.\n\nProof",
            },
            "article": None,
            "node": None,
            "articles": {"totalCount": 0},
            "sections": [],
            "tags": [],
            "author": {"articles": {"totalCount": 0}},
        }
    }


async def test_its_desk_side_and_translations_stay_as_closed_as_for_any_anonymous_caller(api):
    draft = await factories.create_article(api, role=Role.AUTHOR, title="Original")
    live = await factories.create_article(api, title="Übersetzung", locale="de", translationOfId=draft["id"])
    await factories.publish(api, live["id"])
    await factories.create_article(api, title="번역", locale="ko", translationOfId=draft["id"])
    token = await link(api, draft["id"], role=Role.AUTHOR)
    desk = "lastEditedBy { name } reviewNote translations { title }"

    previewed = await api(f"query($token: String!) {{ articlePreview(token: $token) {{ {desk} }} }}", {"token": token})
    by_editor = await api(f"query($id: ID!) {{ article(id: $id) {{ {desk} }} }}", {"id": draft["id"]}, role=Role.EDITOR)

    assert previewed == {
        "data": {
            "articlePreview": {"lastEditedBy": None, "reviewNote": None, "translations": [{"title": "Übersetzung"}]}
        }
    }
    # What the token does not open, and an editor sees.
    assert by_editor["data"]["article"]["lastEditedBy"] == {"name": "An Author"}
    assert len(by_editor["data"]["article"]["translations"]) == 2


async def test_its_revisions_are_refused_as_to_any_anonymous_caller(api):
    draft = await factories.create_article(api)
    live = await factories.published_article(api)
    token = await link(api, draft["id"])

    previewed = await api("query($t: String!) { articlePreview(token: $t) { revisions { totalCount } } }", {"t": token})
    anonymous = await api("query($id: ID!) { article(id: $id) { revisions { totalCount } } }", {"id": live["id"]})

    assert previewed["data"] == {"articlePreview": None}
    assert anonymous["data"] == {"article": None}
    codes = [e["extensions"]["code"] for e in previewed["errors"]]
    assert codes == [e["extensions"]["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]


async def test_a_signed_in_caller_reads_it_too(api):
    draft = await factories.create_article(api, title="Any reader")
    token = await link(api, draft["id"])

    body = await api(PREVIEW, {"token": token}, role=Role.AUTHOR)

    assert body["data"]["articlePreview"]["title"] == "Any reader"


async def test_a_link_opens_over_get_as_a_frontend_would_fetch_it(api, client):
    draft = await factories.create_article(api, title="By GET")
    token = await link(api, draft["id"])

    response = await client.get("/graphql", params={"query": PREVIEW, "variables": json.dumps({"token": token})})

    assert response.status_code == 200
    assert response.json()["data"]["articlePreview"]["title"] == "By GET"


# Every way a token fails gives the one answer.


def flip(token: str, at: int) -> str:
    return token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1 :]


async def tampered(api, settings, sessionmaker) -> str:
    token = await link(api, (await factories.create_article(api))["id"])
    return flip(token, 10)


async def expired(api, settings, sessionmaker) -> str:
    draft = await factories.create_article(api)
    key = await preview.signing_key(settings, sessionmaker)
    _, pk = parse_global_id(draft["id"])
    return preview.sign(key, Link(pk, 0, datetime.now(UTC) - timedelta(seconds=1)))


async def signed_with_another_key(api, settings, sessionmaker) -> str:
    _, pk = parse_global_id((await factories.create_article(api))["id"])
    return preview.sign(bytes(32), Link(pk, 0, datetime.now(UTC) + timedelta(hours=1)))


async def revoked(api, settings, sessionmaker) -> str:
    draft = await factories.create_article(api)
    token = await link(api, draft["id"])
    await api(REVOKE, {"id": draft["id"]}, role=Role.EDITOR)
    return token


async def of_a_deleted_article(api, settings, sessionmaker) -> str:
    draft = await factories.create_article(api)
    token = await link(api, draft["id"])
    body = await api(
        "mutation($id: ID!) { deleteArticle(id: $id) { userErrors { code } } }", {"id": draft["id"]}, role=Role.EDITOR
    )
    assert body["data"]["deleteArticle"]["userErrors"] == [], body
    return token


async def of_an_article_never_made(api, settings, sessionmaker) -> str:
    key = await preview.signing_key(settings, sessionmaker)
    return preview.sign(key, Link(2**40, 0, datetime.now(UTC) + timedelta(hours=1)))


def garbage(value: str) -> Any:
    async def make(api, settings, sessionmaker) -> str:
        return value

    return make


FAILING = {
    "tampered": tampered,
    "expired": expired,
    "signed with another key": signed_with_another_key,
    "revoked": revoked,
    "of a deleted article": of_a_deleted_article,
    "of an article never made": of_an_article_never_made,
    "empty": garbage(""),
    "10000 characters": garbage("A" * 10_000),
    "non-ASCII": garbage("ünïcödé" * 10 + "é"),
    "a global ID": garbage("QXJ0aWNsZTox"),
}


@pytest.mark.parametrize("make", FAILING.values(), ids=FAILING.keys())
async def test_a_token_that_fails_gives_null_and_one_invalid_error(api, session, settings, sessionmaker, make):
    token = await make(api, settings, sessionmaker)

    body = await api(PREVIEW, {"token": token})

    assert body["data"] == {"articlePreview": None}
    assert refused(body) == INVALID


async def test_a_nul_is_refused_with_the_request_before_the_token_is_read(api):
    body = await api(PREVIEW, {"token": "\x00" * 71})

    assert body == {
        "errors": [
            {
                "message": "strings must not contain NUL characters or lone surrogates",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]
    }


async def test_a_revoked_link_is_refused_while_a_new_one_opens(api):
    draft = await factories.create_article(api, title="Again")
    old = await link(api, draft["id"])
    await api(REVOKE, {"id": draft["id"]}, role=Role.EDITOR)

    new = await link(api, draft["id"])

    assert refused(await api(PREVIEW, {"token": old})) == INVALID
    assert (await api(PREVIEW, {"token": new}))["data"]["articlePreview"]["title"] == "Again"


async def test_a_link_made_by_one_server_process_opens_on_another(committed_api, engine, settings):
    draft = await factories.create_article(committed_api, title="Across replicas")
    token = await link(committed_api, draft["id"])
    # A second app with a sessionmaker of its own: another process, with no key cached yet.
    other = create_app(settings, sessionmaker=make_sessionmaker(engine), engine=engine)

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=other), base_url="http://cms.test") as client:
        response = await client.post("/graphql", json={"query": PREVIEW, "variables": {"token": token}})

    assert response.json()["data"]["articlePreview"]["title"] == "Across replicas"


async def test_the_failed_read_writes_nothing(api, session):
    draft = await factories.create_article(api)
    before = (await session.scalars(select(ArticleRow.preview_epoch))).all()

    await api(PREVIEW, {"token": flip(await link(api, draft["id"]), 30)})

    assert (await session.scalars(select(ArticleRow.preview_epoch))).all() == before


async def test_a_preview_read_over_get_is_never_cached(api, client):
    article = await factories.create_article(api, title="Draft under embargo")
    created = await api(
        "mutation($id: ID!) { createPreviewLink(id: $id) { previewToken } }", {"id": article["id"]}, role=Role.EDITOR
    )
    token = created["data"]["createPreviewLink"]["previewToken"]

    response = await client.get(
        "/graphql",
        params={
            "query": "query($t: String!) { articlePreview(token: $t) { title } }",
            "variables": f'{{"t": "{token}"}}',
        },
    )

    assert response.json() == {"data": {"articlePreview": {"title": "Draft under embargo"}}}
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers
