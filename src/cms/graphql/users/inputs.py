"""What clients send to write users and tokens."""

from __future__ import annotations

from datetime import datetime

import strawberry

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
