"""What clients send to write users and tokens."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cms.graphql.ids import decode_field
from cms.services.errors import Problems
from cms.services.users import UserFields
from cms.vocabulary import Role


@strawberry.input(description="A new user.")
class CreateUserInput:
    email: str = strawberry.field(description="Sign-in email, unique.")
    name: str = strawberry.field(description="Their name.")
    role: Role = strawberry.field(description="What they may do.")
    password: str = strawberry.field(description="At least 12 characters; stored only as a slow salted hash.")
    author_id: strawberry.ID | None = strawberry.field(
        default=None, description="Links an AUTHOR user to the byline whose articles they may edit."
    )


@strawberry.input(description="A new API token.")
class CreateApiTokenInput:
    name: str = strawberry.field(description="What it is for, e.g. 'web frontend'.")
    role: Role = strawberry.field(description="What it may do.")
    expires_at: datetime | None = strawberry.field(default=None, description="When it stops working.")


@strawberry.input(description="Only the fields given are changed; null clears authorId.")
class UpdateUserInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Their name.")
    role: Role | None = strawberry.field(
        default=strawberry.UNSET, description="What they may do; the last active ADMIN keeps ADMIN."
    )
    disabled: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "true stops them signing in and refuses every token of theirs at once; false lets them in "
            "again, with the sessions they had. The last active ADMIN cannot be disabled."
        ),
    )
    author_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The byline an AUTHOR writes as; null unlinks it."
    )


def to_fields(problems: Problems, data: UpdateUserInput) -> UserFields:
    """Service input; an author ID that does not decode is recorded, not raised."""
    fields = UserFields()
    for name in ("name", "role", "disabled"):
        value = getattr(data, name)
        if value is not strawberry.UNSET:
            setattr(fields, name, value)
    if data.author_id is not strawberry.UNSET:
        fields.author_id = decode_field(problems, ("input", "authorId"), data.author_id, "Author")
    return fields
