"""What clients send to write trending lists, and its translation for the services."""

from __future__ import annotations

import strawberry

from cms.graphql.ids import decode_field
from cms.services import UNSET
from cms.services.errors import Problems
from cms.services.trending import ListFields
from cms.vocabulary import TrendingWindow


@strawberry.input(description="A new trending list.")
class CreateTrendingListInput:
    title: str = strawberry.field(description="Shown title, e.g. Trending Now.")
    slug: str | None = strawberry.field(default=None, description="Derived from the title when left out.")
    description: str | None = strawberry.field(default=None, description="What the list is.")
    window: TrendingWindow | None = strawberry.field(
        default=None, description="The reading window computed entries are ranked over; DAY when left out."
    )
    section_id: strawberry.ID | None = strawberry.field(
        default=None, description="Limits computed entries to one section; every section when left out."
    )


@strawberry.input(description="Only the fields given are changed.")
class UpdateTrendingListInput:
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Shown title.")
    slug: str | None = strawberry.field(default=strawberry.UNSET, description="A new slug.")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="What the list is; null clears it."
    )
    window: TrendingWindow | None = strawberry.field(
        default=strawberry.UNSET, description="The reading window computed entries are ranked over."
    )
    section_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Limits computed entries to one section; null for every section."
    )


def to_fields(problems: Problems, data: CreateTrendingListInput | UpdateTrendingListInput) -> ListFields:
    def given(value: object) -> object:
        return UNSET if value is strawberry.UNSET else value

    section: object = UNSET
    if data.section_id is not strawberry.UNSET:
        section = decode_field(problems, ("input", "sectionId"), data.section_id, "Section")
        if section is None and data.section_id is not None:
            section = UNSET  # reported; nothing to check further
    return ListFields(
        title=given(data.title),
        slug=given(data.slug),
        description=given(data.description),
        read_window=given(data.window),
        section_id=section,
    )
