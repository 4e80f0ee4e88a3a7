"""What clients send to write sections and tags, and its translation for the services."""

from __future__ import annotations

import strawberry

from cms.services import UNSET
from cms.services.taxonomy import LabelFields

_NAME = "Shown name."
_SLUG = "URL-safe key; derived from the name when left out."
_DESCRIPTION = "What it is about, for its page; null clears it."


@strawberry.input(description="A new section.")
class CreateSectionInput:
    name: str = strawberry.field(description=_NAME)
    slug: str | None = strawberry.field(default=None, description=_SLUG)
    description: str | None = strawberry.field(default=None, description=_DESCRIPTION)


@strawberry.input(description="Only the fields given are changed.")
class UpdateSectionInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description=_NAME)
    slug: str | None = strawberry.field(default=strawberry.UNSET, description="A new slug.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description=_DESCRIPTION)


@strawberry.input(description="A new tag.")
class CreateTagInput:
    name: str = strawberry.field(description="Shown name, e.g. 'City Hall'.")
    slug: str | None = strawberry.field(default=None, description=_SLUG)
    description: str | None = strawberry.field(default=None, description=_DESCRIPTION)


@strawberry.input(description="Only the fields given are changed.")
class UpdateTagInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description=_NAME)
    slug: str | None = strawberry.field(default=strawberry.UNSET, description="A new slug.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description=_DESCRIPTION)


def to_fields(data: CreateSectionInput | UpdateSectionInput | CreateTagInput | UpdateTagInput) -> LabelFields:
    def given(value: object) -> object:
        return UNSET if value is strawberry.UNSET else value

    return LabelFields(name=given(data.name), slug=given(data.slug), description=given(data.description))
