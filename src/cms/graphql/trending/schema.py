from __future__ import annotations

import strawberry

from cms.graphql.context import Info
from cms.graphql.errors import run_mutation, run_query
from cms.graphql.ids import decode_list
from cms.graphql.permissions import EDITORS, allow, public
from cms.graphql.trending.types import CreateTrendingListInput, TrendingList, TrendingListPayload
from cms.services import trending as service
from cms.services.errors import Problems


@strawberry.type
class TrendingQueries:
    @strawberry.field(extensions=[public()], description="One trending list by slug.")
    async def trending_list(self, info: Info, slug: str) -> TrendingList | None:
        row = await run_query(info, lambda s: service.get_list(s, slug))
        return TrendingList.from_row(row) if row else None

    @strawberry.field(extensions=[public()], description="All trending lists, by title.")
    async def trending_lists(self, info: Info) -> list[TrendingList]:
        return [TrendingList.from_row(t) for t in await run_query(info, service.all_lists)]


@strawberry.type
class TrendingMutations:
    @strawberry.mutation(extensions=[allow(*EDITORS)], description="Create an empty trending list.")
    async def create_trending_list(self, info: Info, input: CreateTrendingListInput) -> TrendingListPayload:
        problems = Problems()
        row, errors = await run_mutation(
            info, problems, lambda s: service.create_list(s, problems, title=input.title, slug=input.slug)
        )
        return TrendingListPayload(trending_list=TrendingList.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        extensions=[allow(*EDITORS)], description="Pins these articles, in this order, at the top of the list."
    )
    async def set_trending_pins(self, info: Info, slug: str, article_ids: list[strawberry.ID]) -> TrendingListPayload:
        problems = Problems()
        ids = decode_list(problems, ("articleIds",), article_ids, "Article")
        row, errors = await run_mutation(
            info, problems, lambda s: service.set_pins(s, problems, slug=slug, article_ids=ids), id_field="slug"
        )
        return TrendingListPayload(trending_list=TrendingList.from_row(row) if row else None, user_errors=errors)
