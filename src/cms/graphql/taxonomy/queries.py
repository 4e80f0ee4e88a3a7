"""Reading sections and tags: those that articles the caller may read use."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cms.db import Section as SectionRow
from cms.db import Tag as TagRow
from cms.graphql.context import Info
from cms.graphql.errors import run_query
from cms.graphql.ids import lookup_id
from cms.graphql.permissions import public
from cms.graphql.taxonomy.types import Section, Tag
from cms.services import taxonomy as service

IdArg = Annotated[strawberry.ID | None, strawberry.argument(description="Its ID.")]
SlugArg = Annotated[str | None, strawberry.argument(description="Or its slug.")]


@strawberry.type
class TaxonomyQueries:
    @strawberry.field(extensions=[public()], description="All tags in use on articles the caller may see, by name.")
    async def tags(self, info: Info) -> list[Tag]:
        return [Tag.from_row(t) for t in await run_query(info, lambda s: service.list_tags(s, info.context.viewer))]

    @strawberry.field(
        extensions=[public()], description="All sections with articles the caller may see, by name; editors see all."
    )
    async def sections(self, info: Info) -> list[Section]:
        rows = await run_query(info, lambda s: service.list_sections(s, info.context.viewer))
        return [Section.from_row(s) for s in rows]

    @strawberry.field(extensions=[public()], description="One section by ID or slug, for a section page.")
    async def section(self, info: Info, id: IdArg = None, slug: SlugArg = None) -> Section | None:
        pk = lookup_id(id, slug, "Section")
        row = await run_query(info, lambda s: service.get_label(s, info.context.viewer, SectionRow, id=pk, slug=slug))
        return Section.from_row(row) if row else None

    @strawberry.field(extensions=[public()], description="One tag by ID or slug, for a tag page.")
    async def tag(self, info: Info, id: IdArg = None, slug: SlugArg = None) -> Tag | None:
        pk = lookup_id(id, slug, "Tag")
        row = await run_query(info, lambda s: service.get_label(s, info.context.viewer, TagRow, id=pk, slug=slug))
        return Tag.from_row(row) if row else None
