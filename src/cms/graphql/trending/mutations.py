"""Writing trending lists: create, change, delete, and their pins, all at once or one at a time."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cms.db import TrendingList as TrendingListRow
from cms.graphql.common import DeletePayload, run_delete
from cms.graphql.context import Info
from cms.graphql.errors import UserError, run_mutation, run_on
from cms.graphql.ids import decode_field, decode_list, query_id
from cms.graphql.permissions import gate, public
from cms.graphql.trending.inputs import CreateTrendingListInput, UpdateTrendingListInput, to_fields
from cms.graphql.trending.types import TrendingList, TrendingListPayload
from cms.services import trending as service
from cms.services.errors import Problems
from cms.services.policy import Action

Slug = Annotated[str, strawberry.argument(description="The list's slug, e.g. 'trending-now'.")]
ArticleId = Annotated[strawberry.ID, strawberry.argument(description="A published article's ID.")]


def _payload(row: TrendingListRow | None, errors: list[UserError]) -> TrendingListPayload:
    return TrendingListPayload(trending_list=TrendingList.from_row(row) if row else None, user_errors=errors)


@strawberry.type
class TrendingMutations:
    @strawberry.mutation(
        extensions=[public()],
        description=(
            "Counts one read of a published article; feeds the computed trending lists. True whether or "
            "not it counted (a draft, an unknown article, a bot, a reload): nothing tells what exists. "
            "Pages may rather call POST /views with navigator.sendBeacon."
        ),
    )
    def record_article_view(self, info: Info, id: strawberry.ID) -> bool:
        article_id = query_id(id, "Article")
        context = info.context
        if context.views is not None:
            context.views.record(article_id, context.client_address, context.user_agent)
        return True

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_TRENDING)],
        description="Create a trending list with no pins: its entries are the most read articles of its window.",
    )
    async def create_trending_list(self, info: Info, input: CreateTrendingListInput) -> TrendingListPayload:
        problems = Problems()
        fields = to_fields(problems, input)
        viewer = info.context.viewer
        row, errors = await run_mutation(info, problems, lambda s: service.create_list(s, problems, viewer, fields))
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_TRENDING)],
        description="Change a list's title, slug, description, window or section.",
    )
    async def update_trending_list(
        self, info: Info, id: strawberry.ID, input: UpdateTrendingListInput
    ) -> TrendingListPayload:
        problems = Problems()
        fields = to_fields(problems, input)
        viewer = info.context.viewer
        row, errors = await run_on(
            info, problems, id, "TrendingList", lambda s, pk: service.update_list(s, problems, viewer, pk, fields)
        )
        return _payload(row, errors)

    @strawberry.mutation(extensions=[gate(Action.MANAGE_TRENDING)], description="Delete a list and its pins.")
    async def delete_trending_list(self, info: Info, id: strawberry.ID) -> DeletePayload:
        viewer = info.context.viewer
        return await run_delete(info, id, "TrendingList", lambda s, pk: service.delete_list(s, viewer, pk))

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_TRENDING)],
        description="Pins these published articles, in this order, at the top of the list, replacing its pins.",
    )
    async def set_trending_pins(self, info: Info, slug: str, article_ids: list[strawberry.ID]) -> TrendingListPayload:
        problems = Problems()
        ids = decode_list(problems, ("articleIds",), article_ids, "Article")
        viewer = info.context.viewer
        row, errors = await run_mutation(
            info,
            problems,
            lambda s: service.set_pins(s, problems, viewer, slug=slug, article_ids=ids),
            id_field="slug",
        )
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_TRENDING)],
        description="Pins one published article; the pins below it move down.",
    )
    async def add_trending_pin(
        self,
        info: Info,
        slug: Slug,
        article_id: ArticleId,
        rank: Annotated[int | None, strawberry.argument(description="1 for the top; the end when left out.")] = None,
    ) -> TrendingListPayload:
        problems = Problems()
        pk = decode_field(problems, ("articleId",), article_id, "Article")
        if pk is None:
            return _payload(None, [UserError.of(p) for p in problems.items])
        viewer = info.context.viewer
        row, errors = await run_mutation(
            info,
            problems,
            lambda s: service.add_pin(s, problems, viewer, slug=slug, article_id=pk, rank=rank),
            id_field="slug",
        )
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_TRENDING)], description="Unpins one article; the pins below it move up."
    )
    async def remove_trending_pin(self, info: Info, slug: Slug, article_id: ArticleId) -> TrendingListPayload:
        problems = Problems()
        pk = decode_field(problems, ("articleId",), article_id, "Article")
        if pk is None:
            return _payload(None, [UserError.of(p) for p in problems.items])
        viewer = info.context.viewer
        row, errors = await run_mutation(
            info, problems, lambda s: service.remove_pin(s, viewer, slug=slug, article_id=pk), id_field="slug"
        )
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_TRENDING)], description="Moves one pinned article to another rank."
    )
    async def move_trending_pin(
        self,
        info: Info,
        slug: Slug,
        article_id: ArticleId,
        rank: Annotated[int, strawberry.argument(description="Its new rank; 1 for the top.")],
    ) -> TrendingListPayload:
        problems = Problems()
        pk = decode_field(problems, ("articleId",), article_id, "Article")
        if pk is None:
            return _payload(None, [UserError.of(p) for p in problems.items])
        viewer = info.context.viewer
        row, errors = await run_mutation(
            info,
            problems,
            lambda s: service.move_pin(s, problems, viewer, slug=slug, article_id=pk, rank=rank),
            id_field="slug",
        )
        return _payload(row, errors)
