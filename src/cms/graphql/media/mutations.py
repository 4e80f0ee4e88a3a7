"""Writing media: upload, register by URL, describe, delete."""

from __future__ import annotations

from typing import Annotated

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload

from cms.db import Media as MediaRow
from cms.graphql.common import DeletePayload
from cms.graphql.context import Info
from cms.graphql.errors import UserError, run_mutation, run_on
from cms.graphql.media.inputs import (
    CreateMediaInput,
    UpdateMediaInput,
    UploadMediaInput,
    to_changes,
    to_fields,
    to_upload_fields,
)
from cms.graphql.media.types import Media, MediaPayload
from cms.graphql.permissions import gate
from cms.services import media as service
from cms.services.errors import Problems
from cms.services.media.links import renditions_prefix
from cms.services.policy import Action


def _payload(row: MediaRow | None, errors: list[UserError]) -> MediaPayload:
    return MediaPayload(media=Media.from_row(row) if row else None, user_errors=errors)


@strawberry.type
class MediaMutations:
    @strawberry.mutation(
        extensions=[gate(Action.REGISTER_MEDIA)],
        description=(
            "GraphQL multipart request: the file is stored, checked and measured here. JPEG, PNG, WebP, "
            "AVIF or GIF, decided by its bytes; location and camera metadata are removed. The same "
            "bytes uploaded again give the media they made the first time."
        ),
    )
    async def upload_media(
        self,
        info: Info,
        file: Annotated[Upload, strawberry.argument(description="The image, as a multipart file part.")],
        input: Annotated[UploadMediaInput | None, strawberry.argument(description="Its description.")] = None,
    ) -> MediaPayload:
        context = info.context
        storage = context.storage
        assert storage is not None, "the server gives every request its storage"
        problems = Problems()
        if not isinstance(file, UploadFile):  # a JSON request can put anything in the variable
            problems.add(("file",), "send the file as a part of a GraphQL multipart request")
            return _payload(None, [UserError.of(p) for p in problems.items])
        data = await file.read()  # what Starlette's multipart parser spooled to a temporary file
        fields = to_upload_fields(input)
        row, errors = await run_mutation(
            info,
            problems,
            lambda s: service.upload_media(
                s,
                problems,
                context.viewer,
                storage,
                data,
                fields,
                max_pixels=context.settings.max_image_pixels,
                on_rollback=context.on_rollback,
            ),
        )
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[gate(Action.REGISTER_MEDIA)], description="Register media hosted elsewhere by URL."
    )
    async def create_media(self, info: Info, input: CreateMediaInput) -> MediaPayload:
        problems = Problems()
        fields = to_fields(input)
        row, errors = await run_mutation(
            info, problems, lambda s: service.create_media(s, problems, info.context.viewer, fields)
        )
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[gate(Action.REGISTER_MEDIA)],
        description=("Change alt text, caption, credit or focal point; authors may change only media they registered."),
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
        return _payload(row, errors)

    @strawberry.mutation(
        extensions=[gate(Action.DELETE_MEDIA)],
        description=(
            "Delete media and its files; pages that used it show none. Media a published or scheduled "
            "article shows is a CONFLICT naming the articles, unless force is true."
        ),
    )
    async def delete_media(
        self,
        info: Info,
        id: strawberry.ID,
        force: Annotated[
            bool, strawberry.argument(description="Delete it even though published articles show it.")
        ] = False,
    ) -> DeletePayload:
        context = info.context
        deleted, errors = await run_on(
            info, Problems(), id, "Media", lambda s, pk: service.delete_media(s, context.viewer, pk, force=force)
        )
        if deleted is not None and deleted.storage_key is not None and context.storage is not None:
            storage, key = context.storage, deleted.storage_key

            async def remove_files() -> None:
                await storage.delete([key])
                await storage.delete_prefix(renditions_prefix(key))

            context.on_commit(remove_files)
        return DeletePayload(deleted_id=None if errors else id, user_errors=errors)
