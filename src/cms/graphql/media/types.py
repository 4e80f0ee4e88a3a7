"""Media as clients read it: the file, its description, and renditions at any size."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from cms.db import Media as MediaRow
from cms.graphql.common import Node
from cms.graphql.context import Info
from cms.graphql.errors import UserError, api_error
from cms.graphql.ids import to_global_id
from cms.services.images import OutputFormat
from cms.services.media.links import DEFAULT_WIDTHS, MAX_SRCSET_WIDTHS, BadSize, original_url
from cms.vocabulary import ErrorCode


@strawberry.type(description="A point of an image that crops keep in view.")
class FocalPoint:
    x: float = strawberry.field(description="0..1 from the left edge.")
    y: float = strawberry.field(description="0..1 from the top edge.")


Format = Annotated[
    OutputFormat | None,
    strawberry.argument(description="The encoding; by default the upload's own (a GIF's first frame as PNG)."),
]


@strawberry.type(description="An image, with what a page needs to show it.")
class Media(Node):
    mime_type: str = strawberry.field(description="e.g. image/jpeg.")
    width: int | None = strawberry.field(description="Width in pixels, when known.")
    height: int | None = strawberry.field(description="Height in pixels, when known.")
    alt: str | None = strawberry.field(description="Text for readers who cannot see the image.")
    caption: str | None = strawberry.field(description="What the image shows, as printed under it.")
    credit: str | None = strawberry.field(description="Shown as e.g. 'Photo: Shutterstock.com'.")
    created_at: datetime = strawberry.field(description="When it was registered.")
    size_bytes: int | None = strawberry.field(description="Size of the stored file; null for media linked by URL.")
    blurhash: str | None = strawberry.field(description="Compact placeholder to show while the image loads.")
    focal_point: FocalPoint | None = strawberry.field(
        description="The point crops keep in view; null means the centre."
    )
    _row: strawberry.Private[MediaRow]

    @classmethod
    def from_row(cls, m: MediaRow) -> Media:
        focal = FocalPoint(x=m.focal_x, y=m.focal_y) if m.focal_x is not None and m.focal_y is not None else None
        return cls(
            id=strawberry.ID(to_global_id("Media", m.id)),
            mime_type=m.mime_type,
            width=m.width,
            height=m.height,
            alt=m.alt,
            caption=m.caption,
            credit=m.credit,
            created_at=m.created_at,
            size_bytes=m.size_bytes,
            blurhash=m.blurhash,
            focal_point=focal,
            _row=m,
        )

    @strawberry.field(
        description=(
            "Where the file is served from: an upload's cleaned original (no location or camera "
            "metadata), or the URL media linked from elsewhere was registered with."
        )
    )
    def url(self, info: Info) -> str:
        return original_url(info.context.media_files(), self._row)

    @strawberry.field(
        description=(
            "A resized rendition; cropped around the focal point when both sides are given; never "
            "larger than the upload. Sides are clamped to the server's range. Media linked by URL "
            "are not resized: their URL is returned."
        )
    )
    async def rendition_url(
        self,
        info: Info,
        width: Annotated[int | None, strawberry.argument(description="Width in pixels.")] = None,
        height: Annotated[int | None, strawberry.argument(description="Height in pixels.")] = None,
        format: Format = None,
    ) -> str:
        links = await info.context.media_links()
        try:
            return links.rendition(self._row, width, height, format)
        except BadSize as exc:
            raise api_error(ErrorCode.INVALID, str(exc)) from None

    @strawberry.field(
        description=(
            "A srcset attribute value over these widths (by default "
            f"{', '.join(map(str, DEFAULT_WIDTHS))}; at most {MAX_SRCSET_WIDTHS}), none wider than the upload."
        )
    )
    async def srcset(
        self,
        info: Info,
        widths: Annotated[list[int] | None, strawberry.argument(description="Widths in pixels.")] = None,
        format: Format = None,
    ) -> str:
        links = await info.context.media_links()
        try:
            return links.srcset(self._row, widths, format)
        except BadSize as exc:
            raise api_error(ErrorCode.INVALID, str(exc)) from None


@strawberry.type(description="The result of a media mutation.")
class MediaPayload:
    media: Media | None = strawberry.field(description="The media as saved; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")
