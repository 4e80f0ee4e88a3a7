"""Who may run the article mutations (see tests/graphql/roles.py)."""

from __future__ import annotations

from typing import Any

from cms.vocabulary import Role
from tests import factories
from tests.graphql.roles import EDITORS, PAYLOAD, WRITERS, Cases, a_live_article, nothing, unique


async def own_draft(api: Any) -> dict[str, Any]:
    # The AUTHOR's own byline is on it: only the role decides.
    return {"id": (await factories.create_article(api, role=Role.AUTHOR, title=f"Own {unique()}"))["id"]}


async def own_in_review(api: Any) -> dict[str, Any]:
    variables = await own_draft(api)
    await api(
        "mutation($id: ID!) { submitArticleForReview(id: $id) { userErrors { code } } }", variables, role=Role.AUTHOR
    )
    return variables


async def an_archived(api: Any) -> dict[str, Any]:
    variables = await a_draft(api)
    await api("mutation($id: ID!) { archiveArticle(id: $id) { userErrors { code } } }", variables, role=Role.EDITOR)
    return variables


async def a_draft(api: Any) -> dict[str, Any]:
    return {"id": (await factories.create_article(api, title=f"Draft {unique()}"))["id"]}


CASES: Cases = {
    "createArticle": (f'mutation {{ createArticle(input: {{title: "T"}}) {{ {PAYLOAD} }} }}', nothing, WRITERS),
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
    "createPreviewLink": (f"mutation($id: ID!) {{ createPreviewLink(id: $id) {{ {PAYLOAD} }} }}", own_draft, WRITERS),
    "revokePreviewLinks": (
        f"mutation($id: ID!) {{ revokePreviewLinks(id: $id) {{ {PAYLOAD} }} }}",
        own_draft,
        WRITERS,
    ),
    "submitArticleForReview": (
        f"mutation($id: ID!) {{ submitArticleForReview(id: $id) {{ {PAYLOAD} }} }}",
        own_draft,
        WRITERS,
    ),
    "returnArticleToDraft": (
        f'mutation($id: ID!) {{ returnArticleToDraft(id: $id, note: "n") {{ {PAYLOAD} }} }}',
        own_in_review,
        EDITORS,
    ),
    "archiveArticle": (f"mutation($id: ID!) {{ archiveArticle(id: $id) {{ {PAYLOAD} }} }}", a_draft, EDITORS),
    "restoreArticle": (f"mutation($id: ID!) {{ restoreArticle(id: $id) {{ {PAYLOAD} }} }}", an_archived, EDITORS),
    "restoreArticleRevision": (
        f"mutation($id: ID!) {{ restoreArticleRevision(id: $id, version: 1) {{ {PAYLOAD} }} }}",
        own_draft,
        WRITERS,
    ),
}
