"""What clients send to write authors, and its translation for the services."""

from __future__ import annotations

import strawberry

from cms.graphql.ids import decode_field
from cms.services.authors import AuthorFields
from cms.services.errors import Problems


@strawberry.input(description="A new author.")
class CreateAuthorInput:
    name: str = strawberry.field(description="Name as shown in bylines.")
    slug: str | None = strawberry.field(default=None, description="Derived from the name when left out.")
    bio: str | None = strawberry.field(default=None, description="A short biography.")
    avatar_id: strawberry.ID | None = strawberry.field(default=None, description="A Media ID.")


@strawberry.input(description="Only the fields given are changed; null clears an optional one.")
class UpdateAuthorInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Name.")
    slug: str | None = strawberry.field(default=strawberry.UNSET, description="New slug.")
    bio: str | None = strawberry.field(default=strawberry.UNSET, description="Biography.")
    avatar_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="A Media ID.")


def to_fields(problems: Problems, data: CreateAuthorInput | UpdateAuthorInput) -> AuthorFields:
    """Service input; an avatar ID that does not decode is recorded, not raised."""
    f = AuthorFields()
    for name in ("name", "slug", "bio"):
        value = getattr(data, name)
        if value is not strawberry.UNSET:
            setattr(f, name, value)
    if data.avatar_id is not strawberry.UNSET:
        f.avatar_id = decode_field(problems, ("input", "avatarId"), data.avatar_id, "Media")
    return f
