"""Media as clients read it."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cms.db import Media as MediaRow
from cms.graphql.common import Node
from cms.graphql.errors import UserError
from cms.graphql.ids import to_global_id


@strawberry.type(description="An image or other file, with what a page needs to show it.")
class Media(Node):
    url: str = strawberry.field(description="Where the file is served from.")
    mime_type: str = strawberry.field(description="e.g. image/jpeg.")
    width: int | None = strawberry.field(description="Width in pixels, when known.")
    height: int | None = strawberry.field(description="Height in pixels, when known.")
    alt: str | None = strawberry.field(description="Text for readers who cannot see the image.")
    caption: str | None = strawberry.field(description="What the image shows, as printed under it.")
    credit: str | None = strawberry.field(description="Shown as e.g. 'Photo: Shutterstock.com'.")
    created_at: datetime = strawberry.field(description="When it was registered.")

    @classmethod
    def from_row(cls, m: MediaRow) -> Media:
        return cls(
            id=strawberry.ID(to_global_id("Media", m.id)),
            url=m.url,
            mime_type=m.mime_type,
            width=m.width,
            height=m.height,
            alt=m.alt,
            caption=m.caption,
            credit=m.credit,
            created_at=m.created_at,
        )


@strawberry.type(description="The result of a media mutation.")
class MediaPayload:
    media: Media | None = strawberry.field(description="The media as saved; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")
