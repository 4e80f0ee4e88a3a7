"""The articles of an author, a section or a tag, as a connection: the arguments every list of
articles takes, and the batched resolver behind them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from cms.graphql.articles.inputs import ArticleFilter, ArticleOrder
from cms.graphql.articles.loaders import PageAsk
from cms.graphql.common import Connection, connection
from cms.graphql.context import Info
from cms.graphql.errors import to_graphql_error
from cms.services.articles.listing import Group
from cms.services.errors import DomainError

if TYPE_CHECKING:
    from cms.graphql.articles.types import Article

ArticleRef = Annotated["Article", strawberry.lazy("cms.graphql.articles.types")]
First = Annotated[int | None, strawberry.argument(description="Page size: 20 by default, at most 100.")]
After = Annotated[str | None, strawberry.argument(description="The endCursor of the previous page.")]
Filter = Annotated[ArticleFilter | None, strawberry.argument(description="Conditions to meet.")]
OrderBy = Annotated[ArticleOrder | None, strawberry.argument(description="Sort order; PUBLISHED_AT DESC by default.")]


async def articles_of(
    info: Info,
    group: Group,
    owner: int,
    first: int | None,
    after: str | None,
    filter: ArticleFilter | None,
    order_by: ArticleOrder | None,
) -> Connection[Article]:
    """A page of the visible articles of one author, section or tag, loaded with its siblings'."""
    from cms.graphql.articles.types import Article  # the types refer to each other

    ask = PageAsk(
        group, first, after, filter.to_fields() if filter else None, order_by.to_ordering() if order_by else None
    )
    try:
        page = await info.context.loaders.articles.pages.load((owner, ask))
    except DomainError as exc:
        raise to_graphql_error(exc) from None
    return connection(page, wrap=Article.from_row)
