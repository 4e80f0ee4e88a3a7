"""Trending lists as clients read them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from cms.db import TrendingList as TrendingListRow
from cms.graphql.articles.types import Article
from cms.graphql.common import Node
from cms.graphql.context import Info
from cms.graphql.errors import UserError, api_error
from cms.graphql.ids import to_global_id
from cms.services.trending import MAX_PINS
from cms.vocabulary import ErrorCode


@strawberry.type(description="One place on a trending list.")
class TrendingEntry:
    rank: int = strawberry.field(description="1 for the top.")
    article: Article = strawberry.field(description="The article at this rank.")
    pinned: bool = strawberry.field(description="Placed by an editor rather than computed.")


@strawberry.type(description='A list of articles such as "Trending Now".')
class TrendingList(Node):
    slug: str = strawberry.field(description="URL-safe key, e.g. 'trending-now'.")
    title: str = strawberry.field(description="Shown title.")
    description: str | None = strawberry.field(description="What the list is, for editors and frontends.")
    updated_at: datetime = strawberry.field(description="When its entries last changed.")
    _pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, t: TrendingListRow) -> TrendingList:
        return cls(
            id=strawberry.ID(to_global_id("TrendingList", t.id)),
            slug=t.slug,
            title=t.title,
            description=t.description,
            updated_at=t.updated_at,
            _pk=t.id,
        )

    @strawberry.field(description="The entries the caller may see, best first.")
    async def entries(
        self,
        info: Info,
        first: Annotated[
            int | None, strawberry.argument(description=f"How many; all (up to {MAX_PINS}) by default.")
        ] = None,
    ) -> list[TrendingEntry]:
        if first is not None and not 0 <= first <= MAX_PINS:
            raise api_error(ErrorCode.INVALID, f"first must be between 0 and {MAX_PINS}", field=["first"])
        rows = await info.context.loaders.trending.pins.load(self._pk)
        return [
            TrendingEntry(rank=i, article=Article.from_row(a), pinned=True)
            for i, a in enumerate(rows[:first] if first is not None else rows, start=1)
        ]


@strawberry.type(description="The result of a trending list mutation.")
class TrendingListPayload:
    trending_list: TrendingList | None = strawberry.field(description="The list as saved; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")
