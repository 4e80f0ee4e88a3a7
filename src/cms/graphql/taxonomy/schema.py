from __future__ import annotations

import strawberry

from cms.graphql.context import Info
from cms.graphql.errors import run_mutation, run_query
from cms.graphql.permissions import EDITORS, allow, public
from cms.graphql.taxonomy.types import CreateSectionInput, Section, SectionPayload, Tag
from cms.services import taxonomy as service
from cms.services.errors import Problems


@strawberry.type
class TaxonomyQueries:
    @strawberry.field(extensions=[public()], description="All tags, by name.")
    async def tags(self, info: Info) -> list[Tag]:
        return [Tag.from_row(t) for t in await run_query(info, service.list_tags)]

    @strawberry.field(extensions=[public()], description="All sections, by name.")
    async def sections(self, info: Info) -> list[Section]:
        return [Section.from_row(s) for s in await run_query(info, service.list_sections)]


@strawberry.type
class TaxonomyMutations:
    @strawberry.mutation(extensions=[allow(*EDITORS)], description="Create a section.")
    async def create_section(self, info: Info, input: CreateSectionInput) -> SectionPayload:
        problems = Problems()
        row, errors = await run_mutation(
            info, problems, lambda s: service.create_section(s, problems, name=input.name, slug=input.slug)
        )
        return SectionPayload(section=Section.from_row(row) if row else None, user_errors=errors)
