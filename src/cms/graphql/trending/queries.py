"""Reading trending lists."""

from __future__ import annotations

import strawberry

from cms.graphql.context import Info
from cms.graphql.errors import run_query
from cms.graphql.permissions import public
from cms.graphql.trending.types import TrendingList
from cms.services import trending as service


@strawberry.type
class TrendingQueries:
    @strawberry.field(extensions=[public()], description="One trending list by slug.")
    async def trending_list(self, info: Info, slug: str) -> TrendingList | None:
        row = await run_query(info, lambda s: service.get_list(s, slug))
        return TrendingList.from_row(row) if row else None

    @strawberry.field(extensions=[public()], description="All trending lists, by title.")
    async def trending_lists(self, info: Info) -> list[TrendingList]:
        return [TrendingList.from_row(t) for t in await run_query(info, service.all_lists)]
