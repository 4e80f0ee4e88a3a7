"""What the workflow tests share: the desk's mutations and a reader's view of an article."""

from __future__ import annotations

from typing import Any

from cms.vocabulary import Role

P = "article { id status version publishedAt unpublishAt reviewNote } userErrors { field message code }"
SUBMIT = f"mutation($id: ID!) {{ r: submitArticleForReview(id: $id) {{ {P} }} }}"
RETURN = f"mutation($id: ID!, $note: String!) {{ r: returnArticleToDraft(id: $id, note: $note) {{ {P} }} }}"
ARCHIVE = f"mutation($id: ID!) {{ r: archiveArticle(id: $id) {{ {P} }} }}"
RESTORE = f"mutation($id: ID!) {{ r: restoreArticle(id: $id) {{ {P} }} }}"
PUBLISH = f"""mutation($id: ID!, $at: DateTime, $until: DateTime) {{
  r: publishArticle(id: $id, publishAt: $at, unpublishAt: $until) {{ {P} }} }}"""
UPDATE = f"mutation($id: ID!, $input: UpdateArticleInput!) {{ r: updateArticle(id: $id, input: $input) {{ {P} }} }}"
RESTORE_REVISION = f"""mutation($id: ID!, $version: Int!, $expected: Int) {{
  r: restoreArticleRevision(id: $id, version: $version, expectedVersion: $expected) {{ {P} }} }}"""
READ = "query($id: ID!) { article(id: $id) { id slug title status version reviewNote } }"


async def run(api: Any, document: str, variables: dict[str, Any], role: Role | None = Role.EDITOR) -> dict[str, Any]:
    """A desk mutation's payload (aliased `r`), asserting it was not refused outright."""
    body = await api(document, variables, role=role)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["r"]
    return payload


async def read(api: Any, article_id: str, role: Role | None = None) -> dict[str, Any] | None:
    result: dict[str, Any] | None = (await api(READ, {"id": article_id}, role=role))["data"]["article"]
    return result
