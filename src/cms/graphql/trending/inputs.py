"""What clients send to write trending lists."""

from __future__ import annotations

import strawberry


@strawberry.input(description="A new trending list.")
class CreateTrendingListInput:
    title: str = strawberry.field(description="Shown title, e.g. Trending Now.")
    slug: str | None = strawberry.field(default=None, description="Derived from the title when left out.")
