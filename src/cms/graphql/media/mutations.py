from __future__ import annotations

import strawberry

from cms.graphql.common import DeletePayload, run_delete
from cms.graphql.context import Info
from cms.graphql.errors import run_mutation
from cms.graphql.ids import decode_field
from cms.graphql.media.types import CreateMediaInput, Media, MediaPayload, UpdateMediaInput
from cms.graphql.permissions import EDITORS, WRITERS, allow
from cms.services import media as service
from cms.services.errors import Problems


@strawberry.type
class MediaMutations:
    @strawberry.mutation(extensions=[allow(*WRITERS)], description="Register media hosted elsewhere by URL.")
    async def create_media(self, info: Info, input: CreateMediaInput) -> MediaPayload:
        problems = Problems()
        fields = service.MediaFields(
            url=input.url,
            mime_type=input.mime_type,
            width=input.width,
            height=input.height,
            alt=input.alt,
            caption=input.caption,
            credit=input.credit,
        )
        row, errors = await run_mutation(info, problems, lambda s: service.create_media(s, problems, fields))
        return MediaPayload(media=Media.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(extensions=[allow(*WRITERS)], description="Change alt text, caption or credit.")
    async def update_media(self, info: Info, id: strawberry.ID, input: UpdateMediaInput) -> MediaPayload:
        problems = Problems()
        pk = decode_field(problems, ("id",), id, "Media")
        changes = {
            k: getattr(input, k) for k in ("alt", "caption", "credit") if getattr(input, k) is not strawberry.UNSET
        }
        row, errors = await run_mutation(info, problems, lambda s: service.update_media(s, problems, pk or 0, changes))
        return MediaPayload(media=Media.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation(extensions=[allow(*EDITORS)], description="Delete media; pages that used it show none.")
    async def delete_media(self, info: Info, id: strawberry.ID) -> DeletePayload:
        return await run_delete(info, id, "Media", service.delete_media)
