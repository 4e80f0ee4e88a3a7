"""Writing media: register by URL, describe, delete."""

from __future__ import annotations

import strawberry

from cms.graphql.common import DeletePayload, run_delete
from cms.graphql.context import Info
from cms.graphql.errors import run_mutation, run_on
from cms.graphql.media.inputs import CreateMediaInput, UpdateMediaInput, to_changes, to_fields
from cms.graphql.media.types import Media, MediaPayload
from cms.graphql.permissions import gate
from cms.services import media as service
from cms.services.errors import Problems
from cms.services.policy import Action


@strawberry.type
class MediaMutations:
    @strawberry.mutation(
        extensions=[gate(Action.REGISTER_MEDIA)], description="Register media hosted elsewhere by URL."
    )
    async def create_media(self, info: Info, input: CreateMediaInput) -> MediaPayload:
        problems = Problems()
        fields = to_fields(input)
        row, errors = await run_mutation(
            info, problems, lambda s: service.create_media(s, problems, info.context.viewer, fields)
        )
        return MediaPayload(media=Media.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        extensions=[gate(Action.REGISTER_MEDIA)],
        description="Change alt text, caption or credit; authors may change only media they registered.",
    )
    async def update_media(self, info: Info, id: strawberry.ID, input: UpdateMediaInput) -> MediaPayload:
        problems = Problems()
        changes = to_changes(input)
        row, errors = await run_on(
            info,
            problems,
            id,
            "Media",
            lambda s, pk: service.update_media(s, problems, info.context.viewer, pk, changes),
        )
        return MediaPayload(media=Media.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        extensions=[gate(Action.DELETE_MEDIA)], description="Delete media; pages that used it show none."
    )
    async def delete_media(self, info: Info, id: strawberry.ID) -> DeletePayload:
        viewer = info.context.viewer
        return await run_delete(info, id, "Media", lambda s, pk: service.delete_media(s, viewer, pk))
