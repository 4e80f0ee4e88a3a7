"""Writing articles: create, update, publish, unpublish, delete."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from cms.db import Article as ArticleRow
from cms.graphql.articles.inputs import CreateArticleInput, UpdateArticleInput, to_fields
from cms.graphql.articles.types import Article, ArticlePayload
from cms.graphql.common import DeletePayload, run_delete
from cms.graphql.context import Info
from cms.graphql.errors import UserError, run_mutation, run_on
from cms.graphql.permissions import gate
from cms.services.articles import commands
from cms.services.errors import Problems
from cms.services.policy import Action

ArticleId = Annotated[strawberry.ID, strawberry.argument(description="The article's ID.")]


def _payload(row: ArticleRow | None, errors: list[UserError]) -> ArticlePayload:
    return ArticlePayload(article=Article.from_row(row) if row else None, user_errors=errors)


@strawberry.type
class ArticleMutations:
    @strawberry.mutation(extensions=[gate(Action.WRITE_ARTICLES)], description="Create a draft article.")
    async def create_article(self, info: Info, input: CreateArticleInput) -> ArticlePayload:
        problems = Problems()
        fields = to_fields(problems, input)
        row, errors = await run_mutation(
            info, problems, lambda s: commands.create_article(s, problems, info.context.viewer, fields)
        )
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[gate(Action.WRITE_ARTICLES)],
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
        fields = to_fields(problems, input)
        row, errors = await run_on(
            info,
            problems,
            id,
            "Article",
            lambda s, pk: commands.update_article(
                s, problems, info.context.viewer, pk, fields, expected_version=expected_version
            ),
        )
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[gate(Action.PUBLISH_ARTICLES)],
        description="Publishes now, or schedules when publishAt lies in the future.",
    )
    async def publish_article(
        self,
        info: Info,
        id: ArticleId,
        publish_at: Annotated[
            datetime | None, strawberry.argument(description="When it goes live; a past time backdates (for imports).")
        ] = None,
    ) -> ArticlePayload:
        row, errors = await run_on(
            info,
            Problems(),
            id,
            "Article",
            lambda s, pk: commands.publish_article(s, info.context.viewer, pk, publish_at),
        )
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[gate(Action.PUBLISH_ARTICLES)], description="Takes a live or scheduled article back to draft."
    )
    async def unpublish_article(self, info: Info, id: ArticleId) -> ArticlePayload:
        row, errors = await run_on(
            info, Problems(), id, "Article", lambda s, pk: commands.unpublish_article(s, info.context.viewer, pk)
        )
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[gate(Action.WRITE_ARTICLES)], description="Deletes an article; authors may delete their own drafts."
    )
    async def delete_article(self, info: Info, id: ArticleId) -> DeletePayload:
        return await run_delete(info, id, "Article", lambda s, pk: commands.delete_article(s, info.context.viewer, pk))
