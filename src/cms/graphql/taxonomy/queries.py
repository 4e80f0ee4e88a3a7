"""Reading sections and tags."""

from __future__ import annotations

import strawberry

from cms.graphql.context import Info
from cms.graphql.errors import run_query
from cms.graphql.permissions import public
from cms.graphql.taxonomy.types import Section, Tag
from cms.services import taxonomy as service


@strawberry.type
class TaxonomyQueries:
    @strawberry.field(extensions=[public()], description="All tags, by name.")
    async def tags(self, info: Info) -> list[Tag]:
        return [Tag.from_row(t) for t in await run_query(info, service.list_tags)]

    @strawberry.field(extensions=[public()], description="All sections, by name.")
    async def sections(self, info: Info) -> list[Section]:
        return [Section.from_row(s) for s in await run_query(info, service.list_sections)]
