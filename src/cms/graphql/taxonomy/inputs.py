"""What clients send to write sections."""

from __future__ import annotations

import strawberry


@strawberry.input(description="A new section.")
class CreateSectionInput:
    name: str = strawberry.field(description="Shown name.")
    slug: str | None = strawberry.field(default=None, description="Derived from the name when left out.")
