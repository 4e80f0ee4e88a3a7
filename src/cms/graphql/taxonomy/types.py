"""Sections and tags as clients read them."""

from __future__ import annotations

import strawberry

from cms.db import Section as SectionRow
from cms.db import Tag as TagRow
from cms.graphql.common import Node
from cms.graphql.errors import UserError
from cms.graphql.ids import to_global_id


@strawberry.type(description="A free label on articles.")
class Tag(Node):
    slug: str = strawberry.field(description="URL-safe key, e.g. 'climate-change'.")
    name: str = strawberry.field(description="Shown name.")

    @classmethod
    def from_row(cls, t: TagRow) -> Tag:
        return cls(id=strawberry.ID(to_global_id("Tag", t.id)), slug=t.slug, name=t.name)


@strawberry.type(description="A part of the publication, e.g. World or Business.")
class Section(Node):
    slug: str = strawberry.field(description="URL-safe key, e.g. 'world'.")
    name: str = strawberry.field(description="Shown name.")

    @classmethod
    def from_row(cls, s: SectionRow) -> Section:
        return cls(id=strawberry.ID(to_global_id("Section", s.id)), slug=s.slug, name=s.name)


@strawberry.type(description="The result of a section mutation.")
class SectionPayload:
    section: Section | None = strawberry.field(description="The section as saved; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")
