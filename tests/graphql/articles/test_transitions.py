"""The status machine, every cell of it: each state x action x role, allowed (and where it leads)
or refused (and how), with nothing written when refused. The expected table is written out here
by hand from the workflow's rules, not derived from the code's table."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from cms.db import Article, ArticleAuthor, AuditEvent, Author
from cms.graphql.ids import decode_id, to_global_id
from cms.vocabulary import Role

ANON, PREVIEW, AUTHOR, EDITOR, ADMIN = None, Role.PREVIEW, Role.AUTHOR, Role.EDITOR, Role.ADMIN
ROLES = [ANON, PREVIEW, AUTHOR, EDITOR, ADMIN]
STATES = ["DRAFT", "IN_REVIEW", "SCHEDULED", "PUBLISHED", "ARCHIVED"]
P = "userErrors { field message code }"
ACTIONS = {
    "update": f'mutation($id: ID!) {{ r: updateArticle(id: $id, input: {{title: "Changed"}}) {{ {P} }} }}',
    "submit": f"mutation($id: ID!) {{ r: submitArticleForReview(id: $id) {{ {P} }} }}",
    "return": f'mutation($id: ID!) {{ r: returnArticleToDraft(id: $id, note: "More sources, please.") {{ {P} }} }}',
    "publish": f"mutation($id: ID!) {{ r: publishArticle(id: $id) {{ {P} }} }}",
    "unpublish": f"mutation($id: ID!) {{ r: unpublishArticle(id: $id) {{ {P} }} }}",
    "archive": f"mutation($id: ID!) {{ r: archiveArticle(id: $id) {{ {P} }} }}",
    "restore": f"mutation($id: ID!) {{ r: restoreArticle(id: $id) {{ {P} }} }}",
    "delete": f"mutation($id: ID!) {{ r: deleteArticle(id: $id) {{ {P} }} }}",
}
# Editors (EDITOR and ADMIN alike), by state and action: the state it leads to, or INVALID.
EDITORS: dict[str, dict[str, str]] = {
    "DRAFT": {"update": "DRAFT", "submit": "IN_REVIEW", "return": "INVALID", "publish": "PUBLISHED",
              "unpublish": "INVALID", "archive": "ARCHIVED", "restore": "INVALID", "delete": "DELETED"},
    "IN_REVIEW": {"update": "IN_REVIEW", "submit": "INVALID", "return": "DRAFT", "publish": "PUBLISHED",
                  "unpublish": "INVALID", "archive": "ARCHIVED", "restore": "INVALID", "delete": "DELETED"},
    "SCHEDULED": {"update": "SCHEDULED", "submit": "INVALID", "return": "INVALID", "publish": "PUBLISHED",
                  "unpublish": "DRAFT", "archive": "ARCHIVED", "restore": "INVALID", "delete": "DELETED"},
    "PUBLISHED": {"update": "PUBLISHED", "submit": "INVALID", "return": "INVALID", "publish": "PUBLISHED",
                  "unpublish": "DRAFT", "archive": "ARCHIVED", "restore": "INVALID", "delete": "DELETED"},
    "ARCHIVED": {"update": "INVALID", "submit": "INVALID", "return": "INVALID", "publish": "INVALID",
                 "unpublish": "INVALID", "archive": "INVALID", "restore": "DRAFT", "delete": "DELETED"},
}  # fmt: skip
# The article's own AUTHOR: never publishes; edits and deletes only what is not out yet.
AUTHORS: dict[str, dict[str, str]] = {
    "DRAFT": {"update": "DRAFT", "submit": "IN_REVIEW", "delete": "DELETED"},
    "IN_REVIEW": {"update": "DRAFT", "submit": "INVALID", "delete": "DELETED"},
    "SCHEDULED": {"update": "FORBIDDEN", "submit": "INVALID", "delete": "FORBIDDEN"},
    "PUBLISHED": {"update": "FORBIDDEN", "submit": "INVALID", "delete": "FORBIDDEN"},
    "ARCHIVED": {"update": "INVALID", "submit": "INVALID", "delete": "FORBIDDEN"},
}
EDITORS_ONLY = {"return", "publish", "unpublish", "archive", "restore"}


def expected(state: str, action: str, role: Role | None) -> str:
    if role is ANON:
        return "UNAUTHENTICATED"
    if role is PREVIEW or (role is AUTHOR and action in EDITORS_ONLY):
        return "FORBIDDEN"
    if role is AUTHOR:
        return AUTHORS[state][action]
    return EDITORS[state][action]


async def article_in(session: Any, state: str) -> str:
    """An article of the AUTHOR's own byline in `state`, written directly (this file is about the
    steps from it, which the API takes)."""
    now = datetime.now(UTC)
    stored, published_at = {
        "DRAFT": ("DRAFT", None),
        "IN_REVIEW": ("IN_REVIEW", None),
        "SCHEDULED": ("PUBLISHED", now + timedelta(days=1)),
        "PUBLISHED": ("PUBLISHED", now - timedelta(days=1)),
        "ARCHIVED": ("ARCHIVED", now - timedelta(days=1)),
    }[state]
    article_id = await session.scalar(
        insert(Article)
        .values(title="Story", slug=f"story-{secrets.token_hex(4)}", status=stored, published_at=published_at)
        .returning(Article.id)
    )
    own = await session.scalar(select(Author.id).where(Author.slug == "own-author"))
    await session.execute(insert(ArticleAuthor).values(article_id=article_id, author_id=own, position=0))
    await session.commit()
    return to_global_id("Article", article_id)


async def read(api: Any, session: Any, article_id: str) -> tuple[dict[str, Any] | None, int]:
    """The article as an editor sees it, and how many audit events name it."""
    body = await api("query($id: ID!) { article(id: $id) { status version title } }", {"id": article_id}, role=ADMIN)
    events = await session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.subject_id == decode_id(article_id, "Article"))
    )
    return body["data"]["article"], int(events)


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("state", STATES)
async def test_every_step_from_every_state_by_every_role(api, session, state, action):
    outcomes, wanted = {}, {}
    article_id = None
    for role in ROLES:
        # A refusal leaves the article as it was, so the next role may try it again.
        if article_id is None:
            article_id = await article_in(session, state)
            before = await read(api, session, article_id)

        body = await api(ACTIONS[action], {"id": article_id}, role=role)

        after, events = await read(api, session, article_id)
        name = role.value if role else "anonymous"
        wanted[name] = expected(state, action, role)
        codes = [e["extensions"]["code"] for e in body.get("errors", [])]
        user_errors = body["data"]["r"]["userErrors"] if body.get("data") else []
        if codes:
            outcomes[name] = codes[0]
        elif user_errors:
            [error] = user_errors
            assert error["message"].startswith(f"cannot {action} an article that is {state}; allowed: "), error
            outcomes[name] = error["code"]
        else:
            outcomes[name] = after["status"] if after else "DELETED"
            assert events == before[1] + 1, "an allowed step writes one audit event"
            article_id = None
        if outcomes[name] in {"UNAUTHENTICATED", "FORBIDDEN", "INVALID"}:
            assert (after, events) == before, f"{name} was refused, yet something was written"
    assert outcomes == wanted
