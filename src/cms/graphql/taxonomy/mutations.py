"""Writing sections and tags (tags are also made by the articles that use them)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cms.db import Section as SectionRow
from cms.db import Tag as TagRow
from cms.graphql.common import DeletePayload, run_delete
from cms.graphql.context import Info
from cms.graphql.errors import run_mutation, run_on
from cms.graphql.permissions import gate
from cms.graphql.taxonomy.inputs import (
    CreateSectionInput,
    CreateTagInput,
    UpdateSectionInput,
    UpdateTagInput,
    to_fields,
)
from cms.graphql.taxonomy.types import Section, SectionPayload, Tag, TagPayload
from cms.services import taxonomy as service
from cms.services.errors import Problems
from cms.services.policy import Action

Detach = Annotated[
    bool,
    strawberry.argument(
        description="Take it off the articles that use it; without it, a delete they would notice is refused."
    ),
]


@strawberry.type
class TaxonomyMutations:
    @strawberry.mutation(extensions=[gate(Action.MANAGE_TAXONOMY)], description="Create a section.")
    async def create_section(self, info: Info, input: CreateSectionInput) -> SectionPayload:
        problems = Problems()
        fields = to_fields(input)
        viewer = info.context.viewer
        row, errors = await run_mutation(
            info, problems, lambda s: service.create_label(s, problems, viewer, SectionRow, fields)
        )
        return SectionPayload(section=Section.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_TAXONOMY)], description="Change a section's name, slug or description."
    )
    async def update_section(self, info: Info, id: strawberry.ID, input: UpdateSectionInput) -> SectionPayload:
        problems = Problems()
        fields = to_fields(input)
        viewer = info.context.viewer
        row, errors = await run_on(
            info,
            problems,
            id,
            "Section",
            lambda s, pk: service.update_label(s, problems, viewer, SectionRow, pk, fields),
        )
        return SectionPayload(section=Section.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_TAXONOMY)],
        description="Delete a section; refused with CONFLICT while articles use it, unless detach.",
    )
    async def delete_section(self, info: Info, id: strawberry.ID, detach: Detach = False) -> DeletePayload:
        viewer = info.context.viewer
        return await run_delete(
            info, id, "Section", lambda s, pk: service.delete_label(s, viewer, SectionRow, pk, detach=detach)
        )

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_TAXONOMY)], description="Create a tag with its shown name, e.g. 'City Hall'."
    )
    async def create_tag(self, info: Info, input: CreateTagInput) -> TagPayload:
        problems = Problems()
        fields = to_fields(input)
        viewer = info.context.viewer
        row, errors = await run_mutation(
            info, problems, lambda s: service.create_label(s, problems, viewer, TagRow, fields)
        )
        return TagPayload(tag=Tag.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_TAXONOMY)], description="Change a tag's name, slug or description."
    )
    async def update_tag(self, info: Info, id: strawberry.ID, input: UpdateTagInput) -> TagPayload:
        problems = Problems()
        fields = to_fields(input)
        viewer = info.context.viewer
        row, errors = await run_on(
            info, problems, id, "Tag", lambda s, pk: service.update_label(s, problems, viewer, TagRow, pk, fields)
        )
        return TagPayload(tag=Tag.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        extensions=[gate(Action.MANAGE_TAXONOMY)],
        description="Delete a tag; refused with CONFLICT while articles carry it, unless detach.",
    )
    async def delete_tag(self, info: Info, id: strawberry.ID, detach: Detach = False) -> DeletePayload:
        viewer = info.context.viewer
        return await run_delete(
            info, id, "Tag", lambda s, pk: service.delete_label(s, viewer, TagRow, pk, detach=detach)
        )
