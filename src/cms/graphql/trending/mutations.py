"""Writing trending lists: create one, set its pins."""

from __future__ import annotations

import strawberry

from cms.graphql.context import Info
from cms.graphql.errors import run_mutation
from cms.graphql.ids import decode_list
from cms.graphql.permissions import gate
from cms.graphql.trending.inputs import CreateTrendingListInput
from cms.graphql.trending.types import TrendingList, TrendingListPayload
from cms.services import trending as service
from cms.services.errors import Problems
from cms.services.policy import Action


@strawberry.type
class TrendingMutations:
    @strawberry.mutation(extensions=[gate(Action.MANAGE_TRENDING)], description="Create an empty trending list.")
    async def create_trending_list(self, info: Info, input: CreateTrendingListInput) -> TrendingListPayload:
        problems = Problems()
        row, errors = await run_mutation(
            info, problems, lambda s: service.create_list(s, problems, title=input.title, slug=input.slug)
        )
        return TrendingListPayload(trending_list=TrendingList.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_TRENDING)],
        description="Pins these articles, in this order, at the top of the list.",
    )
    async def set_trending_pins(self, info: Info, slug: str, article_ids: list[strawberry.ID]) -> TrendingListPayload:
        problems = Problems()
        ids = decode_list(problems, ("articleIds",), article_ids, "Article")
        row, errors = await run_mutation(
            info, problems, lambda s: service.set_pins(s, problems, slug=slug, article_ids=ids), id_field="slug"
        )
        return TrendingListPayload(trending_list=TrendingList.from_row(row) if row else None, user_errors=errors)
