"""Sections and tags as clients read them."""

from __future__ import annotations

import strawberry

from cms.db import Section as SectionRow
from cms.db import Tag as TagRow
from cms.graphql.articles.pages import After, ArticleRef, Filter, First, OrderBy, articles_of
from cms.graphql.common import Connection, Node
from cms.graphql.context import Info
from cms.graphql.errors import UserError
from cms.graphql.ids import to_global_id
from cms.services.articles.listing import Group


@strawberry.type(description="A free label on articles, e.g. City Hall.")
class Tag(Node):
    slug: str = strawberry.field(description="URL-safe key, e.g. 'city-hall'.")
    name: str = strawberry.field(description="Shown name, e.g. 'City Hall'.")
    description: str | None = strawberry.field(description="What the tag is about, for its page.")
    _pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, t: TagRow) -> Tag:
        return cls(
            id=strawberry.ID(to_global_id("Tag", t.id)), slug=t.slug, name=t.name, description=t.description, _pk=t.id
        )

    @strawberry.field(description="Articles with this tag that the caller may see; newest first by default.")
    async def articles(
        self, info: Info, first: First = None, after: After = None, filter: Filter = None, order_by: OrderBy = None
    ) -> Connection[ArticleRef]:
        return await articles_of(info, Group.TAG, self._pk, first, after, filter, order_by)


@strawberry.type(description="A part of the publication, e.g. World or Business.")
class Section(Node):
    slug: str = strawberry.field(description="URL-safe key, e.g. 'world'.")
    name: str = strawberry.field(description="Shown name.")
    description: str | None = strawberry.field(description="What the section covers, for its page.")
    _pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, s: SectionRow) -> Section:
        return cls(
            id=strawberry.ID(to_global_id("Section", s.id)),
            slug=s.slug,
            name=s.name,
            description=s.description,
            _pk=s.id,
        )

    @strawberry.field(description="Articles in this section that the caller may see; newest first by default.")
    async def articles(
        self, info: Info, first: First = None, after: After = None, filter: Filter = None, order_by: OrderBy = None
    ) -> Connection[ArticleRef]:
        return await articles_of(info, Group.SECTION, self._pk, first, after, filter, order_by)


@strawberry.type(description="The result of a section mutation.")
class SectionPayload:
    section: Section | None = strawberry.field(description="The section as saved; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")


@strawberry.type(description="The result of a tag mutation.")
class TagPayload:
    tag: Tag | None = strawberry.field(description="The tag as saved; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")
