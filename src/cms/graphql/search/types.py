"""Search results as clients read them: hits with their rank and a marked excerpt."""

from __future__ import annotations

from typing import Any

import strawberry

from cms.graphql.articles.types import Article
from cms.graphql.common import PageInfo
from cms.graphql.context import Info
from cms.services.pagination import Page
from cms.services.search import Hit


@strawberry.type(description="An article a search found, with how well it matches.")
class SearchHit:
    cursor: str = strawberry.field(description="Pass as `after` to read the hits after this one.")
    node: Article = strawberry.field(description="The article found.")
    rank: float = strawberry.field(
        description="How well it matches: text relevance times freshness (see the README); higher first."
    )
    headline: str = strawberry.field(
        description="Excerpt with the matched words wrapped in <mark>; everything else is HTML-escaped text."
    )


@strawberry.type(description="A page of search hits, best first (Relay connection).")
class SearchConnection:
    edges: list[SearchHit] = strawberry.field(description="The hits of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page stands.")
    _page: strawberry.Private[Page[Any]]

    @strawberry.field(description="How many articles the search found in all.")
    async def total_count(self, info: Info) -> int:
        # Counted only when asked for, on the request's session, in turn with sibling fields.
        async with info.context.db():
            return await self._page.count()

    @classmethod
    def from_page(cls, page: Page[Hit]) -> SearchConnection:
        edges = [
            SearchHit(cursor=c, node=Article.from_row(hit.article), rank=hit.rank, headline=hit.headline)
            for hit, c in zip(page.items, page.cursors, strict=True)
        ]
        info = PageInfo(
            has_next_page=page.has_next,
            has_previous_page=False,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        )
        return cls(edges=edges, page_info=info, _page=page)
