"""What clients send to write trending lists, and its translation for the services."""

from __future__ import annotations

import strawberry

from cms.services import UNSET
from cms.services.trending import ListFields


@strawberry.input(description="A new trending list.")
class CreateTrendingListInput:
    title: str = strawberry.field(description="Shown title, e.g. Trending Now.")
    slug: str | None = strawberry.field(default=None, description="Derived from the title when left out.")
    description: str | None = strawberry.field(default=None, description="What the list is.")


@strawberry.input(description="Only the fields given are changed.")
class UpdateTrendingListInput:
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Shown title.")
    slug: str | None = strawberry.field(default=strawberry.UNSET, description="A new slug.")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="What the list is; null clears it."
    )


def to_fields(data: CreateTrendingListInput | UpdateTrendingListInput) -> ListFields:
    def given(value: object) -> object:
        return UNSET if value is strawberry.UNSET else value

    return ListFields(title=given(data.title), slug=given(data.slug), description=given(data.description))
