"""Searching articles."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cms.graphql.articles.inputs import ArticleFilter
from cms.graphql.context import Info
from cms.graphql.errors import run_query
from cms.graphql.permissions import public
from cms.graphql.search.types import SearchConnection
from cms.services import search as service


@strawberry.type
class SearchQueries:
    @strawberry.field(
        extensions=[public()],
        description=(
            "Articles the caller may see whose text matches the query, best first; "
            "when none does, those whose titles are most like it."
        ),
    )
    async def search(
        self,
        info: Info,
        query: Annotated[
            str,
            strawberry.argument(
                description=(
                    'Web-search syntax: words, "a phrase", -excluded, or. Any text is accepted; '
                    f"only the first {service.MAX_QUERY} characters count."
                )
            ),
        ],
        first: Annotated[int | None, strawberry.argument(description="Page size: 20 by default, at most 100.")] = None,
        after: Annotated[str | None, strawberry.argument(description="The endCursor of the previous page.")] = None,
        filter: Annotated[ArticleFilter | None, strawberry.argument(description="Conditions to meet.")] = None,
    ) -> SearchConnection:
        page = await run_query(
            info,
            lambda s: service.search(
                s,
                info.context.viewer,
                query,
                first=first,
                after=after,
                filter=filter.to_fields() if filter else None,
            ),
        )
        return SearchConnection.from_page(page)
