"""Writing articles: create, update, restore a revision, delete, and the desk's steps (submit,
return, publish or schedule, unpublish, archive, restore)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from cms.db import Article as ArticleRow
from cms.graphql.articles.inputs import CreateArticleInput, UpdateArticleInput, to_fields
from cms.graphql.articles.types import Article, ArticlePayload
from cms.graphql.common import DeletePayload, run_delete
from cms.graphql.context import Info
from cms.graphql.errors import UserError, run_mutation, run_on
from cms.graphql.permissions import gate
from cms.services import UNSET
from cms.services.articles import commands, workflow
from cms.services.errors import Problems
from cms.services.policy import Action

ArticleId = Annotated[strawberry.ID, strawberry.argument(description="The article's ID.")]
ExpectedVersion = Annotated[
    int | None, strawberry.argument(description="The version the change was made against; CONFLICT if stale.")
]


def _payload(row: ArticleRow | None, errors: list[UserError]) -> ArticlePayload:
    return ArticlePayload(article=Article.from_row(row) if row else None, user_errors=errors)


async def _on(info: Info, id: str, action: Callable[[AsyncSession, int], Awaitable[ArticleRow]]) -> ArticlePayload:
    row, errors = await run_on(info, Problems(), id, "Article", action)
    return _payload(row, errors)


@strawberry.type
class ArticleMutations:
    @strawberry.mutation(extensions=[gate(Action.WRITE_ARTICLES)], description="Create a draft article.")
    async def create_article(self, info: Info, input: CreateArticleInput) -> ArticlePayload:
        problems = Problems()
        fields = to_fields(problems, input)
        if fields.locale is UNSET or fields.locale is None:
            fields.locale = info.context.settings.default_locale
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
        expected_version: ExpectedVersion = None,
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
        extensions=[gate(Action.WRITE_ARTICLES)],
        description="Makes that revision's content current again, as a new version.",
    )
    async def restore_article_revision(
        self,
        info: Info,
        id: ArticleId,
        version: Annotated[int, strawberry.argument(description="The revision's version.")],
        expected_version: ExpectedVersion = None,
    ) -> ArticlePayload:
        problems = Problems()
        row, errors = await run_on(
            info,
            problems,
            id,
            "Article",
            lambda s, pk: commands.restore_revision(
                s, problems, info.context.viewer, pk, version, expected_version=expected_version
            ),
        )
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[gate(Action.WRITE_ARTICLES)], description="Sends a draft to the editors: DRAFT to IN_REVIEW."
    )
    async def submit_article_for_review(self, info: Info, id: ArticleId) -> ArticlePayload:
        return await _on(info, id, lambda s, pk: workflow.submit_for_review(s, info.context.viewer, pk))

    @strawberry.mutation(
        extensions=[gate(Action.PUBLISH_ARTICLES)],
        description="Sends an article in review back to its author, with a note: IN_REVIEW to DRAFT.",
    )
    async def return_article_to_draft(
        self,
        info: Info,
        id: ArticleId,
        note: Annotated[str, strawberry.argument(description="What the author should change.")],
    ) -> ArticlePayload:
        problems = Problems()
        row, errors = await run_on(
            info,
            problems,
            id,
            "Article",
            lambda s, pk: workflow.return_to_draft(s, problems, info.context.viewer, pk, note),
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
        unpublish_at: Annotated[
            datetime | None,
            strawberry.argument(description="When its embargo ends: hidden again from then, with no job running."),
        ] = None,
    ) -> ArticlePayload:
        return await _on(
            info, id, lambda s, pk: workflow.publish_article(s, info.context.viewer, pk, publish_at, unpublish_at)
        )

    @strawberry.mutation(
        extensions=[gate(Action.PUBLISH_ARTICLES)], description="Takes a live or scheduled article back to draft."
    )
    async def unpublish_article(self, info: Info, id: ArticleId) -> ArticlePayload:
        return await _on(info, id, lambda s, pk: workflow.unpublish_article(s, info.context.viewer, pk))

    @strawberry.mutation(
        extensions=[gate(Action.PUBLISH_ARTICLES)],
        description="From any state to ARCHIVED: gone for readers, kept for editors.",
    )
    async def archive_article(self, info: Info, id: ArticleId) -> ArticlePayload:
        return await _on(info, id, lambda s, pk: workflow.archive_article(s, info.context.viewer, pk))

    @strawberry.mutation(
        extensions=[gate(Action.PUBLISH_ARTICLES)], description="Brings an archived article back: ARCHIVED to DRAFT."
    )
    async def restore_article(self, info: Info, id: ArticleId) -> ArticlePayload:
        return await _on(info, id, lambda s, pk: workflow.restore_article(s, info.context.viewer, pk))

    @strawberry.mutation(
        extensions=[gate(Action.WRITE_ARTICLES)], description="Deletes an article; authors may delete their own drafts."
    )
    async def delete_article(self, info: Info, id: ArticleId) -> DeletePayload:
        return await run_delete(info, id, "Article", lambda s, pk: commands.delete_article(s, info.context.viewer, pk))
