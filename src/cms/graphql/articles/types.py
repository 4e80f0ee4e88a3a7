"""Articles as clients read them: the content, where the article stands, and the desk's side
(review note, last editor, revisions) for editors and the article's own author."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from cms.db import Article as ArticleRow
from cms.db import Author as AuthorRow
from cms.db import Tag as TagRow
from cms.graphql.articles.blocks import (
    EmbedBlock,
    HeadingBlock,
    ImageBlock,
    ListBlock,
    ParagraphBlock,
    QuoteBlock,
    Source,
)
from cms.graphql.articles.content import ArticleContent
from cms.graphql.common import Connection, Node, connection
from cms.graphql.context import Info
from cms.graphql.errors import UserError, to_graphql_error
from cms.graphql.ids import to_global_id
from cms.graphql.permissions import desk_view
from cms.services import search
from cms.services.articles import revisions
from cms.services.errors import DomainError
from cms.vocabulary import ArticleStatus

if TYPE_CHECKING:
    from cms.graphql.articles.revisions import Revision
    from cms.graphql.users.types import User

UserRef = Annotated["User", strawberry.lazy("cms.graphql.users.types")]
RevisionRef = Annotated["Revision", strawberry.lazy("cms.graphql.articles.revisions")]
# Re-exported for the schema, which lists the members of the Block union.
BLOCK_TYPES = (ParagraphBlock, HeadingBlock, ImageBlock, QuoteBlock, ListBlock, EmbedBlock, Source)


@strawberry.type(description="A news article.")
class Article(Node, ArticleContent):
    published_at: datetime | None = strawberry.field(description="When it went or goes live; null for drafts.")
    unpublish_at: datetime | None = strawberry.field(
        description="When its embargo ends: from then on it is hidden again (shown as DRAFT)."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it was last changed.")
    version: int = strawberry.field(description="Incremented by every saved change; pass it back as expectedVersion.")
    _row: strawberry.Private[ArticleRow]

    @classmethod
    def from_row(cls, a: ArticleRow) -> Article:
        return cls(
            id=strawberry.ID(to_global_id("Article", a.id)),
            slug=a.slug,
            title=a.title,
            standfirst=a.standfirst,
            locale=a.locale,
            published_at=a.published_at,
            unpublish_at=a.unpublish_at,
            created_at=a.created_at,
            updated_at=a.updated_at,
            version=a.version,
            word_count=a.word_count,
            seo_title=a.seo_title,
            seo_description=a.seo_description,
            canonical_url=a.canonical_url,
            _hero_image_id=a.hero_image_id,
            _section_id=a.section_id,
            _sources=a.sources,
            _row=a,
        )

    async def _blocks(self, info: Info) -> list[dict[str, Any]]:
        return await info.context.loaders.articles.body.load(self._row.id)

    async def _bylines(self, info: Info) -> list[AuthorRow]:
        return await info.context.loaders.articles.authors.load(self._row.id)

    async def _tag_rows(self, info: Info) -> list[TagRow]:
        return await info.context.loaders.articles.tags.load(self._row.id)

    @strawberry.field(description="Where the article stands; SCHEDULED until its publish time.")
    def status(self) -> ArticleStatus:
        return ArticleStatus(self._row.shown_status)

    @strawberry.field(description="The same story in other languages, as far as the caller may see them.")
    async def translations(self, info: Info) -> list[Article]:
        return [Article.from_row(a) for a in await info.context.loaders.articles.translations.load(self._row.id)]

    @strawberry.field(
        description="Published articles most alike to this one, best first: sharing more of its tags, then its words."
    )
    async def related(
        self,
        info: Info,
        first: Annotated[
            int | None,
            strawberry.argument(
                description=f"How many: {search.DEFAULT_RELATED} by default, at most {search.MAX_RELATED}."
            ),
        ] = None,
    ) -> list[Article]:
        try:
            size = search.related_size(first)
        except DomainError as exc:
            raise to_graphql_error(exc) from None
        rows = await info.context.loaders.articles.related.load((self._row.id, size))
        return [Article.from_row(a) for a in rows]

    @strawberry.field(
        extensions=[desk_view(silently=True)],
        description="Why an editor returned it from review, for its author and editors; null for anyone else.",
    )
    def review_note(self) -> str | None:
        return self._row.review_note

    @strawberry.field(
        extensions=[desk_view(silently=True)],
        description="Who saved its content last; for editors and its own author, null for anyone else.",
    )
    async def last_edited_by(self, info: Info) -> UserRef | None:
        from cms.graphql.users.types import User  # the types refer to each other

        if self._row.last_edited_by_id is None:
            return None
        row = await info.context.loaders.users.by_id.load(self._row.last_edited_by_id)
        return User.from_row(row) if row else None

    @strawberry.field(
        extensions=[desk_view()],
        description="Every saved version of its content, newest first; editors and its own author only.",
    )
    async def revisions(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description="Page size: 20 by default, at most 100.")] = None,
        after: Annotated[str | None, strawberry.argument(description="The endCursor of the previous page.")] = None,
    ) -> Connection[RevisionRef]:
        from cms.graphql.articles.revisions import Revision

        async with info.context.db() as session:
            try:
                page = await revisions.list_revisions(session, self._row.id, first=first, after=after)
            except DomainError as exc:
                raise to_graphql_error(exc) from None
        return connection(page, wrap=Revision.from_row)


@strawberry.type(description="The result of an article mutation.")
class ArticlePayload:
    article: Article | None = strawberry.field(description="The article as saved; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")
