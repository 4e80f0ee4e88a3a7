"""What clients send to register and describe media, and its translation for the services."""

from __future__ import annotations

import strawberry

from cms.services.media import MediaFields


@strawberry.input(description="Media hosted elsewhere, registered by URL.")
class CreateMediaInput:
    url: str = strawberry.field(description="Absolute http(s) URL of the file.")
    mime_type: str | None = strawberry.field(default=None, description="Guessed from the URL when left out.")
    width: int | None = strawberry.field(default=None, description="Width in pixels.")
    height: int | None = strawberry.field(default=None, description="Height in pixels.")
    alt: str | None = strawberry.field(default=None, description="Alternative text.")
    caption: str | None = strawberry.field(default=None, description="Caption.")
    credit: str | None = strawberry.field(default=None, description="Credit, e.g. 'Shutterstock.com'.")


@strawberry.input(description="Only the fields given are changed; null clears one.")
class UpdateMediaInput:
    alt: str | None = strawberry.field(default=strawberry.UNSET, description="Alternative text.")
    caption: str | None = strawberry.field(default=strawberry.UNSET, description="Caption.")
    credit: str | None = strawberry.field(default=strawberry.UNSET, description="Credit.")


def to_fields(data: CreateMediaInput) -> MediaFields:
    return MediaFields(
        url=data.url,
        mime_type=data.mime_type,
        width=data.width,
        height=data.height,
        alt=data.alt,
        caption=data.caption,
        credit=data.credit,
    )


def to_changes(data: UpdateMediaInput) -> dict[str, str | None]:
    """The descriptions given, by name; null clears one."""
    return {k: getattr(data, k) for k in ("alt", "caption", "credit") if getattr(data, k) is not strawberry.UNSET}
