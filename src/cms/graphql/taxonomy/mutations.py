"""Writing sections; tags are created by the articles that use them."""

from __future__ import annotations

import strawberry

from cms.graphql.context import Info
from cms.graphql.errors import run_mutation
from cms.graphql.permissions import gate
from cms.graphql.taxonomy.inputs import CreateSectionInput
from cms.graphql.taxonomy.types import Section, SectionPayload
from cms.services import taxonomy as service
from cms.services.errors import Problems
from cms.services.policy import Action


@strawberry.type
class TaxonomyMutations:
    @strawberry.mutation(extensions=[gate(Action.MANAGE_TAXONOMY)], description="Create a section.")
    async def create_section(self, info: Info, input: CreateSectionInput) -> SectionPayload:
        problems = Problems()
        row, errors = await run_mutation(
            info, problems, lambda s: service.create_section(s, problems, name=input.name, slug=input.slug)
        )
        return SectionPayload(section=Section.from_row(row) if row else None, user_errors=errors)
