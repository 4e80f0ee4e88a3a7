"""Preview links: made by the desk, read by a frontend with the token alone (`services.preview`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from cms.graphql.articles.types import Article, ArticlePayload
from cms.graphql.context import Info
from cms.graphql.errors import UserError, run_on, run_query
from cms.graphql.permissions import gate, public
from cms.services import preview
from cms.services.errors import Problems
from cms.services.policy import Action

ArticleId = Annotated[strawberry.ID, strawberry.argument(description="The article's ID.")]


@strawberry.type(description="The result of createPreviewLink.")
class PreviewLinkPayload:
    preview_token: str | None = strawberry.field(
        description="Signed, expiring token that lets a frontend read this one draft."
    )
    expires_at: datetime | None = strawberry.field(description="When the token stops working.")
    user_errors: list[UserError] = strawberry.field(description="Why no link was made.")


@strawberry.type
class PreviewQueries:
    @strawberry.field(
        extensions=[public()],
        description=(
            "Reads one draft with a token from createPreviewLink; no other credentials needed. "
            "An invalid, expired or revoked token gives null and an INVALID error."
        ),
    )
    async def article_preview(
        self,
        info: Info,
        token: Annotated[str, strawberry.argument(description="The previewToken of createPreviewLink.")],
    ) -> Article | None:
        info.context.no_store()  # a draft: no CDN may keep it, nor serve it after a revoke
        key = await preview.signing_key(info.context.settings, info.context.sessionmaker)
        # The article only: its relations load as for anyone who may read it, while everything
        # else (lists, node(), its translations) is still filtered for the caller.
        row = await run_query(info, lambda s: preview.article_for(s, key, token))
        return Article.from_row(row)


@strawberry.type
class PreviewMutations:
    @strawberry.mutation(
        extensions=[gate(Action.WRITE_ARTICLES)],
        description=(
            "A token with which a frontend reads the article as it is now, whatever its status, until it "
            "expires or revokePreviewLinks; for editors, and authors for their own articles."
        ),
    )
    async def create_preview_link(self, info: Info, id: ArticleId) -> PreviewLinkPayload:
        # Before the mutation's savepoint: the key is made and committed on its own (`secrets`).
        key = await preview.signing_key(info.context.settings, info.context.sessionmaker)
        seconds = info.context.settings.preview_link_seconds
        link, errors = await run_on(
            info, Problems(), id, "Article", lambda s, pk: preview.create_link(s, info.context.viewer, pk, key, seconds)
        )
        token, expires_at = link if link else (None, None)
        return PreviewLinkPayload(preview_token=token, expires_at=expires_at, user_errors=errors)

    @strawberry.mutation(
        extensions=[gate(Action.WRITE_ARTICLES)],
        description=(
            "Revokes every preview link of the article made so far, at once; for editors, and authors "
            "for their own articles."
        ),
    )
    async def revoke_preview_links(self, info: Info, id: ArticleId) -> ArticlePayload:
        row, errors = await run_on(
            info, Problems(), id, "Article", lambda s, pk: preview.revoke_links(s, info.context.viewer, pk)
        )
        return ArticlePayload(article=Article.from_row(row) if row else None, user_errors=errors)
