from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from cms.db import Article as ArticleRow
from cms.graphql.articles.inputs import CreateArticleInput, UpdateArticleInput, to_fields
from cms.graphql.articles.types import Article, ArticlePayload
from cms.graphql.common import DeletePayload, run_delete
from cms.graphql.context import Info
from cms.graphql.errors import UserError, run_mutation
from cms.graphql.ids import decode_field
from cms.graphql.permissions import EDITORS, WRITERS, allow
from cms.services import articles as service
from cms.services.errors import Problems

ArticleId = Annotated[strawberry.ID, strawberry.argument(description="The article's ID.")]


def _payload(row: ArticleRow | None, errors: list[UserError]) -> ArticlePayload:
    return ArticlePayload(article=Article.from_row(row) if row else None, user_errors=errors)


@strawberry.type
class ArticleMutations:
    @strawberry.mutation(extensions=[allow(*WRITERS)], description="Create a draft article.")
    async def create_article(self, info: Info, input: CreateArticleInput) -> ArticlePayload:
        problems = Problems()
        fields = to_fields(problems, input)
        row, errors = await run_mutation(
            info, problems, lambda s: service.create_article(s, problems, info.context.viewer, fields)
        )
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[allow(*WRITERS)],
        description="Fails with CONFLICT when expectedVersion is given and is not the current version.",
    )
    async def update_article(
        self,
        info: Info,
        id: ArticleId,
        input: Annotated[UpdateArticleInput, strawberry.argument(description="The fields to change.")],
        expected_version: Annotated[
            int | None, strawberry.argument(description="The version the change was made against.")
        ] = None,
    ) -> ArticlePayload:
        problems = Problems()
        pk = decode_field(problems, ("id",), id, "Article")
        fields = to_fields(problems, input)
        row, errors = await run_mutation(
            info,
            problems,
            lambda s: service.update_article(
                s, problems, info.context.viewer, pk or 0, fields, expected_version=expected_version
            ),
        )
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[allow(*EDITORS)], description="Publishes now, or schedules when publishAt lies in the future."
    )
    async def publish_article(
        self,
        info: Info,
        id: ArticleId,
        publish_at: Annotated[
            datetime | None, strawberry.argument(description="When it goes live; a past time backdates (for imports).")
        ] = None,
    ) -> ArticlePayload:
        problems = Problems()
        pk = decode_field(problems, ("id",), id, "Article")
        row, errors = await run_mutation(
            info, problems, lambda s: service.publish_article(s, info.context.viewer, pk or 0, publish_at)
        )
        return _payload(row, errors)

    @strawberry.mutation(extensions=[allow(*EDITORS)], description="Takes a live or scheduled article back to draft.")
    async def unpublish_article(self, info: Info, id: ArticleId) -> ArticlePayload:
        problems = Problems()
        pk = decode_field(problems, ("id",), id, "Article")
        row, errors = await run_mutation(
            info, problems, lambda s: service.unpublish_article(s, info.context.viewer, pk or 0)
        )
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[allow(*WRITERS)], description="Deletes an article; authors may delete their own drafts."
    )
    async def delete_article(self, info: Info, id: ArticleId) -> DeletePayload:
        return await run_delete(info, id, "Article", lambda s, pk: service.delete_article(s, info.context.viewer, pk))
