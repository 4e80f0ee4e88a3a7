"""Reading authors: one by ID or slug, and all of them by name."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cms.graphql.authors.types import Author
from cms.graphql.common import Connection, connection
from cms.graphql.context import Info
from cms.graphql.errors import run_query
from cms.graphql.ids import lookup_id
from cms.graphql.permissions import public
from cms.services import authors as service


@strawberry.type
class AuthorQueries:
    @strawberry.field(extensions=[public()], description="One author by ID or slug.")
    async def author(
        self,
        info: Info,
        id: Annotated[strawberry.ID | None, strawberry.argument(description="The author's ID.")] = None,
        slug: Annotated[str | None, strawberry.argument(description="Or their slug.")] = None,
    ) -> Author | None:
        pk = lookup_id(id, slug, "Author")
        row = await run_query(info, lambda s: service.get_author(s, id=pk, slug=slug))
        return Author.from_row(row) if row else None

    @strawberry.field(extensions=[public()], description="All authors, by name.")
    async def authors(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size: 20 by default, at most 100.")] = None,
        after: Annotated[str | None, strawberry.argument(description="The endCursor of the previous page.")] = None,
    ) -> Connection[Author]:
        page = await run_query(info, lambda s: service.list_authors(s, first=first, after=after))
        return connection(page, wrap=Author.from_row)
