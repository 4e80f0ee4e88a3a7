"""Revisions as clients read them: who saved which version, what changed, and the content then."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from cms.db import ArticleRevision as RevisionRow
from cms.db import Author as AuthorRow
from cms.db import Tag as TagRow
from cms.graphql.articles.content import ArticleContent
from cms.graphql.common import Node
from cms.graphql.context import Info
from cms.graphql.errors import run_query
from cms.graphql.ids import to_global_id
from cms.services import policy
from cms.services.articles import revisions

if TYPE_CHECKING:
    from cms.graphql.articles.types import Article
    from cms.graphql.users.types import User

ArticleRef = Annotated["Article", strawberry.lazy("cms.graphql.articles.types")]
UserRef = Annotated["User", strawberry.lazy("cms.graphql.users.types")]


@strawberry.type(description="An article's content as one revision saved it.")
class ArticleSnapshot(ArticleContent):
    _snapshot: strawberry.Private[dict[str, Any]]

    @classmethod
    def of(cls, snap: dict[str, Any]) -> ArticleSnapshot:
        return cls(
            slug=snap["slug"],
            title=snap["title"],
            standfirst=snap.get("standfirst"),
            locale=snap.get("locale", "en"),
            word_count=snap.get("word_count", 0),
            seo_title=snap.get("seo_title"),
            seo_description=snap.get("seo_description"),
            canonical_url=snap.get("canonical_url"),
            _hero_image_id=snap.get("hero_image_id"),
            _section_id=snap.get("section_id"),
            _sources=snap.get("sources", []),
            _snapshot=snap,
        )

    async def _blocks(self, info: Info) -> list[dict[str, Any]]:
        body: list[dict[str, Any]] = self._snapshot.get("body", [])
        return body

    async def _bylines(self, info: Info) -> list[AuthorRow]:
        rows = await info.context.loaders.authors.by_id.load_many(self._snapshot.get("author_ids", []))
        return [a for a in rows if a is not None]  # an author deleted since is left out

    async def _tag_rows(self, info: Info) -> list[TagRow]:
        rows = await info.context.loaders.articles.tag.load_many(self._snapshot.get("tag_ids", []))
        return [t for t in rows if t is not None]


@strawberry.type(description="A saved version of an article's content.")
class Revision(Node):
    version: int = strawberry.field(description="The article's version this revision saved.")
    created_at: datetime = strawberry.field(description="When it was saved.")
    title: str = strawberry.field(description="The headline then.")
    changed_fields: list[str] = strawberry.field(
        description="Names of the fields that changed against the previous revision."
    )
    _row: strawberry.Private[RevisionRow]

    @classmethod
    def from_row(cls, r: RevisionRow) -> Revision:
        return cls(
            id=strawberry.ID(to_global_id("Revision", r.id)),
            version=r.version,
            created_at=r.created_at,
            title=r.snapshot["title"],
            changed_fields=list(r.changed_fields),
            _row=r,
        )

    @strawberry.field(description="Who saved it; null for changes made before users were recorded, or deleted users.")
    async def created_by(self, info: Info) -> UserRef | None:
        from cms.graphql.users.types import User  # the types refer to each other

        if self._row.created_by_id is None:
            return None
        row = await info.context.loaders.users.by_id.load(self._row.created_by_id)
        return User.from_row(row) if row else None

    @strawberry.field(description="The content as this revision saved it, readable as the article's own fields.")
    def snapshot(self) -> ArticleSnapshot:
        return ArticleSnapshot.of(self._row.snapshot)

    @strawberry.field(description="The article this revision belongs to.")
    async def article(self, info: Info) -> ArticleRef:
        from cms.graphql.articles.types import Article

        # Whoever reads a revision may see its article: revision_node checked as much.
        row = await info.context.loaders.articles.by_id.load(self._row.article_id)
        assert row is not None, "a revision is reached only through an article its reader may see"
        return Article.from_row(row)


async def revision_node(info: Info, pk: int) -> Revision | None:
    """One revision for node(id): for those who see its article's desk side; None for everyone else."""
    from cms.graphql.articles.types import Article

    viewer = info.context.viewer
    if viewer.role not in policy.WRITERS:
        return None
    found = await run_query(info, lambda s: revisions.revisions_by_ids(s, [pk]))
    row = found[0]
    if row is None:
        return None
    article = await info.context.loaders.articles.by_id.load(row.article_id)
    if article is None:
        return None
    own = policy.own_byline(viewer)
    bylined = own is not None and any(a.id == own for a in await Article.from_row(article)._bylines(info))
    if not policy.sees_desk(viewer, bylined=bylined):
        return None
    return Revision.from_row(row)
