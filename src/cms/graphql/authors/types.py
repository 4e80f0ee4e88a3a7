"""Authors as clients read them."""

from __future__ import annotations

import strawberry

from cms.db import Author as AuthorRow
from cms.graphql.articles.pages import After, ArticleRef, Filter, First, OrderBy, articles_of
from cms.graphql.common import Connection, Node
from cms.graphql.context import Info
from cms.graphql.errors import UserError
from cms.graphql.ids import to_global_id
from cms.graphql.media.types import Media
from cms.services.articles.listing import Group


@strawberry.type(description="A byline: the person or desk articles are credited to.")
class Author(Node):
    slug: str = strawberry.field(description="URL-safe key, e.g. 'jane-doe'.")
    name: str = strawberry.field(description="Name as shown in the byline.")
    bio: str | None = strawberry.field(description="A short biography.")
    _pk: strawberry.Private[int]
    _avatar_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, a: AuthorRow) -> Author:
        return cls(
            id=strawberry.ID(to_global_id("Author", a.id)),
            slug=a.slug,
            name=a.name,
            bio=a.bio,
            _pk=a.id,
            _avatar_id=a.avatar_id,
        )

    @strawberry.field(description="Portrait photo.")
    async def avatar(self, info: Info) -> Media | None:
        if self._avatar_id is None:
            return None
        row = await info.context.loaders.media.by_id.load(self._avatar_id)
        return Media.from_row(row) if row else None

    @strawberry.field(description="Articles with this byline that the caller may see; newest first by default.")
    async def articles(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Filter = None,
        order_by: OrderBy = None,
    ) -> Connection[ArticleRef]:
        return await articles_of(info, Group.AUTHOR, self._pk, first, after, filter, order_by)


@strawberry.type(description="The result of an author mutation.")
class AuthorPayload:
    author: Author | None = strawberry.field(description="The author as saved; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")
