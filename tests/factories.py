"""Builders for test content, through the API as an editor would make it."""

from __future__ import annotations

from typing import Any

from cms.vocabulary import Role

ARTICLE_FIELDS = """
  id slug title standfirst status publishedAt createdAt updatedAt version
  authors { id slug name } heroImage { id url credit } section { id slug name }
  tags { slug name } sources { name url } wordCount readingTimeMinutes
  seoTitle seoDescription canonicalUrl
"""

CREATE_ARTICLE = f"""
mutation($input: CreateArticleInput!) {{
  createArticle(input: $input) {{
    article {{ {ARTICLE_FIELDS} }}
    userErrors {{ field message code }}
  }}
}}
"""

PUBLISH = """
mutation($id: ID!, $at: DateTime) {
  publishArticle(id: $id, publishAt: $at) {
    article { id status publishedAt version }
    userErrors { field message code }
  }
}
"""


async def create_article(api: Any, role: Role = Role.EDITOR, **fields: Any) -> dict[str, Any]:
    fields.setdefault("title", "A headline")
    body = await api(CREATE_ARTICLE, {"input": fields}, role=role)
    assert "errors" not in body, body
    payload = body["data"]["createArticle"]
    assert payload["userErrors"] == [], payload
    article: dict[str, Any] = payload["article"]
    return article


async def publish(api: Any, article_id: str, at: str | None = None) -> dict[str, Any]:
    body = await api(PUBLISH, {"id": article_id, "at": at}, role=Role.EDITOR)
    payload = body["data"]["publishArticle"]
    assert payload["userErrors"] == [], payload
    article: dict[str, Any] = payload["article"]
    return article


async def published_article(api: Any, **fields: Any) -> dict[str, Any]:
    article = await create_article(api, **fields)
    await publish(api, article["id"])
    return article


async def create(api: Any, mutation: str, input: dict[str, Any], key: str, role: Role = Role.EDITOR) -> dict[str, Any]:
    """Run a create mutation whose payload holds `key`, and return that object."""
    name = mutation.split("(")[0]
    body = await api(
        f"mutation($input: {name[0].upper() + name[1:]}Input!) {{ {name}(input: $input) "
        f"{{ {key} {{ id }} userErrors {{ field message code }} }} }}",
        {"input": input},
        role=role,
    )
    payload = body["data"][name]
    assert payload["userErrors"] == [], payload
    result: dict[str, Any] = payload[key]
    return result


async def author(api: Any, name: str = "Jane Doe", **fields: Any) -> dict[str, Any]:
    return await create(api, "createAuthor", {"name": name, **fields}, "author")


async def media(api: Any, url: str = "https://img.example.com/a.jpg", **fields: Any) -> dict[str, Any]:
    return await create(api, "createMedia", {"url": url, **fields}, "media")


async def section(api: Any, name: str = "World", **fields: Any) -> dict[str, Any]:
    return await create(api, "createSection", {"name": name, **fields}, "section")
