"""What clients send to register and describe media, and its translation for the services."""

from __future__ import annotations

from typing import Any

import strawberry

from cms.services.media import MediaFields, UploadFields


@strawberry.input(description="Media hosted elsewhere, registered by URL.")
class CreateMediaInput:
    url: str = strawberry.field(description="Absolute http(s) URL of the file.")
    mime_type: str | None = strawberry.field(default=None, description="Guessed from the URL when left out.")
    width: int | None = strawberry.field(default=None, description="Width in pixels.")
    height: int | None = strawberry.field(default=None, description="Height in pixels.")
    alt: str | None = strawberry.field(default=None, description="Alternative text.")
    caption: str | None = strawberry.field(default=None, description="Caption.")
    credit: str | None = strawberry.field(default=None, description="Credit, e.g. 'Shutterstock.com'.")


@strawberry.input(description="A point of an image that crops keep in view.")
class FocalPointInput:
    x: float = strawberry.field(description="0..1 from the left edge.")
    y: float = strawberry.field(description="0..1 from the top edge.")


@strawberry.input(description="How an uploaded image is described.")
class UploadMediaInput:
    alt: str | None = strawberry.field(default=None, description="Alternative text.")
    caption: str | None = strawberry.field(default=None, description="Caption.")
    credit: str | None = strawberry.field(
        default=None, description="Credit, e.g. 'Shutterstock.com'; else the one in the image's metadata, if any."
    )
    focal_point: FocalPointInput | None = strawberry.field(
        default=None, description="The point crops keep in view; the centre when left out."
    )


@strawberry.input(description="Only the fields given are changed; null clears one.")
class UpdateMediaInput:
    alt: str | None = strawberry.field(default=strawberry.UNSET, description="Alternative text.")
    caption: str | None = strawberry.field(default=strawberry.UNSET, description="Caption.")
    credit: str | None = strawberry.field(default=strawberry.UNSET, description="Credit.")
    focal_point: FocalPointInput | None = strawberry.field(
        default=strawberry.UNSET, description="The point crops keep in view; null for the centre."
    )


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


def _point(point: FocalPointInput | None) -> tuple[float, float] | None:
    return (point.x, point.y) if point is not None else None


def to_upload_fields(data: UploadMediaInput | None) -> UploadFields:
    if data is None:
        return UploadFields()
    return UploadFields(alt=data.alt, caption=data.caption, credit=data.credit, focal_point=_point(data.focal_point))


def to_changes(data: UpdateMediaInput) -> dict[str, Any]:
    """The fields given, by name; null clears one."""
    changes: dict[str, Any] = {
        k: getattr(data, k) for k in ("alt", "caption", "credit") if getattr(data, k) is not strawberry.UNSET
    }
    if data.focal_point is not strawberry.UNSET:
        changes["focal_point"] = _point(data.focal_point)
    return changes
