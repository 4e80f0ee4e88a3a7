"""Reading articles: one by ID or slug, and filtered, ordered pages."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cms.graphql.articles.inputs import ArticleFilter, ArticleOrder
from cms.graphql.articles.types import Article
from cms.graphql.common import Connection, connection
from cms.graphql.context import Info
from cms.graphql.errors import run_query
from cms.graphql.ids import lookup_id
from cms.graphql.permissions import public
from cms.services.articles import listing


@strawberry.type
class ArticleQueries:
    @strawberry.field(
        extensions=[public()],
        description="Published articles for everyone; drafts for EDITOR, ADMIN, PREVIEW and their own AUTHOR.",
    )
    async def article(
        self,
        info: Info,
        id: Annotated[strawberry.ID | None, strawberry.argument(description="The article's ID.")] = None,
        slug: Annotated[
            str | None, strawberry.argument(description="Or its slug; an old slug of a published article finds it too.")
        ] = None,
        locale: Annotated[
            str | None,
            strawberry.argument(description="The slug's language; without it, the default language first."),
        ] = None,
    ) -> Article | None:
        pk = lookup_id(id, slug, "Article")
        default = info.context.settings.default_locale
        row = await run_query(
            info,
            lambda s: listing.get_article(
                s, info.context.viewer, id=pk, slug=slug, locale=locale, default_locale=default
            ),
        )
        return Article.from_row(row) if row else None

    @strawberry.field(extensions=[public()], description="Articles the caller may see; newest first by default.")
    async def articles(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size: 20 by default, at most 100.")] = None,
        after: Annotated[str | None, strawberry.argument(description="The endCursor of the previous page.")] = None,
        filter: Annotated[ArticleFilter | None, strawberry.argument(description="Conditions to meet.")] = None,
        order_by: Annotated[
            ArticleOrder | None, strawberry.argument(description="Sort order; PUBLISHED_AT DESC by default.")
        ] = None,
    ) -> Connection[Article]:
        page = await run_query(
            info,
            lambda s: listing.list_articles(
                s,
                info.context.viewer,
                first=first,
                after=after,
                filter=filter.to_fields() if filter else None,
                order=order_by.to_ordering() if order_by else None,
            ),
        )
        return connection(page, wrap=Article.from_row)
